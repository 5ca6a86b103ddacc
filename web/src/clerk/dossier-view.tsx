import { Alert, Button, Descriptions, Empty, Space, Typography } from 'antd';
import type { Dossier } from './dossier-types';
import { LicenseCard } from './license-card';

/** 12月4日 20:16, in the browser's time zone (the window's). */
function when(instant: string): string {
  const at = new Date(instant);
  return `${at.getMonth() + 1}月${at.getDate()}日 ${String(at.getHours()).padStart(2, '0')}:${String(at.getMinutes()).padStart(2, '0')}`;
}

/** 一人一档: the holder (number masked), what the licenses are used for, one card per license. */
export function DossierView({ dossier, onClose }: { readonly dossier: Dossier; readonly onClose: () => void }) {
  const { holder, use, licenses, authorization } = dossier;
  return (
    <section aria-label="持证人档案" style={{ marginTop: 24 }}>
      <Space align="baseline" wrap style={{ justifyContent: 'space-between', width: '100%', marginBottom: 12 }}>
        <Typography.Title level={2} style={{ fontSize: 20, margin: 0 }}>
          {holder.name || '持证人'}{' '}
          <Typography.Text type="secondary" style={{ fontSize: 15, fontFamily: 'ui-monospace, monospace' }}>
            {holder.maskedNumber}
          </Typography.Text>
        </Typography.Title>
        <Button onClick={onClose}>办结，清除档案</Button>
      </Space>
      <Descriptions
        size="small"
        column={{ xs: 1, sm: 2, md: 3 }}
        style={{ marginBottom: 16 }}
        items={[
          { key: 'item', label: '办理事项', children: use.serviceItem },
          { key: 'purpose', label: '用证事由', children: use.purpose },
          ...(authorization
            ? [
                {
                  key: 'auth',
                  label: '授权',
                  children: `持证人授权，有效至 ${when(authorization.expiresAt)}，${authorization.usesLeft > 0 ? `还可调取 ${authorization.usesLeft} 次` : '调取次数已用完'}`,
                },
              ]
            : [{ key: 'auth', label: '依据', children: '按证件号码查询（已记入审计日志）' }]),
        ]}
      />
      {licenses.length === 0 ? (
        <Empty description="这个证件号码名下没有证照。请核对号码；如持证人确有证照，请其在“我的证照”中查看或联系发证部门。" />
      ) : (
        <>
          <Alert type="info" showIcon title={`共 ${licenses.length} 本证照。请向持证人出具加注件，不要留存原件。`} style={{ marginBottom: 16 }} />
          <div className="clerk-dossier-cards">
            {licenses.map((license) => (
              <LicenseCard key={license.identifier} license={license} use={use} />
            ))}
          </div>
        </>
      )}
    </section>
  );
}
