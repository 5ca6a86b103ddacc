import { App, Button, Dropdown, Layout, Menu, Space, Typography } from 'antd';
import type { ReactNode } from 'react';
import { Link, useLocation, useNavigate } from 'react-router';
import { useSession, type StaffSession } from '../session/session';
import './console-layout.css';
import { ROLE_NAMES } from './role-names';

const DESK_LINKS: Readonly<Record<StaffSession['user']['role'], readonly { readonly to: string; readonly label: string }[]>> = {
  clerk: [{ to: '/clerk', label: '窗口办件' }],
  issuer: [
    { to: '/issuer', label: '签发证照' },
    { to: '/issuer/batch', label: '批量签发' },
    { to: '/issuer/licenses', label: '证照管理' },
  ],
  sysadmin: [{ to: '/home', label: '工作台' }],
  secadmin: [{ to: '/home', label: '工作台' }],
  auditor: [{ to: '/home', label: '工作台' }],
};

/** The frame of every desk: who is signed in, the desk's pages, 退出. */
export function ConsoleLayout({ children }: { readonly children: ReactNode }) {
  const { session, signOut, signOutEverywhere } = useSession();
  const { message } = App.useApp();
  const location = useLocation();
  const navigate = useNavigate();
  if (!session) return null;
  const { user } = session;
  const links = DESK_LINKS[user.role];
  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Header className="console-header">
        <Typography.Text strong className="console-title">
          电子证照库 · 工作台
        </Typography.Text>
        <Menu
          theme="dark"
          mode="horizontal"
          className="console-menu"
          selectedKeys={[location.pathname]}
          items={links.map((link) => ({ key: link.to, label: <Link to={link.to}>{link.label}</Link> }))}
        />
        <Space size="small" className="console-account">
          <Dropdown
            trigger={['click']}
            menu={{
              items: [{ key: 'everywhere', label: '在所有设备上退出' }],
              onClick: () => {
                void signOutEverywhere().then((ended) => {
                  void message.success(`已退出全部 ${ended} 个会话`);
                  void navigate('/sign-in', { replace: true });
                });
              },
            }}
          >
            <Button type="text" size="small" style={{ color: '#dbe6f5' }}>
              {user.displayName} · {ROLE_NAMES[user.role]}
            </Button>
          </Dropdown>
          <Button
            size="small"
            onClick={() => {
              void signOut().then(() => navigate('/sign-in', { replace: true }));
            }}
          >
            退出
          </Button>
        </Space>
      </Layout.Header>
      <Layout.Content style={{ padding: 'clamp(12px, 3vw, 24px)', maxWidth: 1200, width: '100%', margin: '0 auto' }}>{children}</Layout.Content>
      <Layout.Footer style={{ textAlign: 'center', color: '#667085', fontSize: 12 }}>
        {user.department ? `${user.department.name} · ` : ''}每一次用证均记入审计日志，并向持证人公开
      </Layout.Footer>
    </Layout>
  );
}
