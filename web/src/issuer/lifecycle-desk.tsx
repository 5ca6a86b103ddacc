import { Alert, App, Button, Card, Col, Empty, Form, Input, Radio, Row, Space } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useSearchParams } from 'react-router';
import type { LifecycleAction } from '../../../src/modules/licenses/status.js';
import { api } from '../api/client';
import { problemMessage } from '../api/problems';
import type { License } from './api-shapes';
import { LicenseCard } from './license-card';
import { ACTIONS, LIFECYCLE_MESSAGES } from './lifecycle-actions';
import { LifecycleModal } from './lifecycle-modal';
import { requiredMark } from './required-mark';
import { DeskTitle } from '../layout/desk-title';

interface SearchValues {
  readonly by: 'identifier' | 'holder';
  readonly identifier?: string;
  readonly holderId?: string;
  readonly purpose: string;
  readonly serviceItem?: string;
}

/** Recorded in the audit log and the holder's usage record with every look-up; the issuer may say more. */
const DEFAULT_PURPOSE = '证照状态管理';

/** 证照管理: find a license of one's own department, see its status, suspend, reinstate, revoke or reissue it. */
export default function LifecycleDesk() {
  const { message } = App.useApp();
  const [params] = useSearchParams();
  const [form] = Form.useForm<SearchValues>();
  const by = Form.useWatch('by', form) ?? 'identifier';
  const [found, setFound] = useState<License[] | null>(null);
  const [typedNumber, setTypedNumber] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [acting, setActing] = useState<{ action: LifecycleAction; license: License } | null>(null);
  const started = useRef(false);
  const [purpose, setPurpose] = useState(DEFAULT_PURPOSE);

  async function search(values: SearchValues) {
    setBusy(true);
    setError(null);
    try {
      setPurpose(values.purpose.trim());
      const query = { purpose: values.purpose.trim(), ...(values.serviceItem?.trim() ? { serviceItem: values.serviceItem.trim() } : {}) };
      if (values.by === 'identifier') {
        const identifier = (values.identifier ?? '').trim();
        const { data, error: problem } = await api.GET('/api/v1/licenses/{identifier}', { params: { path: { identifier }, query } });
        setTypedNumber(null);
        if (data) setFound([data]);
        else {
          setFound(null);
          setError(problemMessage(problem, LIFECYCLE_MESSAGES));
        }
      } else {
        const holderId = (values.holderId ?? '').trim();
        const { data, error: problem } = await api.GET('/api/v1/holders/{holderId}/licenses', { params: { path: { holderId }, query: { ...query, limit: 50 } } });
        setTypedNumber(holderId);
        if (data) setFound([...data.items]);
        else {
          setFound(null);
          setError(problemMessage(problem, { ...LIFECYCLE_MESSAGES, ERR_REQUEST_INVALID: '证件号码不正确，请核对后重试。' }));
        }
      }
    } catch {
      setError(problemMessage(undefined));
    } finally {
      setBusy(false);
    }
  }

  async function reread(identifier: string) {
    const { data } = await api.GET('/api/v1/licenses/{identifier}', { params: { path: { identifier }, query: { purpose: form.getFieldValue('purpose') as string } } });
    if (data) {
      const now = data;
      setFound((list) => (list ?? []).map((l) => (l.identifier === identifier ? now : l)));
    }
  }

  // Opened from 查看证照 after issuing: look the new license up at once.
  useEffect(() => {
    const identifier = params.get('identifier');
    if (started.current || !identifier) return;
    started.current = true;
    void search({ by: 'identifier', identifier, purpose: DEFAULT_PURPOSE });
  }, [params]);

  return (
    <>
      <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
        <Card title={<DeskTitle>证照管理</DeskTitle>}>
          <Form
            form={form}
            layout="vertical"
            requiredMark={requiredMark}
            initialValues={{ by: 'identifier', identifier: params.get('identifier') ?? '', purpose: DEFAULT_PURPOSE }}
            onFinish={(values) => void search(values)}
          >
            <Form.Item name="by" label="查找方式">
              <Radio.Group
                options={[
                  { value: 'identifier', label: '按标识查找' },
                  { value: 'holder', label: '按持证主体查找' },
                ]}
              />
            </Form.Item>
            <Row gutter={16}>
              <Col xs={24} md={12}>
                {by === 'identifier' ? (
                  <Form.Item name="identifier" label="电子证照标识" rules={[{ required: true, whitespace: true, message: '请填写电子证照标识' }]}>
                    <Input autoComplete="off" placeholder="1.2.156.3005.2.…" />
                  </Form.Item>
                ) : (
                  <Form.Item name="holderId" label="证件号码" rules={[{ required: true, whitespace: true, message: '请填写公民身份号码或统一社会信用代码' }]}>
                    <Input autoComplete="off" placeholder="公民身份号码或统一社会信用代码" />
                  </Form.Item>
                )}
              </Col>
              <Col xs={24} md={12}>
                <Form.Item
                  name="purpose"
                  label="用证事由"
                  extra="记入审计日志，并在持证人的用证记录中显示"
                  rules={[{ required: true, whitespace: true, message: '请填写用证事由' }]}
                >
                  <Input maxLength={200} />
                </Form.Item>
              </Col>
            </Row>
            <Form.Item name="serviceItem" label="办理事项（选填）">
              <Input maxLength={100} placeholder="例如：证照变更" />
            </Form.Item>
            <Button type="primary" htmlType="submit" loading={busy}>
              查找
            </Button>
          </Form>
        </Card>
        {error && <Alert type="error" showIcon title={error} />}
        {found?.length === 0 && <Empty description="本部门没有签发给该持证主体的证照" />}
        {found?.map((license) => (
          <LicenseCard key={license.identifier} license={license} typedNumber={typedNumber} purpose={purpose} onAction={(action) => setActing({ action, license })} />
        ))}
        {acting && (
          <LifecycleModal
            action={acting.action}
            license={acting.license}
            onClose={() => setActing(null)}
            onChanged={(changed, action) => {
              setActing(null);
              void message.success(action === 'reissue' ? `已换发，新证照编号 ${changed.licenseNumber}` : `已${ACTIONS[action].name}`);
              const before = acting.license.identifier;
              const replaced = (list: License[] | null) => (list ?? []).map((l) => (l.identifier === before ? changed : l));
              if (action !== 'reissue') return setFound(replaced);
              // A reissue answers the new version; the old one (now 已换发) is read again, as the vault has it.
              setFound((list) => [changed, ...(list ?? [])]);
              void reread(before);
            }}
          />
        )}
      </Space>
    </>
  );
}
