import { X509Certificate, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import forge from 'node-forge';
import { openKeyStore } from '../../src/adapters/pki/p12/index.js';
import { pkiPaths } from '../../src/adapters/pki/pki-directory.js';
import { buildCertificate, departmentSubject, DOCUMENT_SIGNING_EKUS, generatePrivateKey, type CertificateWithKey, type NameAttribute } from '../../src/adapters/pki/x509/index.js';
import type { Signer } from '../../src/modules/signing/index.js';
import { makeTestPki } from '../fixtures/pki.js';
import { uncheckedSigner } from '../support/tamper.js';

/**
 * TEST ONLY: the key material a forger works with. The installation's own
 * keys are read from a vault's certs directory (so a test can also play the
 * insider with an old, expired certificate); every look-alike is made here.
 */

const DAY = 86_400_000;

export interface Department {
  readonly name: string;
  readonly creditCode: string;
}

export interface VaultKeys {
  /** The installation's root CA: certificate and key. */
  readonly root: CertificateWithKey;
  /** The department's genuine key and chain (department certificate first). */
  readonly department: { readonly privateKey: KeyObject; readonly chain: readonly Uint8Array[] };
}

export function readVaultKeys(certsDir: string, password: string, department: Department): VaultKeys {
  const paths = pkiPaths(certsDir);
  const root = openKeyStore(readFileSync(paths.rootCaFile), password);
  const own = openKeyStore(readFileSync(paths.departmentFile(department.creditCode)), password);
  return { root: { privateKey: root.privateKey, certificateDer: root.certificateChain[0]! }, department: { privateKey: own.privateKey, chain: own.certificateChain } };
}

/** C, O, OU and CN of a certificate's subject, in order: enough to copy a CA's name. */
function subjectOf(der: Uint8Array): NameAttribute[] {
  return new X509Certificate(der).subject
    .split('\n')
    .map((line) => line.split(/=(.*)/s) as [string, string])
    .filter(([type]) => ['C', 'O', 'OU', 'CN'].includes(type))
    .map(([type, value]) => ({ type: type as NameAttribute['type'], value }));
}

function departmentCertificate(department: Department, key: KeyObject, issuer: CertificateWithKey | undefined, validFrom: Date, validTo: Date): Uint8Array {
  return buildCertificate({
    subject: departmentSubject(department),
    subjectKey: key,
    issuer,
    validFrom,
    validTo,
    isCa: false,
    keyUsage: ['digitalSignature', 'nonRepudiation'],
    extKeyUsage: DOCUMENT_SIGNING_EKUS,
  });
}

/** A department certificate from the genuine root that expired yesterday (an old key kept after rotation). */
export function expiredDepartmentSigner(keys: VaultKeys, department: Department, now: Date): Signer {
  const key = generatePrivateKey('EC');
  const der = departmentCertificate(department, key, keys.root, new Date(now.getTime() - 730 * DAY), new Date(now.getTime() - DAY));
  return uncheckedSigner(key, [der, keys.root.certificateDer]);
}

/** A self-signed certificate carrying the department's exact name and credit code. */
export function selfSignedDepartmentSigner(department: Department, now: Date): Signer {
  const key = generatePrivateKey('EC');
  return uncheckedSigner(key, [departmentCertificate(department, key, undefined, new Date(now.getTime() - DAY), new Date(now.getTime() + 365 * DAY))]);
}

/** A root CA with the genuine root's exact name but another key, and a department certificate under it. */
export function lookAlikeRootSigner(keys: VaultKeys, department: Department, now: Date): Signer {
  const rootKey = generatePrivateKey('EC');
  const validFrom = new Date(now.getTime() - DAY);
  const validTo = new Date(now.getTime() + 3650 * DAY);
  const rootDer = buildCertificate({ subject: subjectOf(keys.root.certificateDer), subjectKey: rootKey, validFrom, validTo, isCa: true, keyUsage: ['keyCertSign', 'cRLSign'] });
  const key = generatePrivateKey('EC');
  const der = departmentCertificate(department, key, { certificateDer: rootDer, privateKey: rootKey }, validFrom, new Date(now.getTime() + 365 * DAY));
  return uncheckedSigner(key, [der, rootDer]);
}

/** Another authority's valid signing key: a department under a second root that no trust list holds. */
export function strangerSigner(): Signer {
  const stranger = makeTestPki({ algorithm: 'EC' }).untrustedDepartment();
  return uncheckedSigner(stranger.privateKey, stranger.chain);
}

/**
 * A detached CMS with SHA-1 digests made by node-forge with an RSA key: what
 * old signing tools emitted. Signed attributes hold content type, message
 * digest and signing time.
 */
export function sha1DetachedCms(content: Uint8Array, privateKey: KeyObject, chain: readonly Uint8Array[]): Uint8Array {
  const certificates = chain.map((der) => forge.pki.certificateFromAsn1(forge.asn1.fromDer(Buffer.from(der).toString('binary'))));
  const key = forge.pki.privateKeyFromPem(privateKey.export({ type: 'pkcs1', format: 'pem' }).toString());
  const p7 = forge.pkcs7.createSignedData();
  p7.content = forge.util.createBuffer(Buffer.from(content).toString('binary'));
  for (const certificate of certificates) p7.addCertificate(certificate);
  p7.addSigner({
    key,
    certificate: certificates[0]!,
    digestAlgorithm: forge.pki.oids.sha1!,
    authenticatedAttributes: [
      { type: forge.pki.oids.contentType!, value: forge.pki.oids.data! },
      { type: forge.pki.oids.messageDigest! },
      { type: forge.pki.oids.signingTime!, value: new Date() as unknown as string },
    ],
  });
  p7.sign({ detached: true });
  return Buffer.from(forge.asn1.toDer(p7.toAsn1()).getBytes(), 'binary');
}
