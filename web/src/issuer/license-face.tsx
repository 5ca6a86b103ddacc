import { Skeleton, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { api } from '../api/client';
import { problemMessage } from '../api/problems';
import { dataUrlOf } from './browser-files';

/** A license's face as the vault draws it from the signed file; the read is audited with the purpose given. */
export function LicenseFace({ identifier, purpose }: { readonly identifier: string; readonly purpose: string }) {
  const [image, setImage] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    void api
      .GET('/api/v1/licenses/{identifier}/face', { params: { path: { identifier }, query: { purpose } }, parseAs: 'blob' })
      .then(async ({ data, error: problem }) => {
        if (!live) return;
        if (data) setImage(await dataUrlOf(data));
        else setError(`证照图像暂时无法显示：${problemMessage(problem)}`);
      })
      .catch(() => live && setError(`证照图像暂时无法显示：${problemMessage(undefined)}`));
    return () => {
      live = false;
    };
  }, [identifier, purpose]);
  if (error) return <Typography.Text type="secondary">{error}</Typography.Text>;
  if (!image) return <Skeleton.Image active style={{ width: 220, height: 300 }} />;
  return <img src={image} alt="证照图像" style={{ width: '100%', maxWidth: 320, border: '1px solid #d9d9d9', display: 'block' }} />;
}
