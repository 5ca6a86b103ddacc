import { Alert, Button, Card, Descriptions, Space, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { makeCopy, saveCopy, type MadeCopy } from './annotated-copy';
import type { License, UseOfLicenses } from './dossier-types';
import { LicenseFace } from '../licenses/license-face';
import { inForce, LicenseStatus } from './license-status';
import { ProblemAlert } from './problem-alert';
import type { ClerkProblem } from './problem-of';

/** One license of the dossier: what it is, its face, and its annotated copy for this service item. */
export function LicenseCard({ license, use }: { readonly license: License; readonly use: UseOfLicenses }) {
  const [copy, setCopy] = useState<MadeCopy | null>(null);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<ClerkProblem | null>(null);
  const typeName = license.licenseType.name ?? license.licenseType.code;

  useEffect(
    () => () => {
      if (copy) URL.revokeObjectURL(copy.url);
    },
    [copy],
  );

  /** The copy made once for this card; the print window is opened before the vault answers, while the click still allows it. */
  async function obtain(): Promise<MadeCopy | null> {
    if (copy) return copy;
    setBusy(true);
    setFailure(null);
    const made = await makeCopy(license, use);
    setBusy(false);
    if ('problem' in made) {
      setFailure(made.problem);
      return null;
    }
    setCopy(made.copy);
    return made.copy;
  }

  async function download() {
    const made = await obtain();
    if (made) saveCopy(made);
  }

  async function print() {
    const printing = window.open('', '_blank');
    const made = await obtain();
    if (!made) return printing?.close();
    if (printing) printing.location.href = made.url;
    else window.location.assign(made.url);
  }

  return (
    <section aria-label={typeName}>
      <Card title={typeName} extra={<LicenseStatus status={license.status} />} styles={{ body: { padding: 16 } }}>
        <div className="clerk-license">
          <div className="clerk-face">
            <LicenseFace
              identifier={license.identifier}
              typeName={typeName}
              purpose={use.purpose}
              serviceItem={use.serviceItem}
              unavailable="照面暂时无法显示，不影响出具加注件。"
            />
          </div>
          <div style={{ minWidth: 0 }}>
            <Descriptions
              column={1}
              size="small"
              items={[
                { key: 'number', label: '证照编号', children: <Typography.Text copyable>{license.licenseNumber}</Typography.Text> },
                { key: 'issuer', label: '发证机关', children: license.issuer.name },
                ...(license.statusReason ? [{ key: 'reason', label: '状态原因', children: license.statusReason }] : []),
                { key: 'validity', label: '有效期', children: `${license.validFrom} 至 ${license.validUntil ?? '长期'}` },
                { key: 'issued', label: '签发日期', children: license.issuedAt.slice(0, 10) },
              ]}
            />
            <ProblemAlert problem={failure} />
            {inForce(license) ? (
              <Space wrap style={{ marginTop: 12 }}>
                <Button type="primary" loading={busy} onClick={() => void download()}>
                  下载加注件
                </Button>
                <Button disabled={busy} onClick={() => void print()}>
                  打印
                </Button>
              </Space>
            ) : (
              <Alert type="warning" showIcon style={{ marginTop: 12 }} title="这本证照不在有效状态，不能出具加注件。请持证人向发证部门咨询。" />
            )}
            <Typography.Paragraph type="secondary" style={{ fontSize: 12, marginTop: 12, marginBottom: 0 }}>
              加注件注明“仅供办理{use.serviceItem}使用”，由本库签章，可在验证页核验。
            </Typography.Paragraph>
          </div>
        </div>
      </Card>
    </section>
  );
}
