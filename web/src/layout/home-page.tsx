import { Alert, Button, Card, Descriptions, Space, Typography } from 'antd';
import dayjs from 'dayjs';
import { useNavigate } from 'react-router';
import { useSession } from '../session/session';
import { ROLE_NAMES } from './role-names';

const ADMINISTERED_ELSEWHERE = {
  sysadmin: '部门、签发与窗口账号的管理目前通过管理接口（/api/v1/admin）或命令行 license-vault admin 办理。',
  secadmin: '账号审批、口令重置与锁定目前通过管理接口（/api/v1/admin）或命令行 license-vault admin 办理。',
  auditor: '审计日志的查阅与校验目前通过审计接口（/api/v1/audit）或命令行 license-vault audit 办理。',
} as const;

/** Administrators' and auditors' start page: who is signed in, how long the session lasts, and where their work is done today. */
export default function HomePage() {
  const { session, signOutEverywhere } = useSession();
  const navigate = useNavigate();
  if (!session) return null;
  const { user } = session;
  const elsewhere = user.role in ADMINISTERED_ELSEWHERE ? ADMINISTERED_ELSEWHERE[user.role as keyof typeof ADMINISTERED_ELSEWHERE] : null;
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Card
        title={
          <Typography.Title level={3} style={{ margin: 0 }}>
            工作台
          </Typography.Title>
        }
      >
        <Descriptions column={1} bordered size="small" styles={{ label: { whiteSpace: 'nowrap', width: 96 } }}>
          <Descriptions.Item label="姓名">{user.displayName}</Descriptions.Item>
          <Descriptions.Item label="账号">{user.username}</Descriptions.Item>
          <Descriptions.Item label="角色">{ROLE_NAMES[user.role]}</Descriptions.Item>
          <Descriptions.Item label="动态口令">{user.totpEnrolled ? '已绑定' : '未绑定'}</Descriptions.Item>
          <Descriptions.Item label="本次登录">最迟 {dayjs(session.expiresAt).format('M月D日 HH:mm')} 自动退出；闲置超时亦会退出</Descriptions.Item>
        </Descriptions>
      </Card>
      {elsewhere ? <Alert type="info" showIcon message={elsewhere} /> : null}
      <Card size="small" title="会话安全">
        <Space wrap>
          <Typography.Text type="secondary">在其他设备上忘记退出，或怀疑账号被他人使用时：</Typography.Text>
          <Button
            danger
            onClick={() => {
              void signOutEverywhere().then(() => navigate('/sign-in', { replace: true }));
            }}
          >
            在所有设备上退出
          </Button>
        </Space>
      </Card>
    </Space>
  );
}
