import { createHash, randomBytes } from 'node:crypto';
import type { RequestOrigin } from '../auth/index.js';
import { parseHolderNumber, type HolderNumber } from '../identity/index.js';
import type { Clock } from '../../shared/clock.js';
import type { HolderPrincipal } from './holder-principal.js';
import type { HolderSessionRecord, HolderSessionRepository } from './holder-session.js';

/** 256 random bits: guessing a live session within any rate limit is hopeless. */
const TOKEN_BYTES = 32;
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

function hashOf(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** What the log and audit entries call a session: a prefix of its token's hash, which leads back to nothing. */
function sessionIdOf(tokenHash: string): string {
  return tokenHash.slice(0, 16);
}

export interface OpenedHolderSession {
  /** The secret the browser keeps (in an HttpOnly cookie); the store keeps only its hash. */
  readonly token: string;
  readonly principal: HolderPrincipal;
  readonly expiresAt: Date;
}

/**
 * Holders' sessions, kept in the store so that any node of the vault serves
 * any request. A session lasts a fixed time from sign-in; signing out ends it.
 */
export class HolderSessions {
  constructor(
    private readonly sessions: HolderSessionRepository,
    private readonly clock: Clock,
    private readonly lifetimeSeconds: number,
  ) {}

  /** Starts a session for a holder whose number the identity platform vouched for (checked again here). */
  async open(who: { readonly holder: HolderNumber; readonly name: string | null }, origin?: RequestOrigin): Promise<OpenedHolderSession> {
    const holder = parseHolderNumber(who.holder.type, who.holder.value, this.clock);
    const token = randomBytes(TOKEN_BYTES).toString('base64url');
    const tokenHash = hashOf(token);
    const now = this.clock.now();
    const expiresAt = new Date(now.getTime() + this.lifetimeSeconds * 1000);
    await this.sessions.insert({
      tokenHash,
      holderType: holder.type,
      holderNumber: holder.value,
      name: who.name,
      createdAt: now.toISOString(),
      expiresAt: expiresAt.toISOString(),
    });
    return { token, expiresAt, principal: { holder, name: who.name, sessionId: sessionIdOf(tokenHash), ...(origin ? { origin } : {}) } };
  }

  /** The holder a token signs in, or null for a malformed, unknown or expired token. */
  async resolve(token: string, origin?: RequestOrigin): Promise<HolderPrincipal | null> {
    const record = TOKEN_SHAPE.test(token) ? await this.sessions.get(hashOf(token)) : null;
    if (!record || Date.parse(record.expiresAt) <= this.clock.now().getTime()) return null;
    return principalOf(record, origin);
  }

  /** Ends the session of `token`; nothing for a token that signs no one in. */
  async close(token: string): Promise<void> {
    if (TOKEN_SHAPE.test(token)) await this.sessions.delete(hashOf(token));
  }

  /** Forgets expired sessions; answers how many. */
  sweep(): Promise<number> {
    return this.sessions.deleteExpired(this.clock.now().toISOString());
  }
}

function principalOf(record: HolderSessionRecord, origin?: RequestOrigin): HolderPrincipal {
  return {
    holder: { type: record.holderType, value: record.holderNumber },
    name: record.name,
    sessionId: sessionIdOf(record.tokenHash),
    ...(origin ? { origin } : {}),
  };
}
