import { Skeleton, Typography } from 'antd';
import { useState } from 'react';

export interface LicenseFaceProps {
  readonly identifier: string;
  /** The license type's name, for the image's text alternative. */
  readonly typeName: string;
  /** Why it is read: the face is read, audited and limited exactly as the license itself. */
  readonly purpose: string;
  readonly serviceItem?: string | undefined;
  /** What to say when it cannot be drawn. */
  readonly unavailable?: string;
}

/** Where the vault draws a license's face for staff (same-origin: the session cookie goes along). */
export function faceUrl({ identifier, purpose, serviceItem }: Pick<LicenseFaceProps, 'identifier' | 'purpose' | 'serviceItem'>): string {
  const query = new URLSearchParams({ purpose, ...(serviceItem ? { serviceItem } : {}) });
  return `/api/v1/licenses/${encodeURIComponent(identifier)}/face?${query.toString()}`;
}

/** The license's face as an image, with a placeholder while it is drawn and plain words if it cannot be. */
export function LicenseFace(props: LicenseFaceProps) {
  const [state, setState] = useState<'loading' | 'shown' | 'failed'>('loading');
  if (state === 'failed') return <Typography.Text type="secondary">{props.unavailable ?? '证照照面暂时无法显示，请稍后再试。'}</Typography.Text>;
  return (
    <>
      {state === 'loading' && <Skeleton.Image active style={{ width: '100%', height: 240 }} />}
      <img
        src={faceUrl(props)}
        alt={`${props.typeName} 照面`}
        onLoad={() => setState('shown')}
        onError={() => setState('failed')}
        style={{ display: state === 'shown' ? 'block' : 'none', width: '100%', height: 'auto', border: '1px solid #e5e7eb', borderRadius: 4, background: '#fff' }}
      />
    </>
  );
}
