import autocannon from 'autocannon';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/index.js';
import { BENCH_P12_PASSWORD, exampleIssueRequest, foreignLicensePdf, startBenchVault } from '../bench/bench-vault.js';
import { autocannonTarget } from '../bench/http-load.js';
import { rssMiB } from '../support/process-memory.js';
import type { RunningVault } from '../support/vault-process.js';
import { keepToken, type KeptToken } from './kept-token.js';
import { UnmaskedIdCount } from './log-sweep.js';
import { SoakPopulation } from './population.js';
import { SliceRecorder, type Slice } from './slice-recorder.js';
import { sliceLine } from './soak-report.js';
import { soakStreams, type SoakStream } from './streams.js';

const TEACHER = '11100000000013338W001';
const BUSINESS = '11100000MB028404XM001';
/** Licenses issued before the load, so that look-ups and verifications have something to ask about from the first second. */
const SEED_LICENSES = 40;

export interface SoakOptions {
  /** Where the vault keeps its data and certificates (data/, certs/). */
  readonly dir: string;
  readonly sliceSeconds: number;
  readonly slices: number;
  /** Progress, a line at a time (a line per slice as it ends). */
  readonly log?: (line: string) => void;
}

/** A stream as the report describes it. */
export type StreamPlan = Pick<SoakStream, 'name' | 'does' | 'connections' | 'perSecond' | 'expects429'>;

/** What `license-vault fsck --json` said after the run. */
export interface FsckOutcome {
  readonly ok: boolean;
  readonly licenses: number;
  readonly auditEntries: number;
  /** The checks that failed, with their first problems; or why fsck gave no report. */
  readonly failed: readonly string[];
  readonly seconds: number;
}

/** Everything one soak measured: the input of the criteria and the report. */
export interface SoakRun {
  readonly startedAt: string;
  readonly sliceSeconds: number;
  readonly streams: readonly StreamPlan[];
  /** The vault's limit on anonymous verifications per client IP per minute (its default). */
  readonly verificationsPerMinute: number;
  readonly slices: readonly Slice[];
  readonly seeded: number;
  /** Issuance requests answered 201: the seed, the load's and the retries'. */
  readonly acknowledged: number;
  /** Issuance requests the load cut off unanswered (as it stopped, or on a timeout), sent again with their Idempotency-Key. */
  readonly retried: { readonly sent: number; readonly acknowledged: number; readonly replayed: number; readonly failed: readonly string[] };
  readonly vaultExitCode: number | null;
  readonly fsck: FsckOutcome;
  readonly unmaskedIdsInLog: number;
}

/** Sends one issuance request of the population directly (not through the load); its status and whether the vault replayed it. */
async function issue(base: string, issuer: KeptToken, population: SoakPopulation, key: string, body: string): Promise<{ status: number; replayed: boolean }> {
  const response = await fetch(`${base}/api/v1/licenses`, {
    method: 'POST',
    headers: { authorization: issuer.header, 'content-type': 'application/json', 'idempotency-key': key },
    body,
  });
  const text = await response.text();
  if (!population.answered(key, response.status, text)) throw new Error(`issuance answered 201 without a license: ${text.slice(0, 200)}`);
  return { status: response.status, replayed: response.headers.get('idempotency-replayed') === 'true' };
}

async function seed(base: string, issuer: KeptToken, population: SoakPopulation, count: number): Promise<void> {
  const client = async (): Promise<void> => {
    while (population.acknowledged + population.unanswered.size < count) {
      const { key, body } = population.nextIssuance();
      const { status } = await issue(base, issuer, population, key, body);
      if (status !== 201) throw new Error(`seeding: issuance answered ${status}`);
    }
  };
  await Promise.all([client(), client()]);
}

async function retryUnanswered(base: string, issuer: KeptToken, population: SoakPopulation): Promise<SoakRun['retried']> {
  const unanswered = [...population.unanswered];
  let acknowledged = 0;
  let replayed = 0;
  const failed: string[] = [];
  for (const [key, body] of unanswered) {
    const answer = await issue(base, issuer, population, key, body).catch(() => ({ status: 0, replayed: false }));
    if (answer.status === 201) acknowledged += 1;
    else failed.push(answer.status === 0 ? 'no answer' : `HTTP ${answer.status}`);
    if (answer.replayed) replayed += 1;
  }
  return { sent: unanswered.length, acknowledged, replayed, failed };
}

/** One stream for `seconds`, every answer and error filed with the recorder. */
function runStream(stream: SoakStream, recorder: SliceRecorder, seconds: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const target = {
      ...stream.target,
      answered: (status: number, body: string, context: Record<string, unknown>) => {
        if (!stream.check(status, body, context)) recorder.wrongAnswer(stream.name);
      },
    };
    const options = { ...autocannonTarget(target), connections: stream.connections, duration: seconds, ...(stream.perSecond ? { overallRate: stream.perSecond } : {}) };
    const instance = autocannon(options, (error: unknown) => (error ? reject(error instanceof Error ? error : new Error('autocannon failed', { cause: error })) : resolve()));
    instance.on('response', (_client, status, _bytes, ms) => recorder.answered(stream.name, status, ms));
    instance.on('reqError', (error: unknown) => {
      const { message, code } = (error ?? {}) as { message?: string; code?: string };
      recorder.unanswered(stream.name, message === 'request timed out' ? 'timeout' : `socket error ${code ?? message ?? ''}`.trim());
    });
  });
}

/** `license-vault fsck --json` (what `npm run cli -- fsck --json` runs) with the vault's variables. */
function fsck(dir: string): FsckOutcome {
  const started = performance.now();
  const result = spawnSync(process.execPath, ['dist/cli/main.js', 'fsck', '--json'], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    env: { PATH: process.env.PATH ?? '', VAULT_DATA_DIR: join(dir, 'data'), VAULT_CERTS_DIR: join(dir, 'certs'), VAULT_P12_PASSWORD: BENCH_P12_PASSWORD },
  });
  const seconds = (performance.now() - started) / 1000;
  try {
    const report = JSON.parse(result.stdout) as { ok: boolean; licenses: number; auditEntries: number; checks: { name: string; ok: boolean; problems: string[] }[] };
    const failed = report.checks.filter((check) => !check.ok).map((check) => `${check.name}: ${check.problems.join('; ')}`);
    return { ok: report.ok && result.status === 0, licenses: report.licenses, auditEntries: report.auditEntries, failed, seconds };
  } catch {
    return { ok: false, licenses: -1, auditEntries: -1, failed: [`fsck gave no report (exit ${String(result.status)}): ${result.stderr.slice(0, 500)}`], seconds };
  }
}

interface UnderLoad {
  readonly population: SoakPopulation;
  readonly streams: readonly SoakStream[];
  readonly recorder: SliceRecorder;
  readonly retried: SoakRun['retried'];
}

/** Seeds, runs every stream for the soak's length with RSS sampled, then sends again what the load cut off. */
async function underLoad(vault: RunningVault, options: SoakOptions, verificationsPerMinute: number, log: (line: string) => void): Promise<UnderLoad> {
  const issuer = await keepToken(vault, 'issuer');
  const clerk = await keepToken(vault, 'clerk');
  try {
    const population = new SoakPopulation(await exampleIssueRequest(vault, TEACHER));
    await seed(vault.base, issuer, population, SEED_LICENSES);
    const known = population.issued[0]!;
    const knownPdf = new Uint8Array(
      await (
        await fetch(`${vault.base}/api/v1/licenses/${encodeURIComponent(known.identifier)}/pdf?purpose=${encodeURIComponent('长稳测试取件')}`, {
          headers: { authorization: issuer.header },
        })
      ).arrayBuffer(),
    );
    const foreignPdf = await foreignLicensePdf(options.dir, BUSINESS);
    const streams = soakStreams({ base: vault.base, population, issuer, clerk, knownPdf, foreignPdf, verificationsPerMinute });
    log(`${SEED_LICENSES} licenses seeded; ${streams.length} streams for ${options.slices} × ${options.sliceSeconds} s`);

    const recorder = new SliceRecorder(streams, options.sliceSeconds, options.slices);
    const pid = vault.child.pid!;
    const sample = (): void => {
      const mib = rssMiB(pid);
      if (mib !== null) recorder.rssSample(mib);
    };
    sample();
    const sampler = setInterval(sample, Math.min(5000, (options.sliceSeconds * 1000) / 5));
    let logged = 0;
    const sliceLog = setInterval(() => {
      if (logged < options.slices - 1) log(sliceLine(recorder.slice(logged++), options.slices));
    }, options.sliceSeconds * 1000);
    try {
      await Promise.all(streams.map((stream) => runStream(stream, recorder, options.slices * options.sliceSeconds)));
    } finally {
      clearInterval(sampler);
      clearInterval(sliceLog);
    }
    while (logged < options.slices) log(sliceLine(recorder.slice(logged++), options.slices));
    return { population, streams, recorder, retried: await retryUnanswered(vault.base, issuer, population) };
  } finally {
    issuer.stop();
    clerk.stop();
  }
}

/**
 * The soak: one fresh built vault on the embedded store, with the look-up
 * limit lifted and the per-IP verification limit at its default, behind a
 * trusted (loopback) proxy; every stream of `soakStreams` at once for
 * `slices × sliceSeconds`, the vault's RSS sampled from /proc; then the
 * issuance requests cut off unanswered sent again with their keys, the vault
 * stopped with SIGTERM, and fsck run on its store.
 */
export async function runSoak(options: SoakOptions): Promise<SoakRun> {
  const log = options.log ?? (() => undefined);
  const verificationsPerMinute = loadConfig({}).verificationsPerMinute;
  const vault = await startBenchVault(options.dir, { env: { VAULT_VERIFICATIONS_PER_MINUTE: String(verificationsPerMinute), VAULT_TRUST_PROXY: 'loopback' }, recordLogs: false });
  const unmasked = new UnmaskedIdCount();
  unmasked.watch(vault.child.stdout);
  unmasked.watch(vault.child.stderr);
  const startedAt = new Date().toISOString();
  let measured: UnderLoad;
  try {
    measured = await underLoad(vault, options, verificationsPerMinute, log);
  } catch (error) {
    await vault.stop();
    throw error;
  }
  const vaultExitCode = await vault.stop();
  const { population, streams, recorder, retried } = measured;
  log(`vault stopped (exit ${String(vaultExitCode)}); fsck on ${population.acknowledged} acknowledged licenses`);
  return {
    startedAt,
    sliceSeconds: options.sliceSeconds,
    streams: streams.map(({ name, does, connections, perSecond, expects429 }) => ({ name, does, connections, ...(perSecond ? { perSecond } : {}), expects429 })),
    verificationsPerMinute,
    slices: recorder.slices(),
    seeded: SEED_LICENSES,
    acknowledged: population.acknowledged,
    retried,
    vaultExitCode,
    fsck: fsck(options.dir),
    unmaskedIdsInLog: unmasked.count,
  };
}
