import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteStore } from '../../src/adapters/storage/sqlite/sqlite-store.js';
import { runVault } from '../support/vault-process.js';

/** The vault as it runs: security events reach the audit log, and what was only counted is written at shutdown. */
describe('security events in the running vault', () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'vault-security-events-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('repeated 401s are written once and counted; SIGTERM writes the count before the store closes', async () => {
    const vault = await runVault(dir);
    const ids = Array.from({ length: 6 }, (_, i) => `e2e-unauthenticated-${i}`);
    for (const id of ids) {
      const res = await fetch(`${vault.base}/api/v1/audit`, { headers: { 'X-Request-Id': id } });
      expect(res.status).toBe(401);
    }
    const auditor = await vault.tokenFor('auditor');
    const page = await fetch(`${vault.base}/api/v1/audit?limit=1000`, { headers: { Authorization: `Bearer ${auditor}`, 'X-Request-Id': 'e2e-audit-read' } });
    expect(page.status).toBe(200);
    await expect(vault.stop()).resolves.toBe(0);

    const store = openSqliteStore({ file: join(dir, 'data', 'vault.db') });
    try {
      const entries = (await store.audit.list(0, 10_000)).filter((entry) => entry.action === 'auth.unauthenticated');
      expect(entries).toEqual([
        expect.objectContaining({ actor: { id: 'anonymous', role: 'anonymous', address: '127.0.0.1', requestId: ids[0] }, details: { code: 'ERR_AUTH_TOKEN_MISSING' } }),
        expect.objectContaining({ actor: expect.objectContaining({ requestId: ids[5] }), details: expect.objectContaining({ code: 'ERR_AUTH_TOKEN_MISSING', repeated: 5 }) }),
      ]);
      const read = (await store.audit.list(0, 10_000)).filter((entry) => entry.action === 'audit.read');
      expect(read).toEqual([expect.objectContaining({ actor: expect.objectContaining({ role: 'auditor', address: '127.0.0.1', requestId: 'e2e-audit-read' }) })]);
    } finally {
      await store.close();
    }
  }, 60_000);
});
