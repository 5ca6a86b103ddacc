import { once } from 'node:events';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { runCli } from '../../src/cli/main.js';
import { citizenIdFor } from './historical-records.js';
import { runVault, type RunningVault } from './vault-process.js';

/** TEST FIXTURE: the P12 password of the development PKI a crash-test vault creates for itself. */
export const CRASH_P12_PASSWORD = 'crash-fixture-password';

/** One issuance request of a crash test: its Idempotency-Key, and the holder no other request uses. */
export interface CrashRequest {
  readonly key: string;
  readonly holder: number;
}

/** A vault on `dir` that crash tests kill and restart, and what its clients saw. */
export class CrashRig {
  /** Requests answered 201/200, with the license each got. */
  readonly acknowledged = new Map<string, { readonly holder: number; readonly identifier: string }>();
  /** Requests sent to a vault that died before answering: to be retried with the same key. */
  pending: CrashRequest[] = [];
  private nextHolder: number;
  private example: Record<string, unknown> | null = null;
  private readonly acknowledgedWaiters: { readonly count: number; resolve(): void }[] = [];

  /** `firstHolder`: where this rig's holders and keys start, so that two rigs on copies of one vault never share a key. */
  constructor(
    readonly dir: string,
    firstHolder = 1,
  ) {
    this.nextHolder = firstHolder;
  }

  /** The built vault, as `npm start` runs it, optionally armed with VAULT_FAILPOINT, with any other variables in `env`. */
  start(failpoint?: string, env: Record<string, string> = {}): Promise<RunningVault> {
    return runVault(this.dir, { VAULT_P12_PASSWORD: CRASH_P12_PASSWORD, VAULT_WORKER_THREADS: '1', ...(failpoint ? { VAULT_FAILPOINT: failpoint } : {}), ...env }, { built: true });
  }

  private readonly tokens = new WeakMap<RunningVault, Promise<string>>();

  private tokenFor(vault: RunningVault): Promise<string> {
    let token = this.tokens.get(vault);
    if (!token) this.tokens.set(vault, (token = vault.tokenFor('issuer')));
    return token;
  }

  fresh(): CrashRequest {
    const holder = this.nextHolder++;
    return { key: `crash-${holder}`, holder };
  }

  /**
   * Sends one issuance: `issued`, or `replayed` (the license an earlier try with the key committed), or null when the
   * vault died first (the request is then pending if it was sent). Any other answer throws.
   */
  async issue(vault: RunningVault, request: CrashRequest): Promise<'issued' | 'replayed' | null> {
    const answer = await this.send(vault, request);
    if (answer === null) return null;
    if (answer.status !== 201 && answer.status !== 200) throw new Error(`issuance answered ${answer.status}: ${JSON.stringify(answer.body)}`);
    this.acknowledged.set(request.key, { holder: request.holder, identifier: typeof answer.body.identifier === 'string' ? answer.body.identifier : '' });
    for (const waiter of this.acknowledgedWaiters.splice(0)) {
      if (this.acknowledged.size >= waiter.count) waiter.resolve();
      else this.acknowledgedWaiters.push(waiter);
    }
    return answer.replayed ? 'replayed' : 'issued';
  }

  /** Resolves once `count` requests in all have been answered with their license. */
  untilAcknowledged(count: number): Promise<void> {
    if (this.acknowledged.size >= count) return Promise.resolve();
    return new Promise((resolve) => this.acknowledgedWaiters.push({ count, resolve }));
  }

  /** Sends one issuance and returns the answer as it is, or null when the vault died first (pending if it was sent). */
  async send(vault: RunningVault, request: CrashRequest): Promise<{ status: number; body: Record<string, unknown>; replayed: boolean } | null> {
    let token: string;
    try {
      token = await this.tokenFor(vault);
      this.example ??= await exampleRequest(vault);
    } catch {
      return null; // The vault died before the request could be sent.
    }
    const holder = this.example.holder as Record<string, unknown>;
    const post = () =>
      fetch(`${vault.base}/api/v1/licenses`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': request.key },
        body: JSON.stringify({ ...this.example, holder: { ...holder, id: citizenIdFor(request.holder) } }),
      });
    const response = await sendOnLiveConnection(post);
    if (response === null) {
      this.pending.push(request);
      return null;
    }
    const body = (await response.json()) as Record<string, unknown>;
    return { status: response.status, body, replayed: response.headers.get('idempotency-replayed') === 'true' };
  }

  /** Retries so far: answered with the license committed before the crash (replayed), or issued then. */
  readonly retries = { replayed: 0, issued: 0 };

  /** Retries every pending request with its own key, on a vault that is up. */
  async retryPending(vault: RunningVault): Promise<void> {
    const retries = this.pending;
    this.pending = [];
    for (const request of retries) {
      const outcome = await this.issue(vault, request);
      if (outcome === null) throw new Error(`the retry of ${request.key} was not answered`);
      this.retries[outcome] += 1;
    }
  }

  /** `license-vault fsck` on the data directory (the CLI's code, in this process); its exit code. */
  async fsck(): Promise<{ code: number; output: string }> {
    let output = '';
    const code = await runCli(['fsck'], {
      out: (text) => void (output += text),
      env: { VAULT_DATA_DIR: join(this.dir, 'data'), VAULT_CERTS_DIR: join(this.dir, 'certs') },
      now: () => new Date(),
    });
    return { code, output };
  }

  /** How many licenses the store holds. */
  storedCount(): number {
    const db = new Database(join(this.dir, 'data', 'vault.db'), { readonly: true });
    try {
      return (db.prepare('SELECT count(*) AS n FROM licenses').get() as { n: number }).n;
    } finally {
      db.close();
    }
  }

  /** The holders among `requests` that have a license stored. */
  storedFor(requests: readonly CrashRequest[]): number[] {
    const db = new Database(join(this.dir, 'data', 'vault.db'), { readonly: true });
    try {
      const held = db.prepare('SELECT 1 FROM licenses WHERE holder_number = ?');
      return requests.filter((request) => held.get(citizenIdFor(request.holder)) !== undefined).map((request) => request.holder);
    } finally {
      db.close();
    }
  }

  /** Acknowledged licenses no longer stored, and holders holding more than one license (each request had a holder of its own). */
  audit(): { lost: string[]; duplicated: number[] } {
    const db = new Database(join(this.dir, 'data', 'vault.db'), { readonly: true });
    try {
      const exists = db.prepare('SELECT 1 FROM licenses WHERE identifier = ?');
      const lost = [...this.acknowledged.values()].filter((ack) => exists.get(ack.identifier) === undefined).map((ack) => ack.identifier);
      const perHolder = db.prepare('SELECT holder_number, count(*) AS n FROM licenses GROUP BY holder_number HAVING n > 1').all() as { holder_number: string }[];
      const duplicated = perHolder.map((row) => [...this.acknowledged.values()].find((ack) => citizenIdFor(ack.holder) === row.holder_number)?.holder ?? -1);
      return { lost, duplicated };
    } finally {
      db.close();
    }
  }
}

/** fetch's error when the connection it sent on was closed by the other side (undici's UND_ERR_SOCKET), not refused. */
function closedConnection(error: unknown): boolean {
  // Not `instanceof TypeError`: fetch's errors come from Node's own realm, not jest's.
  return (error as { cause?: { code?: unknown } } | null)?.cause?.code === 'UND_ERR_SOCKET';
}

/**
 * The answer to `post`, or null when the vault is gone. Kept-alive connections the vault closed while this process
 * was busy (an in-process fsck blocks it for seconds) fail at once, one by one, the vault being fine: the request is
 * sent again (with the same Idempotency-Key, which makes that safe) until it goes out on a live connection. A vault
 * that is gone refuses the new connection.
 */
async function sendOnLiveConnection(post: () => Promise<Response>): Promise<Response | null> {
  for (;;) {
    try {
      return await post();
    } catch (error) {
      if (!closedConnection(error)) return null;
    }
  }
}

async function exampleRequest(vault: RunningVault): Promise<Record<string, unknown>> {
  const catalogue = (await (await fetch(`${vault.base}/api/v1/license-types`)).json()) as { items: { code: string; example: Record<string, unknown> }[] };
  const citizen = catalogue.items.find((item) => (item.example.holder as { type?: string }).type === 'citizen');
  if (!citizen) throw new Error('no license type for citizens in the catalogue');
  return citizen.example;
}

/** Resolves once the vault's process has exited (killed by itself or by the test). */
export async function exited(vault: RunningVault): Promise<void> {
  if (vault.child.exitCode !== null || vault.child.signalCode !== null) return;
  await once(vault.child, 'exit');
}
