import type { HolderType } from '../../../modules/identity/index.js';
import type { ShareRecord, ShareRepository } from '../../../modules/shares/index.js';
import { requireText, statement, type SqliteConnection } from './connection.js';

interface Row {
  id: string;
  token_hash: string;
  holder_type: HolderType;
  holder_number: string;
  licenses: string;
  recipient: string;
  purpose: string;
  created_at: string;
  expires_at: string;
  one_time: number;
  open_count: number;
  first_opened_at: string | null;
  revoked_at: string | null;
}

function recordOf(row: Row): ShareRecord {
  return {
    id: row.id,
    tokenHash: row.token_hash,
    holderType: row.holder_type,
    holderNumber: row.holder_number,
    licenses: JSON.parse(row.licenses) as string[],
    recipient: row.recipient,
    purpose: row.purpose,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    oneTime: row.one_time === 1,
    openCount: row.open_count,
    firstOpenedAt: row.first_opened_at,
    revokedAt: row.revoked_at,
  };
}

export class SqliteShareRepository implements ShareRepository {
  constructor(private readonly connection: SqliteConnection) {}

  async insert(share: ShareRecord): Promise<void> {
    requireText(share.id, share.tokenHash, share.holderNumber, ...share.licenses);
    await this.connection.write((db) =>
      statement(
        db,
        `INSERT INTO shares (id, token_hash, holder_type, holder_number, licenses, recipient, purpose, created_at, expires_at, one_time, open_count, first_opened_at, revoked_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(
        share.id,
        share.tokenHash,
        share.holderType,
        share.holderNumber,
        JSON.stringify(share.licenses),
        share.recipient,
        share.purpose,
        share.createdAt,
        share.expiresAt,
        share.oneTime ? 1 : 0,
        share.openCount,
        share.firstOpenedAt,
        share.revokedAt,
      ),
    );
  }

  async findById(id: string): Promise<ShareRecord | null> {
    requireText(id);
    return this.connection.read((db) => {
      const row = statement(db, 'SELECT * FROM shares WHERE id = ?').get(id) as Row | undefined;
      return row ? recordOf(row) : null;
    });
  }

  async findByTokenHash(tokenHash: string): Promise<ShareRecord | null> {
    requireText(tokenHash);
    return this.connection.read((db) => {
      const row = statement(db, 'SELECT * FROM shares WHERE token_hash = ?').get(tokenHash) as Row | undefined;
      return row ? recordOf(row) : null;
    });
  }

  async listByHolder(holderType: HolderType, holderNumber: string, expiringAfter: string, limit: number): Promise<readonly ShareRecord[]> {
    requireText(holderType, holderNumber, expiringAfter);
    return this.connection.read((db) =>
      (
        statement(db, 'SELECT * FROM shares WHERE holder_type = ? AND holder_number = ? AND expires_at > ? ORDER BY created_at DESC, id DESC LIMIT ?').all(
          holderType,
          holderNumber,
          expiringAfter,
          limit,
        ) as Row[]
      ).map(recordOf),
    );
  }

  async revoke(id: string, at: string): Promise<ShareRecord | null> {
    requireText(id, at);
    return this.connection.write((db) => {
      statement(db, 'UPDATE shares SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL').run(at, id);
      const row = statement(db, 'SELECT * FROM shares WHERE id = ?').get(id) as Row | undefined;
      return row ? recordOf(row) : null;
    });
  }

  async recordOpening(tokenHash: string, at: string): Promise<ShareRecord | null> {
    requireText(tokenHash, at);
    return this.connection.write((db) => {
      const row = statement(
        db,
        `UPDATE shares SET open_count = open_count + 1, first_opened_at = coalesce(first_opened_at, ?)
         WHERE token_hash = ? AND revoked_at IS NULL AND expires_at > ? AND (one_time = 0 OR open_count = 0)
         RETURNING *`,
      ).get(at, tokenHash, at) as Row | undefined;
      return row ? recordOf(row) : null;
    });
  }
}
