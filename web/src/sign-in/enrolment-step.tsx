import { Alert, Button, Form, Typography } from 'antd';
import { useState } from 'react';
import { api, type Schemas } from '../api/client';
import { problemMessage } from '../api/problems';
import { OtpField } from './otp-field';

/** The QR code as an image: the markup comes from the vault itself, and an <img> never runs what is in it. */
function svgDataUrl(svg: string): string {
  const bytes = new TextEncoder().encode(svg);
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return `data:image/svg+xml;base64,${btoa(binary)}`;
}

/** Groups of four, four groups a line, as authenticator apps show secrets. */
function lines(secret: string): string[] {
  return (secret.match(/.{1,16}/g) ?? []).map((line) => line.replace(/(.{4})(?=.)/g, '$1 '));
}

/** Binding an authenticator app: scan (or type) the new secret, then prove it with the first code (完成绑定). */
export function EnrolmentStep({
  enrolment,
  onAnswer,
  onRestart,
}: {
  readonly enrolment: Schemas['TotpEnrolment'];
  readonly onAnswer: (answer: Schemas['StaffSignInResult']) => void;
  readonly onRestart: () => void;
}) {
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);

  async function submit({ otp }: { otp: string }) {
    setBusy(true);
    setFailure(null);
    try {
      const { data, error } = await api.POST('/api/v1/staff/totp-enrolment', { body: { ticket: enrolment.ticket, otp: otp.trim() } });
      if (data) return onAnswer(data);
      setFailure(problemMessage(error));
    } catch {
      setFailure(problemMessage(undefined));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Form layout="vertical" requiredMark={false} onFinish={(values: { otp: string }) => void submit(values)} disabled={busy}>
      <Typography.Title level={2} style={{ fontSize: 18, marginTop: 0 }}>
        绑定身份验证器
      </Typography.Title>
      <Typography.Paragraph>
        您的账号需要动态口令。请用手机上的身份验证器应用（如 Google Authenticator、Microsoft Authenticator）扫描下方二维码，然后输入应用显示的 6 位数字。
      </Typography.Paragraph>
      <div style={{ display: 'flex', justifyContent: 'center', marginBottom: 12 }}>
        <img src={svgDataUrl(enrolment.qrSvg)} alt="身份验证器绑定二维码" width={200} height={200} style={{ border: '1px solid #e5e7eb', borderRadius: 8, background: '#fff' }} />
      </div>
      <Typography.Paragraph type="secondary" style={{ fontSize: 13, marginBottom: 4 }}>
        无法扫码时，在应用中手动输入密钥：
      </Typography.Paragraph>
      <div style={{ display: 'flex', alignItems: 'center', justifyContent: 'center', gap: 8, marginBottom: 16 }}>
        <div
          role="group"
          aria-label="密钥"
          style={{
            fontFamily: 'ui-monospace, monospace',
            fontSize: 15,
            letterSpacing: 1,
            background: '#f5f7fa',
            border: '1px solid #e5e7eb',
            borderRadius: 6,
            padding: '6px 12px',
          }}
        >
          {lines(enrolment.secret).map((line) => (
            <div key={line}>{line}</div>
          ))}
        </div>
        <Typography.Text copyable={{ text: enrolment.secret, tooltips: ['复制密钥', '已复制'] }} />
      </div>
      {failure && <Alert type="error" role="alert" showIcon title={failure} style={{ marginBottom: 16 }} />}
      <OtpField required />
      <Button type="primary" htmlType="submit" size="large" block loading={busy}>
        完成绑定
      </Button>
      <Button type="link" block onClick={onRestart} style={{ marginTop: 8 }}>
        返回登录
      </Button>
    </Form>
  );
}
