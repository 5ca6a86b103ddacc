import { createPrivateKey, timingSafeEqual, X509Certificate, type KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import forge from 'node-forge';
import type { CertificateSummary, SignatureAlgorithm, Signer } from '../../../modules/signing/index.js';
import type { Clock } from '../../../shared/clock.js';
import { SigningError } from '../../../shared/errors.js';
import { checkCertificateValidity, checkDocumentSigningUsage } from '../signer-checks.js';
import {
  Asn1Type,
  children,
  encodeDer,
  fromBinary,
  isContext,
  isUniversal,
  parseDer,
  readOctets,
  readOid,
  readSmallInteger,
  sequence,
  utf8Binary,
  type Asn1,
} from '../x509/der.js';
import { signatureAlgorithmOf, signSha256Async } from '../x509/keys.js';
import { parseCertificate } from '../x509/parse.js';
import { summarizeCertificate } from '../x509/summary.js';
import { isSupportedMacDigest, P12_OID, pkcs12Mac } from './pkcs12-asn1.js';

export interface LoadP12SignerOptions {
  /** DER (or BER) PKCS#12 bytes. */
  readonly p12: Uint8Array;
  readonly password: string;
  /** Every signature is refused outside the certificate's validity at `clock.now()`. */
  readonly clock: Clock;
}

/** Upper bound on MAC iterations read from a file, so a hostile file cannot pin the CPU. */
const MAX_ITERATIONS = 10_000_000;

function invalid(message: string, cause?: unknown): SigningError {
  return new SigningError('ERR_SIGNER_KEY_STORE_INVALID', message, undefined, cause === undefined ? undefined : { cause });
}

function why(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

// --- the PFX envelope ---------------------------------------------------------

interface Envelope {
  readonly version: Asn1;
  readonly authSafeInfo: Asn1;
  /** The AuthenticatedSafe's DER: what the MAC covers. */
  readonly authSafe: Uint8Array;
  readonly mac: { digestOid: string; digest: Uint8Array; salt: Uint8Array; iterations: number } | null;
}

/** Content of an OCTET STRING, primitive or (BER) constructed from primitive chunks. */
function octetStringContent(node: Asn1 | undefined, what: string): Uint8Array {
  if (!isUniversal(node, Asn1Type.OCTETSTRING)) throw new Error(`${what}: expected an OCTET STRING`);
  if (typeof node.value === 'string') return fromBinary(node.value);
  return Buffer.concat(children(node, what).map((chunk) => octetStringContent(chunk, what)));
}

/** Reads PFX { version 3, authSafe ContentInfo (data), macData? } without decrypting anything. */
function readEnvelope(p12: Uint8Array): Envelope {
  let pfx: Asn1;
  try {
    pfx = parseDer(p12);
  } catch (error) {
    throw invalid('the key store is not a PKCS#12 file (not DER)', error);
  }
  try {
    const [version, authSafeInfo, macData] = children(pfx, 'PFX');
    if (version === undefined || authSafeInfo === undefined) throw new Error('PFX is incomplete');
    if (readSmallInteger(version, 'version') !== 3) throw new Error('PFX version is not 3');
    const contentType = readOid(children(authSafeInfo, 'authSafe')[0], 'authSafe contentType');
    if (contentType === P12_OID.signedData) throw new Error('public-key integrity mode (signedData) is not supported');
    if (contentType !== P12_OID.data) throw new Error(`authSafe content type ${contentType} is not data`);
    const content = children(authSafeInfo, 'authSafe')[1];
    if (!isContext(content, 0)) throw new Error('authSafe has no content');
    const authSafe = octetStringContent(children(content, 'authSafe content')[0], 'authSafe content');
    if (macData === undefined) return { version, authSafeInfo, authSafe, mac: null };
    const [digestInfo, salt, iterations] = children(macData, 'macData');
    const [algorithm, digest] = children(digestInfo, 'mac');
    const digestOid = readOid(children(algorithm, 'mac algorithm')[0], 'mac algorithm');
    if (digestOid === P12_OID.pbmac1) throw new Error('PBMAC1 integrity (RFC 9579) is not supported');
    if (!isSupportedMacDigest(digestOid)) throw new Error(`MAC digest ${digestOid} is not supported`);
    const count = iterations === undefined ? 1 : readSmallInteger(iterations, 'macIterations');
    if (count < 1 || count > MAX_ITERATIONS) throw new Error(`MAC iteration count ${count} is out of range`);
    return {
      version,
      authSafeInfo,
      authSafe,
      mac: { digestOid, digest: readOctets(digest, 'mac digest'), salt: readOctets(salt, 'macSalt'), iterations: count },
    };
  } catch (error) {
    if (error instanceof SigningError) throw error;
    throw invalid(`the key store is not a readable PKCS#12 file: ${why(error)}`, error);
  }
}

function macMatches(envelope: Envelope, password: string): boolean {
  const { mac } = envelope;
  if (!mac) return true;
  const expected = pkcs12Mac(mac.digestOid, password, mac.salt, mac.iterations, envelope.authSafe);
  return expected.length === mac.digest.length && timingSafeEqual(expected, mac.digest);
}

// --- the bags -----------------------------------------------------------------

interface Contents {
  readonly keys: Uint8Array[];
  readonly certificates: Uint8Array[];
}

function isAsn1(value: unknown): value is Asn1 {
  return typeof value === 'object' && value !== null && 'tagClass' in value && 'type' in value && 'value' in value;
}

/**
 * When forge cannot turn a bag into its own objects (an EC key; a
 * certificate with an EC key or signature), `pkcs12FromAsn1` leaves `key` /
 * `cert` null and keeps the decrypted ASN.1 in `bag.asn1` (PrivateKeyInfo or
 * Certificate); its typings declare `asn1` always present, which it is not.
 */
function rawBagAsn1(bag: forge.pkcs12.Bag): Asn1 | undefined {
  const value: unknown = (bag as { asn1?: unknown }).asn1;
  return isAsn1(value) ? value : undefined;
}

function keyDer(bag: forge.pkcs12.Bag): Uint8Array {
  if (bag.key) return encodeDer(forge.pki.wrapRsaPrivateKey(forge.pki.privateKeyToAsn1(bag.key)));
  const raw = rawBagAsn1(bag);
  if (!raw) throw invalid('a key bag of the key store holds no key');
  return encodeDer(raw);
}

/**
 * A forge certificate goes back to DER through the TBSCertificate ASN.1 it
 * captured while parsing (forge re-encodes parsed DER byte for byte).
 */
function certificateDer(bag: forge.pkcs12.Bag): Uint8Array {
  if (bag.cert) return encodeDer(forge.pki.certificateToAsn1(bag.cert));
  const raw = rawBagAsn1(bag);
  if (!raw) throw invalid('a certificate bag of the key store holds no certificate');
  return encodeDer(raw);
}

function decodeBags(envelope: Envelope, password: string): Contents {
  // The MAC was checked above with the password as a BMPString; forge would
  // check it again with the password as it is given here, so it gets the PFX
  // without macData.
  const pfx = forge.pkcs12.pkcs12FromAsn1(sequence([envelope.version, envelope.authSafeInfo]), true, password);
  const keys: Uint8Array[] = [];
  const certificates: Uint8Array[] = [];
  for (const safe of pfx.safeContents) {
    for (const bag of safe.safeBags) {
      if (bag.type === P12_OID.keyBag || bag.type === P12_OID.pkcs8ShroudedKeyBag) keys.push(keyDer(bag));
      else if (bag.type === P12_OID.certBag) certificates.push(certificateDer(bag));
    }
  }
  return { keys, certificates };
}

/**
 * Decrypts the bags, once. PBES2 derives its key from the password's octets,
 * which OpenSSL and this vault's exporter take as UTF-8 (forge takes the JS
 * string's chars as bytes, the same for ASCII); the legacy PKCS#12 PBE
 * schemes take the password as a BMPString, as forge does with the string.
 * So a non-ASCII password that fails as UTF-8 is tried once more as given.
 */
function openBags(p12: Uint8Array, password: string): Contents {
  const envelope = readEnvelope(p12);
  if (!macMatches(envelope, password)) throw new SigningError('ERR_SIGNER_PASSWORD', 'the key store cannot be opened with this password (MAC mismatch)');

  const attempts = [utf8Binary(password)];
  if (attempts[0] !== password) attempts.push(password);
  let lastError: unknown;
  for (const [index, attempt] of attempts.entries()) {
    try {
      return decodeBags(index === 0 ? envelope : readEnvelope(p12), attempt);
    } catch (error) {
      if (error instanceof SigningError) throw error;
      lastError = error;
    }
  }
  if (!envelope.mac) {
    throw new SigningError(
      'ERR_SIGNER_PASSWORD',
      `the key store cannot be decrypted with this password (it has no MAC to tell a wrong password from damage): ${why(lastError)}`,
      undefined,
      {
        cause: lastError,
      },
    );
  }
  throw invalid(`the key store's MAC matches but its contents cannot be read: ${why(lastError)}`, lastError);
}

// --- checks -------------------------------------------------------------------

function loadKey(contents: Contents): KeyObject {
  const [der, ...others] = contents.keys;
  if (der === undefined) throw invalid('the key store holds no private key');
  if (others.length > 0) throw invalid(`the key store holds ${contents.keys.length} private keys; a signing key store must hold one`);
  if (contents.certificates.length === 0) throw invalid('the key store holds no certificate');
  try {
    return createPrivateKey({ key: Buffer.from(der), format: 'der', type: 'pkcs8' });
  } catch (error) {
    throw invalid(`the key store's private key cannot be read: ${why(error)}`, error);
  }
}

function parseCertificates(ders: readonly Uint8Array[]): X509Certificate[] {
  return ders.map((der, index) => {
    try {
      parseCertificate(der);
      return new X509Certificate(der);
    } catch (error) {
      throw invalid(`certificate ${index + 1} in the key store cannot be read: ${why(error)}`, error);
    }
  });
}

function matchesKey(certificate: X509Certificate, key: KeyObject): boolean {
  try {
    return certificate.checkPrivateKey(key);
  } catch {
    return false;
  }
}

/** The signer certificate, then each issuer found among `others`, up to a self-signed one. Unrelated certificates are dropped. */
function orderChain(signer: X509Certificate, others: readonly X509Certificate[]): X509Certificate[] {
  const chain = [signer];
  const pool = [...others];
  const isSelfSigned = (certificate: X509Certificate): boolean => certificate.checkIssued(certificate) && certificate.verify(certificate.publicKey);
  const issuerIn = (child: X509Certificate): number => pool.findIndex((candidate) => child.checkIssued(candidate) && child.verify(candidate.publicKey));
  let current = signer;
  while (!isSelfSigned(current)) {
    const index = issuerIn(current);
    const issuer = pool[index];
    if (issuer === undefined) break;
    pool.splice(index, 1);
    chain.push(issuer);
    current = issuer;
  }
  return chain;
}

// --- the signer -----------------------------------------------------------------

/** A department key decrypted once from a PKCS#12 into a Node KeyObject that never leaves this object. */
class P12Signer implements Signer {
  readonly #key: KeyObject;
  readonly #clock: Clock;

  constructor(
    key: KeyObject,
    clock: Clock,
    readonly algorithm: SignatureAlgorithm,
    readonly certificateChain: readonly Uint8Array[],
    readonly certificate: CertificateSummary,
  ) {
    this.#key = key;
    this.#clock = clock;
    Object.freeze(this);
  }

  /** Refuses (ERR_SIGNER_CERT_EXPIRED / _NOT_YET_VALID) outside the certificate's validity at the clock's now, then signs SHA-256 natively. */
  async sign(data: Uint8Array): Promise<Uint8Array> {
    checkCertificateValidity(this.certificate, this.#clock.now());
    return signSha256Async(data, this.#key);
  }
}

/** A key store's private key and its certificate chain, the key's certificate first. */
export interface KeyStoreContents {
  readonly privateKey: KeyObject;
  readonly certificateChain: readonly Uint8Array[];
}

/**
 * Decrypts a PKCS#12 key store holding one private key: the key as a
 * KeyObject and the chain ordered from the key's certificate up. No usage or
 * validity check: {@link loadP12Signer} adds those for signing keys, while a
 * CA's own key store is opened with this directly to certify departments.
 */
export function openKeyStore(p12: Uint8Array, password: string, checkKey: (key: KeyObject) => void = () => {}): KeyStoreContents {
  const contents = openBags(p12, password);
  const key = loadKey(contents);
  checkKey(key);
  const certificates = parseCertificates(contents.certificates);
  const signerIndex = certificates.findIndex((certificate) => matchesKey(certificate, key));
  const signerCertificate = certificates[signerIndex];
  if (signerCertificate === undefined) {
    throw new SigningError('ERR_SIGNER_KEY_MISMATCH', `the private key belongs to none of the ${certificates.length} certificate(s) in the key store`);
  }
  const chain = orderChain(
    signerCertificate,
    certificates.filter((_, index) => index !== signerIndex),
  );
  return { privateKey: key, certificateChain: Object.freeze(chain.map((certificate) => new Uint8Array(certificate.raw))) };
}

/**
 * Opens a PKCS#12 key store as a {@link Signer}: decrypts it once with forge
 * (MAC checked first), turns the key into a Node KeyObject, picks the
 * certificate whose public key is the key's, orders its issuers from the
 * store, and checks algorithm, usage and validity. Nothing is signed with a
 * key that failed a check.
 * @throws SigningError ERR_SIGNER_KEY_STORE_INVALID (not a PKCS#12, damaged,
 *   no or several keys, no certificate), ERR_SIGNER_PASSWORD,
 *   ERR_SIGNER_ALGORITHM, ERR_SIGNER_KEY_MISMATCH, ERR_SIGNER_CERT_USAGE,
 *   ERR_SIGNER_CERT_NOT_YET_VALID, ERR_SIGNER_CERT_EXPIRED. Messages never
 *   hold the password.
 */
export async function loadP12Signer(options: LoadP12SignerOptions): Promise<Signer> {
  let algorithm: SignatureAlgorithm | undefined;
  const { privateKey: key, certificateChain: chainDer } = openKeyStore(options.p12, options.password, (candidate) => {
    algorithm = signatureAlgorithmOf(candidate);
  });
  const signerDer = chainDer[0]!;
  const summary = summarizeCertificate(signerDer);
  checkDocumentSigningUsage(signerDer, summary.subject);
  checkCertificateValidity(summary, options.clock.now());
  return new P12Signer(key, options.clock, algorithm!, chainDer, summary);
}

function errorCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string' ? error.code : undefined;
}

/**
 * Reads the PKCS#12 at `path` and opens it with {@link loadP12Signer}.
 * @throws SigningError ERR_SIGNER_KEY_MISSING naming the file when it does not
 *   exist; otherwise the errors of loadP12Signer, their messages prefixed with the file.
 */
export async function openP12SignerFile(path: string, password: string, clock: Clock): Promise<Signer> {
  let p12: Uint8Array;
  try {
    p12 = new Uint8Array(await readFile(path));
  } catch (error) {
    const code = errorCode(error);
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new SigningError('ERR_SIGNER_KEY_MISSING', `signing key store ${path} does not exist`, { file: path }, { cause: error });
    throw invalid(`signing key store ${path} cannot be read (${code ?? why(error)})`, error);
  }
  try {
    return await loadP12Signer({ p12, password, clock });
  } catch (error) {
    if (error instanceof SigningError) throw new SigningError(error.code, `signing key store ${path}: ${error.message}`, { ...error.details, file: path }, { cause: error });
    throw error;
  }
}
