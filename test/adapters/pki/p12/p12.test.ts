import { spawnSync } from 'node:child_process';
import { createHash, generateKeyPairSync, verify, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import forge from 'node-forge';
import { exportPkcs12, loadP12Signer, openP12SignerFile } from '../../../../src/adapters/pki/p12/index.js';
import { generatePrivateKey, summarizeCertificate, type KeyAlgorithm } from '../../../../src/adapters/pki/x509/index.js';
import type { Clock } from '../../../../src/shared/clock.js';
import { fixedClock } from '../../../../src/shared/clock.js';
import { makeTestPki, TEST_DEPARTMENT, TEST_P12_PASSWORD } from '../../../fixtures/pki.js';

interface Run {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the openssl CLI without a shell (default provider only: OPENSSL_CONF points nowhere); a non-zero exit is returned, not thrown. */
function openssl(args: readonly string[]): Run {
  const run = spawnSync('openssl', args, { encoding: 'utf8', env: { ...process.env, OPENSSL_CONF: '/dev/null' } });
  if (run.error) throw run.error;
  return { status: run.status ?? -1, stdout: run.stdout, stderr: run.stderr };
}

let dir: string;
beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'vault-p12-'))));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function writeFile(name: string, bytes: Uint8Array | string): string {
  const file = join(dir, name);
  writeFileSync(file, bytes);
  return file;
}

const DATA = new TextEncoder().encode('the DER of CMS signed attributes, for the test');

describe.each<KeyAlgorithm>(['RSA', 'EC'])('%s key store', (algorithm) => {
  const pki = makeTestPki({ algorithm });
  const clock = fixedClock(pki.now.toISOString());

  test('openssl pkcs12 (default provider, no legacy) reads the key and both certificates', () => {
    const file = writeFile(`dept-${algorithm}.p12`, pki.department.p12);
    const info = openssl(['pkcs12', '-in', file, '-passin', `pass:${TEST_P12_PASSWORD}`, '-noout', '-info']);
    expect(info.status).toBe(0);
    expect(info.stderr).toContain('MAC: sha256, Iteration 2048');
    expect(info.stderr).toContain('PKCS7 Encrypted data: PBES2, PBKDF2, AES-256-CBC, Iteration 2048, PRF hmacWithSHA256');
    expect(info.stderr).toContain('Shrouded Keybag: PBES2, PBKDF2, AES-256-CBC, Iteration 2048, PRF hmacWithSHA256');

    const out = openssl(['pkcs12', '-in', file, '-passin', `pass:${TEST_P12_PASSWORD}`, '-nodes']);
    expect(out.status).toBe(0);
    expect(out.stdout.match(/-----BEGIN CERTIFICATE-----/g)).toHaveLength(2);
    expect(out.stdout).toContain('-----BEGIN PRIVATE KEY-----');
    const localKeyId = createHash('sha1')
      .update(pki.department.certificateDer)
      .digest('hex')
      .toUpperCase()
      .replace(/(..)(?!$)/g, '$1 ');
    expect(out.stdout).toContain(`localKeyID: ${localKeyId}`);

    const key = openssl(['pkey', '-in', writeFile(`dept-${algorithm}.pem`, out.stdout), '-pubout']).stdout;
    const publicKey = new X509Certificate(pki.department.certificateDer).publicKey.export({ type: 'spki', format: 'pem' });
    expect(key).toBe(publicKey);
    const certificates = openssl(['pkcs12', '-in', file, '-passin', `pass:${TEST_P12_PASSWORD}`, '-nokeys', '-clcerts']).stdout;
    expect(certificates).toContain(pki.department.pem);
  });

  test('openssl pkcs12 refuses a wrong password', () => {
    const file = writeFile(`wrong-${algorithm}.p12`, pki.department.p12);
    const out = openssl(['pkcs12', '-in', file, '-passin', 'pass:not-the-password', '-nodes']);
    expect(out.status).not.toBe(0);
    expect(out.stderr).toContain('Mac verify error: invalid password?');
  });

  test('forge reads the key store back on its own', () => {
    const pfx = forge.pkcs12.pkcs12FromAsn1(forge.asn1.fromDer(Buffer.from(pki.department.p12).toString('latin1')), TEST_P12_PASSWORD);
    const bags = pfx.safeContents.flatMap((safe) => safe.safeBags);
    expect(bags.map((bag) => bag.type)).toEqual([forge.pki.oids.certBag, forge.pki.oids.certBag, forge.pki.oids.pkcs8ShroudedKeyBag]);
    const keyBag = bags[2]!;
    // forge only makes objects of RSA keys; an EC key stays ASN.1 in bag.asn1.
    if (algorithm === 'RSA') expect(keyBag.key).toBeTruthy();
    else expect(keyBag.asn1).toBeTruthy();
    expect(keyBag.attributes).toMatchObject({ friendlyName: [TEST_DEPARTMENT.name] });
  });

  test('loads, signs with the native key, and the signature verifies with the certificate’s public key', async () => {
    // The time it takes to open is bounded in test/bench/time-bounds.ts.
    const signer = await loadP12Signer({ p12: pki.department.p12, password: TEST_P12_PASSWORD, clock });
    expect(signer.algorithm).toBe(algorithm === 'RSA' ? 'RSA-SHA256' : 'ECDSA-P256-SHA256');
    expect(signer.certificateChain.map((der) => Buffer.from(der).toString('hex'))).toEqual(pki.department.chain.map((der) => Buffer.from(der).toString('hex')));
    expect(signer.certificate).toEqual(summarizeCertificate(pki.department.certificateDer));

    const signature = await signer.sign(DATA);
    const publicKey = new X509Certificate(signer.certificateChain[0]!).publicKey;
    expect(verify('sha256', DATA, publicKey, signature)).toBe(true);
    expect(verify('sha256', new TextEncoder().encode('other data'), publicKey, signature)).toBe(false);
    if (algorithm === 'RSA') expect(signature).toHaveLength(256);
    else expect(signature[0]).toBe(0x30); // DER SEQUENCE { r, s }
    expect(JSON.stringify(signer)).not.toContain('PRIVATE');
  });

  test('the chain is ordered issuer by issuer whatever the order in the store', async () => {
    const p12 = exportPkcs12({
      privateKey: pki.department.privateKey,
      certificateChain: [pki.root.certificateDer, pki.department.certificateDer, pki.untrustedDepartment().root.certificateDer],
      password: 'x',
      friendlyName: 'f',
    });
    const signer = await loadP12Signer({ p12, password: 'x', clock });
    expect(signer.certificate.fingerprint256).toBe(summarizeCertificate(pki.department.certificateDer).fingerprint256);
    expect(signer.certificateChain.map((der) => summarizeCertificate(der).fingerprint256)).toEqual(pki.department.chain.map((der) => summarizeCertificate(der).fingerprint256));
  });

  test('a non-ASCII password works both ways with openssl', async () => {
    const password = '证照库密码-ü';
    const p12 = exportPkcs12({ privateKey: pki.department.privateKey, certificateChain: pki.department.chain, password, friendlyName: TEST_DEPARTMENT.name });
    const file = writeFile(`unicode-${algorithm}.p12`, p12);
    const pem = openssl(['pkcs12', '-in', file, '-passin', `pass:${password}`, '-nodes']);
    expect(pem.status).toBe(0);
    await expect(loadP12Signer({ p12, password, clock })).resolves.toMatchObject({ algorithm: expect.any(String) });

    const pemFile = writeFile(`unicode-${algorithm}.pem`, pem.stdout);
    for (const legacy of [false, true]) {
      const out = join(dir, `openssl-${algorithm}-${legacy}.p12`);
      const made = openssl(['pkcs12', '-export', '-in', pemFile, '-passout', `pass:${password}`, '-out', out, ...(legacy ? ['-legacy'] : [])]);
      if (legacy && made.status !== 0) continue; // -legacy needs the legacy provider: skip where it is absent
      expect(made.status).toBe(0);
      const signer = await loadP12Signer({ p12: readFileSync(out), password, clock });
      expect(verify('sha256', DATA, new X509Certificate(signer.certificateChain[0]!).publicKey, await signer.sign(DATA))).toBe(true);
    }
  });
});

describe('other writers and arguments', () => {
  const pki = makeTestPki({ algorithm: 'RSA' });
  const clock = fixedClock(pki.now.toISOString());

  test('reads a key store written by forge itself (SHA-1 MAC, 3DES key bag, unencrypted certificates)', async () => {
    const key = forge.pki.privateKeyFromPem(pki.department.privateKey.export({ type: 'pkcs1', format: 'pem' }).toString());
    const certificates = pki.department.chain.map((der) => forge.pki.certificateFromAsn1(forge.asn1.fromDer(Buffer.from(der).toString('latin1'))));
    const asn1 = forge.pkcs12.toPkcs12Asn1(key, certificates, 'forge-pass', { algorithm: '3des' });
    const p12 = Buffer.from(forge.asn1.toDer(asn1).getBytes(), 'latin1');
    expect(openssl(['pkcs12', '-in', writeFile('forge.p12', p12), '-passin', 'pass:forge-pass', '-noout', '-info']).stderr).toContain('MAC: sha1');
    const signer = await loadP12Signer({ p12, password: 'forge-pass', clock });
    expect(signer.certificate.fingerprint256).toBe(summarizeCertificate(pki.department.certificateDer).fingerprint256);
    expect(verify('sha256', DATA, new X509Certificate(pki.department.certificateDer).publicKey, await signer.sign(DATA))).toBe(true);
  });

  test('a key store without a MAC opens with the right password; a wrong one is still ERR_SIGNER_PASSWORD', async () => {
    const certificates = writeFile('nomac-certs.pem', pki.department.pem + pki.rootPem);
    const key = writeFile('nomac-key.pem', pki.department.privateKey.export({ type: 'pkcs8', format: 'pem' }));
    const out = join(dir, 'nomac.p12');
    expect(openssl(['pkcs12', '-export', '-nomac', '-in', certificates, '-inkey', key, '-passout', 'pass:right', '-out', out]).status).toBe(0);
    expect(openssl(['pkcs12', '-in', out, '-passin', 'pass:right', '-noout', '-info']).stderr).toContain('MAC is absent');
    await expect(loadP12Signer({ p12: readFileSync(out), password: 'right', clock })).resolves.toMatchObject({ algorithm: 'RSA-SHA256' });
    await expect(loadP12Signer({ p12: readFileSync(out), password: 'wrong', clock })).rejects.toMatchObject({ code: 'ERR_SIGNER_PASSWORD' });
  });

  test('exportPkcs12 refuses an empty password, an empty chain and a public key', () => {
    const base = { privateKey: pki.department.privateKey, certificateChain: pki.department.chain, password: 'x', friendlyName: 'f' };
    expect(() => exportPkcs12({ ...base, password: '' })).toThrow(RangeError);
    expect(() => exportPkcs12({ ...base, certificateChain: [] })).toThrow(RangeError);
    expect(() => exportPkcs12({ ...base, privateKey: new X509Certificate(pki.department.certificateDer).publicKey })).toThrow(TypeError);
    expect(() => exportPkcs12({ ...base, certificateChain: [new Uint8Array([1, 2, 3])] })).toThrow();
  });
});

describe('failures', () => {
  const pki = makeTestPki({ algorithm: 'EC' });
  const rsa = makeTestPki({ algorithm: 'RSA' });
  const clock = fixedClock(pki.now.toISOString());
  const load = (p12: Uint8Array, password = TEST_P12_PASSWORD, at: Clock = clock) => loadP12Signer({ p12, password, clock: at });

  test('a wrong password is ERR_SIGNER_PASSWORD, and the message does not hold the password', async () => {
    const wrong = 'Wrong-Password-123';
    const attempt = load(pki.department.p12, wrong);
    await expect(attempt).rejects.toMatchObject({ code: 'ERR_SIGNER_PASSWORD' });
    await expect(attempt).rejects.toThrow(expect.objectContaining({ message: expect.not.stringContaining(wrong) }));
    await expect(load(rsa.department.p12, '')).rejects.toMatchObject({ code: 'ERR_SIGNER_PASSWORD' });
  });

  test.each<[string, () => Uint8Array]>([
    ['garbage bytes', () => new TextEncoder().encode('this is not a PKCS#12 file at all')],
    ['an empty file', () => new Uint8Array(0)],
    ['a DER certificate', () => pki.department.certificateDer],
    ['a truncated key store', () => pki.department.p12.subarray(0, 600)],
  ])('%s is ERR_SIGNER_KEY_STORE_INVALID', async (_name, bytes) => {
    await expect(load(bytes())).rejects.toMatchObject({ code: 'ERR_SIGNER_KEY_STORE_INVALID' });
  });

  test('a damaged key store fails its MAC', async () => {
    const damaged = new Uint8Array(pki.department.p12);
    damaged[200] = damaged[200]! ^ 0xff;
    await expect(load(damaged)).rejects.toMatchObject({ code: expect.stringMatching(/^ERR_SIGNER_(PASSWORD|KEY_STORE_INVALID)$/) });
  });

  test('a key store without a key, or without a certificate, is ERR_SIGNER_KEY_STORE_INVALID', async () => {
    const certificates = writeFile('certs.pem', pki.department.pem + pki.rootPem);
    const key = writeFile('key.pem', pki.department.privateKey.export({ type: 'pkcs8', format: 'pem' }));
    const certsOnly = join(dir, 'certs-only.p12');
    const keyOnly = join(dir, 'key-only.p12');
    expect(openssl(['pkcs12', '-export', '-nokeys', '-in', certificates, '-passout', 'pass:x', '-out', certsOnly]).status).toBe(0);
    expect(openssl(['pkcs12', '-export', '-nocerts', '-inkey', key, '-passout', 'pass:x', '-out', keyOnly]).status).toBe(0);
    await expect(load(readFileSync(certsOnly), 'x')).rejects.toMatchObject({ code: 'ERR_SIGNER_KEY_STORE_INVALID', message: expect.stringContaining('no private key') });
    await expect(load(readFileSync(keyOnly), 'x')).rejects.toMatchObject({ code: 'ERR_SIGNER_KEY_STORE_INVALID', message: expect.stringContaining('no certificate') });
  });

  test('a key that belongs to no certificate is ERR_SIGNER_KEY_MISMATCH', async () => {
    await expect(load(pki.mismatchedKeyP12().p12)).rejects.toMatchObject({ code: 'ERR_SIGNER_KEY_MISMATCH' });
    const rsaKeyEcCert = exportPkcs12({ privateKey: rsa.department.privateKey, certificateChain: pki.department.chain, password: 'x', friendlyName: 'f' });
    await expect(load(rsaKeyEcCert, 'x')).rejects.toMatchObject({ code: 'ERR_SIGNER_KEY_MISMATCH' });
  });

  test('an expired certificate is ERR_SIGNER_CERT_EXPIRED; one not yet valid ERR_SIGNER_CERT_NOT_YET_VALID', async () => {
    await expect(load(pki.expiredDepartment().p12)).rejects.toMatchObject({ code: 'ERR_SIGNER_CERT_EXPIRED' });
    await expect(load(rsa.notYetValidDepartment().p12, TEST_P12_PASSWORD, fixedClock(rsa.now.toISOString()))).rejects.toMatchObject({ code: 'ERR_SIGNER_CERT_NOT_YET_VALID' });
  });

  test('a CA certificate, or one without document-signing usage, is ERR_SIGNER_CERT_USAGE', async () => {
    await expect(load(pki.rootCredential().p12)).rejects.toMatchObject({ code: 'ERR_SIGNER_CERT_USAGE', message: expect.stringContaining('CA certificate') });
    await expect(load(pki.departmentWithoutSigningUsage().p12)).rejects.toMatchObject({ code: 'ERR_SIGNER_CERT_USAGE' });
  });

  test('an unsupported key is ERR_SIGNER_ALGORITHM', async () => {
    const ed25519 = generateKeyPairSync('ed25519').privateKey;
    const p12 = exportPkcs12({ privateKey: ed25519, certificateChain: pki.department.chain, password: 'x', friendlyName: 'f' });
    await expect(load(p12, 'x')).rejects.toMatchObject({ code: 'ERR_SIGNER_ALGORITHM' });
    expect(generatePrivateKey('EC').asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
  });

  test('the validity is checked again at every signature', async () => {
    let now = new Date(pki.now);
    const movable: Clock = { now: () => new Date(now) };
    const signer = await load(pki.department.p12, TEST_P12_PASSWORD, movable);
    await expect(signer.sign(DATA)).resolves.toBeInstanceOf(Uint8Array);

    now = new Date(Date.parse(signer.certificate.notAfter) + 1000);
    await expect(signer.sign(DATA)).rejects.toMatchObject({ code: 'ERR_SIGNER_CERT_EXPIRED' });
    now = new Date(Date.parse(signer.certificate.notBefore) - 1000);
    await expect(signer.sign(DATA)).rejects.toMatchObject({ code: 'ERR_SIGNER_CERT_NOT_YET_VALID' });
    now = new Date(signer.certificate.notAfter); // the last valid instant
    await expect(signer.sign(DATA)).resolves.toBeInstanceOf(Uint8Array);
  });
});

describe('openP12SignerFile', () => {
  const pki = makeTestPki({ algorithm: 'EC' });
  const clock = fixedClock(pki.now.toISOString());

  test('opens a key store file', async () => {
    const file = writeFile('file.p12', pki.department.p12);
    const signer = await openP12SignerFile(file, TEST_P12_PASSWORD, clock);
    expect(signer.certificate.subject).toContain(`CN=${TEST_DEPARTMENT.name}`);
  });

  test('a missing file is ERR_SIGNER_KEY_MISSING naming the file', async () => {
    const file = join(dir, 'missing', 'dept.p12');
    await expect(openP12SignerFile(file, TEST_P12_PASSWORD, clock)).rejects.toMatchObject({ code: 'ERR_SIGNER_KEY_MISSING', message: expect.stringContaining(file) });
  });

  test('other failures keep their code and name the file', async () => {
    const file = writeFile('wrong.p12', pki.department.p12);
    await expect(openP12SignerFile(file, 'nope', clock)).rejects.toMatchObject({ code: 'ERR_SIGNER_PASSWORD', message: expect.stringContaining(file) });
    await expect(openP12SignerFile(dir, 'nope', clock)).rejects.toMatchObject({ code: 'ERR_SIGNER_KEY_STORE_INVALID' });
  });
});
