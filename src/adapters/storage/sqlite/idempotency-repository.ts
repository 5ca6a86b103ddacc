import type { IdempotencyRecord, IdempotencyRepository } from '../../../modules/licenses/index.js';
import { requireText, statement, type SqliteConnection } from './connection.js';

export class SqliteIdempotencyRepository implements IdempotencyRepository {
  constructor(private readonly connection: SqliteConnection) {}

  async put(record: IdempotencyRecord): Promise<void> {
    await this.connection.write((db) =>
      statement(db, 'INSERT INTO idempotency_keys (scope, key, request_hash, result_ref, created_at) VALUES (?, ?, ?, ?, ?)').run(
        record.scope,
        record.key,
        record.requestHash,
        record.resultRef,
        record.createdAt,
      ),
    );
  }

  async get(scope: string, key: string): Promise<IdempotencyRecord | null> {
    requireText(scope, key);
    return this.connection.read((db) => {
      const row = statement(db, 'SELECT scope, key, request_hash, result_ref, created_at FROM idempotency_keys WHERE scope = ? AND key = ?').get(scope, key) as
        { scope: string; key: string; request_hash: string; result_ref: string; created_at: string } | undefined;
      return row ? { scope: row.scope, key: row.key, requestHash: row.request_hash, resultRef: row.result_ref, createdAt: row.created_at } : null;
    });
  }
}
