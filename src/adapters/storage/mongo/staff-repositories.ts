import mongoose from 'mongoose';
import type { SignInFailureCount, SignInFailureRepository, StaffSessionRecord, StaffSessionRepository } from '../../../modules/staff/index.js';
import { StoreError } from '../../../shared/errors.js';
import { isDuplicateKeyError } from './errors.js';
import type { SignInFailureDocument, StaffSessionDocument } from './models.js';
import type { MongoScope } from './scope.js';
import { instantToDate, requireInteger, requireString } from './values.js';

/** Operators we write ourselves are marked trusted, so that `sanitizeFilter` leaves them as operators. */
const { trusted } = mongoose;

export class MongoStaffSessionRepository implements StaffSessionRepository {
  constructor(private readonly scope: MongoScope) {}

  async insert(session: StaffSessionRecord): Promise<void> {
    const tokenHash = requireString(session.tokenHash, 'tokenHash');
    const model = this.scope.models.staffSessions;
    await this.scope.write(async (mongoSession) => {
      if (this.scope.inTransaction && (await model.exists({ tokenHash }).session(mongoSession).exec())) {
        throw new StoreError('ERR_STORE_DUPLICATE', 'duplicate tokenHash', { key: 'tokenHash' });
      }
      await model.insertOne(
        {
          tokenHash,
          username: requireString(session.username, 'username'),
          role: requireString(session.role, 'role') as StaffSessionRecord['role'],
          department: session.department === null ? null : requireString(session.department, 'department'),
          tokenVersion: requireInteger(session.tokenVersion, 'tokenVersion'),
          createdAt: requireString(session.createdAt, 'createdAt'),
          lastSeenAt: instantToDate(session.lastSeenAt, 'lastSeenAt'),
          expiresAt: instantToDate(session.expiresAt, 'expiresAt'),
        },
        { session: mongoSession },
      );
    });
  }

  async get(tokenHash: string): Promise<StaffSessionRecord | null> {
    const filter = { tokenHash: requireString(tokenHash, 'tokenHash') };
    return this.scope.read(async (mongoSession) => {
      const stored = await this.scope.models.staffSessions.findOne(filter, { _id: 0 }).session(mongoSession).lean<StaffSessionDocument>().exec();
      return stored
        ? {
            tokenHash: stored.tokenHash,
            username: stored.username,
            role: stored.role,
            department: stored.department,
            tokenVersion: stored.tokenVersion,
            createdAt: stored.createdAt,
            lastSeenAt: stored.lastSeenAt.toISOString(),
            expiresAt: stored.expiresAt.toISOString(),
          }
        : null;
    });
  }

  async touch(tokenHash: string, lastSeenAt: string): Promise<void> {
    const filter = { tokenHash: requireString(tokenHash, 'tokenHash') };
    const at = instantToDate(lastSeenAt, 'lastSeenAt');
    await this.scope.write(async (mongoSession) => {
      await this.scope.models.staffSessions
        .updateOne(filter, { $set: { lastSeenAt: at } })
        .session(mongoSession)
        .exec();
    });
  }

  async delete(tokenHash: string): Promise<number> {
    const filter = { tokenHash: requireString(tokenHash, 'tokenHash') };
    return this.scope.write(async (mongoSession) => (await this.scope.models.staffSessions.deleteOne(filter).session(mongoSession).exec()).deletedCount);
  }

  async deleteOfAccount(username: string): Promise<number> {
    const filter = { username: requireString(username, 'username') };
    return this.scope.write(async (mongoSession) => (await this.scope.models.staffSessions.deleteMany(filter).session(mongoSession).exec()).deletedCount);
  }

  async deleteExpired(now: string, idleSince: string): Promise<number> {
    const filter = { $or: [{ expiresAt: trusted({ $lte: instantToDate(now, 'now') }) }, { lastSeenAt: trusted({ $lte: instantToDate(idleSince, 'idleSince') }) }] };
    return this.scope.write(async (mongoSession) => (await this.scope.models.staffSessions.deleteMany(filter).session(mongoSession).exec()).deletedCount);
  }
}

/** Attempts at counting one failure when another node starts the same name's window at the same moment. */
const COUNT_ATTEMPTS = 3;

export class MongoSignInFailureRepository implements SignInFailureRepository {
  constructor(private readonly scope: MongoScope) {}

  async addFailure(key: string, now: string, staleAtOrBefore: string): Promise<SignInFailureCount> {
    const nameKey = requireString(key, 'key');
    const at = instantToDate(now, 'now');
    const stale = instantToDate(staleAtOrBefore, 'staleAtOrBefore');
    const model = this.scope.models.staffSignInFailures;
    return this.scope.write(async (mongoSession) => {
      for (let attempt = 1; ; attempt++) {
        // A live window counts on; otherwise a new one starts (upserted: a missing or stale one is replaced). Each step is one atomic update.
        const counted = await model
          .findOneAndUpdate({ nameKey, windowStart: trusted({ $gt: stale }) }, { $inc: { count: 1 } }, { returnDocument: 'after', projection: { _id: 0 } })
          .session(mongoSession)
          .lean<SignInFailureDocument>()
          .exec();
        if (counted) return { count: counted.count, windowStart: counted.windowStart.toISOString() };
        try {
          await model
            .updateOne({ nameKey, windowStart: trusted({ $lte: stale }) }, { $set: { count: 1, windowStart: at } }, { upsert: true })
            .session(mongoSession)
            .exec();
          return { count: 1, windowStart: at.toISOString() };
        } catch (error) {
          // Another node started a live window between the two steps: count in it.
          if (!isDuplicateKeyError(error) || attempt >= COUNT_ATTEMPTS) throw error;
        }
      }
    });
  }

  async get(key: string): Promise<SignInFailureCount | null> {
    const filter = { nameKey: requireString(key, 'key') };
    return this.scope.read(async (mongoSession) => {
      const stored = await this.scope.models.staffSignInFailures.findOne(filter, { _id: 0 }).session(mongoSession).lean<SignInFailureDocument>().exec();
      return stored ? { count: stored.count, windowStart: stored.windowStart.toISOString() } : null;
    });
  }

  async clear(key: string): Promise<void> {
    const filter = { nameKey: requireString(key, 'key') };
    await this.scope.write(async (mongoSession) => {
      await this.scope.models.staffSignInFailures.deleteOne(filter).session(mongoSession).exec();
    });
  }

  async deleteStale(atOrBefore: string): Promise<number> {
    const filter = { windowStart: trusted({ $lte: instantToDate(atOrBefore, 'atOrBefore') }) };
    return this.scope.write(async (mongoSession) => (await this.scope.models.staffSignInFailures.deleteMany(filter).session(mongoSession).exec()).deletedCount);
  }
}
