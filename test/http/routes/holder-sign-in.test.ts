import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { DEV_IDP_HOLDERS_FILE, type DevIdpHolder } from '../../../src/adapters/dev-idp/holder-directory.js';
import { configureHolderSignIn, usesDevIdentityProvider, type HolderSignInConfig } from '../../../src/composition/holder-sign-in.js';
import { hashSecret } from '../../../src/modules/auth/index.js';
import { SignInSeal } from '../../../src/modules/holders/index.js';
import { BrowserSession } from '../../support/browser-session.js';
import { holderSessionsOf } from '../../support/holder-session.js';
import { capturedLogger } from '../../support/log-capture.js';
import { mountedApp } from '../../support/mounted-app.js';
import { openVaultHarness, type VaultHarness } from '../../support/vault-harness.js';

const CITIZEN = { type: 'citizen', number: '11010519491231002X', name: '李秀英', password: 'citizen-pass-1' } as const;
const COMPANY = { type: 'organization', number: '91350100M000100Y43', name: '福州演示科技有限公司', password: 'company-pass-1' } as const;
/** A platform account whose number fails its check character: the platform vouches for it, the vault must not. */
const BAD_NUMBER = '110105194912310021';
const BROKEN = { type: 'citizen', number: BAD_NUMBER, name: '王五', password: 'broken-pass-1' } as const;

const CLAIMS = { citizen: 'id_card_number', organization: 'credit_code', name: 'name' };

function listen(server: Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
}

describe('holders sign in over OpenID Connect: the real flow against the development provider at /dev-idp', () => {
  let vault: VaultHarness;
  let dir: string;
  let server: Server;
  let base: string;
  let log: ReturnType<typeof capturedLogger>;
  let seal: SignInSeal;

  beforeAll(async () => {
    vault = await openVaultHarness();
    // The provider and the client read the real clock; the session cookie's Expires must be in the browser's future.
    vault.clock.set(new Date().toISOString());
    dir = mkdtempSync(join(tmpdir(), 'vault-oidc-'));
    const dataDir = join(dir, 'data');
    mkdirSync(dataDir);
    const holders: DevIdpHolder[] = await Promise.all(
      [CITIZEN, COMPANY, BROKEN].map(async ({ type, number, name, password }) => ({ type, number, name, passwordHash: await hashSecret(password) })),
    );
    writeFileSync(join(dataDir, DEV_IDP_HOLDERS_FILE), JSON.stringify(holders));
    server = createServer();
    base = `http://127.0.0.1:${await listen(server)}`;
    log = capturedLogger();
    const config: HolderSignInConfig = {
      production: false,
      demoSetup: 'auto',
      store: { kind: 'sqlite', file: join(dataDir, 'vault.db') },
      holderOidc: { issuer: null, scope: 'openid profile', claims: CLAIMS },
      publicUrl: base,
      certsDir: vault.certsDir,
      dataDir,
      trustProxy: false,
    };
    const holderSignIn = await configureHolderSignIn(config, { sessions: holderSessionsOf(vault), fingerprinter: vault.fingerprinter, clock: vault.clock, logger: log.logger });
    expect(holderSignIn.devIdentityProvider?.path).toBe('/dev-idp');
    seal = new SignInSeal(Buffer.from(readFileSync(join(vault.certsDir, 'holder-sign-in.key'), 'utf8').trim(), 'base64url'), vault.clock);
    server.on('request', mountedApp(vault, { logger: log.logger, jsonLimitBytes: 1024 * 1024, publicUrl: base, holderSignIn }));
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await vault.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const isCallback = (location: URL) => location.origin === base && location.pathname === '/me/callback';

  /** Starts a sign-in and walks to the provider's sign-in form: the browser, and the form's action. */
  async function atLoginForm(returnTo?: string): Promise<{ browser: BrowserSession; action: string; page: string }> {
    const browser = new BrowserSession(base);
    const start = await browser.request(`/me/sign-in${returnTo === undefined ? '' : `?returnTo=${encodeURIComponent(returnTo)}`}`);
    expect(start.status).toBe(302);
    const authorization = new URL(start.headers.get('location')!);
    expect(authorization.href.startsWith(`${base}/dev-idp/`)).toBe(true);
    expect(Object.fromEntries(authorization.searchParams)).toMatchObject({
      response_type: 'code',
      client_id: 'license-vault',
      redirect_uri: `${base}/me/callback`,
      scope: 'openid profile',
      code_challenge_method: 'S256',
      state: expect.any(String),
      nonce: expect.any(String),
      code_challenge: expect.any(String),
    });
    const { response } = await browser.follow(authorization.href);
    expect(response.status).toBe(200);
    const page = await response.text();
    const action = /<form method="post" action="([^"]+)"/.exec(page)?.[1];
    expect(action).toMatch(/^\/dev-idp\/interaction\/[A-Za-z0-9_-]+\/login$/);
    return { browser, action: action!, page };
  }

  /** Signs in at the provider and stops at the redirect back to the vault: the callback URL and the sign-in cookie the browser holds. */
  async function atCallback(holder: { number: string; password: string }, returnTo?: string): Promise<{ browser: BrowserSession; callback: URL }> {
    const { browser, action } = await atLoginForm(returnTo);
    const submitted = await browser.request(action, { form: { number: holder.number, password: holder.password } });
    expect(submitted.status).toBe(303);
    const { location } = await browser.follow(new URL(submitted.headers.get('location')!, base).href, isCallback);
    expect(location).not.toBeNull();
    return { browser, callback: location! };
  }

  const signInCookieOf = (browser: BrowserSession) => browser.cookie('vault_holder_signin')!.value;
  const auditActions = async () => (await vault.store.audit.list(0, 10_000)).map((entry) => ({ action: entry.action, actor: entry.actor.id, details: entry.details }));

  test('a citizen signs in: form, code exchange with PKCE, session cookie, and a holder-only route answers', async () => {
    const { browser, page } = await atLoginForm('/me/licenses');
    expect(page).toContain('aria-label="证件号码"');
    expect(page).toContain('aria-label="密码"');
    expect(page).toContain('<button type="submit">登录</button>');
    expect(browser.cookie('vault_holder_signin')?.attributes).toMatch(/^Max-Age=600; Path=\/me\/callback; Expires=.*; HttpOnly; SameSite=Lax$/);

    const { browser: signedIn, callback } = await atCallback(CITIZEN, '/me/licenses');
    expect(callback.searchParams.get('iss')).toBe(`${base}/dev-idp`);
    const answer = await signedIn.request(callback.href);
    expect(answer.status).toBe(302);
    expect(answer.headers.get('location')).toBe('/me/licenses');
    const session = signedIn.cookie('vault_holder');
    expect(session?.attributes).toMatch(/^Path=\/; Expires=.*; HttpOnly; SameSite=Lax$/);
    expect(signedIn.cookie('vault_holder_signin')).toBeUndefined();

    const me = await signedIn.request('/api/v1/me');
    expect(me.status).toBe(200);
    expect(await me.json()).toEqual({ holder: { type: 'citizen', number: '110105********002X', name: '李秀英' } });

    const fingerprint = vault.fingerprinter.fingerprint({ type: 'citizen', value: CITIZEN.number });
    expect(await auditActions()).toContainEqual({
      action: 'holder.signin',
      actor: 'holder:110105********002X',
      details: { holderFingerprint: fingerprint, holderType: 'citizen', sessionId: expect.any(String) },
    });
  });

  test('a company signs in with its credit code (its legal representative at the platform)', async () => {
    const { browser, callback } = await atCallback(COMPANY);
    expect((await browser.request(callback.href)).headers.get('location')).toBe('/me');
    expect(await (await browser.request('/api/v1/me')).json()).toEqual({ holder: { type: 'organization', number: COMPANY.number, name: COMPANY.name } });
  });

  test('a wrong password gets the provider’s message and no session', async () => {
    const { browser, action } = await atLoginForm();
    const refused = await browser.request(action, { form: { number: CITIZEN.number, password: 'wrong password' } });
    expect(refused.status).toBe(401);
    expect(await refused.text()).toContain('证件号码或密码不正确');
    const unknown = await browser.request(action, { form: { number: '11010519800101001X', password: CITIZEN.password } });
    expect(unknown.status).toBe(401);
    expect(browser.cookie('vault_holder')).toBeUndefined();
    expect((await browser.request('/api/v1/me')).status).toBe(401);
  });

  test('the provider answers a sign-in form it did not start, or a request from an unknown client, with its own error page', async () => {
    const stray = await new BrowserSession(base).request('/dev-idp/interaction/not-a-real-one');
    expect(stray.status).toBe(400);
    expect(await stray.text()).toContain('认证出错');
    const foreign = await new BrowserSession(base).request(
      `/dev-idp/auth?client_id=someone-else&response_type=code&scope=openid&redirect_uri=${encodeURIComponent('https://evil.example/cb')}`,
    );
    expect(foreign.status).toBe(400);
    expect(await foreign.text()).toContain('invalid_client');
  });

  test('an answer whose state was changed is refused with ERR_HOLDER_SIGN_IN_STATE, and opens no session', async () => {
    const { browser, callback } = await atCallback(CITIZEN);
    callback.searchParams.set('state', 'x'.repeat(43));
    const refused = await browser.request(callback.href);
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain('data-code="ERR_HOLDER_SIGN_IN_STATE"');
    expect(browser.cookie('vault_holder')).toBeUndefined();
  });

  test('an answer replayed after it signed in is refused (the code is used) and opens no second session', async () => {
    const { browser, callback } = await atCallback(CITIZEN);
    const sealed = signInCookieOf(browser);
    expect((await browser.request(callback.href)).status).toBe(302);
    const replay = new BrowserSession(base);
    const refused = await replay.request(callback.href, { cookie: `vault_holder_signin=${sealed}` });
    expect(refused.status).toBe(401);
    expect(await refused.text()).toContain('data-code="ERR_HOLDER_SIGN_IN_FAILED"');
    expect(replay.cookie('vault_holder')).toBeUndefined();
    expect(log.lines()).toContainEqual(expect.objectContaining({ msg: 'holder sign-in refused', code: 'ERR_HOLDER_SIGN_IN_FAILED', step: 'token', error: 'invalid_grant' }));
  });

  test('without the sign-in cookie the answer is refused with ERR_HOLDER_SIGN_IN_TRANSACTION', async () => {
    const { callback } = await atCallback(CITIZEN);
    const stranger = new BrowserSession(base);
    const refused = await stranger.request(callback.href);
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain('data-code="ERR_HOLDER_SIGN_IN_TRANSACTION"');
    expect(stranger.cookie('vault_holder')).toBeUndefined();
  });

  test('a PKCE verifier or nonce other than the request’s is refused by the token endpoint or the ID token check', async () => {
    for (const change of [{ codeVerifier: 'v'.repeat(43) }, { nonce: 'n'.repeat(43) }]) {
      const { browser, callback } = await atCallback(CITIZEN);
      const pending = seal.open(signInCookieOf(browser))!;
      expect(pending.state).toBe(callback.searchParams.get('state'));
      const refused = await browser.request(callback.href, { cookie: `vault_holder_signin=${seal.seal({ ...pending, ...change })}` });
      expect(refused.status).toBe(401);
      expect(await refused.text()).toContain('data-code="ERR_HOLDER_SIGN_IN_FAILED"');
      expect(browser.cookie('vault_holder')).toBeUndefined();
    }
    const reasons = log
      .lines()
      .filter((line) => line.msg === 'holder sign-in refused')
      .map((line) => line.error);
    expect(reasons).toEqual(expect.arrayContaining(['invalid_grant', 'OAUTH_JWT_CLAIM_COMPARISON_FAILED']));
  });

  test('a token whose ID number is not valid is refused with ERR_HOLDER_CLAIM_INVALID, and the number is in no log line or audit entry', async () => {
    const { browser, callback } = await atCallback(BROKEN);
    const refused = await browser.request(callback.href);
    expect(refused.status).toBe(403);
    const page = await refused.text();
    expect(page).toContain('data-code="ERR_HOLDER_CLAIM_INVALID"');
    expect(page).toContain('证件号码无效');
    expect(browser.cookie('vault_holder')).toBeUndefined();
    expect(log.lines()).toContainEqual(
      expect.objectContaining({
        msg: 'holder sign-in refused',
        code: 'ERR_HOLDER_CLAIM_INVALID',
        claim: 'id_card_number',
        rule: 'ERR_CITIZEN_ID_CHECKSUM',
        shape: { type: 'string', length: 18, characters: 'digits' },
      }),
    );
    expect(await auditActions()).toContainEqual(
      expect.objectContaining({ action: 'holder.signin.refused', details: expect.objectContaining({ code: 'ERR_HOLDER_CLAIM_INVALID' }) }),
    );
    expect(log.text()).not.toContain(BAD_NUMBER);
    expect(log.text()).not.toContain(BAD_NUMBER.slice(6, 14));
    expect(JSON.stringify(await vault.store.audit.list(0, 10_000))).not.toContain(BAD_NUMBER);
  });

  test('the return path is only ever a path under /me', async () => {
    for (const returnTo of ['//evil.example/me', 'https://evil.example/', '/me/../admin']) {
      const { browser, callback } = await atCallback(CITIZEN, returnTo);
      expect((await browser.request(callback.href)).headers.get('location')).toBe('/me');
    }
  });

  test('signing out needs the vault’s own Origin, ends the session and clears its cookie', async () => {
    const { browser, callback } = await atCallback(CITIZEN);
    await browser.request(callback.href);
    const foreign = await browser.request('/me/sign-out', { method: 'POST', headers: { origin: 'https://evil.example' } });
    expect(foreign.status).toBe(403);
    expect(((await foreign.json()) as { code: string }).code).toBe('ERR_ORIGIN_REFUSED');
    expect((await browser.request('/api/v1/me')).status).toBe(200);
    const token = browser.cookie('vault_holder')!.value;

    const out = await browser.request('/me/sign-out', { method: 'POST', headers: { origin: base } });
    expect(out.status).toBe(303);
    expect(out.headers.get('location')).toBe('/');
    expect(browser.cookie('vault_holder')).toBeUndefined();
    // A 用证码 or share link kept to be shown again is forgotten too.
    expect(out.headers.getSetCookie().find((line) => line.startsWith('vault_holder_once='))).toMatch(/^vault_holder_once=;.*Path=\/me;.*Expires=Thu, 01 Jan 1970/);
    const afterwards = await new BrowserSession(base).request('/api/v1/me', { cookie: `vault_holder=${token}` });
    expect(afterwards.status).toBe(401);
    expect((await auditActions()).map((entry) => entry.action)).toContain('holder.signout');
  });
});

describe('without a configured platform and with VAULT_DEMO_SETUP=off', () => {
  let vault: VaultHarness;
  beforeAll(async () => {
    vault = await openVaultHarness();
  });
  afterAll(() => vault.close());

  const configFor = (change: Partial<HolderSignInConfig>): HolderSignInConfig => ({
    production: false,
    demoSetup: 'off',
    store: { kind: 'sqlite', file: join(vault.dir, 'vault.db') },
    holderOidc: { issuer: null, scope: 'openid profile', claims: CLAIMS },
    publicUrl: 'http://127.0.0.1:9',
    certsDir: vault.certsDir,
    dataDir: vault.dir,
    trustProxy: false,
    ...change,
  });

  test('the development provider runs only on the embedded store, with the demo set-up, without a platform, outside production', () => {
    const dev = configFor({ demoSetup: 'auto' });
    expect(usesDevIdentityProvider(dev)).toBe(true);
    expect(usesDevIdentityProvider({ ...dev, production: true })).toBe(false);
    expect(usesDevIdentityProvider({ ...dev, demoSetup: 'off' })).toBe(false);
    expect(usesDevIdentityProvider({ ...dev, store: { kind: 'mongo', uri: 'mongodb://db.example/vault' } })).toBe(false);
    expect(usesDevIdentityProvider({ ...dev, holderOidc: { ...dev.holderOidc, issuer: { url: 'https://sso.example.gov.cn', clientId: 'v', clientSecret: 's' } } })).toBe(false);
  });

  test('a platform that cannot be reached makes signing in say so (ERR_HOLDER_SIGN_IN_UNAVAILABLE), and an http:// one elsewhere than loopback is refused at start', async () => {
    const log = capturedLogger();
    const deps = { sessions: holderSessionsOf(vault), fingerprinter: vault.fingerprinter, clock: vault.clock, logger: log.logger };
    // A loopback port that was just free again: the connection is refused.
    const closed = createServer();
    const port = await listen(closed);
    await new Promise((resolve) => closed.close(resolve));
    const unreachable = configFor({ holderOidc: { issuer: { url: `http://127.0.0.1:${port}/oidc`, clientId: 'v', clientSecret: 's' }, scope: 'openid', claims: CLAIMS } });
    const app = mountedApp(vault, { logger: log.logger, jsonLimitBytes: 1024, holderSignIn: await configureHolderSignIn(unreachable, deps) });
    const refused = await request(app).get('/me/sign-in').expect(503);
    expect(refused.text).toContain('data-code="ERR_HOLDER_SIGN_IN_UNAVAILABLE"');
    expect(log.lines()).toContainEqual(expect.objectContaining({ msg: 'holder sign-in refused', step: 'discovery', reason: 'unreachable' }));
    const plainHttp = configFor({ holderOidc: { issuer: { url: 'http://sso.example.gov.cn/oidc', clientId: 'v', clientSecret: 's' }, scope: 'openid', claims: CLAIMS } });
    await expect(configureHolderSignIn(plainHttp, deps)).rejects.toMatchObject({ code: 'ERR_CONFIG_INVALID', details: { variable: 'VAULT_HOLDER_OIDC_ISSUER' } });
  });

  test('there is no /dev-idp, and signing in says it is unavailable', async () => {
    const log = capturedLogger();
    const holderSignIn = await configureHolderSignIn(configFor({}), {
      sessions: holderSessionsOf(vault),
      fingerprinter: vault.fingerprinter,
      clock: vault.clock,
      logger: log.logger,
    });
    expect(holderSignIn.devIdentityProvider).toBeNull();
    const app = mountedApp(vault, { logger: log.logger, jsonLimitBytes: 1024, holderSignIn });
    expect((await request(app).get('/dev-idp/.well-known/openid-configuration').expect(404)).body.code).toBe('ERR_ROUTE_NOT_FOUND');
    const refused = await request(app).get('/me/sign-in').expect(503);
    expect(refused.text).toContain('data-code="ERR_HOLDER_SIGN_IN_UNAVAILABLE"');
    expect(await vault.store.audit.list(0, 100)).toContainEqual(
      expect.objectContaining({ action: 'holder.signin.refused', details: { code: 'ERR_HOLDER_SIGN_IN_UNAVAILABLE', reason: 'not-configured' } }),
    );
  });
});
