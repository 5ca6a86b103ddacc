import { spawnSync } from 'node:child_process';
import { createHash, X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  certificateToPem,
  certificateUsage,
  createRootCa,
  DOCUMENT_SIGNING_EKUS,
  issueDepartmentCertificate,
  parseCertificate,
  summarizeCertificate,
  type KeyAlgorithm,
} from '../../../../src/adapters/pki/x509/index.js';
import { FIXTURE_PKI_FILES, FIXTURE_VALIDITY, fixturePkiFile, makeTestPki, TEST_DEPARTMENT, TEST_ROOT_NAME } from '../../../fixtures/pki.js';

interface Run {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the openssl CLI without a shell; a non-zero exit is returned, not thrown. */
function openssl(args: readonly string[]): Run {
  const run = spawnSync('openssl', args, { encoding: 'utf8' });
  if (run.error) throw run.error;
  return { status: run.status ?? -1, stdout: run.stdout, stderr: run.stderr };
}

function hex(bytes: Uint8Array | null): string {
  return bytes === null ? 'null' : Buffer.from(bytes).toString('hex');
}

/** openssl prints key identifiers as `AB:CD:…`. */
function colonHex(bytes: Uint8Array | null): string {
  return hex(bytes)
    .toUpperCase()
    .replace(/(..)(?!$)/g, '$1:');
}

let dir: string;
beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'vault-x509-'))));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function writePem(name: string, der: Uint8Array): string {
  const file = join(dir, name);
  writeFileSync(file, certificateToPem(der));
  return file;
}

describe.each<KeyAlgorithm>(['RSA', 'EC'])('%s certificates', (algorithm) => {
  const pki = makeTestPki({ algorithm });
  const rsa = algorithm === 'RSA';

  test('the root CA is a self-signed v3 CA with critical basicConstraints and keyUsage keyCertSign + cRLSign', () => {
    const text = openssl(['x509', '-in', writePem(`root-${algorithm}.pem`, pki.root.certificateDer), '-noout', '-text', '-nameopt', 'utf8,sep_comma_plus_space']).stdout;
    expect(text).toContain('Version: 3 (0x2)');
    expect(text).toContain(`Signature Algorithm: ${rsa ? 'sha256WithRSAEncryption' : 'ecdsa-with-SHA256'}`);
    expect(text).toContain(rsa ? 'Public-Key: (2048 bit)' : 'NIST CURVE: P-256');
    expect(text).toContain(`Subject: C=CN, O=${TEST_ROOT_NAME.organization}, CN=${TEST_ROOT_NAME.commonName}`);
    expect(text).toContain(`Issuer: C=CN, O=${TEST_ROOT_NAME.organization}, CN=${TEST_ROOT_NAME.commonName}`);
    expect(text).toMatch(/X509v3 Basic Constraints: critical\s+CA:TRUE/);
    expect(text).toMatch(/X509v3 Key Usage: critical\s+Certificate Sign, CRL Sign\n/);
    expect(text).toContain('X509v3 Subject Key Identifier');

    const x509 = new X509Certificate(pki.root.certificateDer);
    expect(x509.ca).toBe(true);
    expect(x509.checkIssued(x509)).toBe(true);
    expect(x509.verify(x509.publicKey)).toBe(true);
    expect(x509.checkPrivateKey(pki.root.privateKey)).toBe(true);
    expect(certificateUsage(pki.root.certificateDer)).toMatchObject({
      keyUsage: { digitalSignature: false, nonRepudiation: false, keyCertSign: true },
      extKeyUsage: null,
      isCa: true,
      authorityKeyIdentifier: null,
    });
  });

  test('the serial number is random, positive and 16 bytes long', () => {
    const serials = [pki.root.certificateDer, pki.department.certificateDer].map((der) => parseCertificate(der).serial);
    for (const serial of serials) {
      expect(serial).toHaveLength(16);
      expect(serial[0]).toBeGreaterThan(0);
      expect(serial[0]).toBeLessThan(0x80);
    }
    expect(hex(serials[0]!)).not.toBe(hex(serials[1]!));
  });

  test('the department certificate names the department in Chinese with its credit code, and may only sign documents', () => {
    const text = openssl(['x509', '-in', writePem(`dept-${algorithm}.pem`, pki.department.certificateDer), '-noout', '-text', '-nameopt', 'utf8,sep_comma_plus_space']).stdout;
    expect(text).toContain(
      `Subject: C=CN, O=${TEST_DEPARTMENT.name}, organizationIdentifier=NTRCN-${TEST_DEPARTMENT.creditCode}, serialNumber=${TEST_DEPARTMENT.creditCode}, CN=${TEST_DEPARTMENT.name}`,
    );
    expect(text).toContain(`Issuer: C=CN, O=${TEST_ROOT_NAME.organization}, CN=${TEST_ROOT_NAME.commonName}`);
    expect(text).toMatch(/X509v3 Basic Constraints: \n\s+CA:FALSE/);
    expect(text).toMatch(/X509v3 Key Usage: critical\s+Digital Signature, Non Repudiation\n/);
    expect(text).toMatch(/X509v3 Extended Key Usage: \n\s+1\.3\.6\.1\.5\.5\.7\.3\.36, 1\.3\.6\.1\.4\.1\.311\.10\.3\.12, E-mail Protection\n/);
    const usage = certificateUsage(pki.department.certificateDer);
    const rootUsage = certificateUsage(pki.root.certificateDer);
    expect(text).toMatch(new RegExp(`X509v3 Subject Key Identifier: \\n\\s+${colonHex(usage.subjectKeyIdentifier)}\\n`));
    expect(text).toMatch(new RegExp(`X509v3 Authority Key Identifier: \\n\\s+(keyid:)?${colonHex(rootUsage.subjectKeyIdentifier)}\\n`));

    const x509 = new X509Certificate(pki.department.certificateDer);
    expect(x509.subject).toBe(
      `C=CN\nO=${TEST_DEPARTMENT.name}\norganizationIdentifier=NTRCN-${TEST_DEPARTMENT.creditCode}\nserialNumber=${TEST_DEPARTMENT.creditCode}\nCN=${TEST_DEPARTMENT.name}`,
    );
    expect(x509.ca).toBe(false);
    expect(x509.keyUsage).toEqual([...DOCUMENT_SIGNING_EKUS]);
    expect(x509.checkIssued(new X509Certificate(pki.root.certificateDer))).toBe(true);
    expect(x509.checkPrivateKey(pki.department.privateKey)).toBe(true);
    expect(certificateUsage(pki.department.certificateDer)).toEqual({
      keyUsage: { digitalSignature: true, nonRepudiation: true, keyCertSign: false },
      extKeyUsage: ['1.3.6.1.5.5.7.3.36', '1.3.6.1.4.1.311.10.3.12', '1.3.6.1.5.5.7.3.4'],
      isCa: false,
      subjectKeyIdentifier: usage.subjectKeyIdentifier,
      authorityKeyIdentifier: rootUsage.subjectKeyIdentifier,
    });
    // RFC 5280 4.2.1.2 method 1: SHA-1 of the subjectPublicKey bits.
    const spki = x509.publicKey.export({ type: 'spki', format: 'der' });
    const publicKeyBits = rsa ? spki.subarray(spki.length - 270) : spki.subarray(spki.length - 65);
    expect(hex(usage.subjectKeyIdentifier)).toBe(createHash('sha1').update(publicKeyBits).digest('hex'));
  });

  test('openssl verify accepts the department certificate against its root and refuses one from another root', () => {
    const rootFile = writePem(`verify-root-${algorithm}.pem`, pki.root.certificateDer);
    const good = openssl(['verify', '-CAfile', rootFile, writePem(`verify-dept-${algorithm}.pem`, pki.department.certificateDer)]);
    expect(good).toMatchObject({ status: 0 });
    expect(good.stdout).toContain(': OK');

    const stranger = openssl(['verify', '-CAfile', rootFile, writePem(`verify-untrusted-${algorithm}.pem`, pki.untrustedDepartment().certificateDer)]);
    expect(stranger.status).not.toBe(0);
    expect(stranger.stdout + stranger.stderr).toMatch(/unable to get local issuer certificate/);

    const expired = openssl(['verify', '-CAfile', rootFile, writePem(`verify-expired-${algorithm}.pem`, pki.expiredDepartment().certificateDer)]);
    expect(expired.status).not.toBe(0);
    expect(expired.stdout + expired.stderr).toMatch(/certificate has expired/);
  });

  test('summarizeCertificate gives the subject RFC 4514-style on one line, serial, fingerprint and validity', () => {
    const x509 = new X509Certificate(pki.department.certificateDer);
    const summary = summarizeCertificate(pki.department.certificateDer);
    expect(summary).toEqual({
      subject: `CN=${TEST_DEPARTMENT.name},serialNumber=${TEST_DEPARTMENT.creditCode},organizationIdentifier=NTRCN-${TEST_DEPARTMENT.creditCode},O=${TEST_DEPARTMENT.name},C=CN`,
      issuer: `CN=${TEST_ROOT_NAME.commonName},O=${TEST_ROOT_NAME.organization},C=CN`,
      serialNumber: x509.serialNumber.toUpperCase(),
      fingerprint256: createHash('sha256').update(pki.department.certificateDer).digest('hex'),
      // RSA: the committed fixture; EC: made for this run, valid from a day before `now` for a year.
      ...(rsa
        ? FIXTURE_VALIDITY.department
        : { notBefore: new Date(pki.now.getTime() - 86_400_000).toISOString(), notAfter: new Date(pki.now.getTime() + 365 * 86_400_000).toISOString() }),
    });
    expect(summary.serialNumber).toMatch(/^[0-9A-F]{32}$/);
    expect(new Date(x509.validFrom).toISOString()).toBe(summary.notBefore);
    expect(new Date(x509.validTo).toISOString()).toBe(summary.notAfter);
  });
});

test('the committed fixture department certificate summarizes to its known serial, fingerprint and validity', () => {
  const der = new Uint8Array(new X509Certificate(fixturePkiFile(FIXTURE_PKI_FILES.departmentPem)).raw);
  expect(summarizeCertificate(der)).toEqual({
    subject: `CN=${TEST_DEPARTMENT.name},serialNumber=${TEST_DEPARTMENT.creditCode},organizationIdentifier=NTRCN-${TEST_DEPARTMENT.creditCode},O=${TEST_DEPARTMENT.name},C=CN`,
    issuer: `CN=${TEST_ROOT_NAME.commonName},O=${TEST_ROOT_NAME.organization},C=CN`,
    serialNumber: '149153DEA303C5610F7D5FED3E73855B',
    fingerprint256: '6536c7c2c046c881b164df152db2039fc46986865e96cd394845be40aee7147e',
    notBefore: '2025-01-01T00:00:00.000Z',
    notAfter: '2035-01-01T00:00:00.000Z',
  });
});

describe('issuing across key types and edge cases', () => {
  const now = new Date('2026-03-01T08:30:15.750Z');

  test.each<[KeyAlgorithm, KeyAlgorithm]>([
    ['RSA', 'EC'],
    ['EC', 'RSA'],
  ])('a %s root issues a %s department certificate that openssl verifies', (rootAlgorithm, departmentAlgorithm) => {
    const pki = makeTestPki({ algorithm: rootAlgorithm });
    const issued = issueDepartmentCertificate({
      issuer: pki.root,
      department: TEST_DEPARTMENT,
      algorithm: departmentAlgorithm,
      validFrom: pki.now,
      validTo: new Date(pki.now.getTime() + 86_400_000),
    });
    const x509 = new X509Certificate(issued.certificateDer);
    expect(x509.publicKey.asymmetricKeyType).toBe(departmentAlgorithm === 'RSA' ? 'rsa' : 'ec');
    expect(x509.verify(new X509Certificate(pki.root.certificateDer).publicKey)).toBe(true);
    const text = openssl(['x509', '-in', writePem(`mixed-${rootAlgorithm}.pem`, issued.certificateDer), '-noout', '-text']).stdout;
    expect(text).toContain(`Signature Algorithm: ${rootAlgorithm === 'RSA' ? 'sha256WithRSAEncryption' : 'ecdsa-with-SHA256'}`);
    expect(
      openssl(['verify', '-CAfile', writePem(`mixed-root-${rootAlgorithm}.pem`, pki.root.certificateDer), writePem(`mixed-dept-${rootAlgorithm}.pem`, issued.certificateDer)])
        .status,
    ).toBe(0);
  });

  test('validity is kept to the second, UTCTime before 2050 and GeneralizedTime from 2050', () => {
    const root = createRootCa({ commonName: 'R', organization: 'O', algorithm: 'EC', validFrom: now, validTo: new Date('2051-06-30T23:59:59Z') });
    const parsed = parseCertificate(root.certificateDer);
    expect(parsed.notBefore.toISOString()).toBe('2026-03-01T08:30:15.000Z');
    expect(parsed.notAfter.toISOString()).toBe('2051-06-30T23:59:59.000Z');
    const text = openssl(['x509', '-in', writePem('long.pem', root.certificateDer), '-noout', '-dates']).stdout;
    expect(text).toContain('notBefore=Mar  1 08:30:15 2026 GMT');
    expect(text).toContain('notAfter=Jun 30 23:59:59 2051 GMT');
    const asn1 = openssl(['asn1parse', '-in', join(dir, 'long.pem')]).stdout;
    expect(asn1).toContain('UTCTIME           :260301083015Z');
    expect(asn1).toContain('GENERALIZEDTIME   :20510630235959Z');
  });

  test('refuses to issue from a certificate that is not a CA, or with a key that is not the issuer’s', () => {
    const pki = makeTestPki({ algorithm: 'EC' });
    const options = { department: TEST_DEPARTMENT, algorithm: 'EC' as const, validFrom: now, validTo: new Date(now.getTime() + 1000) };
    expect(() => issueDepartmentCertificate({ ...options, issuer: pki.department })).toThrow(expect.objectContaining({ code: 'ERR_SIGNER_CERT_USAGE' }));
    expect(() => issueDepartmentCertificate({ ...options, issuer: { certificateDer: pki.root.certificateDer, privateKey: pki.department.privateKey } })).toThrow(
      expect.objectContaining({ code: 'ERR_SIGNER_KEY_MISMATCH' }),
    );
  });

  test('refuses an invalid credit code and an empty validity', () => {
    const pki = makeTestPki({ algorithm: 'EC' });
    expect(() =>
      issueDepartmentCertificate({
        issuer: pki.root,
        department: { name: 'x', creditCode: '91350100M000100Y44' },
        algorithm: 'EC',
        validFrom: now,
        validTo: new Date(now.getTime() + 1000),
      }),
    ).toThrow(expect.objectContaining({ code: 'ERR_CREDIT_CODE_CHECKSUM' }));
    expect(() => createRootCa({ commonName: 'R', organization: 'O', algorithm: 'EC', validFrom: now, validTo: now })).toThrow(RangeError);
  });

  test('certificateUsage reads a certificate without document-signing usage', () => {
    const pki = makeTestPki({ algorithm: 'EC' });
    expect(certificateUsage(pki.departmentWithoutSigningUsage().certificateDer)).toMatchObject({
      keyUsage: { digitalSignature: false, nonRepudiation: false, keyCertSign: false },
      extKeyUsage: ['1.3.6.1.5.5.7.3.1', '1.3.6.1.5.5.7.3.2'],
      isCa: false,
    });
  });
});
