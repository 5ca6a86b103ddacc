import type { StaffSession } from '../session/session';

export const ROLE_NAMES: Readonly<Record<StaffSession['user']['role'], string>> = {
  clerk: '窗口工作人员',
  issuer: '签发人员',
  sysadmin: '系统管理员',
  secadmin: '安全管理员',
  auditor: '审计管理员',
};
