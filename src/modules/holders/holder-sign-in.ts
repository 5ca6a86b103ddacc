import { timingSafeEqual } from 'node:crypto';
import type { RequestOrigin } from '../auth/index.js';
import type { HolderFingerprinter } from '../licenses/index.js';
import type { Clock } from '../../shared/clock.js';
import { HOLDER_SIGN_IN_ERRORS, isVaultError, type ErrorDetails } from '../../shared/errors.js';
import { holderFromClaims, type HolderClaimNames } from './holder-claims.js';
import type { HolderPrincipal } from './holder-principal.js';
import type { HolderIdentityProvider } from './identity-provider.js';
import { safeReturnPath, type SignInSeal } from './sign-in-seal.js';
import type { HolderSessions } from './sessions.js';

export type HolderSignInCode = keyof typeof HOLDER_SIGN_IN_ERRORS;

/** A sign-in that could not go on: its stable code and what may be logged about it (never a claim's value). */
export interface SignInRefusal {
  readonly ok: false;
  readonly code: HolderSignInCode;
  readonly details: ErrorDetails;
}

export type SignInStart = { readonly ok: true; readonly url: string; readonly sealed: string; readonly maxAgeSeconds: number } | SignInRefusal;

export type SignInFinish =
  | {
      readonly ok: true;
      /** The session's secret, for the holder's cookie. */
      readonly token: string;
      readonly expiresAt: Date;
      readonly principal: HolderPrincipal;
      /** A path under /me. */
      readonly returnTo: string;
      /** How the audit log names the holder. */
      readonly holderFingerprint: string;
    }
  | SignInRefusal;

export interface HolderSignInDependencies {
  /** Null when no identity platform is configured: every sign-in is refused with ERR_HOLDER_SIGN_IN_UNAVAILABLE. */
  readonly provider: HolderIdentityProvider | null;
  readonly seal: SignInSeal;
  readonly claimNames: HolderClaimNames;
  readonly sessions: Pick<HolderSessions, 'open' | 'resolve' | 'close'>;
  readonly fingerprinter: Pick<HolderFingerprinter, 'fingerprint'>;
  readonly clock: Clock;
}

/** How long a holder may take at the identity platform before the sign-in must start again. */
export const SIGN_IN_SECONDS = 600;

function refusal(error: unknown): SignInRefusal {
  if (isVaultError(error) && Object.hasOwn(HOLDER_SIGN_IN_ERRORS, error.code)) return { ok: false, code: error.code as HolderSignInCode, details: error.details ?? {} };
  throw error;
}

function sameText(a: string, b: string): boolean {
  const [left, right] = [Buffer.from(a), Buffer.from(b)];
  return left.length === right.length && timingSafeEqual(left, right);
}

/**
 * Holders sign in through the identity platform: `start` sends the browser
 * there with its checks sealed for the browser to keep; `finish` takes the
 * answer, validates it, maps the claims to a holder and opens a session.
 * Refusals are answers with a stable code, not exceptions: hostile callbacks
 * are expected.
 */
export class HolderSignIn {
  constructor(private readonly deps: HolderSignInDependencies) {}

  async start(returnTo: unknown): Promise<SignInStart> {
    if (!this.deps.provider) return { ok: false, code: 'ERR_HOLDER_SIGN_IN_UNAVAILABLE', details: { reason: 'not-configured' } };
    try {
      const { url, checks } = await this.deps.provider.authorizationRedirect();
      const expiresAt = this.deps.clock.now().getTime() + SIGN_IN_SECONDS * 1000;
      return { ok: true, url, sealed: this.deps.seal.seal({ ...checks, returnTo: safeReturnPath(returnTo), expiresAt }), maxAgeSeconds: SIGN_IN_SECONDS };
    } catch (error) {
      return refusal(error);
    }
  }

  async finish(callbackUrl: URL, sealed: string | undefined, origin?: RequestOrigin): Promise<SignInFinish> {
    const provider = this.deps.provider;
    if (!provider) return { ok: false, code: 'ERR_HOLDER_SIGN_IN_UNAVAILABLE', details: { reason: 'not-configured' } };
    const pending = this.deps.seal.open(sealed);
    if (!pending) return { ok: false, code: 'ERR_HOLDER_SIGN_IN_TRANSACTION', details: { cookie: sealed === undefined ? 'missing' : 'unusable' } };
    if (!sameText(callbackUrl.searchParams.get('state') ?? '', pending.state)) return { ok: false, code: 'ERR_HOLDER_SIGN_IN_STATE', details: {} };
    try {
      const names = this.deps.claimNames;
      const claims = await provider.complete(callbackUrl, pending, [names.citizen, names.organization]);
      const signedIn = holderFromClaims(claims, names, this.deps.clock);
      const opened = await this.deps.sessions.open(signedIn, origin);
      return { ok: true, ...opened, returnTo: pending.returnTo, holderFingerprint: this.deps.fingerprinter.fingerprint(signedIn.holder) };
    } catch (error) {
      return refusal(error);
    }
  }

  /** Ends the session of `token`; answers who it was, for the audit log, or null when it signed no one in. */
  async signOut(token: string | undefined): Promise<{ readonly principal: HolderPrincipal; readonly holderFingerprint: string } | null> {
    if (token === undefined) return null;
    const principal = await this.deps.sessions.resolve(token);
    await this.deps.sessions.close(token);
    return principal ? { principal, holderFingerprint: this.deps.fingerprinter.fingerprint(principal.holder) } : null;
  }
}
