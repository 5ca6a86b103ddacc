import { Alert, Button, Card, Col, DatePicker, Form, Input, Row, Select, Space, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useNavigate } from 'react-router';
import { api } from '../api/client';
import type { Problem } from '../api/problems';
import type { License } from './api-shapes';
import { dataUrlOf, newIdempotencyKey } from './browser-files';
import { holderLabels, validityText } from './catalogue';
import { FaceFieldItems } from './face-field-items';
import { placeOfProblem } from './issue-problems';
import { inputOf, showError, showErrors, type IssueFormValues } from './issue-form-values';
import { IssueResult } from './issue-result';
import { checkIssue, type IssueBody } from './issue-rules';
import { PreviewModal } from './preview-modal';
import { useCatalogue } from './use-catalogue';
import { requiredMark } from './required-mark';
import { DeskTitle } from '../layout/desk-title';

type Busy = 'preview' | 'issue' | null;

/** 签发证照: choose a type, fill the form its template generates, preview, issue, see the QR. */
export default function IssueDesk() {
  const { entries, error: catalogueError } = useCatalogue();
  const [form] = Form.useForm<IssueFormValues>();
  const navigate = useNavigate();
  const [typeCode, setTypeCode] = useState<string | undefined>(undefined);
  const [checked, setChecked] = useState(false);
  const [busy, setBusy] = useState<Busy>(null);
  const [topError, setTopError] = useState<string | null>(null);
  const [preview, setPreview] = useState<string | null>(null);
  const [issued, setIssued] = useState<License | null>(null);
  const [idempotencyKey, setIdempotencyKey] = useState(newIdempotencyKey);
  const entry = useMemo(() => entries?.find((e) => e.code === typeCode), [entries, typeCode]);

  /** The request, if every rule passes; else the errors are shown next to their fields and nothing is sent. */
  function validRequest(): IssueBody | null {
    if (!entry) return null;
    const result = checkIssue(entry, inputOf(entry, form.getFieldsValue(true) as IssueFormValues));
    setChecked(true);
    showErrors(form, entry, result.errors);
    return result.body;
  }

  function refused(problem: Problem | undefined) {
    if (!entry) return;
    const { place, message } = placeOfProblem(entry, problem);
    if (place) showError(form, place, message);
    else setTopError(message);
  }

  async function onPreview() {
    setTopError(null);
    const body = validRequest();
    if (!body) return;
    setBusy('preview');
    try {
      const { data, error } = await api.POST('/api/v1/licenses/preview', { body, parseAs: 'blob' });
      if (data) setPreview(await dataUrlOf(data));
      else refused(error);
    } catch {
      refused(undefined);
    } finally {
      setBusy(null);
    }
  }

  async function onIssue() {
    setTopError(null);
    const body = validRequest();
    if (!body) return;
    setBusy('issue');
    try {
      const { data, error } = await api.POST('/api/v1/licenses', { body, params: { header: { 'Idempotency-Key': idempotencyKey } } });
      if (data) setIssued(data);
      else refused(error);
    } catch {
      refused(undefined);
    } finally {
      setBusy(null);
    }
  }

  function another() {
    setIssued(null);
    setChecked(false);
    setTopError(null);
    setIdempotencyKey(newIdempotencyKey());
    form.resetFields();
    form.setFieldsValue({ licenseType: typeCode });
  }

  if (issued) return <IssueResult license={issued} onAnother={another} onView={() => void navigate(`/issuer/licenses?identifier=${encodeURIComponent(issued.identifier)}`)} />;

  const labels = entry ? holderLabels(entry.holderType) : null;
  return (
    <>
      <Card title={<DeskTitle>签发证照</DeskTitle>}>
        {catalogueError && <Alert type="error" showIcon title={catalogueError} style={{ marginBottom: 16 }} />}
        <Form
          form={form}
          layout="vertical"
          requiredMark={requiredMark}
          onValuesChange={(changed: IssueFormValues) => {
            if ('licenseType' in changed) {
              setTypeCode(changed.licenseType);
              setChecked(false);
              setTopError(null);
              form.setFieldsValue({ fields: {}, validFrom: null, validUntil: null });
              return;
            }
            if (checked && entry) showErrors(form, entry, checkIssue(entry, inputOf(entry, form.getFieldsValue(true) as IssueFormValues)).errors);
          }}
        >
          <Form.Item name="licenseType" label="证照类型" required extra={entry ? `持证主体：${holderLabels(entry.holderType).kind} · ${validityText(entry.validity)}` : undefined}>
            <Select
              placeholder="请选择要签发的证照类型"
              loading={entries === undefined && !catalogueError}
              options={(entries ?? []).map((e) => ({ value: e.code, label: e.name }))}
              showSearch={{ optionFilterProp: 'label' }}
            />
          </Form.Item>
          {entry && labels && (
            <>
              <Typography.Title level={2} style={{ fontSize: 16 }}>
                持证主体
              </Typography.Title>
              <Row gutter={16}>
                <Col xs={24} md={12}>
                  <Form.Item name={['holder', 'id']} label={labels.number} required>
                    <Input autoComplete="off" maxLength={40} placeholder={`18 位${labels.number}`} />
                  </Form.Item>
                </Col>
                <Col xs={24} md={12}>
                  <Form.Item name={['holder', 'name']} label={labels.name} required>
                    <Input autoComplete="off" maxLength={100} />
                  </Form.Item>
                </Col>
              </Row>
              <Typography.Title level={2} style={{ fontSize: 16 }}>
                证照信息
              </Typography.Title>
              <FaceFieldItems entry={entry} />
              <Row gutter={16}>
                <Col xs={24} md={12}>
                  <Form.Item name="validFrom" label="有效期自" extra="不填则为今天">
                    <DatePicker style={{ width: '100%' }} placeholder="请选择日期" />
                  </Form.Item>
                </Col>
                {entry.validity.kind !== 'permanent' && (
                  <Col xs={24} md={12}>
                    <Form.Item
                      name="validUntil"
                      label="有效期至"
                      required={entry.validity.kind === 'until-date'}
                      extra={entry.validity.kind === 'fixed-term' ? `不填则按 ${entry.validity.years} 年计算` : undefined}
                    >
                      <DatePicker style={{ width: '100%' }} placeholder="请选择日期" />
                    </Form.Item>
                  </Col>
                )}
              </Row>
              {topError && <Alert type="error" showIcon title={topError} style={{ marginBottom: 16 }} />}
              <Space wrap>
                <Button onClick={() => void onPreview()} loading={busy === 'preview'} disabled={busy !== null}>
                  预览
                </Button>
                <Button type="primary" onClick={() => void onIssue()} loading={busy === 'issue'} disabled={busy !== null}>
                  签发
                </Button>
              </Space>
            </>
          )}
        </Form>
        <PreviewModal image={preview} onClose={() => setPreview(null)} />
      </Card>
    </>
  );
}
