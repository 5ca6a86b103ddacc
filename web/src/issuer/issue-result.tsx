import { Button, Card, Descriptions, QRCode, Result, Space, Tag, Typography } from 'antd';
import type { License } from './api-shapes';
import { dateText, STATUS_TEXT } from './license-status';

/** A license just issued: its identifier, number, status and the QR of its verification link. */
export function IssueResult({ license, onAnother, onView }: { readonly license: License; readonly onAnother: () => void; readonly onView: () => void }) {
  const status = STATUS_TEXT[license.status];
  return (
    <Card>
      <Result
        status="success"
        title="证照已签发"
        subTitle={`${license.licenseType.name ?? license.licenseType.code} · ${license.holder.name}`}
        extra={
          <Space wrap>
            <Button type="primary" onClick={onAnother}>
              再签发一张
            </Button>
            <Button onClick={onView}>查看证照</Button>
          </Space>
        }
      />
      <div style={{ display: 'flex', flexWrap: 'wrap', gap: 24, alignItems: 'flex-start', justifyContent: 'center' }}>
        <Descriptions column={1} bordered size="small" style={{ flex: '1 1 320px', minWidth: 0 }}>
          <Descriptions.Item label="电子证照标识">
            <Typography.Text copyable style={{ wordBreak: 'break-all' }}>
              {license.identifier}
            </Typography.Text>
          </Descriptions.Item>
          <Descriptions.Item label="证照编号">
            <Typography.Text copyable>{license.licenseNumber}</Typography.Text>
          </Descriptions.Item>
          <Descriptions.Item label="状态">
            <Tag color={status.color}>{status.text}</Tag>
          </Descriptions.Item>
          <Descriptions.Item label="有效期">
            {dateText(license.validFrom)} 至 {dateText(license.validUntil)}
          </Descriptions.Item>
          <Descriptions.Item label="发证机关">{license.issuer.name}</Descriptions.Item>
        </Descriptions>
        <figure style={{ margin: 0, textAlign: 'center' }}>
          <QRCode value={license.links.verify} size={168} type="svg" aria-label="核验二维码" />
          <figcaption style={{ color: '#667085', fontSize: 12, marginTop: 4 }}>扫码核验证照真伪</figcaption>
        </figure>
      </div>
    </Card>
  );
}
