import { createHash, timingSafeEqual, verify as verifySignature, X509Certificate } from 'node:crypto';
import { scanPdfSignatures, type FoundSignature } from '../../../lib/pdf-bytes/index.js';
import type { CertificateSummary } from '../../../modules/signing/index.js';
import { VerdictBuilder, type PdfSignatureVerifier, type SignatureVerdict } from '../../../modules/verification/index.js';
import type { Clock } from '../../../shared/clock.js';
import { childrenOf, derOf, isSequence, issuerAndSerialOf, oidOf, primitiveBytes } from '../cms/asn1.js';
import { ALLOWED_DIGESTS, ALLOWED_SIGNATURE_ALGORITHMS } from '../cms/oids.js';
import { OID } from '../x509/oids.js';
import { CmsFormatError, parseSignedData, type ParsedSignedData, type SignedAttribute } from '../cms/signed-data-parser.js';
import { certificateUsage, DOCUMENT_SIGNING_EKUS, memoizeByDer, summarizeCertificate, type TrustedRoot } from '../x509/index.js';
import { buildCertificatePath } from './certificate-path.js';

/** Parsed certificates by their bytes: the same department and root certificates come with every license. */
const x509 = memoizeByDer((der) => new X509Certificate(der));

export interface StrictVerifierOptions {
  /** Read on every verification, so a reloaded trust directory takes effect at once. */
  readonly trustedRoots: () => readonly TrustedRoot[];
  readonly clock: Clock;
  /** Largest CMS accepted from /Contents (bytes); larger is refused unread. */
  readonly maxCmsBytes?: number;
}

/** The unsigned gap may hold hex digits only: no whitespace to vary the file without changing the signature. */
const HEX_DIGITS = /^[0-9A-Fa-f]*$/;

/** A signing time this far ahead of the verifier's clock is still accepted (clock skew). */
const FUTURE_SKEW_MS = 5 * 60 * 1000;

function attributeValue(attributes: readonly SignedAttribute[], type: string): SignedAttribute['values'] | null {
  const found = attributes.filter((attribute) => attribute.type === type);
  return found.length === 1 && found[0] ? found[0].values : null;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * The vault's own PDF signature verifier, stricter than common validators:
 * exactly one signature, whose byte range covers the whole file but for the
 * /Contents hex string (an appended revision fails), a CMS whose digest,
 * signature, signing-certificate-v2 binding, certificate path to a trusted
 * root, validity at the signing time and key usage all hold. Hostile input
 * yields a failed verdict, never an exception.
 */
export class StrictPdfSignatureVerifier implements PdfSignatureVerifier {
  private readonly maxCmsBytes: number;

  constructor(private readonly options: StrictVerifierOptions) {
    this.maxCmsBytes = options.maxCmsBytes ?? 512 * 1024;
  }

  async verify(pdf: Uint8Array): Promise<SignatureVerdict> {
    const verdict = new VerdictBuilder();
    try {
      this.run(pdf, verdict);
      return verdict.build();
    } catch (error) {
      // Any slip in the code above must still be a failed verdict, not a crash.
      verdict.fail('pdf-structure', `verification aborted: ${error instanceof Error ? error.message : 'unexpected error'}`);
      return verdict.build('verification aborted');
    }
  }

  private run(pdf: Uint8Array, verdict: VerdictBuilder): void {
    const scan = scanPdfSignatures(pdf);
    if (!scan.ok) {
      verdict.fail('pdf-structure', scan.reason);
      return;
    }
    // Whatever the scanner could not read might hide a signature dictionary: strictness means refusing it.
    if (
      !verdict.check(
        'pdf-structure',
        scan.notes.length === 0,
        scan.notes.length === 0 ? 'every object of the PDF could be read' : `unreadable parts: ${scan.notes.slice(0, 3).join('; ')}`,
      )
    )
      return;
    const { signatures } = scan;
    if (!verdict.check('signature-present', signatures.length > 0, signatures.length > 0 ? 'a signature dictionary was found' : 'the file carries no signature')) return;
    verdict.check(
      'single-signature',
      signatures.length === 1,
      signatures.length === 1 ? 'exactly one signature dictionary' : `${signatures.length} signature dictionaries; a license carries exactly one`,
    );
    const signature = signatures.at(-1) as FoundSignature;
    verdict.withSigningTime(signature.signingTime);
    if (!this.checkByteRange(pdf, signature, verdict)) return;
    const cms = this.checkCmsStructure(signature, verdict);
    if (!cms) return;
    this.checkCryptography(pdf, signature, cms, verdict);
  }

  private checkByteRange(pdf: Uint8Array, signature: FoundSignature, verdict: VerdictBuilder): boolean {
    const range = signature.byteRange;
    const contents = signature.contents;
    if (signature.inObjectStream)
      return verdict.check('byte-range', false, 'the signature dictionary is inside a compressed object stream, so its /Contents cannot be excluded from the signed bytes');
    if (!range || range.length !== 4 || !range.every((n) => Number.isSafeInteger(n) && n >= 0))
      return verdict.check('byte-range', false, '/ByteRange is not four non-negative integers');
    if (!contents) return verdict.check('byte-range', false, '/Contents is not a hex string in the file');
    if (!HEX_DIGITS.test(Buffer.from(pdf.buffer, pdf.byteOffset + contents.start + 1, contents.end - contents.start - 2).toString('latin1'))) {
      return verdict.check('byte-range', false, 'the /Contents hex string holds characters other than hex digits');
    }
    const [start, firstLength, gapEnd, secondLength] = range as [number, number, number, number];
    const shapeOk = start === 0 && firstLength === contents.start && gapEnd === contents.end;
    if (
      !verdict.check(
        'byte-range',
        shapeOk,
        shapeOk
          ? 'byte range [0 a b c] excludes exactly the /Contents hex string'
          : `byte range [${range.join(' ')}] does not exclude exactly the /Contents hex string at ${contents.start}..${contents.end}`,
      )
    )
      return false;
    const end = gapEnd + secondLength;
    if (end > pdf.length)
      return verdict.check('whole-file', false, `the byte range ends at ${end}, past the end of the ${pdf.length}-byte file: the file was cut or the range forged`);
    const covers = end === pdf.length;
    return verdict.check(
      'whole-file',
      covers,
      covers ? 'the signature covers the whole file' : `the signature covers ${end} of ${pdf.length} bytes: content was added after signing`,
    );
  }

  private checkCmsStructure(signature: FoundSignature, verdict: VerdictBuilder): ParsedSignedData | null {
    const raw = signature.contentsBytes ?? new Uint8Array();
    if (raw.every((byte) => byte === 0)) {
      verdict.fail('cms-structure', 'the signature value is empty');
      return null;
    }
    // Zero padding after the CMS is allowed; the CMS itself is bounded before anything parses it.
    let end = raw.length;
    while (end > 0 && raw[end - 1] === 0) end -= 1;
    if (end > this.maxCmsBytes) {
      verdict.fail('cms-structure', `the signature value is ${end} bytes, more than the ${this.maxCmsBytes} accepted`);
      return null;
    }
    try {
      const parsed = parseSignedData(raw);
      verdict.pass('cms-structure', 'detached CMS SignedData with one SignerInfo and signed attributes');
      return parsed;
    } catch (error) {
      verdict.fail('cms-structure', error instanceof CmsFormatError ? error.message : 'unreadable CMS');
      return null;
    }
  }

  private checkCryptography(pdf: Uint8Array, signature: FoundSignature, cms: ParsedSignedData, verdict: VerdictBuilder): void {
    const { signer } = cms;
    const digestName = ALLOWED_DIGESTS[signer.digestAlgorithm];
    const signatureAlgorithm = ALLOWED_SIGNATURE_ALGORITHMS[signer.signatureAlgorithm];
    if (!digestName || !signatureAlgorithm || (signatureAlgorithm.digest !== null && signatureAlgorithm.digest !== digestName)) {
      verdict.fail('digest-algorithm', `digest ${signer.digestAlgorithm} / signature ${signer.signatureAlgorithm} not allowed (SHA-256/384/512 with RSA or ECDSA)`);
      return;
    }
    verdict.pass('digest-algorithm', `${digestName} with ${signatureAlgorithm.key.toUpperCase()}`);

    const [, firstLength, gapEnd, secondLength] = signature.byteRange as [number, number, number, number];
    const contentDigest = createHash(digestName)
      .update(pdf.subarray(0, firstLength))
      .update(pdf.subarray(gapEnd, gapEnd + secondLength))
      .digest();
    const messageDigest = primitiveBytes(attributeValue(signer.signedAttributes, OID.messageDigest)?.[0]);
    const contentType = oidOf(attributeValue(signer.signedAttributes, OID.contentType)?.[0]);
    const digestOk = messageDigest !== null && contentType === OID.data && sameBytes(messageDigest, contentDigest);
    if (
      !verdict.check(
        'message-digest',
        digestOk,
        digestOk
          ? 'the signed bytes hash to the signed message digest'
          : contentType !== OID.data
            ? 'content-type attribute missing or not id-data'
            : 'the signed bytes do not match the message digest: the file was altered or the signature belongs to another file',
      )
    )
      return;

    const certificates = cms.certificates.flatMap((der) => {
      try {
        return [x509(der)];
      } catch {
        return [];
      }
    });
    const signerCertificate = this.findSignerCertificate(cms, certificates);
    if (!signerCertificate) {
      verdict.fail('signature-value', 'the signer certificate is not in the signature');
      return;
    }
    const summary = summarizeCertificate(signerCertificate.raw);
    verdict.withSigner(summary);
    verdict.withCopySigner(certificateUsage(signerCertificate.raw).extKeyUsage?.includes(OID.annotatedCopySigning) ?? false);
    const signatureOk = this.signatureHolds(signer.signedAttributesDer, signer.signature, signerCertificate, digestName, signatureAlgorithm.key);
    if (
      !verdict.check(
        'signature-value',
        signatureOk,
        signatureOk ? `signed by ${summary.subject}` : 'the signature over the signed attributes does not verify with the signer certificate',
      )
    )
      return;

    const bindingProblem = this.signingCertificateProblem(signer.signedAttributes, signerCertificate);
    if (!verdict.check('signing-certificate-binding', bindingProblem === null, bindingProblem ?? 'signing-certificate-v2 names the signer certificate')) return;

    const roots = this.options.trustedRoots().map((root) => x509(root.der));
    const path = buildCertificatePath(signerCertificate, certificates, roots);
    if (!path) {
      verdict.fail('certificate-chain', `does not chain to a trusted root (issuer ${summary.issuer})`);
      return;
    }
    verdict.pass('certificate-chain', `chains to trusted root ${summarizeCertificate(path.certificates.at(-1)?.raw ?? signerCertificate.raw).subject}`);

    this.checkValidity(path.certificates, signature.signingTime, verdict);
    this.checkKeyUsage(signerCertificate, summary, verdict);
  }

  private findSignerCertificate(cms: ParsedSignedData, certificates: readonly X509Certificate[]): X509Certificate | undefined {
    const id = cms.signer.identifier;
    return certificates.find((certificate) => {
      if (id.kind === 'issuer-serial') {
        const { issuer, serial } = issuerAndSerialOf(certificate.raw);
        return issuer.equals(id.issuer) && serial.equals(id.serial);
      }
      const keyId = certificateUsage(certificate.raw).subjectKeyIdentifier;
      return keyId !== null && Buffer.from(keyId).equals(id.keyId);
    });
  }

  private signatureHolds(data: Buffer, signature: Buffer, certificate: X509Certificate, digest: string, key: 'rsa' | 'ec'): boolean {
    const keyType = certificate.publicKey.asymmetricKeyType;
    if ((key === 'rsa' && keyType !== 'rsa') || (key === 'ec' && keyType !== 'ec')) return false;
    try {
      return verifySignature(digest, data, certificate.publicKey, signature);
    } catch {
      return false;
    }
  }

  /** Null when a single signing-certificate-v2 attribute names this certificate by hash (and by issuer and serial, if given). */
  private signingCertificateProblem(attributes: readonly SignedAttribute[], certificate: X509Certificate): string | null {
    const values = attributeValue(attributes, OID.signingCertificateV2);
    if (!values || values.length !== 1) return 'no single ESS signing-certificate-v2 attribute';
    const [certs] = childrenOf(values[0]);
    const [first] = childrenOf(certs);
    const fields = childrenOf(first);
    const hasAlgorithm = isSequence(fields[0]);
    const hashName = hasAlgorithm ? ALLOWED_DIGESTS[oidOf(childrenOf(fields[0])[0]) ?? ''] : 'sha256';
    const certHash = primitiveBytes(fields[hasAlgorithm ? 1 : 0]);
    if (!hashName || !certHash) return 'signing-certificate-v2 is unreadable or uses a digest outside the allowlist';
    if (!sameBytes(certHash, createHash(hashName).update(certificate.raw).digest())) return 'signing-certificate-v2 names a different certificate';
    const issuerSerial = fields[hasAlgorithm ? 2 : 1];
    if (issuerSerial) {
      const [generalNames, serial] = childrenOf(issuerSerial);
      const expected = issuerAndSerialOf(certificate.raw);
      const directoryName = childrenOf(childrenOf(generalNames)[0])[0];
      if (!serial || !directoryName || !derOf(serial).equals(expected.serial) || !derOf(directoryName).equals(expected.issuer)) {
        return 'signing-certificate-v2 issuer and serial do not match the signer certificate';
      }
    }
    return null;
  }

  private checkValidity(path: readonly X509Certificate[], signingTime: string | null, verdict: VerdictBuilder): void {
    const now = this.options.clock.now();
    const at = signingTime ? new Date(signingTime) : now;
    if (at.getTime() > now.getTime() + FUTURE_SKEW_MS) {
      verdict.fail('certificate-validity', `the signing time ${at.toISOString()} is in the future`);
      return;
    }
    const invalid = path.find((certificate) => at < new Date(certificate.validFrom) || at > new Date(certificate.validTo));
    verdict.check(
      'certificate-validity',
      invalid === undefined,
      invalid
        ? `certificate ${summarizeCertificate(invalid.raw).subject} was not valid at the signing time ${at.toISOString()} (valid ${new Date(invalid.validFrom).toISOString()} to ${new Date(invalid.validTo).toISOString()})`
        : `every certificate was valid at the signing time ${at.toISOString()}`,
    );
  }

  private checkKeyUsage(certificate: X509Certificate, summary: CertificateSummary, verdict: VerdictBuilder): void {
    const usage = certificateUsage(certificate.raw);
    const signs = usage.keyUsage === null || usage.keyUsage.digitalSignature || usage.keyUsage.nonRepudiation;
    const ekuOk = usage.extKeyUsage === null || usage.extKeyUsage.some((eku) => DOCUMENT_SIGNING_EKUS.includes(eku));
    const ok = signs && ekuOk && !usage.isCa;
    verdict.check(
      'key-usage',
      ok,
      ok
        ? `${summary.subject} may sign documents`
        : usage.isCa
          ? 'the signer certificate is a CA certificate'
          : !signs
            ? 'key usage allows neither digitalSignature nor nonRepudiation'
            : 'extended key usage does not allow document signing',
    );
  }
}
