import { Form, Input } from 'antd';
import type { Rule } from 'antd/es/form';

const SIX_DIGITS: Rule = { pattern: /^\d{6}$/, message: '动态口令是 6 位数字' };

/** 动态口令: six digits, the phone's number pad, filled from the authenticator app where the system offers it. */
export function OtpField({ required, extra }: { readonly required: boolean; readonly extra?: string }) {
  return (
    <Form.Item label="动态口令" name="otp" extra={extra} rules={required ? [{ required: true, message: '请输入动态口令' }, SIX_DIGITS] : [SIX_DIGITS]}>
      <Input inputMode="numeric" autoComplete="one-time-code" maxLength={6} placeholder="6 位数字" size="large" />
    </Form.Item>
  );
}
