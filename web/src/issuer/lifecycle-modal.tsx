import { Alert, Form, Input, Modal, Typography } from 'antd';
import { useState } from 'react';
import type { LifecycleAction } from '../../../src/modules/licenses/status.js';
import { REASON_MAX_LENGTH } from '../../../src/modules/licenses/limits.js';
import { problemMessage } from '../api/problems';
import type { License } from './api-shapes';
import { ACTIONS, change, LIFECYCLE_MESSAGES } from './lifecycle-actions';
import { requiredMark } from './required-mark';

/** Asks the reason (原因) and confirmation for one change, says what it will do, then makes it. */
export function LifecycleModal({
  action,
  license,
  onClose,
  onChanged,
}: {
  readonly action: LifecycleAction | null;
  readonly license: License;
  readonly onClose: () => void;
  readonly onChanged: (license: License, action: LifecycleAction) => void;
}) {
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const spec = action ? ACTIONS[action] : null;

  async function confirm() {
    if (!action || !spec) return;
    const text = reason.trim();
    if (spec.reasonRequired && text === '') return setError('请填写原因。');
    setBusy(true);
    setError(null);
    try {
      const { license: changed, problem } = await change(action, license.identifier, text);
      if (changed) {
        setReason('');
        onChanged(changed, action);
      } else setError(problemMessage(problem, LIFECYCLE_MESSAGES));
    } catch {
      setError(problemMessage(undefined));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Modal
      open={spec !== null}
      title={spec ? `${spec.name}证照` : ''}
      okText={spec ? `确认${spec.name}` : '确认'}
      cancelText="取消"
      okButtonProps={{ danger: spec?.danger ?? false, loading: busy }}
      onOk={() => void confirm()}
      onCancel={() => {
        setError(null);
        onClose();
      }}
      destroyOnHidden
    >
      {spec && (
        <>
          <Typography.Paragraph>
            {license.licenseType.name} · {license.licenseNumber}（{license.holder.name}）
          </Typography.Paragraph>
          <Alert type={spec.danger ? 'warning' : 'info'} showIcon title={spec.effect} style={{ marginBottom: 16 }} />
          <Form layout="vertical" requiredMark={requiredMark}>
            <Form.Item
              label="原因"
              htmlFor="lifecycle-reason"
              required={spec.reasonRequired}
              validateStatus={error ? 'error' : undefined}
              help={error ?? `最多 ${REASON_MAX_LENGTH} 个字，记入审计日志`}
            >
              <Input.TextArea id="lifecycle-reason" rows={3} maxLength={REASON_MAX_LENGTH} value={reason} onChange={(event) => setReason(event.target.value)} />
            </Form.Item>
          </Form>
        </>
      )}
    </Modal>
  );
}
