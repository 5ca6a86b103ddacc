import type { DevIdentityProvider } from '../adapters/dev-idp/dev-idp.js';
import { loadOrCreateDevIdpKeys } from '../adapters/dev-idp/dev-idp-keys.js';
import { DevIdpHolderDirectory, readDevIdpHolders } from '../adapters/dev-idp/holder-directory.js';
import { loadOrCreateSignInKey } from '../adapters/keys/sign-in-key.js';
import { OpenIdClientIdentityProvider } from '../adapters/oidc-client/openid-client-provider.js';
import type { Config } from '../config/index.js';
import { HolderSignIn, SignInSeal, type HolderIdentityProvider, type HolderSignInDependencies } from '../modules/holders/index.js';
import type { Logger } from '../shared/logger.js';

export type HolderSignInConfig = Pick<Config, 'production' | 'demoSetup' | 'store' | 'holderOidc' | 'publicUrl' | 'certsDir' | 'dataDir' | 'trustProxy'>;

/** The development identity provider runs when no platform is configured, on the embedded store with the demo set-up, never in production. */
export function usesDevIdentityProvider(config: Pick<Config, 'production' | 'demoSetup' | 'store' | 'holderOidc'>): boolean {
  return config.holderOidc.issuer === null && config.demoSetup === 'auto' && config.store.kind === 'sqlite' && !config.production;
}

export interface ConfiguredHolderSignIn {
  readonly signIn: HolderSignIn;
  /** Mounted at its path (/dev-idp) when it runs. */
  readonly devIdentityProvider: { readonly path: string; readonly handle: DevIdentityProvider['handle'] } | null;
}

/**
 * Holders' sign-in as configured: the province's platform
 * (VAULT_HOLDER_OIDC_ISSUER), else the development provider inside the vault,
 * else none (every sign-in is refused with ERR_HOLDER_SIGN_IN_UNAVAILABLE).
 */
export async function configureHolderSignIn(
  config: HolderSignInConfig,
  deps: Pick<HolderSignInDependencies, 'sessions' | 'fingerprinter' | 'clock'> & { readonly logger: Logger },
): Promise<ConfiguredHolderSignIn> {
  const sealKey = await loadOrCreateSignInKey(config.certsDir);
  if (sealKey.created) deps.logger.warn('created the holder sign-in key: API nodes must share this file', { file: sealKey.file });
  const redirectUri = `${config.publicUrl}/me/callback`;
  const common = { seal: new SignInSeal(sealKey.key, deps.clock), claimNames: config.holderOidc.claims, ...deps };
  const relyingParty = (issuer: string, clientId: string, clientSecret: string): HolderIdentityProvider =>
    new OpenIdClientIdentityProvider({ issuer, clientId, clientSecret, redirectUri, scope: config.holderOidc.scope, publicUrl: config.publicUrl });

  const platform = config.holderOidc.issuer;
  if (platform !== null) {
    deps.logger.info('holders sign in at the identity platform', { issuer: platform.url, redirectUri });
    return { signIn: new HolderSignIn({ ...common, provider: relyingParty(platform.url, platform.clientId, platform.clientSecret) }), devIdentityProvider: null };
  }
  if (!usesDevIdentityProvider(config)) {
    deps.logger.info('holder sign-in is off: set VAULT_HOLDER_OIDC_ISSUER, _CLIENT_ID and _CLIENT_SECRET');
    return { signIn: new HolderSignIn({ ...common, provider: null }), devIdentityProvider: null };
  }
  const dev = await startDevIdentityProvider(config);
  deps.logger.warn('holders sign in at the DEVELOPMENT identity provider inside the vault, for development only: set VAULT_HOLDER_OIDC_ISSUER for a real one', {
    issuer: dev.issuer,
    holders: dev.holderCount,
  });
  return {
    signIn: new HolderSignIn({ ...common, provider: relyingParty(dev.issuer, dev.clientId, dev.clientSecret) }),
    devIdentityProvider: { path: dev.path, handle: dev.handle },
  };
}

/** Loaded only when it runs: production never loads oidc-provider. */
async function startDevIdentityProvider(config: HolderSignInConfig): Promise<DevIdentityProvider & { readonly path: string; readonly holderCount: number }> {
  const { createDevIdentityProvider, DEV_IDP_PATH } = await import('../adapters/dev-idp/dev-idp.js');
  const keys = await loadOrCreateDevIdpKeys(config.certsDir);
  const holders = await readDevIdpHolders(config.dataDir);
  const provider = createDevIdentityProvider({
    publicUrl: config.publicUrl,
    keys,
    holders: new DevIdpHolderDirectory(holders),
    claimNames: config.holderOidc.claims,
    behindProxy: config.trustProxy !== false,
  });
  return { ...provider, path: DEV_IDP_PATH, holderCount: holders.length };
}
