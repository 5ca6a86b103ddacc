import { createHash, randomBytes, X509Certificate, type KeyObject } from 'node:crypto';
import forge from 'node-forge';
import {
  bmpString,
  child,
  encodeDer,
  explicit,
  implicitBytes,
  nullValue,
  octetString,
  oid,
  parseDer,
  primitiveBytes,
  fromBinary,
  sequence,
  set,
  smallInteger,
  utf8Binary,
  type Asn1,
} from '../x509/der.js';
import { OID } from '../x509/oids.js';
import { P12_OID, pkcs12Mac } from './pkcs12-asn1.js';

/** PBKDF2 and MAC iterations when none are given: OpenSSL 3's default for `pkcs12 -export`. */
export const PKCS12_DEFAULT_ITERATIONS = 2048;

export interface Pkcs12ExportOptions {
  readonly privateKey: KeyObject;
  /** DER certificates, the one for `privateKey` first, then its issuers. */
  readonly certificateChain: readonly Uint8Array[];
  readonly password: string;
  /** Shown by key-store tools; stored as a BMPString on the key and its certificate. */
  readonly friendlyName: string;
  /** PBKDF2 iterations for both encryptions and PKCS#12 KDF iterations for the MAC. */
  readonly iterations?: number;
}

/**
 * PBES2 (PBKDF2 with HMAC-SHA256, AES-256-CBC) by forge. `encryptPrivateKeyInfo`
 * DER-encodes whatever ASN.1 it is given and returns
 * SEQUENCE { encryptionAlgorithm, encryptedData OCTET STRING }, so it serves
 * the certificate SafeContents as well as the PrivateKeyInfo.
 *
 * The password goes in as its UTF-8 bytes: PBES2 keys come from the password
 * octets (RFC 8018), and OpenSSL passes its UTF-8 input through unchanged,
 * while forge would otherwise drop the high byte of each UTF-16 unit.
 */
function pbes2Encrypt(content: Asn1, password: string, iterations: number): { algorithm: Asn1; encrypted: Asn1 } {
  const encryptedInfo = forge.pki.encryptPrivateKeyInfo(content, utf8Binary(password), {
    algorithm: 'aes256',
    prfAlgorithm: 'sha256',
    count: iterations,
    saltSize: 16,
  });
  return { algorithm: child(encryptedInfo, 0, 'EncryptedPrivateKeyInfo'), encrypted: child(encryptedInfo, 1, 'EncryptedPrivateKeyInfo') };
}

function dataContentInfo(content: Uint8Array): Asn1 {
  return sequence([oid(P12_OID.data), explicit(0, octetString(content))]);
}

/**
 * A password-protected PKCS#12 (PFX) that OpenSSL 3 opens with its default
 * provider (no legacy algorithms) and forge reads back, for RSA and EC keys
 * alike: the certificates in a PBES2-encrypted safe, the PKCS#8 key in a
 * PBES2-shrouded key bag, both tagged with localKeyId (SHA-1 of the first
 * certificate) and friendlyName; integrity by an HMAC-SHA256 MAC. The key is
 * not checked against the certificate here: {@link loadP12Signer} does that.
 */
export function exportPkcs12(options: Pkcs12ExportOptions): Uint8Array {
  const { privateKey, certificateChain, password, friendlyName } = options;
  const iterations = options.iterations ?? PKCS12_DEFAULT_ITERATIONS;
  if (password.length === 0) throw new RangeError('a PKCS#12 key store needs a non-empty password');
  if (!Number.isInteger(iterations) || iterations < 1 || iterations > 10_000_000) throw new RangeError('iterations must be an integer from 1 to 10,000,000');
  if (privateKey.type !== 'private') throw new TypeError('privateKey must be a private key');
  const signerCertificate = certificateChain[0];
  if (signerCertificate === undefined) throw new RangeError('certificateChain must hold at least the signer certificate');
  for (const der of certificateChain) new X509Certificate(der);

  const localKeyId = new Uint8Array(createHash('sha1').update(signerCertificate).digest());
  const attributes = set([sequence([oid(P12_OID.friendlyName), set([bmpString(friendlyName)])]), sequence([oid(P12_OID.localKeyId), set([octetString(localKeyId)])])]);

  const certificateBags = certificateChain.map((der, index) =>
    sequence([oid(P12_OID.certBag), explicit(0, sequence([oid(P12_OID.x509Certificate), explicit(0, octetString(der))])), index === 0 ? attributes : undefined]),
  );
  const certificates = pbes2Encrypt(sequence(certificateBags), password, iterations);
  const certificateSafe = sequence([
    oid(P12_OID.encryptedData),
    explicit(
      0,
      sequence([smallInteger(0), sequence([oid(P12_OID.data), certificates.algorithm, implicitBytes(0, fromBinary(primitiveBytes(certificates.encrypted, 'encryptedData')))])]),
    ),
  ]);

  const privateKeyInfo = parseDer(new Uint8Array(privateKey.export({ type: 'pkcs8', format: 'der' })));
  const shrouded = pbes2Encrypt(privateKeyInfo, password, iterations);
  const keyBag = sequence([oid(P12_OID.pkcs8ShroudedKeyBag), explicit(0, sequence([shrouded.algorithm, shrouded.encrypted])), attributes]);
  const keySafe = dataContentInfo(encodeDer(sequence([keyBag])));

  const authSafe = encodeDer(sequence([certificateSafe, keySafe]));
  const macSalt = new Uint8Array(randomBytes(16));
  const mac = pkcs12Mac(OID.sha256, password, macSalt, iterations, authSafe);
  const macData = sequence([sequence([sequence([oid(OID.sha256), nullValue()]), octetString(mac)]), octetString(macSalt), smallInteger(iterations)]);

  return encodeDer(sequence([smallInteger(3), dataContentInfo(authSafe), macData]));
}
