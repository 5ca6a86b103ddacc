import { canonicalJson, heldAt, type AuditLog, type CheckpointSigner } from '../audit/index.js';
import type { LicenseRepository, SerialCounter } from '../licenses/index.js';

export const VAULT_CHECKPOINT_FORMAT = 'license-vault-checkpoint/1';

/** What recovery reads (the audit head, the serial counters) and, when reconciling, writes together (raised counters and their audit entries). */
export interface RecoveryRepositories {
  readonly licenses: LicenseRepository;
  readonly audit: AuditLog;
}

/**
 * What the vault had handed out at a moment, signed, and kept outside its
 * data directory: the head of the audit chain and every counter. A store
 * restored from an older copy lacks the head; its counters tell how far
 * serials had gone.
 */
export interface VaultCheckpoint {
  readonly format: typeof VAULT_CHECKPOINT_FORMAT;
  /** ISO 8601 instant. */
  readonly at: string;
  readonly keyId: string;
  readonly audit: { readonly seq: number; readonly hash: string };
  readonly counters: readonly SerialCounter[];
  /** base64url signature over the canonical JSON of every other member. */
  readonly signature: string;
}

function signedBody(checkpoint: Omit<VaultCheckpoint, 'signature'>): Uint8Array {
  const { format, at, keyId, audit, counters } = checkpoint;
  return new TextEncoder().encode(canonicalJson({ format, at, keyId, audit, counters }));
}

/** Reads the audit head first, then the counters, so the counters are never behind the head they go with. */
export async function takeVaultCheckpoint(store: RecoveryRepositories, signer: CheckpointSigner, now: Date): Promise<VaultCheckpoint> {
  const head = await store.audit.last();
  const { counters } = await store.licenses.serialLedger();
  const unsigned = {
    format: VAULT_CHECKPOINT_FORMAT,
    at: now.toISOString(),
    keyId: signer.keyId,
    audit: { seq: head?.seq ?? 0, hash: head?.hash ?? '' },
    counters: counters.map(({ scope, issuerCreditCode, last }) => ({ scope, issuerCreditCode, last })),
  } as const;
  return { ...unsigned, signature: Buffer.from(await signer.sign(signedBody(unsigned))).toString('base64url') };
}

/** True when this vault's key signed exactly this checkpoint. */
export async function isAuthenticCheckpoint(checkpoint: VaultCheckpoint, signer: CheckpointSigner): Promise<boolean> {
  if (checkpoint.keyId !== signer.keyId) return false;
  return signer.verify(signedBody(checkpoint), Buffer.from(checkpoint.signature, 'base64url'));
}

/** Whether the store still holds the checkpoint's audit head (re-keyed since, ADR 0010, or not): false when it was restored from an older copy or diverged. */
export async function storeHoldsCheckpoint(store: RecoveryRepositories, checkpoint: VaultCheckpoint): Promise<boolean> {
  if (checkpoint.audit.seq === 0) return true;
  const [entry] = await store.audit.list(checkpoint.audit.seq - 1, 1);
  return entry?.seq === checkpoint.audit.seq && heldAt(entry, checkpoint.audit.hash);
}
