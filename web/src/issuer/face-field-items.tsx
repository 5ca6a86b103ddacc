import { Col, DatePicker, Form, Input, InputNumber, Row, Select } from 'antd';
import type { CatalogueEntry, FaceField } from './catalogue';

function hintOf(field: FaceField, example: string | number | undefined): string | undefined {
  const parts: string[] = [];
  if (field.type === 'string' && field.maxLength !== undefined) parts.push(`最多 ${field.maxLength} 个字`);
  if (field.type === 'number' && (field.min !== undefined || field.max !== undefined)) parts.push(`${field.min ?? '不限'} 至 ${field.max ?? '不限'}`);
  if (field.pattern !== undefined && example !== undefined) parts.push(`格式如：${example}`);
  return parts.length > 0 ? parts.join('；') : undefined;
}

function control(field: FaceField, example: string | number | undefined) {
  switch (field.type) {
    case 'enum':
      return <Select placeholder={`请选择${field.label}`} options={(field.values ?? []).map((value) => ({ value, label: value }))} allowClear={!field.required} />;
    case 'date':
      return <DatePicker style={{ width: '100%' }} placeholder="请选择日期" />;
    case 'number':
      return <InputNumber style={{ width: '100%' }} min={field.min} max={field.max} placeholder={example === undefined ? undefined : `例如：${example}`} />;
    case 'string':
      return <Input maxLength={field.maxLength} placeholder={example === undefined ? undefined : `例如：${example}`} />;
  }
}

/**
 * The face fields (扩展业务信息) of a license type, generated from its field
 * schema: each labelled with the template's Chinese label, required ones
 * marked, enums as selects, dates as date pickers, lengths and patterns said.
 * The rules are checked by the vault's own code (issue-rules), not by antd's.
 */
export function FaceFieldItems({ entry }: { readonly entry: CatalogueEntry }) {
  return (
    <Row gutter={16}>
      {entry.fields.map((field) => {
        const example = entry.example.fields[field.key];
        return (
          <Col key={field.key} xs={24} md={12}>
            <Form.Item name={['fields', field.key]} label={field.label} required={field.required} extra={hintOf(field, example)}>
              {control(field, example)}
            </Form.Item>
          </Col>
        );
      })}
    </Row>
  );
}
