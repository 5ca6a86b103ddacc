import type { Role } from './account.js';

/** What an access token says about its holder, as the vault issues it. */
export interface AccessTokenClaims {
  /** The account's client id (`sub`). */
  readonly subject: string;
  readonly role: Role;
  /** Credit code of the issuer's department; null for other roles. */
  readonly department: string | null;
  /** The account's token version when the token was issued (the JWT claim `sv`, its name kept from when it counted secret rotations only). */
  readonly tokenVersion: number;
}

/** A token whose signature, algorithm, issuer, audience and lifetime checked out. */
export interface VerifiedAccessToken extends AccessTokenClaims {
  readonly tokenId: string;
  readonly issuedAt: Date;
  readonly expiresAt: Date;
}

export interface IssuedAccessToken {
  readonly accessToken: string;
  readonly tokenType: 'Bearer';
  /** Seconds until it expires. */
  readonly expiresIn: number;
}

/** Mints short-lived signed access tokens. */
export interface TokenIssuer {
  issue(claims: AccessTokenClaims): Promise<IssuedAccessToken>;
}

/**
 * Checks an access token. Rejects with ERR_AUTH_TOKEN_INVALID (an
 * AuthenticationError) for anything it does not fully trust: bad signature,
 * unexpected algorithm, issuer or audience, missing or past `exp`, too old.
 */
export interface TokenVerifier {
  verify(accessToken: string): Promise<VerifiedAccessToken>;
}

/** The audience of every access token the vault issues. */
export const ACCESS_TOKEN_AUDIENCE = 'license-vault-api';

/** Longest Authorization token accepted before any parsing. */
export const MAX_ACCESS_TOKEN_LENGTH = 4096;
