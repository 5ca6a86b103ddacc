import { HolderSessions, holderActor } from '../../../src/modules/holders/index.js';
import { openVaultHarness, type VaultHarness } from '../../support/vault-harness.js';

const CITIZEN = { type: 'citizen' as const, value: '11010519491231002X' };
const COMPANY = { type: 'organization' as const, value: '91350100M000100Y43' };

describe('holder sessions', () => {
  let vault: VaultHarness;
  let sessions: HolderSessions;

  beforeEach(async () => {
    vault = await openVaultHarness('2026-11-21T02:00:00Z');
    sessions = new HolderSessions(vault.store.holderSessions, vault.clock, 30 * 60);
  });
  afterEach(() => vault.close());

  test('a session resolves to its holder until it expires, and the store keeps only the token hash', async () => {
    const opened = await sessions.open({ holder: CITIZEN, name: '李秀英' });
    expect(opened.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(opened.expiresAt.toISOString()).toBe('2026-11-21T02:30:00.000Z');
    await expect(sessions.resolve(opened.token)).resolves.toEqual({ holder: CITIZEN, name: '李秀英', sessionId: opened.principal.sessionId });
    await expect(vault.store.holderSessions.get(opened.token)).resolves.toBeNull();

    vault.clock.set('2026-11-21T02:29:59.999Z');
    await expect(sessions.resolve(opened.token)).resolves.not.toBeNull();
    vault.clock.set('2026-11-21T02:30:00.000Z');
    await expect(sessions.resolve(opened.token)).resolves.toBeNull();
    await expect(sessions.sweep()).resolves.toBe(1);
  });

  test('two sign-ins are two sessions; closing one leaves the other', async () => {
    const first = await sessions.open({ holder: COMPANY, name: null });
    const second = await sessions.open({ holder: COMPANY, name: null });
    expect(first.token).not.toBe(second.token);
    expect(first.principal.sessionId).not.toBe(second.principal.sessionId);
    await sessions.close(first.token);
    await expect(sessions.resolve(first.token)).resolves.toBeNull();
    await expect(sessions.resolve(second.token)).resolves.toMatchObject({ holder: COMPANY });
  });

  test('malformed, unknown and altered tokens sign no one in', async () => {
    const opened = await sessions.open({ holder: CITIZEN, name: null });
    const altered = `${opened.token.slice(0, -1)}${opened.token.endsWith('A') ? 'B' : 'A'}`;
    for (const token of ['', 'x', altered, `${opened.token}=`, opened.token.toUpperCase() === opened.token ? 'y' : opened.token.toUpperCase(), "' OR 1=1 --"])
      await expect(sessions.resolve(token)).resolves.toBeNull();
    await sessions.close('not a token');
    await expect(sessions.resolve(opened.token)).resolves.not.toBeNull();
  });

  test('a number the identity module refuses opens no session', async () => {
    await expect(sessions.open({ holder: { type: 'citizen', value: '110105194912310021' }, name: null })).rejects.toMatchObject({ code: 'ERR_CITIZEN_ID_CHECKSUM' });
    await expect(sessions.open({ holder: { type: 'citizen', value: ' 11010519491231002x ' }, name: null })).resolves.toMatchObject({ principal: { holder: CITIZEN } });
  });

  test('audit entries name the holder by the masked number', async () => {
    const { principal } = await sessions.open({ holder: CITIZEN, name: '李秀英' });
    expect(holderActor({ ...principal, origin: { address: '203.0.113.9', requestId: 'r-1' } })).toEqual({
      id: 'holder:110105********002X',
      role: 'holder',
      address: '203.0.113.9',
      requestId: 'r-1',
    });
  });
});
