import mongoose from 'mongoose';
import type { HolderSessionRecord, HolderSessionRepository } from '../../../modules/holders/index.js';
import { StoreError } from '../../../shared/errors.js';
import type { HolderSessionDocument } from './models.js';
import type { MongoScope } from './scope.js';
import { instantToDate, requireString } from './values.js';

/** Operators we write ourselves are marked trusted, so that `sanitizeFilter` leaves them as operators. */
const { trusted } = mongoose;

export class MongoHolderSessionRepository implements HolderSessionRepository {
  constructor(private readonly scope: MongoScope) {}

  async insert(session: HolderSessionRecord): Promise<void> {
    const tokenHash = requireString(session.tokenHash, 'tokenHash');
    const model = this.scope.models.holderSessions;
    await this.scope.write(async (mongoSession) => {
      if (this.scope.inTransaction && (await model.exists({ tokenHash }).session(mongoSession).exec())) {
        throw new StoreError('ERR_STORE_DUPLICATE', 'duplicate tokenHash', { key: 'tokenHash' });
      }
      await model.insertOne(
        {
          tokenHash,
          holderType: session.holderType,
          holderNumber: requireString(session.holderNumber, 'holderNumber'),
          name: session.name,
          createdAt: session.createdAt,
          expiresAt: instantToDate(session.expiresAt, 'expiresAt'),
        },
        { session: mongoSession },
      );
    });
  }

  async get(tokenHash: string): Promise<HolderSessionRecord | null> {
    const filter = { tokenHash: requireString(tokenHash, 'tokenHash') };
    return this.scope.read(async (mongoSession) => {
      const stored = await this.scope.models.holderSessions.findOne(filter, { _id: 0 }).session(mongoSession).lean<HolderSessionDocument>().exec();
      return stored
        ? {
            tokenHash: stored.tokenHash,
            holderType: stored.holderType,
            holderNumber: stored.holderNumber,
            name: stored.name,
            createdAt: stored.createdAt,
            expiresAt: stored.expiresAt.toISOString(),
          }
        : null;
    });
  }

  async delete(tokenHash: string): Promise<void> {
    const filter = { tokenHash: requireString(tokenHash, 'tokenHash') };
    await this.scope.write(async (mongoSession) => {
      await this.scope.models.holderSessions.deleteOne(filter).session(mongoSession).exec();
    });
  }

  async deleteExpired(now: string): Promise<number> {
    const before = instantToDate(now, 'now');
    return this.scope.write(async (mongoSession) => {
      const result = await this.scope.models.holderSessions
        .deleteMany({ expiresAt: trusted({ $lte: before }) })
        .session(mongoSession)
        .exec();
      return result.deletedCount;
    });
  }
}
