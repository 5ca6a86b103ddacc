import { Skeleton, Typography } from 'antd';
import { useState } from 'react';
import type { License, UseOfLicenses } from './dossier-types';

/** Where the vault draws a license's face for staff; the read is audited with the service item and purpose. */
export function faceUrl(license: License, use: UseOfLicenses): string {
  const query = new URLSearchParams({ purpose: use.purpose, serviceItem: use.serviceItem });
  return `/api/v1/licenses/${encodeURIComponent(license.identifier)}/face?${query.toString()}`;
}

/** The license's face as an image, with a placeholder while it is drawn and plain words if it cannot be. */
export function LicenseFace({ license, use }: { readonly license: License; readonly use: UseOfLicenses }) {
  const [state, setState] = useState<'loading' | 'shown' | 'failed'>('loading');
  const name = license.licenseType.name ?? license.licenseType.code;
  return (
    <div className="clerk-face">
      {state === 'loading' && <Skeleton.Image active style={{ width: '100%', height: 240 }} />}
      {state === 'failed' ? (
        <Typography.Text type="secondary">照面暂时无法显示，不影响出具加注件。</Typography.Text>
      ) : (
        <img
          src={faceUrl(license, use)}
          alt={`${name} 照面`}
          onLoad={() => setState('shown')}
          onError={() => setState('failed')}
          style={{ display: state === 'shown' ? 'block' : 'none', width: '100%', height: 'auto', border: '1px solid #e5e7eb', borderRadius: 4, background: '#fff' }}
        />
      )}
    </div>
  );
}
