import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../../src/cli/main.js';
import type { Principal } from '../../src/modules/auth/index.js';
import type { LicenseTemplate } from '../../src/modules/templates/index.js';
import { TEST_DEPARTMENT } from '../fixtures/pki.js';
import { flipByte } from '../support/tamper.js';
import { openVaultHarness, type VaultHarness } from '../support/vault-harness.js';

const issuer: Principal = { clientId: 'issuer-fz', role: 'issuer', department: TEST_DEPARTMENT.creditCode };
const clerk: Principal = { clientId: 'clerk-1', role: 'clerk', department: null };

describe('license-vault verify: an annotated copy (加注件), offline', () => {
  let vault: VaultHarness;
  let output: string;
  let copyFile: string;
  let copyId: string;
  let trust: string;
  const run = (now: string, ...argv: string[]) => runCli(argv, { out: (text) => void (output += text), env: {}, now: () => new Date(now) });

  beforeAll(async () => {
    vault = await openVaultHarness();
    const teacher = vault.templates.latest().find((t) => t.id === 'teacher-qualification') as LicenseTemplate;
    const { license } = await vault.issuance.issue(issuer, {
      licenseType: teacher.catalogue.typeCode,
      holder: { type: 'citizen', id: '11010519491231002X', name: '李秀英' },
      fields: teacher.example.fields,
    });
    const made = await vault.copies.makeForStaff(clerk, license.identifier, { serviceItem: '新生入学登记', purpose: '办理入学登记', validDays: 10 });
    copyId = made.copyId;
    trust = join(vault.dir, 'trust');
    mkdirSync(trust);
    writeFileSync(join(trust, 'root.pem'), vault.pki.rootPem);
    copyFile = join(vault.dir, 'copy.pdf');
    writeFileSync(copyFile, made.pdf);
    writeFileSync(join(vault.dir, 'altered.pdf'), flipByte(made.pdf, made.pdf.length - 2000));
  });
  beforeEach(() => (output = ''));
  afterAll(() => vault.close());

  test('within its validity: exit 0, who took it, for what and until when, and that the original’s status is unknown offline', async () => {
    await expect(run('2026-11-25T00:00:00Z', 'verify', copyFile, '--trust', trust)).resolves.toBe(0);
    expect(output).toMatch(new RegExp(`^AUTHENTIC annotated copy \\(加注件\\) ${copyId}`));
    expect(output).toContain('provided to 未登记部门的办事窗口 for 新生入学登记 (办理入学登记), valid until 2026-12-01');
    expect(output).toContain('ok   platform-signer');
    expect(output).toContain('FAIL original-status: offline');
    expect(output).not.toContain('11010519491231002X');
  });

  test('after its last day: copy-expired, exit 1; JSON on request', async () => {
    await expect(run('2026-12-01T16:00:00Z', 'verify', copyFile, '--trust', trust, '--json')).resolves.toBe(1);
    expect(JSON.parse(output)).toMatchObject({ valid: false, result: 'copy-expired', copy: { copyId, expired: true, original: { status: null, inForce: null } } });
  });

  test('altered: not authentic, exit 1', async () => {
    await expect(run('2026-11-25T00:00:00Z', 'verify', join(vault.dir, 'altered.pdf'), '--trust', trust)).resolves.toBe(1);
    expect(output).toMatch(/^NOT AUTHENTIC/);
  });
});
