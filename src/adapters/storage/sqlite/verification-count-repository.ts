import type { VerificationCount, VerificationCountRepository } from '../../../modules/verification/index.js';
import { requireText, statement, type SqliteConnection } from './connection.js';

/** Per-day counts summed on read: a license has at most one row a day. */
export class SqliteVerificationCountRepository implements VerificationCountRepository {
  constructor(private readonly connection: SqliteConnection) {}

  async add(counts: readonly VerificationCount[]): Promise<void> {
    if (counts.length === 0) return;
    for (const count of counts) {
      requireText(count.identifier, count.day);
      if (!Number.isSafeInteger(count.count) || count.count < 0) throw new TypeError('a verification count is a non-negative integer');
    }
    await this.connection.write((db) => {
      const upsert = statement(
        db,
        'INSERT INTO verification_counts (identifier, day, count) VALUES (?, ?, ?) ON CONFLICT (identifier, day) DO UPDATE SET count = count + excluded.count',
      );
      for (const count of counts) upsert.run(count.identifier, count.day, count.count);
    });
  }

  async totals(identifiers: readonly string[]): Promise<ReadonlyMap<string, number>> {
    requireText(...identifiers);
    return this.connection.read((db) => {
      const sum = statement(db, 'SELECT sum(count) AS total FROM verification_counts WHERE identifier = ?');
      const totals = new Map<string, number>();
      for (const identifier of new Set(identifiers)) {
        const { total } = sum.get(identifier) as { total: number | null };
        if (total !== null) totals.set(identifier, total);
      }
      return totals;
    });
  }
}
