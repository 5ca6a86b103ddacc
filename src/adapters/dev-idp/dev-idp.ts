import type { IncomingMessage, ServerResponse } from 'node:http';
import Provider, { type AccountClaims, type Grant, type KoaContextLike } from 'oidc-provider';
import type { HolderClaimNames } from '../../modules/holders/index.js';
import type { DevIdpKeys } from './dev-idp-keys.js';
import type { DevIdpAccount, DevIdpHolderDirectory } from './holder-directory.js';
import { errorPage, loginPage } from './pages.js';

/** Where the vault mounts the development provider: its issuer is `{publicUrl}/dev-idp`. */
export const DEV_IDP_PATH = '/dev-idp';
/** The vault's client id at the development provider. */
export const DEV_IDP_CLIENT_ID = 'license-vault';

export interface DevIdentityProviderOptions {
  /** The vault's public URL, without a trailing slash. */
  readonly publicUrl: string;
  readonly keys: DevIdpKeys;
  readonly holders: DevIdpHolderDirectory;
  /** The claims the vault reads (VAULT_HOLDER_OIDC_*_CLAIM): the provider releases each holder's number and name under them. */
  readonly claimNames: HolderClaimNames;
  /** Believe X-Forwarded-Proto/Host (the vault runs behind a proxy). */
  readonly behindProxy: boolean;
}

/** The development provider: its issuer, the vault's client at it, and the request handler to mount at {@link DEV_IDP_PATH}. */
export interface DevIdentityProvider {
  readonly issuer: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** Serves requests whose URL has the mount path stripped, as express's `app.use(path, handler)` passes them. */
  readonly handle: (req: IncomingMessage, res: ServerResponse) => void;
}

const LOGIN_FORM_BYTES = 4096;

/** The urlencoded body of a sign-in form, read up to a few KiB. */
async function formOf(req: IncomingMessage): Promise<URLSearchParams | null> {
  if (!String(req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) return null;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > LOGIN_FORM_BYTES) return null;
    chunks.push(chunk);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

function claimsOf(account: DevIdpAccount, names: HolderClaimNames): AccountClaims {
  return { sub: account.sub, [account.type === 'citizen' ? names.citizen : names.organization]: account.number, [names.name]: account.name };
}

/**
 * A real OpenID provider (oidc-provider) for development and tests, standing
 * in for the province's identity platform: authorization code flow with PKCE
 * required, RS256 ID tokens, the holder's number and name released under the
 * `profile` scope (in UserInfo, as many platforms do). Its own pages: the
 * sign-in form (证件号码, 密码, 登录); consent is granted automatically, the
 * vault being its only, first-party client. Its state (interactions, codes,
 * sessions) is in oidc-provider's in-memory adapter: one process only, which
 * is acceptable for a development stand-in and nowhere else.
 */
export function createDevIdentityProvider(options: DevIdentityProviderOptions): DevIdentityProvider {
  const issuer = `${options.publicUrl}${DEV_IDP_PATH}`;
  const interactionPath = (uid: string) => `${new URL(issuer).pathname}/interaction/${uid}`;
  const provider: Provider = new Provider(issuer, {
    clients: [
      {
        client_id: DEV_IDP_CLIENT_ID,
        client_secret: options.keys.clientSecret,
        redirect_uris: [`${options.publicUrl}/me/callback`],
        response_types: ['code'],
        grant_types: ['authorization_code'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    jwks: { keys: [options.keys.signingKey] },
    cookies: { keys: [options.keys.cookieKey] },
    claims: { openid: ['sub'], profile: [options.claimNames.name, options.claimNames.citizen, options.claimNames.organization] },
    features: { devInteractions: { enabled: false }, rpInitiatedLogout: { enabled: false } },
    responseTypes: ['code'],
    pkce: { required: () => true },
    ttl: { AccessToken: 600, AuthorizationCode: 60, IdToken: 600, Interaction: 600, Session: 3600, Grant: 3600 },
    interactions: { url: (_ctx, interaction) => interactionPath(interaction.uid) },
    findAccount: async (_ctx, sub) => {
      const account = options.holders.bySubject(sub);
      return account ? { accountId: sub, claims: () => claimsOf(account, options.claimNames) } : undefined;
    },
    // The vault is the only client and first-party: what it asks for is granted without a consent page.
    loadExistingGrant: async (ctx): Promise<Grant | undefined> => {
      const { client, session } = ctx.oidc;
      if (!client || !session?.accountId) return undefined;
      const existing = ctx.oidc.result?.consent?.grantId ?? session.grantIdFor(client.clientId);
      if (existing) return provider.Grant.find(existing);
      const grant = new provider.Grant({ accountId: session.accountId, clientId: client.clientId });
      grant.addOIDCScope([...ctx.oidc.requestParamScopes].join(' '));
      grant.addOIDCClaims([...ctx.oidc.requestParamClaims]);
      await grant.save();
      return grant;
    },
    renderError: async (ctx, out) => {
      ctx.type = 'html';
      ctx.body = errorPage(typeof out.error === 'string' ? out.error : 'server_error');
    },
  });
  provider.proxy = options.behindProxy;
  provider.use(async (ctx: KoaContextLike, next: () => Promise<void>) => {
    const match = /^\/interaction\/([A-Za-z0-9_-]{1,64})(\/login)?$/.exec(ctx.path);
    if (!match) return next();
    try {
      await interaction(provider, ctx, options.holders, `${interactionPath(match[1]!)}/login`, Boolean(match[2]));
    } catch (error) {
      // An unknown or expired interaction (oidc-provider's errors carry an OAuth code and a status): the provider's own error page.
      const { error: code, status } = error as { error?: unknown; status?: unknown };
      if (typeof code !== 'string' || typeof status !== 'number') throw error;
      ctx.status = status;
      ctx.type = 'html';
      ctx.body = errorPage(code);
    }
  });
  return { issuer, clientId: DEV_IDP_CLIENT_ID, clientSecret: options.keys.clientSecret, handle: provider.callback() };
}

/** The sign-in form (GET), its submission (POST …/login), and any other prompt answered for the first-party client. */
async function interaction(provider: Provider, ctx: KoaContextLike, holders: DevIdpHolderDirectory, formAction: string, submitted: boolean): Promise<void> {
  const details = await provider.interactionDetails(ctx.req, ctx.res);
  const show = (failed: boolean) => {
    ctx.status = failed ? 401 : 200;
    ctx.set('Cache-Control', 'no-store');
    ctx.type = 'html';
    ctx.body = loginPage(formAction, { failed });
  };
  if (details.prompt.name !== 'login') {
    // Consent (or any other prompt) for the vault itself: grant what it asked for.
    const accountId = details.session?.accountId;
    if (!accountId) return show(false);
    const grant = new provider.Grant({ accountId, clientId: DEV_IDP_CLIENT_ID });
    grant.addOIDCScope(typeof details.params.scope === 'string' ? details.params.scope : 'openid');
    const grantId = await grant.save();
    ctx.respond = false;
    return provider.interactionFinished(ctx.req, ctx.res, { consent: { grantId } }, { mergeWithLastSubmission: true });
  }
  if (!submitted || ctx.method !== 'POST') return show(false);
  const form = await formOf(ctx.req);
  const account = form ? await holders.signIn(form.get('number') ?? '', form.get('password') ?? '') : null;
  if (!account) return show(true);
  ctx.respond = false;
  await provider.interactionFinished(ctx.req, ctx.res, { login: { accountId: account.sub } }, { mergeWithLastSubmission: false });
}
