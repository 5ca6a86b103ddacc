import type { HolderType } from '../../../modules/identity/index.js';
import type { HolderSessionRecord, HolderSessionRepository } from '../../../modules/holders/index.js';
import { requireText, statement, type SqliteConnection } from './connection.js';

interface Row {
  token_hash: string;
  holder_type: HolderType;
  holder_number: string;
  name: string | null;
  created_at: string;
  expires_at: string;
}

export class SqliteHolderSessionRepository implements HolderSessionRepository {
  constructor(private readonly connection: SqliteConnection) {}

  async insert(session: HolderSessionRecord): Promise<void> {
    await this.connection.write((db) =>
      statement(db, 'INSERT INTO holder_sessions (token_hash, holder_type, holder_number, name, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)').run(
        session.tokenHash,
        session.holderType,
        session.holderNumber,
        session.name,
        session.createdAt,
        session.expiresAt,
      ),
    );
  }

  async get(tokenHash: string): Promise<HolderSessionRecord | null> {
    requireText(tokenHash);
    return this.connection.read((db) => {
      const row = statement(db, 'SELECT * FROM holder_sessions WHERE token_hash = ?').get(tokenHash) as Row | undefined;
      return row
        ? { tokenHash: row.token_hash, holderType: row.holder_type, holderNumber: row.holder_number, name: row.name, createdAt: row.created_at, expiresAt: row.expires_at }
        : null;
    });
  }

  async delete(tokenHash: string): Promise<void> {
    requireText(tokenHash);
    await this.connection.write((db) => statement(db, 'DELETE FROM holder_sessions WHERE token_hash = ?').run(tokenHash));
  }

  async deleteExpired(now: string): Promise<number> {
    requireText(now);
    return this.connection.write((db) => statement(db, 'DELETE FROM holder_sessions WHERE expires_at <= ?').run(now).changes);
  }
}
