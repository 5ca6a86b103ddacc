import { createAuthenticator, SecretCheckGate, type TokenIssuer, type TokenVerifier } from '../../../src/modules/auth/index.js';

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((done) => (resolve = done));
  return { promise, resolve };
}

describe('SecretCheckGate', () => {
  test('runs at most maxConcurrent checks at once, queues up to maxWaiting, refuses the rest at once with ERR_AUTH_BUSY', async () => {
    const gate = new SecretCheckGate(2, 1);
    const started: number[] = [];
    const blockers = [deferred(), deferred(), deferred()];
    const runs = blockers.map((blocker, index) =>
      gate.run(async () => {
        started.push(index);
        await blocker.promise;
        return index;
      }),
    );
    await Promise.resolve();
    expect(started).toEqual([0, 1]);
    expect(gate.load).toEqual({ running: 2, waiting: 1 });
    await expect(gate.run(() => Promise.resolve('never'))).rejects.toMatchObject({ code: 'ERR_AUTH_BUSY', details: { retryAfterSeconds: 1 } });
    blockers[0]!.resolve();
    await runs[0];
    await Promise.resolve();
    expect(started).toEqual([0, 1, 2]);
    expect(gate.load).toEqual({ running: 2, waiting: 0 });
    blockers[1]!.resolve();
    blockers[2]!.resolve();
    await expect(Promise.all(runs)).resolves.toEqual([0, 1, 2]);
    expect(gate.load).toEqual({ running: 0, waiting: 0 });
  });

  test('a failing check gives its slot back', async () => {
    const gate = new SecretCheckGate(1, 0);
    await expect(gate.run(() => Promise.reject(new Error('scrypt failed')))).rejects.toThrow('scrypt failed');
    await expect(gate.run(() => Promise.resolve('ok'))).resolves.toBe('ok');
  });

  test('the authenticator checks every secret through its gate: a spray beyond it is refused without an scrypt', async () => {
    const tokens = { issue: () => Promise.reject(new Error('not reached')), verify: () => Promise.reject(new Error('not reached')) } as unknown as TokenIssuer & TokenVerifier;
    const gate = new SecretCheckGate(1, 1);
    const authenticator = createAuthenticator({ accounts: { get: () => Promise.resolve(null) }, tokens, secretChecks: gate });
    const outcomes = await Promise.allSettled(Array.from({ length: 5 }, (_, i) => authenticator.issueToken({ clientId: `spray-${i}`, clientSecret: 'guess' })));
    const codes = outcomes.map((outcome) => (outcome.status === 'rejected' ? (outcome.reason as { code?: string }).code : 'issued'));
    expect(codes.filter((code) => code === 'ERR_AUTH_INVALID_CLIENT')).toHaveLength(2);
    expect(codes.filter((code) => code === 'ERR_AUTH_BUSY')).toHaveLength(3);
  });
});
