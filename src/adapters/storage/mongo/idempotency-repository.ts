import type { IdempotencyRecord, IdempotencyRepository } from '../../../modules/licenses/index.js';
import { StoreError } from '../../../shared/errors.js';
import type { IdempotencyDocument } from './models.js';
import type { MongoScope } from './scope.js';
import { requireString } from './values.js';

export class MongoIdempotencyRepository implements IdempotencyRepository {
  constructor(private readonly scope: MongoScope) {}

  async put(record: IdempotencyRecord): Promise<void> {
    const scope = requireString(record.scope, 'scope');
    const key = requireString(record.key, 'key');
    const model = this.scope.models.idempotencyKeys;
    await this.scope.write(async (session) => {
      if (this.scope.inTransaction && (await model.exists({ scope, key }).session(session).exec())) {
        throw new StoreError('ERR_STORE_DUPLICATE', 'duplicate key', { key: 'key' });
      }
      await model.insertOne({ scope, key, requestHash: record.requestHash, resultRef: record.resultRef, createdAt: record.createdAt }, { session });
    });
  }

  async get(scope: string, key: string): Promise<IdempotencyRecord | null> {
    const filter = { scope: requireString(scope, 'scope'), key: requireString(key, 'key') };
    return this.scope.read(async (session) => {
      const stored = await this.scope.models.idempotencyKeys.findOne(filter, { _id: 0 }).session(session).lean<IdempotencyDocument>().exec();
      return stored ? { scope: stored.scope, key: stored.key, requestHash: stored.requestHash, resultRef: stored.resultRef, createdAt: stored.createdAt } : null;
    });
  }
}
