import { Button, Card, Descriptions, Space, Tag, Typography } from 'antd';
import { maskHolderNumber } from '../../../src/modules/identity/masking.js';
import type { LifecycleAction } from '../../../src/modules/licenses/status.js';
import type { License } from './api-shapes';
import { ACTION_ORDER, ACTIONS, allowed } from './lifecycle-actions';
import { LicenseFace } from '../licenses/license-face';
import { dateText, STATUS_TEXT } from './license-status';

/** One license of the department: what it is, its status now, and the changes its status allows. */
export function LicenseCard({
  license,
  typedNumber,
  purpose,
  onAction,
}: {
  readonly license: License;
  readonly typedNumber: string | null;
  /** The purpose the license was looked up with: its face is read with it too. */
  readonly purpose: string;
  readonly onAction: (action: LifecycleAction) => void;
}) {
  const status = STATUS_TEXT[license.status];
  // Only the number the issuer typed is shown in full; any other is masked.
  const number =
    typedNumber !== null && typedNumber.toUpperCase() === license.holder.id.toUpperCase()
      ? license.holder.id
      : maskHolderNumber({ type: license.holder.type, value: license.holder.id });
  return (
    <Card
      title={license.licenseType.name ?? license.licenseType.code}
      extra={
        <Tag color={status.color} style={{ fontSize: 14, padding: '2px 10px' }}>
          {status.text}
        </Tag>
      }
    >
      <div style={{ display: 'flex', flexWrap: 'wrap', gap: 16, alignItems: 'flex-start' }}>
        <div style={{ flex: '0 1 240px', minWidth: 0 }}>
          <LicenseFace identifier={license.identifier} typeName={license.licenseType.name ?? license.licenseType.code} purpose={purpose} />
        </div>
        <Descriptions column={{ xs: 1, lg: 2 }} size="small" bordered style={{ flex: '1 1 420px', minWidth: 0 }}>
          <Descriptions.Item label="证照编号">{license.licenseNumber}</Descriptions.Item>
          <Descriptions.Item label="状态">
            <span role="status" aria-label="证照状态">
              {status.text}
            </span>
            {license.statusReason && <Typography.Text type="secondary">（{license.statusReason}）</Typography.Text>}
          </Descriptions.Item>
          <Descriptions.Item label="持证主体">
            {license.holder.name} · {number}
          </Descriptions.Item>
          <Descriptions.Item label="有效期">
            {dateText(license.validFrom)} 至 {dateText(license.validUntil)}
          </Descriptions.Item>
          <Descriptions.Item label="签发时间">{new Date(license.issuedAt).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai' })}</Descriptions.Item>
          <Descriptions.Item label="版本">
            第 {license.version} 版{license.supersededBy ? `（已由新版本取代）` : ''}
          </Descriptions.Item>
          <Descriptions.Item label="电子证照标识" span={{ xs: 1, md: 2 }}>
            <Typography.Text copyable style={{ wordBreak: 'break-all' }}>
              {license.identifier}
            </Typography.Text>
          </Descriptions.Item>
        </Descriptions>
      </div>
      <Space wrap style={{ marginTop: 16 }}>
        {ACTION_ORDER.map((action) => (
          <Button key={action} danger={ACTIONS[action].danger} disabled={!allowed(action, license)} onClick={() => onAction(action)}>
            {ACTIONS[action].name}
          </Button>
        ))}
      </Space>
    </Card>
  );
}
