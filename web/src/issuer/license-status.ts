import type { License } from './api-shapes';

/** What each status is called, and its tag colour. */
export const STATUS_TEXT: Readonly<Record<License['status'], { readonly text: string; readonly color: string }>> = {
  active: { text: '有效', color: 'green' },
  suspended: { text: '已暂停', color: 'orange' },
  revoked: { text: '已注销', color: 'red' },
  superseded: { text: '已换发', color: 'default' },
  expired: { text: '已过期', color: 'default' },
};

/** 2027-01-01 → 2027年1月1日; null → 长期. */
export function dateText(date: string | null): string {
  if (date === null) return '长期';
  const [year, month, day] = date.split('-');
  return `${year}年${Number(month)}月${Number(day)}日`;
}
