import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fingerprintKeyFile, loadOrCreateFingerprintKeys, rotateFingerprintKey } from '../../../src/adapters/keys/fingerprint-keys.js';
import { keyedHolderFingerprinter } from '../../../src/modules/licenses/index.js';

const NOW = new Date('2026-12-04T08:00:00Z');
const LI = { type: 'citizen', value: '11010519491231002X' } as const;

describe('audit fingerprint keys', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'vault-fp-key-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test('are created once, mode 0600 in a 0700 directory under the certs directory, then reused', async () => {
    const first = await loadOrCreateFingerprintKeys(dir, NOW);
    expect(first.file).toBe(join(dir, 'audit', 'fingerprint-keys.json'));
    expect(first.created).toBe(true);
    expect(statSync(first.file).mode & 0o777).toBe(0o600);
    expect(statSync(dirname(first.file)).mode & 0o777).toBe(0o700);
    expect(first.ring.current).toMatch(/^fp-20261204-[0-9a-f]{6}$/);
    expect(first.ring.keys.get(first.ring.current)).toHaveLength(32);
    const second = await loadOrCreateFingerprintKeys(dir, NOW);
    expect(second.created).toBe(false);
    expect(keyedHolderFingerprinter(second.ring).fingerprint(LI)).toBe(keyedHolderFingerprinter(first.ring).fingerprint(LI));
  });

  test('a rotation makes a new key current and keeps the old ones, so entries written under either are found', async () => {
    const before = keyedHolderFingerprinter((await loadOrCreateFingerprintKeys(dir, NOW)).ring);
    const { ring } = await rotateFingerprintKey(dir, new Date('2027-06-01T00:00:00Z'));
    expect(ring.current).toMatch(/^fp-20270601-/);
    expect([...ring.keys.keys()]).toEqual([before.keyId, ring.current]);
    expect(statSync(fingerprintKeyFile(dir)).mode & 0o777).toBe(0o600);
    const after = keyedHolderFingerprinter((await loadOrCreateFingerprintKeys(dir, NOW)).ring);
    expect(after.keyId).toBe(ring.current);
    expect(after.fingerprint(LI)).not.toBe(before.fingerprint(LI));
    expect(after.candidates(LI)).toEqual([before.fingerprint(LI), after.fingerprint(LI)]);
  });

  test('destroying an old key makes the entries written under it unsearchable', async () => {
    const before = keyedHolderFingerprinter((await loadOrCreateFingerprintKeys(dir, NOW)).ring);
    await rotateFingerprintKey(dir, NOW);
    const body = JSON.parse(readFileSync(fingerprintKeyFile(dir), 'utf8')) as { current: string; keys: Record<string, string> };
    delete body.keys[before.keyId];
    writeFileSync(fingerprintKeyFile(dir), JSON.stringify(body));
    const after = keyedHolderFingerprinter((await loadOrCreateFingerprintKeys(dir, NOW)).ring);
    expect(after.candidates(LI)).not.toContain(before.fingerprint(LI));
  });

  test.each([
    ['not JSON', 'nope'],
    ['no current key', JSON.stringify({ keys: {} })],
    ['a current key it does not hold', JSON.stringify({ current: 'a', keys: { b: Buffer.alloc(32, 1).toString('base64') } })],
    ['a short secret', JSON.stringify({ current: 'a', keys: { a: Buffer.alloc(16, 1).toString('base64') } })],
    ['a key id with a colon', JSON.stringify({ current: 'a:b', keys: { 'a:b': Buffer.alloc(32, 1).toString('base64') } })],
  ])('a file with %s stops start-up with ERR_CONFIG_INVALID', async (_name, text) => {
    mkdirSync(join(dir, 'audit'));
    writeFileSync(fingerprintKeyFile(dir), text);
    await expect(loadOrCreateFingerprintKeys(dir, NOW)).rejects.toMatchObject({ code: 'ERR_CONFIG_INVALID', details: { variable: 'VAULT_CERTS_DIR' } });
  });
});
