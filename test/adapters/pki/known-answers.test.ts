import { createHash, createVerify, X509Certificate } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CadesSignedDataBuilder } from '../../../src/adapters/pki/cms/signed-data-builder.js';
import { loadP12Signer, openKeyStore } from '../../../src/adapters/pki/p12/index.js';
import { PadesSigner } from '../../../src/modules/signing/pades-signer.js';
import { fixedClock } from '../../../src/shared/clock.js';
import { makePreparedPdf } from '../../fixtures/pdfs.js';
import { FIXTURE_PKI_DIR, FIXTURE_PKI_FILES, fixturePkiFile, TEST_P12_PASSWORD } from '../../fixtures/pki.js';

const sha256 = (bytes: Uint8Array | string): string => createHash('sha256').update(bytes).digest('hex');
/** Frozen: the fixture certificate is valid then, whatever the day the tests run. */
const clock = fixedClock('2026-11-21T02:00:00Z');
const departmentSigner = () => loadP12Signer({ p12: fixturePkiFile(FIXTURE_PKI_FILES.departmentP12), password: TEST_P12_PASSWORD, clock });

/** The SHA-256 SOURCES.md gives each fixture file of its table (`| \`pki/name\` | … | sha256 |`). */
function listedHashes(): Map<string, string> {
  const sources = readFileSync(join(FIXTURE_PKI_DIR, '..', 'SOURCES.md'), 'utf8');
  return new Map([...sources.matchAll(/^\| `pki\/([^`]+)` \|.*\| `([0-9a-f]{64})` \|$/gm)].map((match) => [match[1]!, match[2]!]));
}

describe('known answers of the committed test PKI (test/fixtures/SOURCES.md)', () => {
  test('every key store and certificate under test/fixtures/pki/ is listed in SOURCES.md with its SHA-256', () => {
    const files = readdirSync(FIXTURE_PKI_DIR).filter((name) => !name.endsWith('.ts'));
    expect(files.sort()).toEqual(Object.values(FIXTURE_PKI_FILES).sort());
    const listed = listedHashes();
    expect(Object.fromEntries(files.map((name) => [name, sha256(readFileSync(join(FIXTURE_PKI_DIR, name)))]))).toEqual(
      Object.fromEntries(files.map((name) => [name, listed.get(name)])),
    );
  });

  test('the department key store holds the key of the department certificate, then the root certificate', () => {
    const { privateKey, certificateChain } = openKeyStore(fixturePkiFile(FIXTURE_PKI_FILES.departmentP12), TEST_P12_PASSWORD);
    const department = new X509Certificate(fixturePkiFile(FIXTURE_PKI_FILES.departmentPem));
    const root = new X509Certificate(fixturePkiFile(FIXTURE_PKI_FILES.rootPem));
    expect(certificateChain.map((der) => sha256(der))).toEqual([sha256(department.raw), sha256(root.raw)]);
    expect(department.checkPrivateKey(privateKey)).toBe(true);
    expect(department.verify(root.publicKey)).toBe(true);
  });

  test('RSA PKCS#1 v1.5 over fixed bytes gives the stored signature, which openssl gave too', async () => {
    const data = new TextEncoder().encode('the DER of CMS signed attributes, for the test');
    const signature = Buffer.from(await (await departmentSigner()).sign(data)).toString('hex');
    expect(signature).toBe(
      '4b9abd8657907a099cf0509bf6db08dafb544e2786525af19022c059ba6613759de3238b5558b78fde1ab474c987e6a3bc5774d301dca261acf120d45c36ab4655c93c353f4d10bfa507692a9a0a7ff0a69415eddd15ef872ddbfd2ccff9fbc999432b5fa0af7dece2910ef87c792aec85207c13dd966b26e1e1983b85957fd410242b5daac984e61b2198810e0e4de48e3e38bdb30858a697fcb6286db9046c03152774e30198942eb7358695b4165f7af625ac26cce64f0a9c9a5b04a2eab0bde637faa381903980e00a129ce2c8977614cad83cda34b7b7fc4eb5fef15c7f53ac0f33f1e44ee48e2e4dea2d019fd644bfaf7646ff3b1e18f1c9fd55f2c5a1',
    );
    const certificate = new X509Certificate(fixturePkiFile(FIXTURE_PKI_FILES.departmentPem));
    expect(createVerify('sha256').update(data).verify(certificate.publicKey, Buffer.from(signature, 'hex'))).toBe(true);
  });

  test('the detached CMS over a fixed digest is the stored one, byte for byte', async () => {
    const cms = await new CadesSignedDataBuilder().createDetachedSignature(createHash('sha256').update('fixed content').digest(), await departmentSigner());
    expect(cms).toHaveLength(2612);
    expect(sha256(cms)).toBe('5e98475082ba2752924caad551a77a1bde086aa5114672478d6b73b264bcc1fd');
  });

  test('the fixture PDF signed (PAdES) is the stored file, byte for byte', async () => {
    const prepared = await makePreparedPdf();
    // When this one moves, the PDF writer or the placeholder changed what it writes: update both hashes, with SOURCES.md.
    expect(sha256(prepared.pdf)).toBe('55fd61516f21ae6d550bce4acefe4ea344e4a8c8f132a94f9203477ffae79be6');
    const signed = await new PadesSigner(new CadesSignedDataBuilder()).sign(prepared, await departmentSigner());
    expect(sha256(signed)).toBe('1abc56efb7e2f3f5f79ba0f905b7e80561d725ff3807f3aff31588157b514122');
  });
});
