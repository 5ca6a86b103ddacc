import { randomBytes } from 'node:crypto';
import jwt from 'jsonwebtoken';
import {
  ACCESS_TOKEN_AUDIENCE,
  ROLES,
  type AccessTokenClaims,
  type IssuedAccessToken,
  type Role,
  type TokenIssuer,
  type TokenVerifier,
  type VerifiedAccessToken,
} from '../../modules/auth/index.js';
import type { Clock } from '../../shared/clock.js';
import { AuthenticationError } from '../../shared/errors.js';
import type { TokenSigningKey } from './signing-key.js';

export const TOKEN_ALGORITHM = 'ES256';

export interface JwtTokenOptions {
  readonly key: TokenSigningKey;
  /** `iss`: the vault's public URL. */
  readonly issuer: string;
  /** Token lifetime in seconds; also the maximum age accepted. */
  readonly ttlSeconds: number;
  readonly clock: Clock;
  /** `aud`; defaults to `license-vault-api`. */
  readonly audience?: string;
  /** Seconds of clock skew tolerated between API nodes (default 5). */
  readonly clockToleranceSeconds?: number;
}

function invalid(message: string, cause?: unknown): AuthenticationError {
  return new AuthenticationError('ERR_AUTH_TOKEN_INVALID', message, undefined, cause === undefined ? undefined : { cause });
}

function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/**
 * Access tokens as JWTs (RFC 7519) signed ES256 with jsonwebtoken.
 * Verification pins the algorithm, issuer, audience and maximum age — without
 * them jsonwebtoken 9 accepts a token with no `exp` or a wrong `aud`/`iss` —
 * and then requires every claim the vault puts in, `exp` included.
 */
/** Verified tokens remembered: an ES256 verification per request cost more than the rest of a look-up's authentication. */
const VERIFIED_CACHE_SIZE = 10_000;

export class JwtTokenService implements TokenIssuer, TokenVerifier {
  private readonly audience: string;
  private readonly tolerance: number;
  /** Tokens whose signature and claims were checked, by their exact text: only the clock is checked again. */
  private readonly verified = new Map<string, VerifiedAccessToken>();

  constructor(private readonly options: JwtTokenOptions) {
    this.audience = options.audience ?? ACCESS_TOKEN_AUDIENCE;
    this.tolerance = options.clockToleranceSeconds ?? 5;
  }

  async issue(claims: AccessTokenClaims): Promise<IssuedAccessToken> {
    const iat = Math.floor(this.options.clock.now().getTime() / 1000);
    const accessToken = jwt.sign(
      { role: claims.role, department: claims.department, sv: claims.tokenVersion, iat, exp: iat + this.options.ttlSeconds },
      this.options.key.privateKey,
      {
        algorithm: TOKEN_ALGORITHM,
        keyid: this.options.key.keyId,
        issuer: this.options.issuer,
        audience: this.audience,
        subject: claims.subject,
        jwtid: randomBytes(16).toString('base64url'),
      },
    );
    return { accessToken, tokenType: 'Bearer', expiresIn: this.options.ttlSeconds };
  }

  async verify(accessToken: string): Promise<VerifiedAccessToken> {
    const now = Math.floor(this.options.clock.now().getTime() / 1000);
    const known = this.verified.get(accessToken);
    if (known) {
      const issuedAt = known.issuedAt.getTime() / 1000;
      if (now < known.expiresAt.getTime() / 1000 + this.tolerance && now - issuedAt <= this.options.ttlSeconds + this.tolerance) return known;
      this.verified.delete(accessToken);
      throw invalid('the access token has expired');
    }
    const token = this.check(accessToken, now);
    this.verified.set(accessToken, token);
    if (this.verified.size > VERIFIED_CACHE_SIZE) this.verified.delete(this.verified.keys().next().value as string);
    return token;
  }

  /** The full check: ES256 signature, pinned algorithm, issuer, audience, age, and every claim. */
  private check(accessToken: string, now: number): VerifiedAccessToken {
    let decoded: jwt.Jwt;
    try {
      decoded = jwt.verify(accessToken, this.options.key.publicKey, {
        algorithms: [TOKEN_ALGORITHM],
        issuer: this.options.issuer,
        audience: this.audience,
        maxAge: this.options.ttlSeconds,
        clockTimestamp: now,
        clockTolerance: this.tolerance,
        complete: true,
      });
    } catch (error) {
      if (error instanceof jwt.TokenExpiredError) throw invalid('the access token has expired', error);
      throw invalid('the access token is invalid', error);
    }
    const { header, payload } = decoded;
    if (header.kid !== undefined && header.kid !== this.options.key.keyId) throw invalid('the access token was signed with an unknown key');
    if (typeof payload === 'string') throw invalid('the access token has no claims');
    const { sub, exp, iat, jti, role, department, sv } = payload as Record<string, unknown>;
    if (typeof exp !== 'number' || !Number.isFinite(exp)) throw invalid('the access token has no expiry');
    if (typeof iat !== 'number' || !Number.isFinite(iat) || iat > now + this.tolerance) throw invalid('the access token has no valid issue time');
    if (exp - iat > this.options.ttlSeconds) throw invalid('the access token lives longer than this vault issues');
    if (typeof sub !== 'string' || sub.length === 0) throw invalid('the access token has no subject');
    if (typeof jti !== 'string' || jti.length === 0) throw invalid('the access token has no id');
    if (!isRole(role)) throw invalid('the access token has no valid role');
    if (!(department === null || typeof department === 'string')) throw invalid('the access token has no valid department');
    if (typeof sv !== 'number' || !Number.isSafeInteger(sv) || sv < 1) throw invalid('the access token has no valid token version');
    return { subject: sub, role, department, tokenVersion: sv, tokenId: jti, issuedAt: new Date(iat * 1000), expiresAt: new Date(exp * 1000) };
  }
}
