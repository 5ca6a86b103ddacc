import type { RunningVault } from '../support/vault-process.js';

/** An `authorization` header that stays valid for as long as the run lasts. */
export interface KeptToken {
  readonly header: string;
  stop(): void;
}

/**
 * A bearer token for `role`, fetched again every `refreshMs` (well inside the
 * vault's token lifetime, 15 minutes by default), as a long-running client
 * would. A failed refresh keeps the current token: should it expire, the
 * requests it goes with fail and are counted.
 */
export async function keepToken(vault: RunningVault, role: 'issuer' | 'clerk', refreshMs = 5 * 60_000): Promise<KeptToken> {
  let header = `Bearer ${await vault.tokenFor(role)}`;
  const timer = setInterval(() => {
    vault.tokenFor(role).then(
      (token) => {
        if (token) header = `Bearer ${token}`;
      },
      () => undefined,
    );
  }, refreshMs);
  timer.unref();
  return {
    get header() {
      return header;
    },
    stop: () => clearInterval(timer),
  };
}
