import mongoose, { type ClientSession } from 'mongoose';
import {
  AUDIT_GENESIS_HASH,
  auditActor,
  chainAuditEntry,
  holderIndexKeys,
  indexedHolderFingerprint,
  newestOf,
  type AuditDraft,
  type AuditEntry,
  type AuditLog,
  type HolderEntriesPage,
} from '../../../modules/audit/index.js';
import { StoreError } from '../../../shared/errors.js';
import { isDuplicateKeyError, upsertRacing } from './errors.js';
import type { AuditEntryDocument, AuditHeadDocument, MongoModels } from './models.js';
import type { MongoScope } from './scope.js';

const { trusted } = mongoose;

/** `_id` of the single document holding the seq and hash of the newest entry. */
const HEAD_ID = 'head';

/** How often a standalone append retries after another append took the seq it read. */
const MAX_APPEND_ATTEMPTS = 20;

const HEAD_MOVED = 'audit-head-moved';

function fromDocument(document: AuditEntryDocument): AuditEntry {
  return {
    seq: document.seq,
    at: document.at,
    actor: auditActor(document.actor.id, document.actor.role, { address: document.actor.address ?? undefined, requestId: document.actor.requestId ?? undefined }),
    action: document.action,
    target: document.target ?? null,
    details: JSON.parse(document.details) as Record<string, unknown>,
    prevHash: document.prevHash,
    hash: document.hash,
    ...(typeof document.legacyHash === 'string' ? { legacyHash: document.legacyHash } : {}),
  };
}

function toDocument(entry: AuditEntry): AuditEntryDocument {
  const holderFingerprint = indexedHolderFingerprint(entry.details);
  return {
    ...(holderFingerprint === null ? {} : { holderFingerprint }),
    seq: entry.seq,
    at: entry.at,
    actor: auditActor(entry.actor.id, entry.actor.role, entry.actor),
    action: entry.action,
    target: entry.target,
    details: JSON.stringify(entry.details),
    prevHash: entry.prevHash,
    hash: entry.hash,
  };
}

/**
 * Creates the head document if it is missing, from the newest entry (an
 * empty log has seq 0 and the genesis hash). Run at open, so that appends
 * only ever update an existing head and two first appends cannot both insert it.
 */
export async function initialiseAuditHead(models: MongoModels): Promise<void> {
  const newest = await models.auditLog
    .findOne({}, { _id: 0, seq: 1, hash: 1 }, { sort: { seq: -1 } })
    .lean<Pick<AuditEntryDocument, 'seq' | 'hash'>>()
    .exec();
  try {
    await models.auditHead.updateOne({ _id: HEAD_ID }, { $setOnInsert: { seq: newest?.seq ?? 0, hash: newest?.hash ?? AUDIT_GENESIS_HASH } }, { upsert: true }).exec();
  } catch (error) {
    // Another process created it at the same moment: exactly what we wanted.
    if (!isDuplicateKeyError(error)) throw error;
  }
}

/**
 * The hash chain. Each append reads the head, chains the entry after it,
 * moves the head only if it still has the seq that was read (so two
 * concurrent appends can never take the same seq) and inserts the entry,
 * all in one transaction: the caller's inside `VaultStore.transaction`,
 * else one of its own. The unique indexes on seq and hash back this up.
 */
export class MongoAuditLog implements AuditLog {
  constructor(private readonly scope: MongoScope) {}

  async append(draft: AuditDraft): Promise<AuditEntry> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await this.scope.atomically((session) => this.appendWithin(session, draft));
      } catch (error) {
        // Inside a caller's transaction the conflict is theirs to retry (and cannot happen in
        // practice: the snapshot read gives a write conflict, which withTransaction retries).
        const headMoved = error instanceof StoreError && error.details?.reason === HEAD_MOVED;
        if (!headMoved || this.scope.inTransaction || attempt >= MAX_APPEND_ATTEMPTS) throw error;
      }
    }
  }

  /** One ordered bulk write of the entries, then the head's hash when the last of them is the head; in the caller's transaction. */
  async rechain(entries: readonly AuditEntry[]): Promise<void> {
    const newest = entries.at(-1);
    if (!newest) return;
    await this.scope.atomically(async (session) => {
      const { auditHead, auditLog } = this.scope.models;
      const result = await auditLog.bulkWrite(
        entries.map((entry) => {
          const holderFingerprint = indexedHolderFingerprint(entry.details);
          return {
            updateOne: {
              filter: { seq: entry.seq },
              update: {
                $set: {
                  details: JSON.stringify(entry.details),
                  prevHash: entry.prevHash,
                  hash: entry.hash,
                  ...(entry.legacyHash === undefined ? {} : { legacyHash: entry.legacyHash }),
                  ...(holderFingerprint === null ? {} : { holderFingerprint }),
                },
                ...(holderFingerprint === null ? { $unset: { holderFingerprint: 1 as const } } : {}),
              },
            },
          };
        }),
        { session, ordered: true },
      );
      if (result.matchedCount !== entries.length)
        throw new StoreError('ERR_STORE_NOT_FOUND', 'an audit entry to re-chain is not stored', { entries: entries.length, matched: result.matchedCount });
      await auditHead.updateOne({ _id: HEAD_ID, seq: newest.seq }, { $set: { hash: newest.hash } }, { session }).exec();
    });
  }

  async list(afterSeq: number, limit: number): Promise<readonly AuditEntry[]> {
    if (typeof afterSeq !== 'number' || Number.isNaN(afterSeq)) throw new TypeError('afterSeq must be a number');
    const count = Math.floor(limit);
    // MongoDB reads limit(0) as "no limit".
    if (!(count > 0)) return this.scope.read(() => Promise.resolve([]));
    return this.scope.read(async (session) => {
      const documents = await this.scope.models.auditLog
        .find({ seq: trusted({ $gt: afterSeq }) }, { _id: 0 })
        .sort({ seq: 1 })
        .limit(count)
        .session(session)
        .lean<AuditEntryDocument[]>()
        .exec();
      return documents.map(fromDocument);
    });
  }

  /** One range of the holder index per fingerprint (a key ring holds few), merged. */
  async listByHolder(fingerprints: readonly string[], page: HolderEntriesPage): Promise<readonly AuditEntry[]> {
    const { keys, beforeSeq, limit } = holderIndexKeys(fingerprints, page);
    // MongoDB reads limit(0) as "no limit".
    if (keys.length === 0 || limit === 0) return this.scope.read(() => Promise.resolve([]));
    return this.scope.read(async (session) => {
      const pages = [];
      for (const key of keys) {
        const documents = await this.scope.models.auditLog
          .find({ holderFingerprint: key, seq: trusted({ $lt: beforeSeq }) }, { _id: 0 })
          .sort({ seq: -1 })
          .limit(limit)
          .session(session)
          .lean<AuditEntryDocument[]>()
          .exec();
        pages.push(documents.map(fromDocument));
      }
      return newestOf(pages, limit);
    });
  }

  async last(): Promise<AuditEntry | null> {
    return this.scope.read(async (session) => {
      const document = await this.scope.models.auditLog
        .findOne({}, { _id: 0 }, { sort: { seq: -1 } })
        .session(session)
        .lean<AuditEntryDocument>()
        .exec();
      return document ? fromDocument(document) : null;
    });
  }

  private async appendWithin(session: ClientSession, draft: AuditDraft): Promise<AuditEntry> {
    const { auditHead, auditLog } = this.scope.models;
    let head = await auditHead.findOne({ _id: HEAD_ID }, { _id: 0, seq: 1, hash: 1 }).session(session).lean<Pick<AuditHeadDocument, 'seq' | 'hash'>>().exec();
    const headExists = head !== null;
    if (!head) {
      // Only if someone removed it since open: rebuild it from the newest entry.
      head = (await auditLog
        .findOne({}, { _id: 0, seq: 1, hash: 1 }, { sort: { seq: -1 } })
        .session(session)
        .lean<Pick<AuditEntryDocument, 'seq' | 'hash'>>()
        .exec()) ?? {
        seq: 0,
        hash: AUDIT_GENESIS_HASH,
      };
    }
    const entry = chainAuditEntry(head.seq === 0 ? null : head, draft);
    const previousSeq = head.seq;
    const moveHead = () =>
      auditHead
        .findOneAndUpdate({ _id: HEAD_ID, seq: previousSeq }, { $set: { seq: entry.seq, hash: entry.hash } }, { upsert: !headExists, returnDocument: 'after' })
        .session(session)
        .lean<AuditHeadDocument>()
        .exec();
    // Always in a transaction here (the caller's or our own): a lost race to recreate the head retries it.
    const moved = headExists ? await moveHead() : await upsertRacing(true, moveHead);
    if (!moved) throw new StoreError('ERR_STORE_VERSION_CONFLICT', 'another audit entry was appended concurrently', { reason: HEAD_MOVED });
    await auditLog.insertOne(toDocument(entry), { session });
    return entry;
  }
}
