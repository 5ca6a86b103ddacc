import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CadesSignedDataBuilder } from '../../../src/adapters/pki/cms/signed-data-builder.js';
import { loadP12Signer } from '../../../src/adapters/pki/p12/index.js';
import { StrictPdfSignatureVerifier } from '../../../src/adapters/pki/verifier/strict-pdf-verifier.js';
import { summarizeCertificate, type TrustedRoot } from '../../../src/adapters/pki/x509/index.js';
import { PadesSigner, type Signer } from '../../../src/modules/signing/index.js';
import { fillByteRange, fillSignature, signedRanges } from '../../../src/lib/pdf-bytes/index.js';
import type { SignatureVerdict } from '../../../src/modules/verification/index.js';
import { fixedClock } from '../../../src/shared/clock.js';
import { makePreparedPdf, makeTempDir, SIGNING_TIME } from '../../fixtures/pdfs.js';
import { makeTestPki, type TestCredential } from '../../fixtures/pki.js';
import { appendIncrementalUpdate } from '../../support/incremental-update.js';
import { flipByte, toIndefiniteLengthBer, uncheckedSigner } from '../../support/tamper.js';
import { Validators } from '../../support/validators.js';

const NOW = new Date(SIGNING_TIME.getTime() + 3_600_000);
const clock = fixedClock(NOW.toISOString());
const rsa = makeTestPki({ now: NOW });
const ec = makeTestPki({ algorithm: 'EC', now: NOW });

function trusted(pem: string, der: Uint8Array): TrustedRoot {
  return { der, pem, summary: summarizeCertificate(der) };
}

const verifier = new StrictPdfSignatureVerifier({
  trustedRoots: () => [trusted(rsa.rootPem, rsa.root.certificateDer), trusted(ec.rootPem, ec.root.certificateDer)],
  clock,
});
const pades = new PadesSigner(new CadesSignedDataBuilder());

function failedChecks(verdict: SignatureVerdict): string[] {
  return verdict.checks.filter((check) => !check.ok && !check.detail.startsWith('not run')).map((check) => check.name);
}

async function signerOf(credential: TestCredential): Promise<Signer> {
  return loadP12Signer({ p12: credential.p12, password: credential.password, clock });
}

describe('PAdES B-B signatures checked by independent validators', () => {
  let validators: Validators;
  beforeAll(() => {
    validators = new Validators([rsa.rootPem, ec.rootPem]);
  });
  afterAll(() => validators.dispose());

  describe.each([
    ['RSA-2048', rsa],
    ['ECDSA P-256', ec],
  ])('%s', (_name, pki) => {
    let signed: Uint8Array;
    beforeAll(async () => {
      signed = await pades.sign(await makePreparedPdf(), await signerOf(pki.department));
    });

    test('pdfsig: valid, trusted, total document signed, CAdES detached', () => {
      const report = validators.pdfsig(signed);
      expect(report).toContain('Signature Validation: Signature is Valid.');
      expect(report).toContain('Certificate Validation: Certificate is Trusted.');
      expect(report).toContain('Total document signed');
      expect(report).toContain('Signature Type: ETSI.CAdES.detached');
      expect(report).toContain('Signer full Distinguished Name: CN=福州市市场监督管理局');
    });

    test('openssl cms -verify accepts the signature over the two byte ranges, chained to the root', () => {
      expect(validators.opensslVerify(signed)).toMatchObject({ ok: true, output: expect.stringContaining('Verification successful') });
    });

    test('qpdf --check finds no structural problem', () => {
      expect(validators.qpdfCheck(signed)).toMatchObject({ ok: true });
    });

    test('our verifier: every check passes', async () => {
      const verdict = await verifier.verify(signed);
      expect(failedChecks(verdict)).toEqual([]);
      expect(verdict.valid).toBe(true);
      expect(verdict.signer?.subject).toContain('CN=福州市市场监督管理局');
      expect(verdict.signedAt).toBe(SIGNING_TIME.toISOString());
    });
  });

  describe('forgeries every validator rejects', () => {
    let signer: Signer;
    let signed: Uint8Array;
    beforeAll(async () => {
      signer = await signerOf(rsa.department);
      signed = await pades.sign(await makePreparedPdf(), signer);
    });

    test('one flipped byte inside the signed range', async () => {
      const location = (await makePreparedPdf()).placeholder;
      const tampered = flipByte(signed, Math.floor(location.contentsStart / 2));
      expect(failedChecks(await verifier.verify(tampered))).toEqual(['message-digest']);
      expect(validators.pdfsig(tampered)).not.toContain('Signature is Valid');
      expect(validators.opensslVerify(tampered).ok).toBe(false);
    });

    test('a CMS copied in from another signed file', async () => {
      const other = await pades.sign(await makePreparedPdf({ reason: '另一份证照' }), signer);
      const target = (await makePreparedPdf()).placeholder;
      const source = (await makePreparedPdf({ reason: '另一份证照' })).placeholder;
      expect(source.contentsEnd - source.contentsStart).toBe(target.contentsEnd - target.contentsStart);
      const transplanted = new Uint8Array(signed);
      transplanted.set(other.subarray(source.contentsStart, source.contentsEnd), target.contentsStart);
      expect(failedChecks(await verifier.verify(transplanted))).toEqual(['message-digest']);
      expect(validators.pdfsig(transplanted)).not.toContain('Signature is Valid');
      expect(validators.opensslVerify(transplanted).ok).toBe(false);
    });

    test('a signature by a certificate outside the trusted roots', async () => {
      const stranger = rsa.untrustedDepartment();
      const forged = await pades.sign(await makePreparedPdf(), await signerOf(stranger));
      expect(failedChecks(await verifier.verify(forged))).toEqual(['certificate-chain']);
      expect(validators.pdfsig(forged)).not.toContain('Certificate is Trusted');
      expect(validators.opensslVerify(forged).ok).toBe(false);
    });

    test('an expired signing certificate', async () => {
      const expired = rsa.expiredDepartment();
      const forged = await pades.sign(await makePreparedPdf(), uncheckedSigner(expired.privateKey, expired.chain));
      expect(failedChecks(await verifier.verify(forged))).toEqual(['certificate-validity']);
      expect(validators.pdfsig(forged)).toContain('Certificate has Expired');
      expect(validators.opensslVerify(forged)).toMatchObject({ ok: false, output: expect.stringContaining('certificate has expired') });
    });
  });

  test('an incremental update appended after signing: pdfsig still says valid, our verifier refuses', async () => {
    const signed = await pades.sign(await makePreparedPdf(), await signerOf(rsa.department));
    const updated = appendIncrementalUpdate(signed);
    const report = validators.pdfsig(updated);
    expect(report).toContain('Signature is Valid');
    expect(report).toContain('Not total document signed');
    expect(validators.qpdfCheck(updated).ok).toBe(true);
    const verdict = await verifier.verify(updated);
    expect(verdict.valid).toBe(false);
    expect(failedChecks(verdict)).toEqual(['whole-file']);
  });

  describe('CMS made by openssl, not by us', () => {
    let temp: ReturnType<typeof makeTempDir>;
    beforeAll(() => {
      temp = makeTempDir('openssl-cades');
      writeFileSync(join(temp.dir, 'dept.pem'), rsa.department.pem);
      writeFileSync(join(temp.dir, 'key.pem'), rsa.department.privateKey.export({ type: 'pkcs8', format: 'pem' }));
      writeFileSync(join(temp.dir, 'root.pem'), rsa.rootPem);
    });
    afterAll(() => temp.cleanup());

    async function signedByOpenssl(extra: readonly string[]): Promise<{ pdf: Uint8Array; cms: Buffer }> {
      const { pdf: prepared, placeholder: location } = await makePreparedPdf();
      const pdf = fillByteRange(prepared, location);
      const result = spawnSync(
        'openssl',
        [
          'cms',
          '-sign',
          '-cades',
          '-binary',
          '-md',
          'sha256',
          '-nosmimecap',
          '-outform',
          'DER',
          '-signer',
          join(temp.dir, 'dept.pem'),
          '-inkey',
          join(temp.dir, 'key.pem'),
          '-certfile',
          join(temp.dir, 'root.pem'),
          ...extra,
        ],
        { input: Buffer.concat([...signedRanges(pdf, location)]) },
      );
      expect(result.status).toBe(0);
      return { pdf: fillSignature(pdf, location, result.stdout), cms: result.stdout };
    }

    test('a DER CAdES signature (with signing-certificate-v2) is accepted', async () => {
      const { pdf } = await signedByOpenssl([]);
      expect(failedChecks(await verifier.verify(pdf))).toEqual([]);
    });

    test('the same signature in BER with indefinite lengths is accepted', async () => {
      const { pdf, cms } = await signedByOpenssl([]);
      const ber = toIndefiniteLengthBer(cms);
      expect(ber[1]).toBe(0x80);
      expect(ber.equals(cms)).toBe(false);
      const location = (await makePreparedPdf()).placeholder;
      expect(failedChecks(await verifier.verify(fillSignature(new Uint8Array(pdf), location, ber)))).toEqual([]);
    });

    test('without -cades there is no signing-certificate-v2, and the binding check says so', async () => {
      const { pdf: prepared, placeholder: location } = await makePreparedPdf();
      const pdf = fillByteRange(prepared, location);
      const result = spawnSync(
        'openssl',
        ['cms', '-sign', '-binary', '-md', 'sha256', '-outform', 'DER', '-signer', join(temp.dir, 'dept.pem'), '-inkey', join(temp.dir, 'key.pem')],
        {
          input: Buffer.concat([...signedRanges(pdf, location)]),
        },
      );
      const verdict = await verifier.verify(fillSignature(pdf, location, result.stdout));
      expect(failedChecks(verdict)).toEqual(['signing-certificate-binding']);
    });
  });
});
