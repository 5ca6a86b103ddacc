import { Alert, Modal } from 'antd';
import { useEffect, useRef, useState } from 'react';

/** The part of the Barcode Detection API the scanner uses (not yet in TypeScript's DOM library). */
interface BarcodeDetectorLike {
  detect(source: HTMLVideoElement): Promise<readonly { readonly rawValue: string }[]>;
}
type BarcodeDetectorClass = new (options: { formats: string[] }) => BarcodeDetectorLike;

function detectorClass(): BarcodeDetectorClass | undefined {
  return (window as unknown as { BarcodeDetector?: BarcodeDetectorClass }).BarcodeDetector;
}

/** Whether this browser can read a QR code from the window's camera. */
export function canScan(): boolean {
  return detectorClass() !== undefined && typeof navigator.mediaDevices?.getUserMedia === 'function';
}

const SCAN_EVERY_MS = 250;

/** The camera's picture until a QR code is seen in it; its text goes to `onCode`. */
export function CodeScanner({ open, onCode, onClose }: { readonly open: boolean; readonly onCode: (code: string) => void; readonly onClose: () => void }) {
  const video = useRef<HTMLVideoElement>(null);
  const [failure, setFailure] = useState<string | null>(null);

  useEffect(() => {
    const Detector = detectorClass();
    if (!open || !Detector) return;
    let stream: MediaStream | null = null;
    let timer: number | undefined;
    let live = true;
    const detector = new Detector({ formats: ['qr_code'] });
    const scan = async () => {
      const element = video.current;
      if (!live || !element) return;
      const found = element.readyState >= 2 ? await detector.detect(element).catch(() => []) : [];
      const code = found[0]?.rawValue.trim();
      if (live && code) return onCode(code);
      if (live) timer = window.setTimeout(() => void scan(), SCAN_EVERY_MS);
    };
    setFailure(null);
    navigator.mediaDevices
      .getUserMedia({ video: { facingMode: 'environment' }, audio: false })
      .then(async (media) => {
        stream = media;
        if (!live || !video.current) return media.getTracks().forEach((track) => track.stop());
        video.current.srcObject = media;
        await video.current.play();
        void scan();
      })
      .catch(() => live && setFailure('无法打开摄像头。请在浏览器中允许使用摄像头，或直接输入用证码。'));
    return () => {
      live = false;
      window.clearTimeout(timer);
      stream?.getTracks().forEach((track) => track.stop());
    };
  }, [open, onCode]);

  return (
    <Modal open={open} title="扫描用证码" onCancel={onClose} footer={null} destroyOnHidden>
      <p>请持证人打开“我的证照”中的用证码二维码，对准摄像头。</p>
      {failure ? (
        <Alert type="warning" showIcon title={failure} />
      ) : (
        <video ref={video} muted playsInline aria-label="摄像头画面" style={{ width: '100%', borderRadius: 8, background: '#000' }} />
      )}
    </Modal>
  );
}
