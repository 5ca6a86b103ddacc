import { availableParallelism } from 'node:os';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { loadTemplateDirectory } from '../../../src/adapters/templates/template-directory.js';
import { systemClock } from '../../../src/shared/clock.js';
import type { RunningVault } from '../../support/vault-process.js';
import { authorized, departmentP12, exampleIssueRequest } from '../bench-vault.js';
import { httpLoad } from '../http-load.js';
import { opsPerSecond } from '../measure.js';
import { stockIssue } from '../peers/stock-pipeline.js';
import { cpuFigure, fixed, whole, type Section } from '../report.js';
import { sampleRenderRequest } from '../sample-request.js';

const TEACHER = '11100000000013338W001';

/**
 * Issuance over HTTP, end to end (rendered on the render threads, sealed,
 * signed, stored, audited), at concurrency 8, against the stock Node
 * pipeline producing the same license in-process, one at a time.
 */
export async function benchIssuance(vault: RunningVault, dir: string, seconds: number): Promise<Section> {
  const headers = { ...(await authorized(vault, 'issuer')), 'content-type': 'application/json' };
  const body = JSON.stringify(await exampleIssueRequest(vault, TEACHER));
  await httpLoad({ url: `${vault.base}/api/v1/licenses`, method: 'POST', headers, body, connections: 8, seconds: 3, pid: vault.child.pid! });
  const ours = await httpLoad({ url: `${vault.base}/api/v1/licenses`, method: 'POST', headers, body, connections: 8, seconds, pid: vault.child.pid! });

  const require = createRequire(`${process.cwd()}/package.json`);
  const fonts = {
    regular: readFileSync(require.resolve('@expo-google-fonts/noto-serif-sc/400Regular/NotoSerifSC_400Regular.ttf')),
    bold: readFileSync(require.resolve('@expo-google-fonts/noto-serif-sc/700Bold/NotoSerifSC_700Bold.ttf')),
  };
  const template = (await loadTemplateDirectory('templates', systemClock)).forType(TEACHER);
  const request = sampleRenderRequest(template);
  const p12 = departmentP12(dir);
  const peer = await opsPerSecond(() => stockIssue(request, fonts, p12), Math.max(5, seconds / 2));

  return {
    title: 'Issuance over HTTP (教师资格证书, concurrency 8)',
    figures: [
      {
        name: 'licenses/s',
        ours: fixed(ours.perSecond),
        peer: { name: 'stock pipeline in-process', value: fixed(peer.perSecond) },
        ratio: ours.perSecond / peer.perSecond,
        target: '≥ 150/s and ≥ 10×',
        met: ours.perSecond >= 150 && ours.perSecond / peer.perSecond >= 10,
      },
      { name: 'latency p50 / p99 (ms)', ours: `${ours.p50} / ${ours.p99}` },
      { name: 'failed requests', ours: whole(ours.failures), target: '0', met: ours.failures === 0 },
      { name: 'server peak RSS (MiB)', ours: fixed(ours.peakRssMiB ?? Number.NaN, 0), target: '≤ 400', met: (ours.peakRssMiB ?? Infinity) <= 400 },
      cpuFigure('', ours.cpuPerRequest, availableParallelism()),
    ],
    notes: [
      `${whole(ours.requests)} licenses issued over HTTP in ${seconds} s, each rendered, sealed, signed (RSA-2048), stored and audited in one transaction.`,
      'Peer: pdf-lib + @pdf-lib/fontkit + PNG QR (qrcode) + @signpdf/placeholder-pdf-lib + @signpdf/signpdf with @signpdf/signer-p12, drawing the same license with the same key, in the bench process, one at a time.',
    ],
  };
}
