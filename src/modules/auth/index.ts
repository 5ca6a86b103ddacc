export * from './account.js';
export * from './principal.js';
export * from './accounts.js';
export * from './authentication.js';
export * from './policy.js';
export { generateClientSecret, hashSecret, verifySecret, verifyDummySecret, MAX_SECRET_LENGTH, SCRYPT_PARAMETERS } from './secrets.js';
export * from './tokens.js';
export * from './duties.js';
export { SecretCheckGate } from './secret-check-gate.js';
