import { Alert, Button, Form, Input } from 'antd';
import { useState } from 'react';
import { api, type Schemas } from '../api/client';
import { problemMessage } from '../api/problems';
import { OtpField } from './otp-field';
import { retryAfterText } from './retry-after';

interface SignInValues {
  readonly username: string;
  readonly password: string;
  readonly otp?: string;
}

/** 账号, 密码, 动态口令 → the vault's answer: a session, or an enrolment to finish. */
export function SignInForm({ onAnswer }: { readonly onAnswer: (answer: Schemas['StaffSignInResult']) => void }) {
  const [form] = Form.useForm<SignInValues>();
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);

  async function submit(values: SignInValues) {
    setBusy(true);
    setFailure(null);
    try {
      const otp = values.otp?.trim();
      const { data, error, response } = await api.POST('/api/v1/staff/sign-in', { body: { username: values.username.trim(), password: values.password, ...(otp ? { otp } : {}) } });
      if (data) return onAnswer(data);
      const retry = error?.code === 'ERR_STAFF_LOCKED' ? retryAfterText(response.headers.get('Retry-After')) : null;
      setFailure(retry ? `登录失败次数过多，账号已被暂时锁定。${retry}如需立即办理，请联系安全管理员。` : problemMessage(error));
      form.setFieldValue('password', '');
      form.setFieldValue('otp', '');
    } catch {
      setFailure(problemMessage(undefined));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Form form={form} layout="vertical" requiredMark={false} onFinish={(values) => void submit(values)} disabled={busy}>
      {failure && <Alert type="error" role="alert" showIcon title={failure} style={{ marginBottom: 16 }} />}
      <Form.Item label="账号" name="username" rules={[{ required: true, whitespace: true, message: '请输入账号' }]}>
        <Input autoComplete="username" autoCapitalize="none" spellCheck={false} size="large" />
      </Form.Item>
      <Form.Item label="密码" name="password" rules={[{ required: true, message: '请输入密码' }]}>
        <Input.Password autoComplete="current-password" size="large" />
      </Form.Item>
      <OtpField required={false} extra="身份验证器应用中显示的 6 位数字；首次登录尚未绑定时可留空。" />
      <Button type="primary" htmlType="submit" size="large" block loading={busy}>
        登录
      </Button>
    </Form>
  );
}
