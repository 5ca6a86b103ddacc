import { Tag } from 'antd';
import type { License } from './dossier-types';

const STATUS: Readonly<Record<License['status'], { readonly words: string; readonly color: string }>> = {
  active: { words: '有效', color: 'success' },
  suspended: { words: '已暂停', color: 'warning' },
  revoked: { words: '已注销', color: 'error' },
  superseded: { words: '已换发', color: 'default' },
  expired: { words: '已过期', color: 'default' },
};

/** A license's status now, as a coloured tag with words (the colour alone says nothing to some). */
export function LicenseStatus({ status }: { readonly status: License['status'] }) {
  const { words, color } = STATUS[status];
  return <Tag color={color}>{words}</Tag>;
}

/** Only a license in force gets an annotated copy. */
export const inForce = (license: License) => license.status === 'active';
