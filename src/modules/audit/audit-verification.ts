import { canonicalJson } from './canonical-json.js';
import { findAuditChainBreak, type AuditEntry } from './audit-entry.js';
import type { AuditLog } from './audit-log.js';
import { AUDIT_REKEY_ACTION, LegacyHashes } from './legacy-hashes.js';

/** The head of the chain at a moment, signed by the vault so that a rollback to an older copy shows. */
export interface AuditCheckpoint {
  readonly seq: number;
  readonly hash: string;
  /** ISO 8601 instant the checkpoint was taken. */
  readonly at: string;
  readonly keyId: string;
  /** base64url signature over the canonical JSON of {seq, hash, at, keyId}. */
  readonly signature: string;
}

/** Signs and checks checkpoints with a key of the vault's (the private key never leaves the implementation). */
export interface CheckpointSigner {
  readonly keyId: string;
  sign(data: Uint8Array): Promise<Uint8Array>;
  verify(data: Uint8Array, signature: Uint8Array): Promise<boolean>;
}

/** `legacy`: the old hashes kept by a re-key (ADR 0010) do not match what its `audit.rekey` entry committed to. */
export type AuditProblem = { readonly seq: number; readonly reason: 'gap' | 'link' | 'hash' | 'truncated' | 'checkpoint-signature' | 'legacy' };

export interface AuditVerification {
  readonly ok: boolean;
  readonly entries: number;
  readonly lastSeq: number;
  /** The first bad sequence number and why; null when the chain holds. */
  readonly problem: AuditProblem | null;
}

const PAGE = 1000;

function checkpointBody(checkpoint: Omit<AuditCheckpoint, 'signature'>): Uint8Array {
  return new TextEncoder().encode(canonicalJson({ seq: checkpoint.seq, hash: checkpoint.hash, at: checkpoint.at, keyId: checkpoint.keyId }));
}

export async function createCheckpoint(log: AuditLog, signer: CheckpointSigner, now: Date): Promise<AuditCheckpoint> {
  const last = await log.last();
  const unsigned = { seq: last?.seq ?? 0, hash: last?.hash ?? '', at: now.toISOString(), keyId: signer.keyId };
  return { ...unsigned, signature: Buffer.from(await signer.sign(checkpointBody(unsigned))).toString('base64url') };
}

/** Whether the legacy hashes of re-keyed entries match the audit.rekey entry after them: the problem, or null. */
function checkLegacy(legacy: LegacyHashes, entry: AuditEntry): AuditProblem | null {
  if (entry.legacyHash !== undefined) {
    legacy.add(entry.seq, entry.legacyHash);
    return null;
  }
  const run = legacy.close();
  if (entry.action !== AUDIT_REKEY_ACTION) return run ? { seq: run.fromSeq, reason: 'legacy' } : null;
  const said = entry.details;
  const holds =
    run !== null &&
    said['fromSeq'] === run.fromSeq &&
    said['throughSeq'] === run.throughSeq &&
    said['legacyHead'] === run.legacyHead &&
    said['legacyHashesDigest'] === run.legacyHashesDigest;
  return holds ? null : { seq: entry.seq, reason: 'legacy' };
}

/**
 * Walks the whole log: every entry must follow the one before (no gap, no
 * insertion, no reordering), link to its hash and hash to itself; the old
 * hashes a re-key kept must match what its `audit.rekey` entry committed to.
 * With a checkpoint, the log must still hold the checkpointed entry unchanged
 * (or, for a checkpoint taken before a re-key, with that old hash), so
 * truncation or a restore of an older copy is caught too.
 */
export async function verifyAuditLog(log: AuditLog, checkpoint?: { readonly value: AuditCheckpoint; readonly signer: CheckpointSigner }): Promise<AuditVerification> {
  if (checkpoint) {
    const valid = await checkpoint.signer.verify(checkpointBody(checkpoint.value), Buffer.from(checkpoint.value.signature, 'base64url'));
    if (!valid) return { ok: false, entries: 0, lastSeq: 0, problem: { seq: checkpoint.value.seq, reason: 'checkpoint-signature' } };
  }
  let previous: AuditEntry | null = null;
  let entries = 0;
  let atCheckpoint: AuditEntry | null = null;
  const legacy = new LegacyHashes();
  for (;;) {
    const page = await log.list(previous?.seq ?? 0, PAGE);
    const broken = findAuditChainBreak(page, previous);
    if (broken) return { ok: false, entries: entries + page.findIndex((e) => e.seq === broken.seq), lastSeq: previous?.seq ?? 0, problem: broken };
    for (const entry of page) {
      const problem = checkLegacy(legacy, entry);
      if (problem) return { ok: false, entries: entries + page.indexOf(entry), lastSeq: entry.seq - 1, problem };
    }
    entries += page.length;
    atCheckpoint ??= checkpoint ? (page.find((entry) => entry.seq === checkpoint.value.seq) ?? null) : null;
    const last = page.at(-1);
    if (!last || page.length < PAGE) {
      previous = last ?? previous;
      break;
    }
    previous = last;
  }
  const lastSeq = previous?.seq ?? 0;
  const unclosed = legacy.close();
  if (unclosed) return { ok: false, entries, lastSeq, problem: { seq: unclosed.fromSeq, reason: 'legacy' } };
  if (checkpoint && checkpoint.value.seq > 0) {
    if (!atCheckpoint) return { ok: false, entries, lastSeq, problem: { seq: lastSeq + 1, reason: 'truncated' } };
    if (!heldAt(atCheckpoint, checkpoint.value.hash)) return { ok: false, entries, lastSeq, problem: { seq: checkpoint.value.seq, reason: 'hash' } };
  }
  return { ok: true, entries, lastSeq, problem: null };
}

/** Whether `entry` is the one a checkpoint saw: its hash, or the hash it had before a re-key (verified against its audit.rekey entry). */
export function heldAt(entry: Pick<AuditEntry, 'hash' | 'legacyHash'>, checkpointHash: string): boolean {
  return entry.hash === checkpointHash || (entry.legacyHash !== undefined && entry.legacyHash === checkpointHash);
}
