import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { certificateToPem, loadTrustDirectory, readCertificates, summarizeCertificate } from '../../../../src/adapters/pki/x509/index.js';
import { makeTestPki } from '../../../fixtures/pki.js';

let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'vault-trust-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const rsa = makeTestPki({ algorithm: 'RSA' });
const ec = makeTestPki({ algorithm: 'EC' });

describe('loadTrustDirectory', () => {
  test('reads PEM and DER roots in file-name order, once each, skipping other files', async () => {
    const other = ec.untrustedDepartment().root;
    writeFileSync(join(dir, 'b-ec.crt'), ec.root.certificateDer); // DER
    writeFileSync(join(dir, 'a-rsa.pem'), `# the RSA root\n${rsa.rootPem}`);
    // Two certificates in one PEM, the first a duplicate of the RSA root.
    writeFileSync(join(dir, 'c-bundle.PEM'), `Bag Attributes: <none>\n${rsa.rootPem}\n${certificateToPem(other.certificateDer)}`);
    writeFileSync(join(dir, 'd-copy.cer'), ec.root.certificateDer);
    writeFileSync(join(dir, 'README'), 'Put trusted roots here.\n');
    writeFileSync(join(dir, 'notes.txt'), 'not a certificate');
    mkdirSync(join(dir, 'old.pem'));

    const roots = await loadTrustDirectory(dir);
    expect(roots.map((root) => root.summary.fingerprint256)).toEqual(
      [rsa.root.certificateDer, ec.root.certificateDer, other.certificateDer].map((der) => summarizeCertificate(der).fingerprint256),
    );
    expect(roots[0]).toEqual({ der: new Uint8Array(rsa.root.certificateDer), pem: rsa.rootPem, summary: summarizeCertificate(rsa.root.certificateDer) });
    expect(roots[1]!.pem).toBe(ec.rootPem);
    expect(roots[2]!.summary.subject).toBe('CN=不受信任的测试根CA,O=不受信任的测试机构,C=CN');
  });

  test('a missing directory holds no roots', async () => {
    await expect(loadTrustDirectory(join(dir, 'nowhere'))).resolves.toEqual([]);
  });

  test('an empty directory holds no roots', async () => {
    await expect(loadTrustDirectory(dir)).resolves.toEqual([]);
  });

  test.each([
    ['junk.pem', 'this is not a certificate'],
    ['key.pem', '-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----\n'],
    ['broken.pem', '-----BEGIN CERTIFICATE-----\nAAAAAAAA\n-----END CERTIFICATE-----\n'],
    ['garbage.cer', '\u0030\u0003\u0002\u0001\u0000'],
  ])('a %s that is not a certificate is an error naming the file', async (name, content) => {
    writeFileSync(join(dir, 'a-good.pem'), rsa.rootPem);
    writeFileSync(join(dir, name), content);
    const load = loadTrustDirectory(dir);
    await expect(load).rejects.toMatchObject({ code: 'ERR_TRUST_DIRECTORY_INVALID', details: { file: name } });
    await expect(load).rejects.toThrow(name);
  });
});

describe('readCertificates', () => {
  test('reads every certificate of a PEM bundle, and a DER file as one', () => {
    const bundle = Buffer.from(rsa.rootPem + ec.department.pem);
    expect(readCertificates(bundle)).toEqual([new Uint8Array(rsa.root.certificateDer), new Uint8Array(ec.department.certificateDer)]);
    expect(readCertificates(ec.root.certificateDer)).toEqual([new Uint8Array(ec.root.certificateDer)]);
  });

  test('certificateToPem writes 64-character lines', () => {
    const lines = rsa.rootPem.trimEnd().split('\n');
    expect(lines[0]).toBe('-----BEGIN CERTIFICATE-----');
    expect(lines.at(-1)).toBe('-----END CERTIFICATE-----');
    expect(lines.slice(1, -2).every((line) => line.length === 64)).toBe(true);
  });
});
