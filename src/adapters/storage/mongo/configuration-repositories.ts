import type { Model } from 'mongoose';
import type { AccountRecord, AccountRepository } from '../../../modules/auth/index.js';
import type { DepartmentRecord, DepartmentRepository } from '../../../modules/departments/index.js';
import { StoreError } from '../../../shared/errors.js';
import type { ConfigurationDocument } from './models.js';
import type { MongoScope } from './scope.js';
import { requireString } from './values.js';

/**
 * A collection of configuration records (departments, accounts), each stored whole as one document under a unique text key and
 * read back without `_id`.
 */
export class MongoDocumentCollection<T extends object> {
  constructor(
    private readonly scope: MongoScope,
    private readonly model: Model<ConfigurationDocument>,
    private readonly keyField: 'creditCode' | 'clientId',
  ) {}

  /** Throws ERR_STORE_DUPLICATE if the key is taken. */
  async insert(key: string, record: T): Promise<void> {
    const filter = this.filter(key);
    const model = this.model;
    await this.scope.write(async (session) => {
      if (this.scope.inTransaction && (await model.exists(filter).session(session).exec())) {
        throw new StoreError('ERR_STORE_DUPLICATE', `duplicate ${this.keyField}`, { key: this.keyField });
      }
      await model.insertOne(this.document(key, record), { session });
    });
  }

  /** Replaces the record under `key`; ERR_STORE_NOT_FOUND when there is none. */
  async update(key: string, record: T): Promise<void> {
    const filter = this.filter(key);
    await this.scope.write(async (session) => {
      const { matchedCount } = await this.model.replaceOne(filter, this.document(key, record)).session(session).exec();
      if (matchedCount === 0) throw new StoreError('ERR_STORE_NOT_FOUND', undefined, { key });
    });
  }

  async get(key: string): Promise<T | null> {
    const filter = this.filter(key);
    return this.scope.read(async (session) => {
      const document = await this.model.findOne(filter, { _id: 0 }).session(session).lean<ConfigurationDocument>().exec();
      return document ? this.record(document) : null;
    });
  }

  /** Ordered by key (binary string order, as SQLite's). */
  async list(): Promise<readonly T[]> {
    return this.scope.read(async (session) => {
      const documents = await this.model
        .find({}, { _id: 0 })
        .sort({ [this.keyField]: 1 })
        .session(session)
        .lean<ConfigurationDocument[]>()
        .exec();
      return documents.map((document) => this.record(document));
    });
  }

  private filter(key: string): ConfigurationDocument {
    return { [this.keyField]: requireString(key, this.keyField) };
  }

  /** The stored document: the record's own fields, its key field set from `key`. */
  private document(key: string, record: T): ConfigurationDocument {
    return { ...(record as ConfigurationDocument), [this.keyField]: key };
  }

  /** The record as it was given: the stored document without `_id` (and `__v`, should a tool have added it). */
  private record(document: ConfigurationDocument): T {
    const record = { ...document };
    delete record._id;
    delete record.__v;
    return record as T;
  }
}

export function mongoDepartments(scope: MongoScope): DepartmentRepository {
  const collection = new MongoDocumentCollection<DepartmentRecord>(scope, scope.models.departments, 'creditCode');
  return {
    insert: (department) => collection.insert(department.creditCode, department),
    update: (department) => collection.update(department.creditCode, department),
    get: (creditCode) => collection.get(creditCode),
    list: () => collection.list(),
  };
}

export function mongoAccounts(scope: MongoScope): AccountRepository {
  const collection = new MongoDocumentCollection<AccountRecord>(scope, scope.models.accounts, 'clientId');
  return {
    insert: (account) => collection.insert(account.clientId, account),
    update: (account) => collection.update(account.clientId, account),
    get: (clientId) => collection.get(clientId),
    list: () => collection.list(),
  };
}
