import { HolderSessions, type HolderPrincipal } from '../../src/modules/holders/index.js';
import { parseHolderNumber, type HolderType } from '../../src/modules/identity/index.js';
import { HOLDER_SESSION_COOKIE } from '../../src/http/middleware/holder-session.js';
import type { VaultHarness } from './vault-harness.js';

/** How long harness sessions last: 30 minutes, as the vault's default. */
const LIFETIME_SECONDS = 30 * 60;

/** The holder sessions of a harness vault, over its store and clock. */
export function holderSessionsOf(vault: Pick<VaultHarness, 'store' | 'clock'>): HolderSessions {
  return new HolderSessions(vault.store.holderSessions, vault.clock, LIFETIME_SECONDS);
}

/**
 * A real session of the holder of `number` (a citizen ID, or a credit code
 * when `type` says so) in the harness store, as signing in would open it:
 * the `Cookie` header value that carries it, and the principal it resolves to.
 */
export async function holderSession(
  vault: Pick<VaultHarness, 'store' | 'clock'>,
  number: string,
  options: { readonly type?: HolderType; readonly name?: string | null } = {},
): Promise<{ cookie: string; principal: HolderPrincipal; token: string }> {
  const holder = parseHolderNumber(options.type ?? 'citizen', number, vault.clock);
  const opened = await holderSessionsOf(vault).open({ holder, name: options.name ?? null });
  return { cookie: `${HOLDER_SESSION_COOKIE}=${opened.token}`, principal: opened.principal, token: opened.token };
}
