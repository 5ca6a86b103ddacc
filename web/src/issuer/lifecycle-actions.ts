import { TRANSITIONS, type LifecycleAction } from '../../../src/modules/licenses/status.js';
import { api } from '../api/client';
import type { Problem } from '../api/problems';
import type { License } from './api-shapes';

/** How each change is called, what it does (said before it is confirmed), and whether a reason is required. */
export const ACTIONS: Readonly<Record<LifecycleAction, { readonly name: string; readonly effect: string; readonly reasonRequired: boolean; readonly danger: boolean }>> = {
  suspend: { name: '暂停', effect: '暂停后，核验时显示“已暂停”，窗口不能再凭它办事；之后可以恢复。', reasonRequired: true, danger: false },
  reinstate: { name: '恢复', effect: '恢复后，证照重新有效，核验时显示“有效”。', reasonRequired: false, danger: false },
  revoke: { name: '注销', effect: '注销后，证照永久失效，核验时显示“已注销”。此操作不能撤销。', reasonRequired: true, danger: true },
  reissue: {
    name: '换发',
    effect: '换发将以相同内容签发新版本（新的证照编号和电子证照标识），原证照变为“已换发”，不再有效。',
    reasonRequired: true,
    danger: false,
  },
};

export const ACTION_ORDER: readonly LifecycleAction[] = ['suspend', 'reinstate', 'revoke', 'reissue'];

/** Whether the vault allows `action` on a license in its stored status (the same table its use case checks). */
export function allowed(action: LifecycleAction, license: License): boolean {
  return (TRANSITIONS[action].from as readonly string[]).includes(license.storedStatus);
}

/** What changing a license's status can be refused with, said for the issuer. */
export const LIFECYCLE_MESSAGES: Readonly<Record<string, string>> = {
  ERR_LICENSE_TRANSITION: '证照当前的状态不允许这项操作（可能已被他人处理）。请重新查找后再试。',
  ERR_REASON_REQUIRED: '请填写原因（1–200 个字）。',
  ERR_LICENSE_NOT_FOUND: '没有找到这张证照，或它不属于本部门。请核对电子证照标识。',
  ERR_STORE_CONFLICT: '证照刚被他人更改，请重新查找后再试。',
  ERR_PURPOSE_REQUIRED: '请填写用证事由：4–200 个字，说明查询的用途，例如“证照状态管理”。',
  ERR_HOLDER_ID_CHECKSUM: '证件号码不正确，请核对。',
};

/** Sends the change; the license as it is now (for 换发: the new version), or the problem. */
export async function change(action: LifecycleAction, identifier: string, reason: string): Promise<{ license?: License; problem?: Problem }> {
  const path = { path: { identifier } };
  const text = reason.trim();
  const answer =
    action === 'reissue'
      ? await api.POST('/api/v1/licenses/{identifier}/reissue', { params: path, body: { reason: text } })
      : action === 'reinstate'
        ? await api.POST('/api/v1/licenses/{identifier}/reinstate', { params: path, body: text === '' ? {} : { reason: text } })
        : await api.POST(`/api/v1/licenses/{identifier}/${action}`, { params: path, body: { reason: text } });
  return answer.data ? { license: answer.data } : { problem: answer.error };
}
