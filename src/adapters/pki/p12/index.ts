/**
 * PKCS#12 key stores: writing one OpenSSL 3 and forge both open, and opening
 * one as the signing port, the key decrypted once into a Node KeyObject.
 */
export { exportPkcs12, PKCS12_DEFAULT_ITERATIONS } from './export-pkcs12.js';
export type { Pkcs12ExportOptions } from './export-pkcs12.js';
export { loadP12Signer, openKeyStore, openP12SignerFile } from './p12-signer.js';
export type { KeyStoreContents, LoadP12SignerOptions } from './p12-signer.js';
