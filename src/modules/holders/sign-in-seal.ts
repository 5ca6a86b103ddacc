import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Clock } from '../../shared/clock.js';
import type { SignInChecks } from './identity-provider.js';

/** A sign-in under way: its checks, where to go after it, and until when it may finish. */
export interface PendingSignIn extends SignInChecks {
  /** A path under /me ({@link safeReturnPath}). */
  readonly returnTo: string;
  /** Milliseconds since the epoch. */
  readonly expiresAt: number;
}

export const SIGN_IN_KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
/** Bound into every seal, so that a value sealed for something else under the same key never opens as a sign-in. */
const CONTEXT = Buffer.from('license-vault holder sign-in v1');
const SEALED_SHAPE = /^[A-Za-z0-9_-]{40,2000}$/;

/**
 * Seals a pending sign-in into a value the browser keeps (a cookie) and
 * nobody can read or change: AES-256-GCM under a key every node shares. The
 * vault keeps nothing per sign-in, so any node can finish what another began.
 */
export class SignInSeal {
  private readonly key: Buffer;

  constructor(
    key: Uint8Array,
    private readonly clock: Clock,
  ) {
    if (key.length !== SIGN_IN_KEY_BYTES) throw new TypeError(`SignInSeal: the key must have ${SIGN_IN_KEY_BYTES} bytes`);
    this.key = Buffer.from(key);
  }

  seal(pending: PendingSignIn): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv).setAAD(CONTEXT);
    const body = Buffer.concat([cipher.update(JSON.stringify(pending), 'utf8'), cipher.final()]);
    return Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64url');
  }

  /** The pending sign-in, or null when `sealed` is missing, altered, sealed under another key, malformed or expired. */
  open(sealed: string | undefined): PendingSignIn | null {
    if (sealed === undefined || !SEALED_SHAPE.test(sealed)) return null;
    const bytes = Buffer.from(sealed, 'base64url');
    if (bytes.length <= IV_BYTES + TAG_BYTES) return null;
    let text: string;
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, bytes.subarray(0, IV_BYTES)).setAAD(CONTEXT);
      decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
      text = Buffer.concat([decipher.update(bytes.subarray(IV_BYTES, bytes.length - TAG_BYTES)), decipher.final()]).toString('utf8');
    } catch {
      return null;
    }
    const pending = JSON.parse(text) as PendingSignIn;
    return pending.expiresAt > this.clock.now().getTime() ? pending : null;
  }
}

const RETURN_PATH = /^\/me(?:\/[A-Za-z0-9_~-][A-Za-z0-9._~-]*)*\/?$/;

/**
 * Where a holder may be sent back after signing in: a path under /me, never
 * another site (`//evil.example`, `/\evil`, `https://…`) and never a query,
 * so the sign-in cannot be made an open redirect; no dot segment or percent
 * sign (`/me/%2e%2e/`) leaves /me either. Anything else is /me.
 */
export function safeReturnPath(requested: unknown): string {
  return typeof requested === 'string' && requested.length <= 200 && RETURN_PATH.test(requested) ? requested : '/me';
}
