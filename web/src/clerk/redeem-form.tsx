import { Button, Form, Input, Space } from 'antd';
import { useCallback, useState } from 'react';
import { api } from '../api/client';
import type { Dossier } from './dossier-types';
import { maskedNumber } from './holder-number';
import { clerkProblem, type ClerkProblem } from './problem-of';
import { ProblemAlert } from './problem-alert';
import { canScan, CodeScanner } from './code-scanner';

/** 用证码调取: the code the holder shows on their phone, typed or scanned. */
export function RedeemForm({ onFound }: { readonly onFound: (dossier: Dossier) => void }) {
  const [form] = Form.useForm<{ code: string }>();
  const [busy, setBusy] = useState(false);
  const [scanning, setScanning] = useState(false);
  const [failure, setFailure] = useState<ClerkProblem | null>(null);

  const redeem = useCallback(
    async (code: string) => {
      setBusy(true);
      setFailure(null);
      try {
        const { data, error, response } = await api.POST('/api/v1/authorizations/redeem', { body: { code: code.trim() } });
        if (!data) return setFailure(clerkProblem(error, response));
        const licenses = data.licenses;
        const first = licenses[0];
        form.resetFields();
        onFound({
          holder: { name: first?.holder.name ?? '', maskedNumber: first ? maskedNumber(first.holder) : '' },
          use: { serviceItem: data.authorization.serviceItem, purpose: data.authorization.purpose },
          licenses,
          authorization: { expiresAt: data.authorization.expiresAt, usesLeft: data.authorization.usesLeft },
        });
      } catch {
        setFailure(clerkProblem(undefined));
      } finally {
        setBusy(false);
      }
    },
    [form, onFound],
  );

  const scanned = useCallback(
    (code: string) => {
      setScanning(false);
      form.setFieldValue('code', code);
      void redeem(code);
    },
    [form, redeem],
  );

  return (
    <Form form={form} layout="vertical" requiredMark={false} onFinish={({ code }) => void redeem(code)} disabled={busy} className="clerk-form">
      <ProblemAlert problem={failure} />
      <Form.Item
        label="用证码"
        name="code"
        extra="持证人在“我的证照”中授权后生成的 8 位码，如 ABCD-EF23"
        rules={[{ required: true, whitespace: true, message: '请输入持证人出示的用证码' }]}
      >
        <Input
          autoComplete="off"
          autoCapitalize="characters"
          spellCheck={false}
          maxLength={32}
          style={{ fontFamily: 'ui-monospace, monospace', letterSpacing: 1, textTransform: 'uppercase' }}
        />
      </Form.Item>
      <Space wrap>
        <Button type="primary" htmlType="submit" loading={busy}>
          调取
        </Button>
        {canScan() && <Button onClick={() => setScanning(true)}>扫码</Button>}
      </Space>
      {canScan() && <CodeScanner open={scanning} onCode={scanned} onClose={() => setScanning(false)} />}
    </Form>
  );
}
