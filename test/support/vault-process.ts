import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { recordLog } from './pii-sweep.js';
import type { Role } from '../../src/modules/auth/index.js';

/** The per-client limits of a vault under load from one address (benchmarks, the hostile corpus), lifted. */
export const CLIENT_LIMITS_LIFTED: Readonly<Record<string, string>> = {
  VAULT_LOOKUPS_PER_MINUTE: '1000000',
  VAULT_VERIFICATIONS_PER_MINUTE: '1000000',
  VAULT_FIELD_CHECKS_PER_MINUTE: '1000000',
  VAULT_FIELD_CHECKS_PER_DAY: '1000000',
  VAULT_UPLOADS_IN_FLIGHT_PER_CLIENT: '1000000',
};

export interface VaultProcessOptions {
  /** Runs dist/ as `npm start` does, instead of the source through tsx. */
  readonly built?: boolean;
  readonly root?: string;
  /** Extra flags for node, such as `--cpu-prof` (not allowed in NODE_OPTIONS). */
  readonly nodeFlags?: readonly string[];
  /** Keeps everything the process writes for the PII sweep (the default); off for runs too long to keep it all. */
  readonly recordLogs?: boolean;
}

/**
 * The vault as a separate process with only the given variables set: from
 * source through tsx (no build needed), or the build as `npm start` runs it
 * (`built`, for benchmarks). Run from the repository root (jest and npm scripts do).
 */
export function startVault(env: Record<string, string>, options: VaultProcessOptions = {}): ChildProcessWithoutNullStreams {
  const root = options.root ?? process.cwd();
  const flags = options.nodeFlags ?? [];
  const child = spawn(process.execPath, options.built ? [...flags, ...startArguments(root)] : [...flags, '--import', 'tsx', 'src/main.ts'], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', ...env },
  });
  if (options.recordLogs !== false) {
    // Everything the vault writes is swept for unmasked ID numbers after the test file.
    child.stdout.on('data', (chunk: Buffer) => recordLog('vault stdout', chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => recordLog('vault stderr', chunk.toString('utf8')));
  }
  return child;
}

/** The arguments `npm start` gives node (its V8 flags and the entry), read from package.json so that both stay one. */
function startArguments(root: string): string[] {
  const start = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: { start: string } }).scripts.start.split(/\s+/);
  if (start[0] !== 'node') throw new Error(`npm start does not run node: ${start.join(' ')}`);
  return start.slice(1);
}

/** Resolves with the first JSON log line on stdout that `predicate` accepts; rejects if the process exits first or `timeoutMs` passes. */
export function waitForLine(child: ChildProcessWithoutNullStreams, predicate: (line: Record<string, unknown>) => boolean, timeoutMs = 60_000): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    let buffer = '';
    const timer = setTimeout(() => {
      child.stdout.off('data', onData);
      child.off('exit', onExit);
      reject(new Error(`no such log line from the vault within ${timeoutMs} ms`));
    }, timeoutMs);
    const onData = (chunk: Buffer): void => {
      buffer += chunk.toString('utf8');
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      for (const raw of lines) {
        const line = JSON.parse(raw) as Record<string, unknown>;
        if (predicate(line)) {
          clearTimeout(timer);
          child.stdout.off('data', onData);
          child.off('exit', onExit);
          resolve(line);
          return;
        }
      }
    };
    const onExit = (code: number | null): void => {
      clearTimeout(timer);
      reject(new Error(`vault exited with ${code} before the expected log line`));
    };
    child.stdout.on('data', onData);
    child.once('exit', onExit);
  });
}

/** A vault process that is listening, with its base URL and the demo credentials it wrote. */
export interface RunningVault {
  readonly child: ChildProcessWithoutNullStreams;
  readonly base: string;
  /** A bearer token for the demo account with `role`. */
  tokenFor(role: Role): Promise<string>;
  /** SIGTERM, then waits for the exit code. */
  stop(): Promise<number | null>;
}

/** Starts the vault on the embedded store under `dir` (data/ and certs/) and waits until it listens. */
export async function runVault(dir: string, env: Record<string, string> = {}, options: VaultProcessOptions = {}): Promise<RunningVault> {
  const dataDir = join(dir, 'data');
  const child = startVault({ PORT: '0', HOST: '127.0.0.1', VAULT_DATA_DIR: dataDir, VAULT_CERTS_DIR: join(dir, 'certs'), ...env }, options);
  child.stderr.resume();
  const listening = await waitForLine(child, (line) => line.msg === 'license vault listening').catch((error: unknown) => {
    child.kill('SIGKILL');
    throw error;
  });
  child.stdout.resume();
  const base = `http://127.0.0.1:${String(listening.port)}`;
  const credentials = JSON.parse(readFileSync(join(dataDir, 'demo-credentials.json'), 'utf8')) as { accounts: { role: string; clientId: string; clientSecret: string }[] };
  return {
    child,
    base,
    tokenFor: async (role) => {
      const account = credentials.accounts.find((a) => a.role === role);
      const res = await fetch(`${base}/api/v1/auth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ clientId: account?.clientId, clientSecret: account?.clientSecret }),
      });
      return ((await res.json()) as { accessToken: string }).accessToken;
    },
    stop: async () => {
      // Killed by a signal, a process has no exit code but a signalCode.
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      const [code] = (await exited) as [number | null];
      return code;
    },
  };
}

/** A port free now, so that the vault's public URL (which form posts' Origin must match, and the sign-in returns to) can name it. */
export async function freePort(host = '127.0.0.1'): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}
