import { HolderAuthorizations, normalizeCode, type NewAuthorization } from '../../../src/modules/authorizations/index.js';
import type { Principal } from '../../../src/modules/auth/index.js';
import { LicenseQueries, type LicenseRecord } from '../../../src/modules/licenses/index.js';
import { TEST_DEPARTMENT } from '../../fixtures/pki.js';
import { actingHolder, addOtherOffice, CITIZEN, DOCTOR_TYPE, harnessAuthorizations, issueTo, OTHER_CITIZEN, OTHER_OFFICE, TEACHER_TYPE } from '../../support/authorizations.js';
import { openVaultHarness, type VaultHarness } from '../../support/vault-harness.js';

const START = '2026-11-21T02:00:00.000Z';
const holder = actingHolder();
const clerk = (clientId: string, department: string | null = TEST_DEPARTMENT.creditCode, address = '203.0.113.7'): Principal => ({
  clientId,
  role: 'clerk',
  department,
  origin: { address, requestId: `req-${clientId}` },
});

describe('authorizations (授权用证) and their redemption', () => {
  let vault: VaultHarness;
  let services: ReturnType<typeof harnessAuthorizations>;
  let teacher: LicenseRecord;
  let doctor: LicenseRecord;
  let strangers: LicenseRecord;

  const terms = (overrides: Partial<NewAuthorization> = {}): NewAuthorization => ({
    licenses: [teacher.identifier],
    office: TEST_DEPARTMENT.creditCode,
    serviceItem: '义务教育入学登记',
    purpose: '办理入学登记',
    ...overrides,
  });
  const auditCount = async () => (await vault.store.audit.last())?.seq ?? 0;

  beforeAll(async () => {
    vault = await openVaultHarness(START);
    teacher = await issueTo(vault, 'teacher-qualification');
    doctor = await issueTo(vault, 'medical-practitioner');
    strangers = await issueTo(vault, 'teacher-qualification', OTHER_CITIZEN);
    await addOtherOffice(vault);
  });
  beforeEach(() => {
    vault.clock.set(START);
    // Fresh limiters and security-event windows for each test.
    services = harnessAuthorizations(vault);
  });
  afterAll(() => vault.close());

  describe('making one', () => {
    test('answers the code once, stores only its hash, lists it without the code, and audits it with the holder fingerprint', async () => {
      const created = await services.holders.create(holder, terms({ uses: 3, lifetimeMinutes: 60 }));
      expect(created.code).toMatch(/^[2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{4}$/);
      expect(created.authorization).toMatchObject({
        state: 'live',
        codeHint: created.code.slice(-2),
        licenses: [teacher.identifier],
        licenseTypes: [],
        office: { creditCode: TEST_DEPARTMENT.creditCode, name: TEST_DEPARTMENT.name },
        usesAllowed: 3,
        usesLeft: 3,
        createdAt: START,
        expiresAt: '2026-11-21T03:00:00.000Z',
      });
      const stored = await vault.store.authorizations.get(created.authorization.id);
      expect(JSON.stringify(stored)).not.toContain(created.code.replace('-', ''));
      expect(JSON.stringify(await services.holders.list(holder))).not.toContain(created.code.replace('-', ''));
      await expect(vault.store.audit.last()).resolves.toMatchObject({
        action: 'authorization.create',
        actor: holder.actor,
        target: created.authorization.id,
        details: {
          holderFingerprint: vault.fingerprinter.fingerprint(holder.holder),
          serviceItem: '义务教育入学登记',
          purpose: '办理入学登记',
          department: TEST_DEPARTMENT.creditCode,
        },
      });
      expect(JSON.stringify(await vault.store.audit.last())).not.toContain(CITIZEN);
    });

    test('defaults: 30 minutes, one use; any office is null', async () => {
      const created = await services.holders.create(holder, terms({ office: null, licenses: [], licenseTypes: [TEACHER_TYPE] }));
      expect(created.authorization).toMatchObject({ office: null, usesAllowed: 1, expiresAt: '2026-11-21T02:30:00.000Z', licenseTypes: [TEACHER_TYPE] });
    });

    test.each<[string, Partial<NewAuthorization>, string]>([
      ['nothing chosen', { licenses: [], licenseTypes: [] }, 'ERR_AUTHORIZATION_INVALID'],
      ['a type not in the catalogue', { licenseTypes: ['11100000000013338W999'] }, 'ERR_AUTHORIZATION_INVALID'],
      ['4 minutes', { lifetimeMinutes: 4 }, 'ERR_AUTHORIZATION_INVALID'],
      ['7 days and a minute', { lifetimeMinutes: 7 * 24 * 60 + 1 }, 'ERR_AUTHORIZATION_INVALID'],
      ['half a minute more', { lifetimeMinutes: 30.5 }, 'ERR_AUTHORIZATION_INVALID'],
      ['no use', { uses: 0 }, 'ERR_AUTHORIZATION_INVALID'],
      ['21 uses', { uses: 21 }, 'ERR_AUTHORIZATION_INVALID'],
      ['an unknown office', { office: '91110000100000000X' }, 'ERR_AUTHORIZATION_OFFICE_UNKNOWN'],
      ['a purpose that says nothing', { purpose: '1234' }, 'ERR_PURPOSE_REQUIRED'],
      ['a service item of one letter', { serviceItem: '办' }, 'ERR_SERVICE_ITEM_REQUIRED'],
      ['a license that does not exist', { licenses: ['1.2.156.3005.2.11100000000013338W001.91350100M000100Y43.999999.001.X'] }, 'ERR_LICENSE_NOT_FOUND'],
    ])('%s is refused with %s and changes nothing', async (_name, overrides, code) => {
      const input = terms(overrides);
      const before = await auditCount();
      const listed = await services.holders.list(holder);
      await expect(services.holders.create(holder, input)).rejects.toMatchObject({ code });
      expect(await auditCount()).toBe(before);
      expect(await services.holders.list(holder)).toEqual(listed);
    });

    test('another holder’s license is refused exactly as one that does not exist, and the attempt is a security event in the owner’s record', async () => {
      const before = await auditCount();
      const theirs = await services.holders.create(holder, terms({ licenses: [strangers.identifier] })).catch((error: unknown) => error);
      const none = await services.holders.create(holder, terms({ licenses: ['1.2.156.3005.2.nothing'] })).catch((error: unknown) => error);
      expect([(theirs as Error).message, (theirs as { code: string }).code]).toEqual([(none as Error).message, (none as { code: string }).code]);
      expect(theirs).toMatchObject({ details: { identifier: strangers.identifier } });
      expect(none).toMatchObject({ details: { identifier: '1.2.156.3005.2.nothing' } });
      expect(await services.holders.list(holder)).not.toContainEqual(expect.objectContaining({ licenses: [strangers.identifier] }));
      const entries = await vault.store.audit.list(before, 100);
      expect(entries.map((entry) => entry.action)).toEqual(['holder.access.denied']);
      expect(entries[0]).toMatchObject({
        actor: holder.actor,
        target: strangers.identifier,
        details: { holderFingerprint: vault.fingerprinter.fingerprint({ type: 'citizen', value: OTHER_CITIZEN }), code: 'ERR_LICENSE_NOT_FOUND' },
      });
      expect(JSON.stringify(entries)).not.toContain(OTHER_CITIZEN);
    });

    test('a code whose hash is taken is replaced by a fresh one', async () => {
      const codes = ['ABCD2345', 'ABCD2345', 'WXYZ6789'];
      const clashing = new HolderAuthorizations({
        store: vault.store,
        clock: vault.clock,
        fingerprinter: vault.fingerprinter,
        isKnownLicenseType: () => true,
        generateCode: () => codes.shift()!,
      });
      await expect(clashing.create(holder, terms())).resolves.toMatchObject({ code: 'ABCD-2345' });
      await expect(clashing.create(holder, terms())).resolves.toMatchObject({ code: 'WXYZ-6789' });
    });
  });

  describe('listing and withdrawing', () => {
    test('the list holds live and recently ended authorizations, newest first, each marked; others’ are not there', async () => {
      const other = actingHolder(OTHER_CITIZEN);
      vault.clock.set('2026-11-22T02:00:00.000Z');
      const expiring = await services.holders.create(holder, terms({ lifetimeMinutes: 5 }));
      vault.clock.set('2026-11-22T02:01:00.000Z');
      const live = await services.holders.create(holder, terms());
      await services.holders.create(other, terms({ licenses: [strangers.identifier] }));
      vault.clock.set('2026-11-22T02:10:00.000Z');
      const listed = await services.holders.list(holder);
      expect(listed.slice(0, 2).map((item) => [item.id, item.state])).toEqual([
        [live.authorization.id, 'live'],
        [expiring.authorization.id, 'expired'],
      ]);
      expect(listed.every((item) => item.licenses.every((identifier) => identifier !== strangers.identifier))).toBe(true);
      vault.clock.set('2026-11-29T02:06:00.000Z');
      expect((await services.holders.list(holder)).map((item) => item.id)).not.toContain(expiring.authorization.id);
    });

    test('withdrawing ends it at once, is audited once, and a second withdrawal changes nothing; another holder gets not found', async () => {
      const { authorization, code } = await services.holders.create(holder, terms({ uses: 2 }));
      await expect(services.holders.withdraw(actingHolder(OTHER_CITIZEN), authorization.id)).rejects.toMatchObject({ code: 'ERR_AUTHORIZATION_NOT_FOUND' });
      await expect(services.holders.withdraw(holder, 'no-such-id')).rejects.toMatchObject({ code: 'ERR_AUTHORIZATION_NOT_FOUND' });
      const withdrawn = await services.holders.withdraw(holder, authorization.id);
      expect(withdrawn).toMatchObject({ state: 'withdrawn', withdrawnAt: START });
      await expect(vault.store.audit.last()).resolves.toMatchObject({ action: 'authorization.withdraw', target: authorization.id, details: { serviceItem: '义务教育入学登记' } });
      const before = await auditCount();
      await expect(services.holders.withdraw(holder, authorization.id)).resolves.toEqual(withdrawn);
      expect(await auditCount()).toBe(before);
      await expect(services.redemption.redeem(clerk('clerk-w'), code)).rejects.toMatchObject({ code: 'ERR_AUTHORIZATION_WITHDRAWN' });
    });
  });

  describe('redeeming', () => {
    test('a live code answers exactly what it covers: the licenses chosen and those of the chosen types in force', async () => {
      const { authorization, code } = await services.holders.create(holder, terms({ licenses: [teacher.identifier], licenseTypes: [DOCTOR_TYPE], uses: 2 }));
      const redeemed = await services.redemption.redeem(clerk('clerk-a'), code.toLowerCase());
      expect(redeemed.licenses.map((license) => license.identifier).sort()).toEqual([teacher.identifier, doctor.identifier].sort());
      expect(redeemed.authorization).toEqual({
        id: authorization.id,
        serviceItem: '义务教育入学登记',
        purpose: '办理入学登记',
        office: TEST_DEPARTMENT.creditCode,
        expiresAt: authorization.expiresAt,
        usesLeft: 1,
      });
      const entry = await vault.store.audit.last();
      expect(entry).toMatchObject({
        action: 'authorization.redeem',
        actor: { id: 'clerk-a', role: 'clerk', address: '203.0.113.7' },
        target: authorization.id,
        details: {
          holderFingerprint: vault.fingerprinter.fingerprint(holder.holder),
          serviceItem: '义务教育入学登记',
          purpose: '办理入学登记',
          department: TEST_DEPARTMENT.creditCode,
          usesLeft: 1,
        },
      });
      expect(JSON.stringify(entry)).not.toContain(CITIZEN);
    });

    test('a license revoked after the code was made is still named if chosen one by one, but not through its type', async () => {
      const extra = await issueTo(vault, 'medical-practitioner');
      const { code } = await services.holders.create(holder, terms({ licenses: [], licenseTypes: [DOCTOR_TYPE] }));
      const issuer = { clientId: 'issuer-direct', role: 'issuer', department: TEST_DEPARTMENT.creditCode } as const;
      const { LicenseLifecycle } = await import('../../../src/modules/licenses/index.js');
      await new LicenseLifecycle(vault.store, vault.clock).change(issuer, extra.identifier, 'revoke', '吊销');
      const redeemed = await services.redemption.redeem(clerk('clerk-r'), code);
      expect(redeemed.licenses.map((license) => license.identifier)).toEqual([doctor.identifier]);
    });

    test.each([
      ['expired', 'ERR_AUTHORIZATION_EXPIRED'],
      ['used up', 'ERR_AUTHORIZATION_USED_UP'],
      ['for another office', 'ERR_AUTHORIZATION_WRONG_OFFICE'],
      ['for an office, redeemed by a clerk of none', 'ERR_AUTHORIZATION_WRONG_OFFICE'],
    ])('a code %s is refused with %s, audited as refused for the holder, revealing nothing it covers', async (cause, code) => {
      const made = await services.holders.create(holder, terms({ office: cause === 'for another office' ? OTHER_OFFICE.creditCode : TEST_DEPARTMENT.creditCode }));
      if (cause === 'expired') vault.clock.set('2026-11-21T02:30:00.000Z');
      if (cause === 'used up') await services.redemption.redeem(clerk('clerk-first'), made.code);
      const refused = await services.redemption
        .redeem(clerk('clerk-b', cause.includes('clerk of none') ? null : TEST_DEPARTMENT.creditCode), made.code)
        .catch((error: unknown) => error);
      expect(refused).toMatchObject({ code });
      expect(JSON.stringify(refused)).not.toContain(teacher.identifier);
      await expect(vault.store.audit.last()).resolves.toMatchObject({
        action: 'authorization.redeem.refused',
        target: made.authorization.id,
        details: { code, holderFingerprint: vault.fingerprinter.fingerprint(holder.holder), serviceItem: '义务教育入学登记', purpose: '办理入学登记' },
      });
      const stored = await vault.store.authorizations.get(made.authorization.id);
      expect(stored?.usesMade).toBe(cause === 'used up' ? 1 : 0);
    });

    test('an authorization for any office is redeemed by a clerk of any department, or of none', async () => {
      const { code } = await services.holders.create(holder, terms({ office: null, uses: 2 }));
      await expect(services.redemption.redeem(clerk('clerk-x', OTHER_OFFICE.creditCode), code)).resolves.toMatchObject({ authorization: { usesLeft: 1 } });
      await expect(services.redemption.redeem(clerk('clerk-y', null), code)).resolves.toMatchObject({ authorization: { usesLeft: 0 } });
    });

    test('a malformed code is refused before anything is read, and counts as no guess', async () => {
      const before = await auditCount();
      for (let i = 0; i < 15; i++) await expect(services.redemption.redeem(clerk('clerk-m'), 'ABC')).rejects.toMatchObject({ code: 'ERR_AUTHORIZATION_CODE_MALFORMED' });
      expect(await auditCount()).toBe(before);
      await expect(services.redemption.redeem(clerk('clerk-m'), 'ZZZZ-ZZZZ')).rejects.toMatchObject({ code: 'ERR_AUTHORIZATION_UNKNOWN' });
    });

    test('ten unknown codes lock the account: the eleventh try is ERR_AUTHORIZATION_REDEEM_LOCKED with the wait, even for a good code; the lock is audited once; others are not held up', async () => {
      const { code } = await services.holders.create(holder, terms());
      for (let i = 0; i < 10; i++)
        await expect(services.redemption.redeem(clerk('clerk-g'), `ZZZZ${String(2222 + i).replace(/[01]/g, '2')}`)).rejects.toMatchObject({ code: 'ERR_AUTHORIZATION_UNKNOWN' });
      const entries = await vault.store.audit.list(0, 10_000);
      expect(entries.filter((entry) => entry.action === 'authorization.redeem.locked')).toEqual([
        expect.objectContaining({
          actor: expect.objectContaining({ id: 'clerk-g' }),
          target: 'clerk-g',
          details: expect.objectContaining({ scope: 'account', failures: 10, windowSeconds: 900 }),
        }),
      ]);
      const locked = await services.redemption.redeem(clerk('clerk-g'), code).catch((error: unknown) => error);
      expect(locked).toMatchObject({ code: 'ERR_AUTHORIZATION_REDEEM_LOCKED', details: { retryAfterSeconds: 900 } });
      await expect(services.redemption.redeem(clerk('clerk-h', TEST_DEPARTMENT.creditCode, '198.51.100.9'), code)).resolves.toMatchObject({ authorization: { usesLeft: 0 } });
      vault.clock.set('2026-11-21T02:15:00.000Z');
      await expect(services.redemption.redeem(clerk('clerk-g'), 'ZZZZ-2222')).rejects.toMatchObject({ code: 'ERR_AUTHORIZATION_UNKNOWN' });
    });

    test('thirty unknown codes from one address lock it, whichever accounts it uses', async () => {
      for (let i = 0; i < 30; i++) await expect(services.redemption.redeem(clerk(`clerk-spray-${i}`), 'ZZZZ-ZZZZ')).rejects.toMatchObject({ code: 'ERR_AUTHORIZATION_UNKNOWN' });
      await expect(services.redemption.redeem(clerk('clerk-spray-new'), 'ZZZZ-ZZZZ')).rejects.toMatchObject({ code: 'ERR_AUTHORIZATION_REDEEM_LOCKED' });
      await expect(services.redemption.redeem(clerk('clerk-spray-new', TEST_DEPARTMENT.creditCode, '198.51.100.10'), 'ZZZZ-ZZZZ')).rejects.toMatchObject({
        code: 'ERR_AUTHORIZATION_UNKNOWN',
      });
    });

    test('two clerks redeeming a one-use code at once: exactly one gets the licenses, the other is told it is used up', async () => {
      const { code } = await services.holders.create(holder, terms());
      const outcomes = await Promise.allSettled([services.redemption.redeem(clerk('clerk-p'), code), services.redemption.redeem(clerk('clerk-q'), code)]);
      expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
      expect(outcomes.find((outcome) => outcome.status === 'rejected')).toMatchObject({ reason: { code: 'ERR_AUTHORIZATION_USED_UP' } });
      expect(normalizeCode(code)).toHaveLength(8);
    });
  });

  describe('the consent policy', () => {
    test('a clerk reads a license only after redeeming a live authorization covering it; a look-up by number is refused', async () => {
      const consent = harnessAuthorizations(vault, 'consent');
      const queries = new LicenseQueries(vault.store, vault.clock, vault.fingerprinter, undefined, consent.consent);
      const reader = clerk('clerk-consent');
      await expect(queries.lookUpHolder(reader, { holderId: CITIZEN, purpose: '办理入学登记', limit: 10 })).rejects.toMatchObject({ code: 'ERR_LOOKUP_NEEDS_CONSENT' });
      await expect(queries.read(reader, teacher.identifier, '办理入学登记')).rejects.toMatchObject({ code: 'ERR_LOOKUP_NEEDS_CONSENT' });
      await expect(queries.read(reader, '1.2.156.3005.2.nothing', '办理入学登记')).rejects.toMatchObject({ code: 'ERR_LOOKUP_NEEDS_CONSENT' });
      const { authorization, code } = await consent.holders.create(holder, terms({ licenseTypes: [DOCTOR_TYPE] }));
      await consent.redemption.redeem(reader, code);
      await expect(queries.read(reader, teacher.identifier, '办理入学登记', '义务教育入学登记')).resolves.toMatchObject({ identifier: teacher.identifier });
      await expect(vault.store.audit.last()).resolves.toMatchObject({
        action: 'license.read',
        details: { serviceItem: '义务教育入学登记', department: TEST_DEPARTMENT.creditCode, holderFingerprint: vault.fingerprinter.fingerprint(holder.holder) },
      });
      await expect(queries.download(reader, doctor.identifier, '办理入学登记')).resolves.toMatchObject({ identifier: doctor.identifier });
      await expect(queries.read(clerk('clerk-other'), teacher.identifier, '办理入学登记')).rejects.toMatchObject({ code: 'ERR_LOOKUP_NEEDS_CONSENT' });
      await expect(queries.read(reader, strangers.identifier, '办理入学登记')).rejects.toMatchObject({ code: 'ERR_LOOKUP_NEEDS_CONSENT' });
      await consent.holders.withdraw(holder, authorization.id);
      await expect(queries.read(reader, teacher.identifier, '办理入学登记')).rejects.toMatchObject({ code: 'ERR_LOOKUP_NEEDS_CONSENT' });
      const issuer = { clientId: 'issuer-direct', role: 'issuer', department: TEST_DEPARTMENT.creditCode } as const;
      await expect(queries.lookUpHolder(issuer, { holderId: CITIZEN, purpose: '办理入学登记', limit: 10 })).resolves.toMatchObject({ items: expect.any(Array) });
    });
  });
});
