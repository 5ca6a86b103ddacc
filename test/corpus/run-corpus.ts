import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEMO_DEPARTMENT } from '../../src/modules/departments/index.js';
import { peakRssMiB, resetPeakRss } from '../support/process-memory.js';
import type { RunningVault } from '../support/vault-process.js';
import { readVaultKeys } from './forged-signers.js';
import type { CorpusCase, CorpusExpectation, CorpusMaterial } from './hostile-corpus.js';

/**
 * Runs the hostile-file corpus against a vault process over HTTP, one case
 * at a time, while other clients keep verifying the genuine license and
 * asking for health. For each case: the answer, the wall time and the peak
 * RSS of the vault process during the case (Linux: VmHWM, reset before each
 * case through /proc/{pid}/clear_refs when permitted).
 */

export interface CorpusRow {
  readonly name: string;
  readonly expected: string;
  readonly answer: string;
  readonly ok: boolean;
  readonly ms: number;
  readonly peakRssMiB: number | null;
  /** Requests of the other clients answered while this case ran. */
  readonly othersAnswered: number;
}

export interface CorpusReport {
  readonly rows: readonly CorpusRow[];
  /** Other clients' requests over the whole run: answered correctly, and any that were not. */
  readonly others: { readonly answered: number; readonly failures: readonly string[]; readonly maxMs: number };
  /** Whether per-case peaks were reset (else each is the peak so far). */
  readonly peakPerCase: boolean;
}

interface Issued {
  readonly identifier: string;
  readonly bytes: Uint8Array;
}

async function call(vault: RunningVault, token: string, method: string, path: string, body?: unknown): Promise<Response> {
  const res = await fetch(`${vault.base}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return res;
}

/** Licenses in every state the corpus needs, issued, revoked and reissued through the vault's own API. */
export async function prepareMaterial(vault: RunningVault, certsDir: string, p12Password: string): Promise<CorpusMaterial> {
  const token = await vault.tokenFor('issuer');
  const catalogue = (await (await fetch(`${vault.base}/api/v1/license-types`)).json()) as { items: { holderType: string; example: unknown }[] };
  const type = catalogue.items.find((item) => item.holderType === 'citizen') ?? catalogue.items[0]!;
  const fileOf = async (identifier: string) =>
    new Uint8Array(await (await call(vault, token, 'GET', `/api/v1/licenses/${encodeURIComponent(identifier)}/pdf?purpose=${encodeURIComponent('样本核验取件')}`)).arrayBuffer());
  const issue = async (): Promise<Issued> => {
    const { identifier } = (await (await call(vault, token, 'POST', '/api/v1/licenses', type.example)).json()) as { identifier: string };
    return { identifier, bytes: await fileOf(identifier) };
  };
  const [genuine, other, revoked, superseded] = [await issue(), await issue(), await issue(), await issue()];
  await call(vault, token, 'POST', `/api/v1/licenses/${encodeURIComponent(revoked.identifier)}/revoke`, { reason: '以欺骗手段取得' });
  await call(vault, token, 'POST', `/api/v1/licenses/${encodeURIComponent(superseded.identifier)}/reissue`, {});
  return {
    now: new Date(),
    department: DEMO_DEPARTMENT,
    keys: readVaultKeys(certsDir, p12Password, DEMO_DEPARTMENT),
    genuine,
    other: other.bytes,
    revoked: revoked.bytes,
    superseded: superseded.bytes,
  };
}

function describeExpectation(expected: CorpusExpectation): string {
  if (expected.kind === 'refused') return `${expected.status} ${expected.code}`;
  if (expected.kind === 'fields') return `fields: ${expected.result}`;
  return expected.failedCheck ? `${expected.result} (${expected.failedCheck})` : expected.result;
}

async function answerOf(vault: RunningVault, entry: CorpusCase): Promise<string> {
  if ('fields' in entry) {
    const res = await fetch(`${vault.base}/api/v1/verifications/fields`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(entry.fields) });
    const body = (await res.json()) as Record<string, unknown>;
    // Anything beside the result (a field named, a reason) would be an answer the corpus does not expect.
    const { result, ...rest } = body;
    return res.status === 200 ? `fields: ${String(result)}${Object.keys(rest).length > 0 ? ` ${JSON.stringify(rest)}` : ''}` : `${res.status}`;
  }
  const form = new FormData();
  form.append('file', new Blob([entry.upload.bytes], { type: 'application/pdf' }), entry.upload.fileName);
  const res = await fetch(`${vault.base}/api/v1/verifications`, { method: 'POST', body: form });
  const body = (await res.json()) as { result?: string; code?: string; checks?: { name: string; ok: boolean }[] };
  if (res.status !== 200) return `${res.status} ${body.code}`;
  // 'issued-file' fails for every file that is not byte for byte an issued one: the first other failure says why.
  const failed = body.checks?.find((check) => !check.ok && check.name !== 'issued-file');
  return failed && body.result !== 'authentic' && !['revoked', 'suspended', 'expired', 'superseded'].includes(String(body.result))
    ? `${body.result} (${failed.name})`
    : String(body.result);
}

/** Other clients: verify the genuine license and ask for health, back to back, until stopped. */
function otherClients(vault: RunningVault, genuine: Uint8Array, clients: number) {
  let running = true;
  let answered = 0;
  let maxMs = 0;
  const failures: string[] = [];
  const waiters: { readonly count: number; resolve(): void }[] = [];
  const once = async (turn: number): Promise<void> => {
    const start = performance.now();
    if (turn % 2 === 0) {
      const res = await fetch(`${vault.base}/healthz`);
      if (res.status !== 200) failures.push(`healthz ${res.status}`);
      await res.arrayBuffer();
    } else {
      const form = new FormData();
      form.append('file', new Blob([genuine], { type: 'application/pdf' }), 'genuine.pdf');
      const res = await fetch(`${vault.base}/api/v1/verifications`, { method: 'POST', body: form });
      const body = (await res.json()) as { result?: string };
      if (res.status !== 200 || body.result !== 'authentic') failures.push(`verification ${res.status} ${body.result}`);
    }
    maxMs = Math.max(maxMs, performance.now() - start);
    answered += 1;
    for (const waiter of waiters.splice(0)) {
      if (answered >= waiter.count) waiter.resolve();
      else waiters.push(waiter);
    }
  };
  const loop = async (client: number): Promise<void> => {
    for (let turn = client; running; turn += 1) {
      await once(turn).catch((error: unknown) => void failures.push(error instanceof Error ? error.message : String(error)));
    }
  };
  const loops = Array.from({ length: clients }, (_, client) => loop(client));
  return {
    answered: () => answered,
    /** Resolves once `count` requests in all have been answered, or after `timeoutMs` (a stuck server is a row of the report, not a hang). */
    untilAnswered: (count: number, timeoutMs: number): Promise<void> =>
      answered >= count
        ? Promise.resolve()
        : new Promise((resolve) => {
            const timer = setTimeout(resolve, timeoutMs);
            waiters.push({
              count,
              resolve: () => {
                clearTimeout(timer);
                resolve();
              },
            });
          }),
    stop: async () => {
      running = false;
      await Promise.all(loops);
      return { answered, failures, maxMs };
    },
  };
}

export async function runCorpus(vault: RunningVault, cases: readonly CorpusCase[], genuine: Uint8Array): Promise<CorpusReport> {
  const pid = vault.child.pid!;
  const others = otherClients(vault, genuine, 2);
  const rows: CorpusRow[] = [];
  let peakPerCase = true;
  for (const entry of cases) {
    peakPerCase = resetPeakRss(pid) && peakPerCase;
    const before = others.answered();
    const start = performance.now();
    const answer = await answerOf(vault, entry).catch((error: unknown) => `error: ${error instanceof Error ? error.message : String(error)}`);
    const ms = performance.now() - start;
    const peak = peakRssMiB(pid);
    // The server must still answer the others once this case is done.
    await others.untilAnswered(before + 2, 10_000);
    const expected = describeExpectation(entry.expected);
    rows.push({ name: entry.name, expected, answer, ok: answer === expected, ms, peakRssMiB: peak, othersAnswered: others.answered() - before });
  }
  return { rows, others: await others.stop(), peakPerCase };
}

/** The report as a Markdown table. */
export function corpusTable(report: CorpusReport): string {
  const lines = ['| case | expected | answer | ms | peak RSS MiB | others answered |', '|---|---|---|---:|---:|---:|'];
  for (const row of report.rows) {
    lines.push(
      `| ${row.name} | ${row.expected} | ${row.ok ? row.answer : `**${row.answer}**`} | ${row.ms.toFixed(0)} | ${row.peakRssMiB?.toFixed(0) ?? 'n/a'} | ${row.othersAnswered} |`,
    );
  }
  lines.push(
    '',
    `Other clients: ${report.others.answered} requests answered, ${report.others.failures.length} failed, slowest ${report.others.maxMs.toFixed(0)} ms. Peak RSS ${report.peakPerCase ? 'reset before each case' : 'cumulative (reset not permitted)'}.`,
  );
  return `${lines.join('\n')}\n`;
}

export function writeCorpusReport(dir: string, report: CorpusReport): string {
  const file = join(dir, 'hostile-corpus.md');
  writeFileSync(file, corpusTable(report));
  return file;
}
