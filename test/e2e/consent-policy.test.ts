import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadOrCreateFingerprintKeys } from '../../src/adapters/keys/fingerprint-keys.js';
import { openSqliteStore } from '../../src/adapters/storage/sqlite/sqlite-store.js';
import { HolderAuthorizations } from '../../src/modules/authorizations/index.js';
import { DEMO_DEPARTMENT } from '../../src/modules/departments/index.js';
import { keyedHolderFingerprinter } from '../../src/modules/licenses/index.js';
import { systemClock } from '../../src/shared/clock.js';
import { runVault, type RunningVault } from '../support/vault-process.js';

const CITIZEN = '11010519491231002X';
const PURPOSE = encodeURIComponent('办理入职审核');

/** The built vault started with VAULT_LOOKUP_POLICY=consent: main.ts wires the policy, and the demo clerk serves at the demo department. */
describe('VAULT_LOOKUP_POLICY=consent on the built vault', () => {
  let dir: string;
  let vault: RunningVault;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vault-consent-'));
    vault = await runVault(dir, { VAULT_LOOKUP_POLICY: 'consent' }, { built: true });
  });
  afterAll(async () => {
    await vault?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('a clerk cannot look up by number or read a license until redeeming the holder’s code for the demo department; then reads what it covers', async () => {
    const issuer = { authorization: `Bearer ${await vault.tokenFor('issuer')}`, 'content-type': 'application/json' };
    const clerk = { authorization: `Bearer ${await vault.tokenFor('clerk')}`, 'content-type': 'application/json' };
    const catalogue = (await (await fetch(`${vault.base}/api/v1/license-types`)).json()) as { items: { code: string; holderType: string; example: object }[] };
    const example = catalogue.items.find((item) => item.holderType === 'citizen')!.example as { holder: object };
    const issued = await fetch(`${vault.base}/api/v1/licenses`, {
      method: 'POST',
      headers: issuer,
      body: JSON.stringify({ ...example, holder: { type: 'citizen', id: CITIZEN, name: '李秀英' } }),
    });
    expect(issued.status).toBe(201);
    const license = (await issued.json()) as { identifier: string };

    const lookUp = await fetch(`${vault.base}/api/v1/holders/${CITIZEN}/licenses?purpose=${PURPOSE}`, { headers: clerk });
    expect([lookUp.status, ((await lookUp.json()) as { code: string }).code]).toEqual([403, 'ERR_LOOKUP_NEEDS_CONSENT']);
    const read = await fetch(`${vault.base}/api/v1/licenses/${license.identifier}?purpose=${PURPOSE}`, { headers: clerk });
    expect([read.status, ((await read.json()) as { code: string }).code]).toEqual([403, 'ERR_LOOKUP_NEEDS_CONSENT']);

    // The holder's authorization, made through the use case on a second connection to the same store, as the holder's page would.
    const store = openSqliteStore({ file: join(dir, 'data', 'vault.db') });
    const { ring } = await loadOrCreateFingerprintKeys(join(dir, 'certs'), new Date());
    const { code } = await new HolderAuthorizations({ store, clock: systemClock, fingerprinter: keyedHolderFingerprinter(ring), isKnownLicenseType: () => true })
      .create(
        { holder: { type: 'citizen', value: CITIZEN }, actor: { id: 'holder:110105********002X', role: 'holder' } },
        { licenses: [license.identifier], office: DEMO_DEPARTMENT.creditCode, serviceItem: '入职资格审核', purpose: '办理入职审核' },
      )
      .finally(() => store.close());

    const redeemed = await fetch(`${vault.base}/api/v1/authorizations/redeem`, { method: 'POST', headers: clerk, body: JSON.stringify({ code }) });
    expect(redeemed.status).toBe(200);
    expect(((await redeemed.json()) as { licenses: { identifier: string }[] }).licenses.map((item) => item.identifier)).toEqual([license.identifier]);
    expect((await fetch(`${vault.base}/api/v1/licenses/${license.identifier}?purpose=${PURPOSE}`, { headers: clerk })).status).toBe(200);
    const again = await fetch(`${vault.base}/api/v1/authorizations/redeem`, { method: 'POST', headers: clerk, body: JSON.stringify({ code }) });
    expect([again.status, ((await again.json()) as { code: string }).code]).toEqual([410, 'ERR_AUTHORIZATION_USED_UP']);
  });
});
