import { Alert, Card, Tabs, Typography } from 'antd';
import { useCallback, useState } from 'react';
import { useSession } from '../session/session';
import './clerk-desk.css';
import type { Dossier } from './dossier-types';
import { DossierView } from './dossier-view';
import { LookupForm } from './lookup-form';
import { RedeemForm } from './redeem-form';

/** 窗口办件: reach a holder's licenses by their 用证码 or (where the vault allows it) their ID number, and hand out annotated copies. */
export default function ClerkDesk() {
  const { session } = useSession();
  const [dossier, setDossier] = useState<Dossier | null>(null);
  const found = useCallback((next: Dossier) => setDossier(next), []);
  const byNumber = session?.lookupPolicy !== 'consent';

  return (
    <>
      <Typography.Title level={1} style={{ fontSize: 22, marginTop: 0 }}>
        窗口办件
      </Typography.Title>
      <Typography.Paragraph type="secondary">{byNumber ? '持证人出示用证码时，请用“用证码调取”。' : ''}每一次查询、查看和下载都记入审计日志，并向持证人公开。</Typography.Paragraph>
      <Card>
        {!byNumber && (
          <Alert type="info" showIcon title="本库要求经持证人授权才能查看证照，不能按证件号码查询：请持证人出示“我的证照”中生成的用证码。" style={{ marginBottom: 8 }} />
        )}
        <Tabs
          defaultActiveKey={byNumber ? 'number' : 'code'}
          items={[
            ...(byNumber ? [{ key: 'number', label: '按证件号码查询', children: <LookupForm onFound={found} /> }] : []),
            { key: 'code', label: '用证码调取', children: <RedeemForm onFound={found} /> },
          ]}
        />
      </Card>
      {dossier && <DossierView dossier={dossier} onClose={() => setDossier(null)} />}
    </>
  );
}
