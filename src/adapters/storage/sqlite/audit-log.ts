import { StoreError } from '../../../shared/errors.js';
import {
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
import { statement, type SqliteConnection } from './connection.js';

interface AuditRow {
  seq: number;
  at: string;
  actor_id: string;
  actor_role: string;
  actor_address: string | null;
  actor_request_id: string | null;
  action: string;
  target: string | null;
  details: string;
  prev_hash: string;
  hash: string;
  legacy_hash: string | null;
}

const SELECT = 'SELECT seq, at, actor_id, actor_role, actor_address, actor_request_id, action, target, details, prev_hash, hash, legacy_hash FROM audit_log';

function fromRow(row: AuditRow): AuditEntry {
  return {
    seq: row.seq,
    at: row.at,
    actor: auditActor(row.actor_id, row.actor_role, { address: row.actor_address ?? undefined, requestId: row.actor_request_id ?? undefined }),
    action: row.action,
    target: row.target,
    details: JSON.parse(row.details) as Record<string, unknown>,
    prevHash: row.prev_hash,
    hash: row.hash,
    ...(row.legacy_hash === null ? {} : { legacyHash: row.legacy_hash }),
  };
}

export class SqliteAuditLog implements AuditLog {
  constructor(private readonly connection: SqliteConnection) {}

  append(draft: AuditDraft): Promise<AuditEntry> {
    return this.connection.write((db) => {
      const previous = statement(db, 'SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1').get() as { seq: number; hash: string } | undefined;
      const entry = chainAuditEntry(previous ?? null, draft);
      statement(
        db,
        `INSERT INTO audit_log (seq, at, actor_id, actor_role, actor_address, actor_request_id, action, target, details, prev_hash, hash, holder_fingerprint)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(
        entry.seq,
        entry.at,
        entry.actor.id,
        entry.actor.role,
        entry.actor.address ?? null,
        entry.actor.requestId ?? null,
        entry.action,
        entry.target,
        JSON.stringify(entry.details),
        entry.prevHash,
        entry.hash,
        indexedHolderFingerprint(entry.details),
      );
      return entry;
    });
  }

  rechain(entries: readonly AuditEntry[]): Promise<void> {
    return this.connection.write((db) => {
      const update = statement(db, 'UPDATE audit_log SET details = ?, prev_hash = ?, hash = ?, legacy_hash = ?, holder_fingerprint = ? WHERE seq = ?');
      for (const entry of entries) {
        const { changes } = update.run(JSON.stringify(entry.details), entry.prevHash, entry.hash, entry.legacyHash ?? null, indexedHolderFingerprint(entry.details), entry.seq);
        if (changes !== 1) throw new StoreError('ERR_STORE_NOT_FOUND', `no audit entry ${entry.seq} to re-chain`, { seq: entry.seq });
      }
    });
  }

  list(afterSeq: number, limit: number): Promise<readonly AuditEntry[]> {
    return this.connection.read((db) => (statement(db, `${SELECT} WHERE seq > ? ORDER BY seq LIMIT ?`).all(afterSeq, limit) as AuditRow[]).map(fromRow));
  }

  /** One range of the holder index per fingerprint (a key ring holds few), merged: no sort of a holder's whole history. */
  async listByHolder(fingerprints: readonly string[], page: HolderEntriesPage): Promise<readonly AuditEntry[]> {
    const { keys, beforeSeq, limit } = holderIndexKeys(fingerprints, page);
    if (keys.length === 0 || limit === 0) return this.connection.read(() => []);
    return this.connection.read((db) => {
      const range = statement(db, `${SELECT} WHERE holder_fingerprint = ? AND seq < ? ORDER BY seq DESC LIMIT ?`);
      return newestOf(
        keys.map((key) => (range.all(key, beforeSeq, limit) as AuditRow[]).map(fromRow)),
        limit,
      );
    });
  }

  last(): Promise<AuditEntry | null> {
    return this.connection.read((db) => {
      const row = statement(db, `${SELECT} ORDER BY seq DESC LIMIT 1`).get() as AuditRow | undefined;
      return row ? fromRow(row) : null;
    });
  }
}
