import { availableParallelism } from 'node:os';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { copyBand, newCopyId } from '../../../src/modules/copies/index.js';
import type { RunningVault } from '../../support/vault-process.js';
import { authorized, departmentP12, exampleIssueRequest } from '../bench-vault.js';
import { httpLoad } from '../http-load.js';
import { opsPerSecond } from '../measure.js';
import { stockCopy } from '../peers/stock-pipeline.js';
import { cpuFigure, fixed, whole, type Section } from '../report.js';

const TEACHER = '11100000000013338W001';
/** Licenses copied, picked at random for each request: more than the composer keeps taken apart would test only the cold path. */
const LICENSES = 50;
const BODY = JSON.stringify({ serviceItem: '新生入学登记', purpose: '办理入学登记', validDays: 30 });

/**
 * Annotated copies (加注件) over HTTP, end to end (a clerk's request,
 * composed from the stored original, signed by the platform key, recorded and
 * audited), at concurrency 8, against the stock Node pipeline making the same
 * copy in-process: pdf-lib load, draw the band, @signpdf sign.
 */
export async function benchCopies(vault: RunningVault, dir: string, seconds: number): Promise<Section> {
  const issuer = { ...(await authorized(vault, 'issuer')), 'content-type': 'application/json' };
  const example = JSON.stringify(await exampleIssueRequest(vault, TEACHER));
  const identifiers: string[] = [];
  for (let i = 0; i < LICENSES; i += 1) {
    const response = await fetch(`${vault.base}/api/v1/licenses`, { method: 'POST', headers: issuer, body: example });
    if (response.status !== 201) throw new Error(`issuing a license to copy answered ${response.status}`);
    identifiers.push(((await response.json()) as { identifier: string }).identifier);
  }
  const original = new Uint8Array(
    await (await fetch(`${vault.base}/api/v1/licenses/${identifiers[0]}/pdf?purpose=${encodeURIComponent('性能测试取件')}`, { headers: issuer })).arrayBuffer(),
  );

  const load = {
    url: vault.base,
    method: 'POST' as const,
    headers: { ...(await authorized(vault, 'clerk')), 'content-type': 'application/json' },
    body: BODY,
    path: () => `/api/v1/licenses/${identifiers[Math.floor(Math.random() * identifiers.length)]}/copies`,
    connections: 8,
    pid: vault.child.pid!,
  };
  await httpLoad({ ...load, seconds: 3 });
  const ours = await httpLoad({ ...load, seconds });

  const require = createRequire(`${process.cwd()}/package.json`);
  const fonts = {
    regular: readFileSync(require.resolve('@expo-google-fonts/noto-serif-sc/400Regular/NotoSerifSC_400Regular.ttf')),
    bold: readFileSync(require.resolve('@expo-google-fonts/noto-serif-sc/700Bold/NotoSerifSC_700Bold.ttf')),
  };
  // The demo department's RSA-2048 key, as the platform's is: @signpdf/signer-p12 reads certificates with node-forge, which cannot
  // read the platform certificate (its copy-signing purpose is a UUID arc, 2.25.…, longer than forge's 32-bit OID arcs).
  const p12 = departmentP12(dir);
  const peer = await opsPerSecond(
    () => {
      const copyId = newCopyId();
      const band = copyBand({
        copyId,
        originalIdentifier: identifiers[0]!,
        originalSha256: '0'.repeat(64),
        office: { name: '未登记部门的办事窗口', creditCode: null },
        serviceItem: '新生入学登记',
        purpose: '办理入学登记',
        madeAt: new Date().toISOString(),
        validUntil: '2027-01-03',
      });
      return stockCopy(original, { ...band, verificationUrl: `${vault.base}/v/copy/${copyId}?c=${'x'.repeat(22)}` }, fonts, p12);
    },
    Math.max(5, seconds / 2),
  );

  return {
    title: 'Annotated copies (加注件) over HTTP (教师资格证书, concurrency 8)',
    figures: [
      {
        name: 'copies/s',
        ours: fixed(ours.perSecond),
        peer: { name: 'stock pipeline in-process', value: fixed(peer.perSecond) },
        ratio: ours.perSecond / peer.perSecond,
        target: '≥ 300/s and ≥ 10×',
        met: ours.perSecond >= 300 && ours.perSecond / peer.perSecond >= 10,
      },
      { name: 'latency p50 / p99 (ms)', ours: `${ours.p50} / ${ours.p99}` },
      { name: 'failed requests', ours: whole(ours.failures), target: '0', met: ours.failures === 0 },
      { name: 'server peak RSS (MiB)', ours: fixed(ours.peakRssMiB ?? Number.NaN, 0), target: '≤ 400', met: (ours.peakRssMiB ?? Infinity) <= 400 },
      cpuFigure('', ours.cpuPerRequest, availableParallelism()),
    ],
    notes: [
      `${whole(ours.requests)} copies made over HTTP in ${seconds} s of ${LICENSES} licenses picked at random, each composed from the stored original, signed by the platform key (the development PKI's P-256), recorded and audited in one transaction.`,
      'Peer: pdf-lib loads the original, @pdf-lib/fontkit embeds the font, the band and a PNG QR code (qrcode) are drawn, @signpdf/placeholder-pdf-lib + @signpdf/signpdf with @signpdf/signer-p12 sign with an RSA-2048 key (the demo department’s: node-forge inside signer-p12 cannot read the platform certificate’s UUID-arc purpose), in the bench process, one at a time.',
    ],
  };
}
