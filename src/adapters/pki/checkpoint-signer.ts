import { sign, verify, type KeyObject } from 'node:crypto';
import type { CheckpointSigner } from '../../modules/audit/index.js';

/** Audit checkpoints signed ECDSA P-256 / SHA-256 with the vault's own key (the access-token key). */
export function ecdsaCheckpointSigner(key: { readonly privateKey: KeyObject; readonly publicKey: KeyObject; readonly keyId: string }): CheckpointSigner {
  return {
    keyId: key.keyId,
    sign: async (data) => sign('sha256', data, key.privateKey),
    verify: async (data, signature) => {
      try {
        return verify('sha256', data, key.publicKey, signature);
      } catch {
        return false;
      }
    },
  };
}
