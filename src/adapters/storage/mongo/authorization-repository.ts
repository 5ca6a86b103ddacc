import mongoose from 'mongoose';
import type { AuthorizationRecord, AuthorizationRepository } from '../../../modules/authorizations/index.js';
import type { HolderNumber } from '../../../modules/identity/index.js';
import { StoreError } from '../../../shared/errors.js';
import type { AuthorizationDocument } from './models.js';
import type { MongoScope } from './scope.js';
import { requireInteger, requireString } from './values.js';

/** Operators we write ourselves are marked trusted, so that `sanitizeFilter` leaves them as operators. */
const { trusted } = mongoose;

function toDocument(record: AuthorizationRecord): AuthorizationDocument {
  return {
    _id: requireString(record.id, 'id'),
    codeHash: requireString(record.codeHash, 'codeHash'),
    codeHint: record.codeHint,
    holder: { type: record.holder.type, number: requireString(record.holder.value, 'holder') },
    licenses: [...record.licenses],
    licenseTypes: [...record.licenseTypes],
    office: record.office,
    officeName: record.officeName,
    serviceItem: record.serviceItem,
    purpose: record.purpose,
    createdAt: requireString(record.createdAt, 'createdAt'),
    expiresAt: requireString(record.expiresAt, 'expiresAt'),
    usesAllowed: requireInteger(record.usesAllowed, 'usesAllowed'),
    usesMade: requireInteger(record.usesMade, 'usesMade'),
    usesLeft: record.usesAllowed - record.usesMade,
    redeemedBy: [...record.redeemedBy],
    withdrawnAt: record.withdrawnAt,
  };
}

/** The port's record field by field: nothing of the storage shape (`_id`, `usesLeft`) leaks out. */
function fromDocument(document: AuthorizationDocument): AuthorizationRecord {
  return {
    id: document._id,
    codeHash: document.codeHash,
    codeHint: document.codeHint,
    holder: { type: document.holder.type, value: document.holder.number },
    licenses: [...document.licenses],
    licenseTypes: [...document.licenseTypes],
    office: document.office ?? null,
    officeName: document.officeName ?? null,
    serviceItem: document.serviceItem,
    purpose: document.purpose,
    createdAt: document.createdAt,
    expiresAt: document.expiresAt,
    usesAllowed: document.usesAllowed,
    usesMade: document.usesMade,
    redeemedBy: [...document.redeemedBy],
    withdrawnAt: document.withdrawnAt ?? null,
  };
}

export class MongoAuthorizationRepository implements AuthorizationRepository {
  constructor(private readonly scope: MongoScope) {}

  private get model() {
    return this.scope.models.authorizations;
  }

  async insert(record: AuthorizationRecord): Promise<void> {
    const document = toDocument(record);
    await this.scope.write(async (session) => {
      if (this.scope.inTransaction) {
        // A refused write would abort the whole transaction: report a taken key from a read instead.
        if (await this.model.exists({ _id: document._id }).session(session).exec()) throw new StoreError('ERR_STORE_DUPLICATE', 'duplicate id', { key: 'id' });
        if (await this.model.exists({ codeHash: document.codeHash }).session(session).exec())
          throw new StoreError('ERR_STORE_DUPLICATE', 'duplicate codeHash', { key: 'codeHash' });
      }
      await this.model.insertOne(document, { session });
    });
  }

  async get(id: string): Promise<AuthorizationRecord | null> {
    return this.findOne({ _id: requireString(id, 'id') });
  }

  async findByCodeHash(codeHash: string): Promise<AuthorizationRecord | null> {
    return this.findOne({ codeHash: requireString(codeHash, 'codeHash') });
  }

  async listByHolder(holder: HolderNumber, expiringAfter: string, limit: number): Promise<readonly AuthorizationRecord[]> {
    const filter = {
      'holder.type': requireString(holder.type, 'holderType') as HolderNumber['type'],
      'holder.number': requireString(holder.value, 'holderNumber'),
      expiresAt: trusted({ $gt: requireString(expiringAfter, 'expiringAfter') }),
    };
    return this.scope.read(async (session) => {
      const documents = await this.model
        .find(filter)
        .sort({ createdAt: -1, _id: -1 })
        .limit(requireInteger(limit, 'limit'))
        .session(session)
        .lean<AuthorizationDocument[]>()
        .exec();
      return documents.map(fromDocument);
    });
  }

  /** One conditional update on one document: the server applies concurrent ones one after another, and only those that still match take a use. */
  async redeemOnce(id: string, clientId: string, at: string): Promise<AuthorizationRecord | null> {
    const filter = { _id: requireString(id, 'id'), withdrawnAt: null, expiresAt: trusted({ $gt: requireString(at, 'at') }), usesLeft: trusted({ $gt: 0 }) };
    const update = { $inc: { usesMade: 1, usesLeft: -1 }, $push: { redeemedBy: requireString(clientId, 'clientId') } };
    return this.scope.write(async (session) => {
      const updated = await this.model.findOneAndUpdate(filter, update, { returnDocument: 'after' }).session(session).lean<AuthorizationDocument>().exec();
      return updated ? fromDocument(updated) : null;
    });
  }

  async withdraw(id: string, at: string): Promise<AuthorizationRecord | null> {
    const key = requireString(id, 'id');
    const when = requireString(at, 'at');
    return this.scope.write(async (session) => {
      await this.model
        .updateOne({ _id: key, withdrawnAt: null }, { $set: { withdrawnAt: when } })
        .session(session)
        .exec();
      const document = await this.model.findOne({ _id: key }).session(session).lean<AuthorizationDocument>().exec();
      return document ? fromDocument(document) : null;
    });
  }

  private findOne(filter: Record<string, unknown>): Promise<AuthorizationRecord | null> {
    return this.scope.read(async (session) => {
      const document = await this.model.findOne(filter).session(session).lean<AuthorizationDocument>().exec();
      return document ? fromDocument(document) : null;
    });
  }
}
