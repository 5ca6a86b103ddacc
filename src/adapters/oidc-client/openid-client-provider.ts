import * as client from 'openid-client';
import type { HolderIdentityProvider, SignInChecks } from '../../modules/holders/index.js';
import { ConfigError, HolderSignInError } from '../../shared/errors.js';

export interface OpenIdClientOptions {
  /** The identity platform's issuer identifier: discovery reads `{issuer}/.well-known/openid-configuration`. */
  readonly issuer: string;
  readonly clientId: string;
  /** Sent with HTTP Basic authentication to the token endpoint (client_secret_basic). */
  readonly clientSecret: string;
  /** `{publicUrl}/me/callback`, registered with the platform. */
  readonly redirectUri: string;
  /** Space-separated, `openid` among them. */
  readonly scope: string;
  /** The vault's own address: an http:// issuer is accepted there (its development provider) and on loopback only. */
  readonly publicUrl: string;
  /** Seconds any one request to the platform may take. */
  readonly timeoutSeconds?: number;
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/** Whether plain http may be used to reach `issuer`: on this machine or at the vault's own address, never elsewhere. */
export function mayUseHttp(issuer: string, publicUrl: string): boolean {
  const url = new URL(issuer);
  return url.protocol === 'https:' || LOOPBACK.has(url.hostname) || url.origin === new URL(publicUrl).origin;
}

/** A short, safe token for logs out of an OAuth `error` value a remote server chose. */
function errorToken(value: unknown): string {
  return typeof value === 'string' && /^[\x20-\x7E]{1,64}$/.test(value) ? value.replace(/[^A-Za-z0-9_.-]/g, '_') : 'unknown';
}

/** Whether `error` is the platform being unreachable (refused, reset, timed out) rather than a wrong answer. */
function isUnreachable(error: unknown): boolean {
  // Duck-typed, not instanceof: fetch's errors may come from another realm than this module's Error.
  for (let cause: unknown = error, depth = 0; typeof cause === 'object' && cause !== null && depth < 8; depth++) {
    const { name, message, code } = cause as { name?: unknown; message?: unknown; code?: unknown };
    if (name === 'AbortError' || name === 'TimeoutError' || (name === 'TypeError' && message === 'fetch failed')) return true;
    if (typeof code === 'string' && /^(E[A-Z]+|UND_ERR_[A-Z_]+)$/.test(code)) return true;
    cause = (cause as { cause?: unknown }).cause;
  }
  return false;
}

/** The vault's failure for what openid-client threw: refused by the platform, failed validation, or unreachable. */
function signInError(error: unknown, step: string): HolderSignInError {
  if (error instanceof HolderSignInError) return error;
  if (error instanceof client.AuthorizationResponseError) return new HolderSignInError('ERR_HOLDER_SIGN_IN_REFUSED', undefined, { step, error: errorToken(error.error) });
  if (error instanceof client.ResponseBodyError)
    return new HolderSignInError('ERR_HOLDER_SIGN_IN_FAILED', undefined, { step, error: errorToken(error.error), status: error.status });
  if (isUnreachable(error)) return new HolderSignInError('ERR_HOLDER_SIGN_IN_UNAVAILABLE', undefined, { step, reason: 'unreachable' }, { cause: error });
  const code = error instanceof client.ClientError ? errorToken(error.code) : error instanceof Error ? errorToken(error.name) : 'unknown';
  return new HolderSignInError('ERR_HOLDER_SIGN_IN_FAILED', undefined, { step, error: code }, { cause: error });
}

/**
 * The identity platform through openid-client: discovery (once, on first
 * use, retried after a failure), an authorization request with PKCE (S256),
 * state and nonce, and the code exchange that validates the ID token
 * (signature, issuer, audience, expiry, nonce) before any claim is read.
 */
export class OpenIdClientIdentityProvider implements HolderIdentityProvider {
  private discovered: Promise<client.Configuration> | undefined;
  private readonly allowHttp: boolean;

  constructor(private readonly options: OpenIdClientOptions) {
    if (!mayUseHttp(options.issuer, options.publicUrl))
      throw new ConfigError('ERR_CONFIG_INVALID', 'VAULT_HOLDER_OIDC_ISSUER: must be https:// (plain http only on loopback or at the vault itself)', {
        variable: 'VAULT_HOLDER_OIDC_ISSUER',
      });
    this.allowHttp = new URL(options.issuer).protocol === 'http:';
  }

  private configuration(): Promise<client.Configuration> {
    this.discovered ??= client
      .discovery(new URL(this.options.issuer), this.options.clientId, undefined, client.ClientSecretBasic(this.options.clientSecret), {
        ...(this.allowHttp ? { execute: [client.allowInsecureRequests] } : {}),
        timeout: this.options.timeoutSeconds ?? 10,
      })
      .then((config) => {
        config.timeout = this.options.timeoutSeconds ?? 10;
        return config;
      })
      .catch((error: unknown) => {
        this.discovered = undefined;
        throw signInError(error, 'discovery');
      });
    return this.discovered;
  }

  async authorizationRedirect(): Promise<{ url: string; checks: SignInChecks }> {
    const config = await this.configuration();
    const checks = { state: client.randomState(), nonce: client.randomNonce(), codeVerifier: client.randomPKCECodeVerifier() };
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: this.options.redirectUri,
      response_type: 'code',
      scope: this.options.scope,
      state: checks.state,
      nonce: checks.nonce,
      code_challenge: await client.calculatePKCECodeChallenge(checks.codeVerifier),
      code_challenge_method: 'S256',
    });
    return { url: url.href, checks };
  }

  async complete(callbackUrl: URL, checks: SignInChecks, claimsWanted: readonly string[]): Promise<Readonly<Record<string, unknown>>> {
    const config = await this.configuration();
    let tokens: Awaited<ReturnType<typeof client.authorizationCodeGrant>>;
    try {
      tokens = await client.authorizationCodeGrant(config, callbackUrl, {
        pkceCodeVerifier: checks.codeVerifier,
        expectedState: checks.state,
        expectedNonce: checks.nonce,
        idTokenExpected: true,
      });
    } catch (error) {
      throw signInError(error, 'token');
    }
    const claims = tokens.claims();
    if (!claims) throw new HolderSignInError('ERR_HOLDER_SIGN_IN_FAILED', undefined, { step: 'token', error: 'no_id_token' });
    if (claimsWanted.some((claim) => claims[claim] !== undefined) || !config.serverMetadata().userinfo_endpoint) return claims;
    // Many platforms put the person's details in UserInfo only; its subject must be the ID token's.
    try {
      const userInfo = await client.fetchUserInfo(config, tokens.access_token, claims.sub);
      return { ...userInfo, ...claims };
    } catch (error) {
      throw signInError(error, 'userinfo');
    }
  }
}
