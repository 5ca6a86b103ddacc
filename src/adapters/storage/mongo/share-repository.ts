import mongoose from 'mongoose';
import type { HolderType } from '../../../modules/identity/index.js';
import type { ShareRecord, ShareRepository } from '../../../modules/shares/index.js';
import { StoreError } from '../../../shared/errors.js';
import type { ShareDocument } from './models.js';
import type { MongoScope } from './scope.js';
import { instantToDate, requireInteger, requireString } from './values.js';

/** Operators we write ourselves are marked trusted, so that `sanitizeFilter` leaves them as operators. */
const { trusted } = mongoose;

const PROJECTION = { _id: 0 } as const;

function fromDocument(document: ShareDocument): ShareRecord {
  return {
    id: document.shareId,
    tokenHash: document.tokenHash,
    holderType: document.holderType,
    holderNumber: document.holderNumber,
    licenses: [...document.licenses],
    recipient: document.recipient,
    purpose: document.purpose,
    createdAt: document.createdAt,
    expiresAt: document.expiresAt.toISOString(),
    oneTime: document.oneTime,
    openCount: document.openCount,
    firstOpenedAt: document.firstOpenedAt,
    revokedAt: document.revokedAt,
  };
}

export class MongoShareRepository implements ShareRepository {
  constructor(private readonly scope: MongoScope) {}

  private get model() {
    return this.scope.models.shares;
  }

  async insert(share: ShareRecord): Promise<void> {
    const document: ShareDocument = {
      shareId: requireString(share.id, 'id'),
      tokenHash: requireString(share.tokenHash, 'tokenHash'),
      holderType: share.holderType,
      holderNumber: requireString(share.holderNumber, 'holderNumber'),
      licenses: share.licenses.map((identifier) => requireString(identifier, 'licenses')),
      recipient: requireString(share.recipient, 'recipient'),
      purpose: requireString(share.purpose, 'purpose'),
      createdAt: requireString(share.createdAt, 'createdAt'),
      expiresAt: instantToDate(share.expiresAt, 'expiresAt'),
      oneTime: share.oneTime,
      openCount: requireInteger(share.openCount, 'openCount'),
      firstOpenedAt: share.firstOpenedAt,
      revokedAt: share.revokedAt,
    };
    await this.scope.write(async (session) => {
      if (this.scope.inTransaction) {
        // A failed insert would abort the whole transaction: look for a taken key first.
        if (await this.model.exists({ shareId: document.shareId }).session(session).exec()) throw new StoreError('ERR_STORE_DUPLICATE', 'duplicate id', { key: 'id' });
        if (await this.model.exists({ tokenHash: document.tokenHash }).session(session).exec()) {
          throw new StoreError('ERR_STORE_DUPLICATE', 'duplicate tokenHash', { key: 'tokenHash' });
        }
      }
      await this.model.insertOne(document, { session });
    });
  }

  async findById(id: string): Promise<ShareRecord | null> {
    const filter = { shareId: requireString(id, 'id') };
    return this.scope.read(async (session) => {
      const found = await this.model.findOne(filter, PROJECTION).session(session).lean<ShareDocument>().exec();
      return found ? fromDocument(found) : null;
    });
  }

  async findByTokenHash(tokenHash: string): Promise<ShareRecord | null> {
    const filter = { tokenHash: requireString(tokenHash, 'tokenHash') };
    return this.scope.read(async (session) => {
      const found = await this.model.findOne(filter, PROJECTION).session(session).lean<ShareDocument>().exec();
      return found ? fromDocument(found) : null;
    });
  }

  async listByHolder(holderType: HolderType, holderNumber: string, expiringAfter: string, limit: number): Promise<readonly ShareRecord[]> {
    const filter = {
      holderType: requireString(holderType, 'holderType') as HolderType,
      holderNumber: requireString(holderNumber, 'holderNumber'),
      expiresAt: trusted({ $gt: instantToDate(expiringAfter, 'expiringAfter') }),
    };
    const count = requireInteger(limit, 'limit');
    return this.scope.read(async (session) => {
      const found = await this.model.find(filter, PROJECTION).sort({ createdAt: -1, shareId: -1 }).limit(count).session(session).lean<ShareDocument[]>().exec();
      return found.map(fromDocument);
    });
  }

  async revoke(id: string, at: string): Promise<ShareRecord | null> {
    const shareId = requireString(id, 'id');
    const revokedAt = requireString(at, 'at');
    return this.scope.atomically(async (session) => {
      await this.model.updateOne({ shareId, revokedAt: null }, { $set: { revokedAt } }).session(session).exec();
      const found = await this.model.findOne({ shareId }, PROJECTION).session(session).lean<ShareDocument>().exec();
      return found ? fromDocument(found) : null;
    });
  }

  /** The conditional increment is one document update: of two at once on a one-time share, the server lets exactly one match. */
  async recordOpening(tokenHash: string, at: string): Promise<ShareRecord | null> {
    const hash = requireString(tokenHash, 'tokenHash');
    const openedAt = requireString(at, 'at');
    const when = instantToDate(openedAt, 'at');
    return this.scope.atomically(async (session) => {
      const opened = await this.model
        .findOneAndUpdate(
          { tokenHash: hash, revokedAt: null, expiresAt: trusted({ $gt: when }), $or: [{ oneTime: false }, { openCount: 0 }] },
          { $inc: { openCount: 1 } },
          { returnDocument: 'after', projection: PROJECTION },
        )
        .session(session)
        .lean<ShareDocument>()
        .exec();
      if (!opened) return null;
      if (opened.firstOpenedAt !== null) return fromDocument(opened);
      await this.model
        .updateOne({ tokenHash: hash, firstOpenedAt: null }, { $set: { firstOpenedAt: openedAt } })
        .session(session)
        .exec();
      return fromDocument({ ...opened, firstOpenedAt: openedAt });
    });
  }
}
