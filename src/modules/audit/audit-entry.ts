import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json.js';

/** Who did it: an account, or `system` / `anonymous`. */
export interface AuditActor {
  readonly id: string;
  readonly role: string;
  /** Client address of the request that did it; absent for the CLI and the vault itself. */
  readonly address?: string;
  /** The request's id (X-Request-Id), to find it in the logs; absent outside a request. */
  readonly requestId?: string;
}

/** The actor with only the members it has: an absent origin is left out, so entries without one hash as they always did. */
export function auditActor(id: string, role: string, origin?: { readonly address?: string | undefined; readonly requestId?: string | undefined }): AuditActor {
  return {
    id,
    role,
    ...(origin?.address === undefined ? {} : { address: origin.address }),
    ...(origin?.requestId === undefined ? {} : { requestId: origin.requestId }),
  };
}

/** What a use case asks to record. Details hold no secrets; identity numbers only where an auditor needs them. */
export interface AuditDraft {
  /** ISO 8601 instant. */
  readonly at: string;
  readonly actor: AuditActor;
  /** Dotted verb, e.g. `license.issue`, `holder.query`. */
  readonly action: string;
  /** What was acted on (license identifier, account id…), or null. */
  readonly target: string | null;
  readonly details: Readonly<Record<string, unknown>>;
}

/** A recorded entry: numbered from 1 without gaps and chained by SHA-256. */
export interface AuditEntry extends AuditDraft {
  readonly seq: number;
  readonly prevHash: string;
  readonly hash: string;
  /**
   * The hash this entry had before a re-key rewrote it (ADR 0010); outside the
   * hash itself, and committed to by the `audit.rekey` entry that follows.
   */
  readonly legacyHash?: string;
}

/** prevHash of entry 1. */
export const AUDIT_GENESIS_HASH = '0'.repeat(64);

/** Appends `draft` after `previous` (null for the first entry): assigns seq and computes the hash. */
export function chainAuditEntry(previous: Pick<AuditEntry, 'seq' | 'hash'> | null, draft: AuditDraft): AuditEntry {
  const seq = previous ? previous.seq + 1 : 1;
  const prevHash = previous ? previous.hash : AUDIT_GENESIS_HASH;
  const unsealed = { seq, prevHash, at: draft.at, actor: draft.actor, action: draft.action, target: draft.target, details: draft.details };
  return { ...unsealed, hash: auditHash(unsealed) };
}

function auditHash(entry: Omit<AuditEntry, 'hash'>): string {
  return createHash('sha256').update(canonicalJson(entry)).digest('hex');
}

/** Where the chain first fails, or null when every entry links to the one before and hashes to itself. */
export function findAuditChainBreak(
  entries: readonly AuditEntry[],
  previous: Pick<AuditEntry, 'seq' | 'hash'> | null = null,
): { seq: number; reason: 'gap' | 'link' | 'hash' } | null {
  let before = previous;
  for (const entry of entries) {
    const { hash, legacyHash: _legacy, ...unsealed } = entry;
    if (entry.seq !== (before ? before.seq + 1 : 1)) return { seq: entry.seq, reason: 'gap' };
    if (entry.prevHash !== (before ? before.hash : AUDIT_GENESIS_HASH)) return { seq: entry.seq, reason: 'link' };
    if (auditHash(unsealed) !== hash) return { seq: entry.seq, reason: 'hash' };
    before = entry;
  }
  return null;
}
