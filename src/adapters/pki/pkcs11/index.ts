/**
 * Department keys in an HSM over PKCS#11 (pkcs11js): the library and its
 * connection, the token and its sessions, signers and their provider, and
 * making a department's key inside the token. See
 * docs/decisions/0006-pkcs11-signing.md.
 */
export { CK, loadPkcs11Binding, returnValueOf } from './binding.js';
export type { Handle, Pkcs11Binding } from './binding.js';
export { issueDepartmentKeyInToken } from './department-key.js';
export type { TokenDepartmentKey, TokenDepartmentKeyRequest } from './department-key.js';
export { ecdsaSignatureToDer } from './key-encoding.js';
export { destroyKeyPair, generateKeyPairInToken } from './key-pair.js';
export type { TokenKeyPair } from './key-pair.js';
export { Pkcs11Connection, Pkcs11Library } from './library.js';
export type { BindingLoader } from './library.js';
export { openTokenSigner } from './pkcs11-signer.js';
export type { TokenSignerOptions } from './pkcs11-signer.js';
export { Pkcs11SignerProvider } from './pkcs11-signer-provider.js';
export type { Pkcs11SignerProviderOptions } from './pkcs11-signer-provider.js';
export { DEFAULT_SESSIONS, Pkcs11Token } from './token.js';
export type { TokenOptions } from './token.js';
