/**
 * `tsx test/bench/field-check-timing.ts`: how long a field check takes for
 * each kind of mismatch (issue 15: the answer is the same, and its timing
 * should not tell a license that exists from one that does not). Cases run
 * interleaved, ROUNDS times each, on the embedded store; prints the median
 * and 90th percentile per case. A figure for the report, not a test: timing
 * on a shared machine is no pass/fail.
 */
import { once } from 'node:events';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Principal } from '../../src/modules/auth/index.js';
import type { LicenseTemplate } from '../../src/modules/templates/index.js';
import { LicenseVerification, type PdfSignatureVerifier } from '../../src/modules/verification/index.js';
import { TEST_DEPARTMENT } from '../fixtures/pki.js';

// The test harness is written for jest (CommonJS): it finds the templates from its own __dirname and the fonts with require.resolve.
Object.assign(globalThis, { __dirname: join(dirname(fileURLToPath(import.meta.url)), '../support'), require: createRequire(import.meta.url) });
const { openVaultHarness } = await import('../support/vault-harness.js');
const { verificationApp } = await import('../http/routes/verification-app.js');

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5000);
const HTTP_ROUNDS = Number(process.env.BENCH_HTTP_ROUNDS ?? 1000);
const issuer: Principal = { clientId: 'issuer-fz', role: 'issuer', department: TEST_DEPARTMENT.creditCode };
const unused: PdfSignatureVerifier = { verify: () => Promise.reject(new Error('not used by field checks')) };

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;
}

/** Runs every case once a round, interleaved, `rounds` times; the first tenth is warm-up. Median / p90 per case, in µs. */
async function timed<I>(rounds: number, cases: Record<string, I>, run: (input: I) => Promise<unknown>): Promise<Record<string, string>> {
  const times: Record<string, number[]> = Object.fromEntries(Object.keys(cases).map((name) => [name, []]));
  for (let round = 0; round < rounds; round += 1) {
    for (const [name, input] of Object.entries(cases)) {
      const start = process.hrtime.bigint();
      await run(input);
      times[name]!.push(Number(process.hrtime.bigint() - start) / 1000);
    }
  }
  return Object.fromEntries(
    Object.entries(times).map(([name, list]) => {
      const sorted = list.slice(Math.floor(rounds / 10)).sort((a, b) => a - b);
      return [name, `${percentile(sorted, 0.5).toFixed(1)} / ${percentile(sorted, 0.9).toFixed(1)}`];
    }),
  );
}

async function main(): Promise<void> {
  const vault = await openVaultHarness();
  try {
    const teacher = vault.templates.latest().find((t) => t.id === 'teacher-qualification') as LicenseTemplate;
    const issue = (id: string, name: string) =>
      vault.issuance.issue(issuer, { licenseType: teacher.catalogue.typeCode, holder: { type: 'citizen', id, name }, fields: teacher.example.fields }).then((r) => r.license);
    const license = await issue('11010519491231002X', '李秀英');
    for (let i = 0; i < 20; i += 1) await issue('440524188001010014', '王五');
    const verification = new LicenseVerification(vault.store, unused, vault.templates, vault.clock);
    const cases = {
      'full match (consistent)': { licenseNumber: license.licenseNumber, holderName: '李秀英', holderId: '11010519491231002X' },
      'wrong name': { licenseNumber: license.licenseNumber, holderName: '王五', holderId: '11010519491231002X' },
      'wrong ID number': { licenseNumber: license.licenseNumber, holderName: '李秀英', holderId: '440524188001010014' },
      'no such license number': { licenseNumber: `${license.licenseNumber.slice(0, -3)}999`, holderName: '李秀英', holderId: '11010519491231002X' },
      'wrong ID number, by identifier': { identifier: license.identifier, holderName: '李秀英', holderId: '440524188001010014' },
      'no such identifier': { identifier: `${license.identifier.slice(0, -1)}0`, holderName: '李秀英', holderId: '11010519491231002X' },
    };
    const inProcess = await timed(ROUNDS, cases, (input) => verification.checkFields(input));
    const server = createServer(verificationApp(vault));
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1/verifications/fields`;
    const overHttp = await timed(HTTP_ROUNDS, cases, async (input) => {
      const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(input) });
      await response.arrayBuffer();
    });
    server.close();
    process.stdout.write(`| case | in process: median / p90 (µs), ${ROUNDS} rounds | over HTTP on loopback: median / p90 (µs), ${HTTP_ROUNDS} rounds |\n|---|---:|---:|\n`);
    for (const name of Object.keys(cases)) process.stdout.write(`| ${name} | ${inProcess[name]} | ${overHttp[name]} |\n`);
  } finally {
    await vault.close();
  }
}

void main();
