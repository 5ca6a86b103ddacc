import request from 'supertest';
import type { Express } from 'express';
import { createApp } from '../../../src/http/app.js';
import { authRoutes } from '../../../src/http/routes/auth.js';
import { FailedAttemptLimiter, type Authenticator, type ClientCredentials } from '../../../src/modules/auth/index.js';
import { AuthenticationError } from '../../../src/shared/errors.js';
import { capturedLogger } from '../../support/log-capture.js';
import { movableClock } from '../../support/vault-harness.js';

/** An authenticator that counts the secrets it is asked to check: only `good`/`secret` passes. */
function countingAuthenticator(): Pick<Authenticator, 'issueToken'> & { readonly checked: ClientCredentials[] } {
  const checked: ClientCredentials[] = [];
  return {
    checked,
    issueToken(credentials) {
      checked.push(credentials);
      if (credentials.clientId === 'good' && credentials.clientSecret === 'secret') {
        return Promise.resolve({ token: { accessToken: 'a.b.c', tokenType: 'Bearer', expiresIn: 900 }, role: 'clerk' });
      }
      return Promise.reject(new AuthenticationError('ERR_AUTH_INVALID_CLIENT'));
    },
  };
}

function tokenApp(deps: Omit<Parameters<typeof authRoutes>[0], 'logger'>): Express {
  const { logger } = capturedLogger();
  // Behind a trusted proxy, so that a test can speak from another address with X-Forwarded-For.
  return createApp({
    logger,
    lifecycle: { shuttingDown: false },
    jsonLimitBytes: 1024 * 1024,
    trustProxy: true,
    health: { pingStore: () => Promise.resolve(), storeKind: 'sqlite' },
    routers: [authRoutes({ ...deps, logger })],
  });
}

describe('token endpoint: nothing cheap for an attacker and expensive for the vault', () => {
  test('the N+1th token request from one address within a minute gets 429 before any secret is checked; the budget comes back the next minute', async () => {
    const clock = movableClock('2026-12-04T08:00:00Z');
    const authenticator = countingAuthenticator();
    const app = tokenApp({ authenticator, perAddress: { perMinute: 5, clock } });
    for (let i = 0; i < 5; i += 1)
      await request(app)
        .post('/api/v1/auth/token')
        .send({ clientId: `spray-${i}`, clientSecret: 'guess' })
        .expect(401);
    const refused = await request(app).post('/api/v1/auth/token').send({ clientId: 'good', clientSecret: 'secret' }).expect(429);
    expect(refused.body).toMatchObject({ code: 'ERR_RATE_LIMITED' });
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(authenticator.checked).toHaveLength(5);
    clock.set('2026-12-04T08:01:00Z');
    await request(app).post('/api/v1/auth/token').send({ clientId: 'good', clientSecret: 'secret' }).expect(200);
    expect(authenticator.checked).toHaveLength(6);
  });

  test('the address lockout holds across client ids: after the failures, even a right secret for another id is refused unchecked', async () => {
    const clock = movableClock('2026-12-04T08:00:00Z');
    const authenticator = countingAuthenticator();
    const app = tokenApp({ authenticator, limiter: new FailedAttemptLimiter(clock, 10), addressLimiter: new FailedAttemptLimiter(clock, 4, 5 * 60_000) });
    for (let i = 0; i < 4; i += 1)
      await request(app)
        .post('/api/v1/auth/token')
        .send({ clientId: `spray-${i}`, clientSecret: 'guess' })
        .expect(401);
    const locked = await request(app).post('/api/v1/auth/token').send({ clientId: 'good', clientSecret: 'secret' }).expect(429);
    expect(locked.body).toMatchObject({ code: 'ERR_AUTH_TOO_MANY_ATTEMPTS' });
    expect(locked.headers['retry-after']).toBe('300');
    expect(authenticator.checked).toHaveLength(4);
    // Another address is not affected.
    await request(app).post('/api/v1/auth/token').set('X-Forwarded-For', '198.51.100.4').send({ clientId: 'good', clientSecret: 'secret' }).expect(200);
    expect(authenticator.checked).toHaveLength(5);
    clock.set('2026-12-04T08:05:00Z');
    await request(app).post('/api/v1/auth/token').send({ clientId: 'good', clientSecret: 'secret' }).expect(200);
  });

  test('a success does not forgive the address its failures with other client ids', async () => {
    const clock = movableClock('2026-12-04T08:00:00Z');
    const authenticator = countingAuthenticator();
    const app = tokenApp({ authenticator, addressLimiter: new FailedAttemptLimiter(clock, 3) });
    await request(app).post('/api/v1/auth/token').send({ clientId: 'spray-1', clientSecret: 'guess' }).expect(401);
    await request(app).post('/api/v1/auth/token').send({ clientId: 'spray-2', clientSecret: 'guess' }).expect(401);
    await request(app).post('/api/v1/auth/token').send({ clientId: 'good', clientSecret: 'secret' }).expect(200);
    await request(app).post('/api/v1/auth/token').send({ clientId: 'spray-3', clientSecret: 'guess' }).expect(401);
    await request(app).post('/api/v1/auth/token').send({ clientId: 'spray-4', clientSecret: 'guess' }).expect(429);
  });
});
