import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkPngStructure } from '../../src/adapters/pdf/png-structure.js';
import { openSqliteStore } from '../../src/adapters/storage/sqlite/sqlite-store.js';
import { HolderSessions } from '../../src/modules/holders/index.js';
import { parseHolderNumber } from '../../src/modules/identity/index.js';
import { systemClock } from '../../src/shared/clock.js';
import { exampleIssueRequest } from '../bench/bench-vault.js';
import { runVault, type RunningVault } from '../support/vault-process.js';

/** The vault process: a holder's license face drawn on a worker thread, and verification counts written at shutdown. */
describe('my licenses in the vault process', () => {
  let dir: string;
  let vault: RunningVault;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vault-my-licenses-e2e-'));
    vault = await runVault(dir, { VAULT_P12_PASSWORD: 'e2e-fixture-password' });
  });
  afterAll(async () => {
    await vault.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test("the holder sees their license's face as a PNG; verifications by QR are counted and written when the vault stops", async () => {
    const issuer = { authorization: `Bearer ${await vault.tokenFor('issuer')}`, 'content-type': 'application/json' };
    const catalogue = (await (await fetch(`${vault.base}/api/v1/license-types`)).json()) as { items: { code: string }[] };
    const example = await exampleIssueRequest(vault, catalogue.items[0]!.code);
    const issued = (await (await fetch(`${vault.base}/api/v1/licenses`, { method: 'POST', headers: issuer, body: JSON.stringify(example) })).json()) as {
      identifier: string;
      links: { verify: string };
    };
    const holder = parseHolderNumber(example.holder.type === 'organization' ? 'organization' : 'citizen', example.holder.id, systemClock);
    const store = openSqliteStore({ file: join(dir, 'data', 'vault.db') });
    const { token } = await new HolderSessions(store.holderSessions, systemClock, 600).open({ holder, name: example.holder.name }).finally(() => store.close());
    const cookie = { cookie: `vault_holder=${token}` };

    const face = await fetch(`${vault.base}/api/v1/me/licenses/${issued.identifier}/face.png`, { headers: cookie });
    expect([face.status, face.headers.get('content-type')]).toEqual([200, 'image/png']);
    const { width, height } = checkPngStructure(new Uint8Array(await face.arrayBuffer()), 5000);
    expect(height / width).toBeCloseTo(841.89 / 595.28, 1);

    const verify = new URL(issued.links.verify);
    for (let i = 0; i < 2; i += 1) expect((await fetch(`${vault.base}${verify.pathname}${verify.search}`, { headers: { accept: 'application/json' } })).status).toBe(200);
    expect(await vault.stop()).toBe(0);
    const after = openSqliteStore({ file: join(dir, 'data', 'vault.db') });
    try {
      await expect(after.verificationCounts.totals([issued.identifier])).resolves.toEqual(new Map([[issued.identifier, 2]]));
    } finally {
      await after.close();
    }
  });
});
