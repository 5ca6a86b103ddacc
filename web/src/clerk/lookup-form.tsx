import { Button, Form, Input } from 'antd';
import { useState } from 'react';
import { api } from '../api/client';
import type { Dossier } from './dossier-types';
import { checkHolderNumber, maskedNumber } from './holder-number';
import { clerkProblem, type ClerkProblem } from './problem-of';
import { ProblemAlert } from './problem-alert';
import { UseFields } from './use-fields';

interface LookupValues {
  readonly holderId: string;
  readonly serviceItem: string;
  readonly purpose: string;
}

/** 按证件号码查询: the number the holder shows, and what it is for. */
export function LookupForm({ onFound }: { readonly onFound: (dossier: Dossier) => void }) {
  const [form] = Form.useForm<LookupValues>();
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<ClerkProblem | null>(null);

  async function submit(values: LookupValues) {
    const checked = checkHolderNumber(values.holderId);
    if (!('holder' in checked)) return;
    setBusy(true);
    setFailure(null);
    try {
      const use = { serviceItem: values.serviceItem.trim(), purpose: values.purpose.trim() };
      const { data, error, response } = await api.GET('/api/v1/holders/{holderId}/licenses', {
        params: { path: { holderId: checked.holder.value }, query: { ...use, holderType: checked.holder.type } },
      });
      if (!data) return setFailure(clerkProblem(error, response));
      const number = maskedNumber({ type: checked.holder.type, id: checked.holder.value });
      const licenses = data.items;
      // The number stays on screen no longer than needed: the dossier shows it masked.
      form.resetFields(['holderId']);
      onFound({ holder: { name: licenses[0]?.holder.name ?? '', maskedNumber: number }, use, licenses });
    } catch {
      setFailure(clerkProblem(undefined));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Form form={form} layout="vertical" requiredMark={false} onFinish={(values: LookupValues) => void submit(values)} disabled={busy} className="clerk-form">
      <ProblemAlert problem={failure} />
      <Form.Item
        label="证件号码"
        name="holderId"
        extra="居民身份证号码或统一社会信用代码"
        rules={[
          {
            validator: (_rule, value: unknown) => {
              const checked = checkHolderNumber(typeof value === 'string' ? value : '');
              if (typeof value !== 'string' || value.trim() === '') return Promise.reject(new Error('请输入持证人的证件号码'));
              return 'problem' in checked ? Promise.reject(new Error(checked.problem)) : Promise.resolve();
            },
          },
        ]}
      >
        <Input autoComplete="off" spellCheck={false} maxLength={20} style={{ fontFamily: 'ui-monospace, monospace' }} />
      </Form.Item>
      <UseFields />
      <Button type="primary" htmlType="submit" loading={busy}>
        查询
      </Button>
    </Form>
  );
}
