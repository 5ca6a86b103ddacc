export * from './signer.js';
export type { CmsSignatureBuilder } from './cms.js';
export { PadesSigner } from './pades-signer.js';
export type { SignerProvider } from './signer-provider.js';
