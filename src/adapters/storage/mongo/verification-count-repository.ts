import mongoose from 'mongoose';
import type { VerificationCount, VerificationCountRepository } from '../../../modules/verification/index.js';
import type { MongoScope } from './scope.js';
import { requireString } from './values.js';

const { trusted } = mongoose;

/** One document per license and day, incremented by upsert; totals summed by one aggregation. */
export class MongoVerificationCountRepository implements VerificationCountRepository {
  constructor(private readonly scope: MongoScope) {}

  async add(counts: readonly VerificationCount[]): Promise<void> {
    if (counts.length === 0) return;
    const operations = counts.map((count) => {
      const identifier = requireString(count.identifier, 'identifier');
      const day = requireString(count.day, 'day');
      if (!Number.isSafeInteger(count.count) || count.count < 0) throw new TypeError('a verification count is a non-negative integer');
      return {
        updateOne: {
          filter: { _id: `${identifier}|${day}` },
          update: { $inc: { count: count.count }, $setOnInsert: { identifier, day } },
          upsert: true,
        },
      };
    });
    await this.scope.write(async (session) => {
      await this.scope.models.verificationCounts.bulkWrite(operations, { ...(session ? { session } : {}), ordered: false });
    });
  }

  async totals(identifiers: readonly string[]): Promise<ReadonlyMap<string, number>> {
    const wanted = [...new Set(identifiers.map((identifier) => requireString(identifier, 'identifier')))];
    if (wanted.length === 0) return new Map();
    return this.scope.read(async (session) => {
      const rows = await this.scope.models.verificationCounts
        .aggregate<{ _id: string; total: number }>([{ $match: { identifier: trusted({ $in: wanted }) } }, { $group: { _id: '$identifier', total: { $sum: '$count' } } }])
        .session(session)
        .exec();
      return new Map(rows.map((row) => [row._id, row.total]));
    });
  }
}
