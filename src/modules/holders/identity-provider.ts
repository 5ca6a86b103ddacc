/**
 * The checks the vault keeps, in the holder's browser, between sending it to
 * the identity platform and its coming back: never in one node's memory.
 */
export interface SignInChecks {
  /** Ties the answer to this browser's request (CSRF). */
  readonly state: string;
  /** Ties the ID token to this request (replay). */
  readonly nonce: string;
  /** PKCE (S256): only who started the request can redeem its code. */
  readonly codeVerifier: string;
}

/**
 * The province's identity platform (统一身份认证) as the vault uses it: an
 * OpenID Connect provider, the vault its relying party (authorization code
 * flow with PKCE, state and nonce). The adapter holds the protocol; the
 * module decides who the claims name.
 */
export interface HolderIdentityProvider {
  /** Where to send the browser, and the checks to keep until it comes back. @throws HolderSignInError ERR_HOLDER_SIGN_IN_UNAVAILABLE */
  authorizationRedirect(): Promise<{ readonly url: string; readonly checks: SignInChecks }>;
  /**
   * Validates the answer at `callbackUrl` against `checks`, redeems its code
   * and returns the claims of the validated ID token (and of the UserInfo
   * endpoint when the ID token carries no holder number).
   * @throws HolderSignInError ERR_HOLDER_SIGN_IN_REFUSED, ERR_HOLDER_SIGN_IN_FAILED or ERR_HOLDER_SIGN_IN_UNAVAILABLE
   */
  complete(callbackUrl: URL, checks: SignInChecks, claimsWanted: readonly string[]): Promise<Readonly<Record<string, unknown>>>;
}
