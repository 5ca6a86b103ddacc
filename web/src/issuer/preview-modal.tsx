import { Modal, Typography } from 'antd';

/** The face as issuing would draw it, marked 样张: it is never a license. */
export function PreviewModal({ image, onClose }: { readonly image: string | null; readonly onClose: () => void }) {
  return (
    <Modal open={image !== null} title="样张预览" onCancel={onClose} footer={null} width={760} centered>
      <Typography.Paragraph type="secondary">此为样张，仅供核对版面与内容；证照编号、标识和二维码在签发时生成。</Typography.Paragraph>
      {image && <img src={image} alt="证照样张预览" style={{ width: '100%', border: '1px solid #d9d9d9' }} />}
    </Modal>
  );
}
