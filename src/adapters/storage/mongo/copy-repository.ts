import type { ClientSession } from 'mongoose';
import type { CopyRecord, CopyRepository } from '../../../modules/copies/index.js';
import { StoreError } from '../../../shared/errors.js';
import type { CopyDocument } from './models.js';
import type { MongoScope } from './scope.js';
import { requireString } from './values.js';

const PROJECTION = { _id: 0, __v: 0 } as const;

function toDocument(record: CopyRecord): CopyDocument {
  return {
    copyId: record.copyId,
    verificationCode: record.verificationCode,
    originalIdentifier: record.originalIdentifier,
    originalSha256: record.originalSha256,
    sha256: record.sha256,
    office: { name: record.office.name, creditCode: record.office.creditCode },
    serviceItem: record.serviceItem,
    purpose: record.purpose,
    validUntil: record.validUntil,
    createdAt: record.createdAt,
    madeBy: { id: record.madeBy.id, role: record.madeBy.role },
  };
}

function fromDocument(document: CopyDocument): CopyRecord {
  return {
    copyId: document.copyId,
    verificationCode: document.verificationCode,
    originalIdentifier: document.originalIdentifier,
    originalSha256: document.originalSha256,
    sha256: document.sha256,
    office: { name: document.office.name, creditCode: document.office.creditCode ?? null },
    serviceItem: document.serviceItem,
    purpose: document.purpose,
    validUntil: document.validUntil,
    createdAt: document.createdAt,
    madeBy: { id: document.madeBy.id, role: document.madeBy.role },
  };
}

export class MongoCopyRepository implements CopyRepository {
  constructor(private readonly scope: MongoScope) {}

  private get model() {
    return this.scope.models.copies;
  }

  async insert(record: CopyRecord): Promise<void> {
    const document = toDocument(record);
    await this.scope.write(async (session) => {
      // Inside a transaction a duplicate key aborts it: refuse first, as the SQLite store does, naming the key.
      if (this.scope.inTransaction) await this.refuseTakenKeys(document, session);
      await this.model.insertOne(document, { session });
    });
  }

  async findById(copyId: string): Promise<CopyRecord | null> {
    return this.findOne({ copyId: requireString(copyId, 'copyId') });
  }

  async findBySha256(sha256: string): Promise<CopyRecord | null> {
    return this.findOne({ sha256: requireString(sha256, 'sha256') });
  }

  private async findOne(filter: Partial<Record<'copyId' | 'sha256', string>>): Promise<CopyRecord | null> {
    return this.scope.read(async (session) => {
      const document = await this.model.findOne(filter, PROJECTION).session(session).lean<CopyDocument>().exec();
      return document ? fromDocument(document) : null;
    });
  }

  private async refuseTakenKeys(document: CopyDocument, session: ClientSession | null): Promise<void> {
    const clashing = await this.model
      .find({ $or: [{ copyId: document.copyId }, { sha256: document.sha256 }] }, PROJECTION)
      .limit(2)
      .session(session)
      .lean<CopyDocument[]>()
      .exec();
    const key = clashing.some((taken) => taken.copyId === document.copyId) ? 'copyId' : clashing.length > 0 ? 'sha256' : null;
    if (key) throw new StoreError('ERR_STORE_DUPLICATE', `duplicate ${key}`, { key });
  }
}
