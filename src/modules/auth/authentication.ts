import type { Clock } from '../../shared/clock.js';
import { AuthenticationError } from '../../shared/errors.js';
import { kindOf, tokenVersionOf, type AccountRepository, type Role } from './account.js';
import { isValidClientId } from './accounts.js';
import { isUsable } from './duties.js';
import type { Principal } from './principal.js';
import { SecretCheckGate } from './secret-check-gate.js';
import { MAX_SECRET_LENGTH, verifyDummySecret, verifySecret } from './secrets.js';
import { MAX_ACCESS_TOKEN_LENGTH, type IssuedAccessToken, type TokenIssuer, type TokenVerifier } from './tokens.js';

export interface ClientCredentials {
  readonly clientId: string;
  readonly clientSecret: string;
}

/** An access token and the role of the account it was issued to (for the audit log). */
export interface TokenGrant {
  readonly token: IssuedAccessToken;
  readonly role: Role;
}

/** Turns client credentials into access tokens, and access tokens back into principals. */
export interface Authenticator {
  /** Rejects with ERR_AUTH_INVALID_CLIENT, the same for an unknown id, a wrong secret, a disabled account, one waiting for approval or a person's; with ERR_AUTH_BUSY when too many secrets are being checked. */
  issueToken(credentials: ClientCredentials): Promise<TokenGrant>;
  /**
   * Verifies the token, then checks it against the live account: a missing
   * account, one waiting for approval, or one whose token version changed
   * since the token was issued (secret reset, disabled and enabled again, role
   * or department changed) → ERR_AUTH_TOKEN_INVALID; a disabled one →
   * ERR_AUTH_ACCOUNT_DISABLED.
   */
  authenticate(accessToken: string): Promise<Principal>;
}

export interface AuthenticatorDependencies {
  readonly accounts: Pick<AccountRepository, 'get'>;
  readonly tokens: TokenIssuer & TokenVerifier;
  /** Caps the scrypt checks running at once, process-wide; 2 at once and 32 waiting by default. */
  readonly secretChecks?: SecretCheckGate | undefined;
}

function invalidClient(): AuthenticationError {
  return new AuthenticationError('ERR_AUTH_INVALID_CLIENT', 'the client id or secret is wrong, or the account is disabled');
}

function invalidToken(message: string): AuthenticationError {
  return new AuthenticationError('ERR_AUTH_TOKEN_INVALID', message);
}

export function createAuthenticator(deps: AuthenticatorDependencies): Authenticator {
  // Compute the dummy hash now, so the first unknown client id costs no more than a known one.
  void verifyDummySecret('').catch(() => undefined);
  const gate = deps.secretChecks ?? new SecretCheckGate();
  return {
    async issueToken({ clientId, clientSecret }) {
      const usable = isValidClientId(clientId) && typeof clientSecret === 'string' && clientSecret.length <= MAX_SECRET_LENGTH;
      const account = usable ? await deps.accounts.get(clientId) : null;
      // Always pay for one scrypt, so timing reveals neither which ids exist nor which are disabled.
      const matches = await gate.run(() => (account ? verifySecret(clientSecret, account.secretHash) : verifyDummySecret(String(clientSecret))));
      // People sign in to the console (with a second factor), never here: answered as a wrong secret, so a person's name is not confirmed.
      if (!account || !matches || !isUsable(account) || kindOf(account) !== 'service') throw invalidClient();
      if (account.role === 'issuer' ? account.department === null : account.department !== null && account.role !== 'clerk') throw invalidClient();
      const token = await deps.tokens.issue({ subject: account.clientId, role: account.role, department: account.department, tokenVersion: tokenVersionOf(account) });
      return { token, role: account.role };
    },

    async authenticate(accessToken) {
      if (accessToken.length === 0 || accessToken.length > MAX_ACCESS_TOKEN_LENGTH) throw invalidToken('the access token is malformed');
      const claims = await deps.tokens.verify(accessToken);
      const account = isValidClientId(claims.subject) ? await deps.accounts.get(claims.subject) : null;
      if (!account || kindOf(account) !== 'service') throw invalidToken('the account of this access token does not exist');
      if (account.disabled) throw new AuthenticationError('ERR_AUTH_ACCOUNT_DISABLED', 'the account of this access token is disabled');
      if (account.pending === true || account.role !== claims.role || account.department !== claims.department || tokenVersionOf(account) !== claims.tokenVersion) {
        throw invalidToken('the account changed since this access token was issued: request a new one');
      }
      return { clientId: account.clientId, role: account.role, department: account.department };
    },
  };
}

/**
 * Counts failed token requests per client id and address, and refuses more
 * than `maxFailures` within `windowMs` with ERR_AUTH_TOO_MANY_ATTEMPTS. In
 * memory, per process: a brake on guessing, not a distributed limiter.
 */
export class FailedAttemptLimiter {
  private readonly failures = new Map<string, { count: number; since: number }>();

  constructor(
    private readonly clock: Clock,
    readonly maxFailures = 10,
    readonly windowMs = 5 * 60_000,
    private readonly maxKeys = 10_000,
  ) {}

  /** Throws when `key` is locked out; the error carries the seconds to wait. */
  check(key: string): void {
    const entry = this.current(key);
    if (entry && entry.count >= this.maxFailures) {
      const retryAfterSeconds = Math.max(1, Math.ceil((entry.since + this.windowMs - this.clock.now().getTime()) / 1000));
      throw new AuthenticationError('ERR_AUTH_TOO_MANY_ATTEMPTS', `too many failed attempts: try again in ${retryAfterSeconds} s`, { retryAfterSeconds });
    }
  }

  /** Counts a failure; true when it is the one that locks `key` out (a lockout starts). */
  fail(key: string): boolean {
    const now = this.clock.now().getTime();
    const entry = this.current(key);
    if (entry) {
      entry.count += 1;
      return entry.count === this.maxFailures;
    }
    if (this.failures.size >= this.maxKeys) this.prune(now);
    if (this.failures.size >= this.maxKeys) {
      const oldest = this.failures.keys().next();
      if (!oldest.done) this.failures.delete(oldest.value);
    }
    this.failures.set(key, { count: 1, since: now });
    return this.maxFailures === 1;
  }

  succeed(key: string): void {
    this.failures.delete(key);
  }

  private current(key: string): { count: number; since: number } | undefined {
    const entry = this.failures.get(key);
    if (entry && entry.since + this.windowMs <= this.clock.now().getTime()) {
      this.failures.delete(key);
      return undefined;
    }
    return entry;
  }

  private prune(now: number): void {
    for (const [key, entry] of this.failures) if (entry.since + this.windowMs <= now) this.failures.delete(key);
  }
}
