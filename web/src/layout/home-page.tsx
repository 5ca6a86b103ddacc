import { Card, Descriptions, Typography } from 'antd';
import { useSession } from '../session/session';
import { ROLE_NAMES } from './role-names';

/** Administrators' and auditors' start page: who is signed in, and how their sessions are kept. */
export default function HomePage() {
  const { session } = useSession();
  if (!session) return null;
  const { user } = session;
  return (
    <Card
      title={
        <Typography.Title level={3} style={{ margin: 0 }}>
          工作台
        </Typography.Title>
      }
    >
      <Descriptions column={1} bordered size="small">
        <Descriptions.Item label="姓名">{user.displayName}</Descriptions.Item>
        <Descriptions.Item label="账号">{user.username}</Descriptions.Item>
        <Descriptions.Item label="角色">{ROLE_NAMES[user.role]}</Descriptions.Item>
        <Descriptions.Item label="动态口令">{user.totpEnrolled ? '已绑定' : '未绑定'}</Descriptions.Item>
        <Descriptions.Item label="会话">闲置 15 分钟或登录满 8 小时后自动退出</Descriptions.Item>
      </Descriptions>
    </Card>
  );
}
