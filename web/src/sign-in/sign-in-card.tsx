import { Card, Typography } from 'antd';
import type { ReactNode } from 'react';

/** The frame of the sign-in steps: the vault's name, who the console is for, a centred card. */
export function SignInCard({ title, children }: { readonly title: string; readonly children: ReactNode }) {
  return (
    <main style={{ minHeight: '100vh', display: 'flex', flexDirection: 'column', alignItems: 'center', justifyContent: 'center', padding: '32px 16px', background: '#eef2f8' }}>
      <div style={{ textAlign: 'center', marginBottom: 20 }}>
        <div aria-hidden style={{ fontSize: 13, letterSpacing: 4, color: '#1d5fb4', fontWeight: 600 }}>
          LICENSE VAULT
        </div>
        <Typography.Title level={1} style={{ margin: '4px 0 6px', fontSize: 'clamp(22px, 6vw, 28px)', color: '#133c73' }}>
          {title}
        </Typography.Title>
        <Typography.Text type="secondary">供窗口工作人员和发证部门工作人员使用</Typography.Text>
      </div>
      <Card style={{ width: '100%', maxWidth: 400, boxShadow: '0 6px 24px rgba(19, 60, 115, 0.10)' }}>{children}</Card>
      <Typography.Paragraph type="secondary" style={{ marginTop: 20, fontSize: 12, textAlign: 'center', maxWidth: 400 }}>
        每一次登录和用证均记入审计日志。持证人请前往 <a href="/me">我的证照</a>。
      </Typography.Paragraph>
    </main>
  );
}
