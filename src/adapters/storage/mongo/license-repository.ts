import mongoose, { type ClientSession, type QueryFilter } from 'mongoose';
import {
  decodeCursor,
  encodeCursor,
  requireDistinctCounters,
  type CounterKey,
  type CounterValue,
  type HolderQuery,
  type LicensePage,
  type LicenseRecord,
  type LicenseRepository,
  type LicenseStatus,
  type SerialLedger,
  type SkippedSerials,
  type StatusChange,
} from '../../../modules/licenses/index.js';
import type { HolderType } from '../../../modules/identity/index.js';
import { NotFoundError, StoreError } from '../../../shared/errors.js';
import { upsertRacing } from './errors.js';
import type { LicenseDocument, SerialCounterDocument, SerialReservationDocument } from './models.js';
import type { MongoScope } from './scope.js';
import { instantToDate, requireInteger, requireString } from './values.js';

/** Operators we write ourselves are marked trusted, so that `sanitizeFilter` leaves them as operators. */
const { trusted } = mongoose;

/** Every stored field but `_id`. */
const PROJECTION = { _id: 0 } as const;

function toDocument(record: LicenseRecord): LicenseDocument {
  return {
    identifier: record.identifier,
    licenseNumber: record.licenseNumber,
    typeCode: record.typeCode,
    serial: record.serial,
    version: record.version,
    issuer: { creditCode: record.issuer.creditCode, name: record.issuer.name },
    holder: { type: record.holder.type, number: record.holder.number, name: record.holder.name },
    divisionCode: record.divisionCode,
    issuedAt: instantToDate(record.issuedAt, 'issuedAt'),
    validFrom: record.validFrom,
    validUntil: record.validUntil,
    fields: { ...record.fields },
    templateVersion: record.templateVersion,
    status: record.status,
    statusReason: record.statusReason,
    statusChangedAt: record.statusChangedAt,
    supersedes: record.supersedes,
    revision: record.revision,
    sha256: record.sha256,
    certificateFingerprint: record.certificateFingerprint,
    verificationCode: record.verificationCode,
  };
}

/** Builds the port's record field by field, so nothing of the storage shape (`_id`, Date) leaks out. */
function fromDocument(document: LicenseDocument): LicenseRecord {
  return {
    identifier: document.identifier,
    licenseNumber: document.licenseNumber,
    typeCode: document.typeCode,
    serial: document.serial,
    version: document.version,
    issuer: { creditCode: document.issuer.creditCode, name: document.issuer.name },
    holder: { type: document.holder.type, number: document.holder.number, name: document.holder.name },
    divisionCode: document.divisionCode,
    issuedAt: document.issuedAt.toISOString(),
    validFrom: document.validFrom,
    validUntil: document.validUntil ?? null,
    fields: { ...document.fields },
    templateVersion: document.templateVersion,
    status: document.status,
    statusReason: document.statusReason ?? null,
    statusChangedAt: document.statusChangedAt ?? null,
    supersedes: document.supersedes ?? null,
    revision: document.revision,
    sha256: document.sha256,
    certificateFingerprint: document.certificateFingerprint,
    verificationCode: document.verificationCode,
  };
}

/** The unique keys of a license, in the order a clash is reported (the SQLite store's order). */
const UNIQUE_KEYS: readonly { readonly key: string; readonly clashes: (a: LicenseDocument, b: LicenseDocument) => boolean }[] = [
  { key: 'identifier', clashes: (a, b) => a.identifier === b.identifier },
  { key: 'sha256', clashes: (a, b) => a.sha256 === b.sha256 },
  { key: 'licenseNumber', clashes: (a, b) => a.issuer.creditCode === b.issuer.creditCode && a.licenseNumber === b.licenseNumber },
  {
    key: 'serial',
    clashes: (a, b) => a.typeCode === b.typeCode && a.issuer.creditCode === b.issuer.creditCode && a.serial === b.serial && a.version === b.version,
  },
];

export class MongoLicenseRepository implements LicenseRepository {
  constructor(private readonly scope: MongoScope) {}

  private get model() {
    return this.scope.models.licenses;
  }

  async insert(record: LicenseRecord): Promise<void> {
    const document = toDocument(record);
    await this.scope.write(async (session) => {
      if (this.scope.inTransaction) await this.refuseTakenKeys(document, session);
      await this.model.insertOne(document, { session });
    });
  }

  async findByIdentifier(identifier: string): Promise<LicenseRecord | null> {
    return this.findOne({ identifier: requireString(identifier, 'identifier') });
  }

  async findBySha256(sha256: string): Promise<LicenseRecord | null> {
    return this.findOne({ sha256: requireString(sha256, 'sha256') });
  }

  async findByLicenseNumber(issuerCreditCode: string, licenseNumber: string): Promise<LicenseRecord | null> {
    return this.findOne({
      'issuer.creditCode': requireString(issuerCreditCode, 'issuerCreditCode'),
      licenseNumber: requireString(licenseNumber, 'licenseNumber'),
    });
  }

  async findAllByLicenseNumber(licenseNumber: string): Promise<readonly LicenseRecord[]> {
    const number = requireString(licenseNumber, 'licenseNumber');
    return this.scope.read(async (session) => {
      const documents = await this.model.find({ licenseNumber: number }, PROJECTION).sort({ identifier: 1 }).limit(10).session(session).lean<LicenseDocument[]>().exec();
      return documents.map(fromDocument);
    });
  }

  async listByHolder(query: HolderQuery): Promise<LicensePage> {
    const after = query.cursor === undefined ? null : decodeCursor(query.cursor);
    const limit = Math.max(0, Math.floor(query.limit));
    const statuses = (query.statuses ?? []).map((status) => requireString(status, 'status') as LicenseStatus);
    const filter: QueryFilter<LicenseDocument> = {
      'holder.type': requireString(query.holderType, 'holderType') as HolderType,
      'holder.number': requireString(query.holderNumber, 'holderNumber'),
    };
    if (statuses.length > 0) filter.status = trusted({ $in: statuses });
    if (query.typeCode !== undefined) filter.typeCode = requireString(query.typeCode, 'typeCode');
    if (query.issuerCreditCode !== undefined) filter['issuer.creditCode'] = requireString(query.issuerCreditCode, 'issuerCreditCode');
    if (after) {
      const issuedAt = new Date(after.issuedAt);
      filter.$or = [{ issuedAt: trusted({ $lt: issuedAt }) }, { issuedAt, identifier: trusted({ $lt: after.identifier }) }];
    }
    return this.scope.read(async (session) => {
      const documents = await this.model
        .find(filter, PROJECTION)
        .sort({ issuedAt: -1, identifier: -1 })
        .limit(limit + 1)
        .session(session)
        .lean<LicenseDocument[]>()
        .exec();
      const items = documents.slice(0, limit).map(fromDocument);
      const last = items.at(-1);
      const nextCursor = documents.length > limit && last ? encodeCursor(last) : null;
      return { items, nextCursor };
    });
  }

  async changeStatus(change: StatusChange): Promise<LicenseRecord> {
    const identifier = requireString(change.identifier, 'identifier');
    const expectedRevision = requireInteger(change.expectedRevision, 'expectedRevision');
    return this.scope.write(async (session) => {
      const updated = await this.model
        .findOneAndUpdate(
          { identifier, revision: expectedRevision },
          { $set: { status: change.status, statusReason: change.reason, statusChangedAt: change.at }, $inc: { revision: 1 } },
          { returnDocument: 'after', projection: PROJECTION, runValidators: true },
        )
        .session(session)
        .lean<LicenseDocument>()
        .exec();
      if (updated) return fromDocument(updated);
      const current = await this.model.findOne({ identifier }, { _id: 0, revision: 1 }).session(session).lean<{ revision: number }>().exec();
      if (!current) throw new NotFoundError('ERR_LICENSE_NOT_FOUND');
      throw new StoreError('ERR_STORE_VERSION_CONFLICT', undefined, { expectedRevision, actualRevision: current.revision });
    });
  }

  /** Every counter's increment and every reservation commit together: in the current transaction, else in one transaction of their own. */
  async reserveNumbers(counters: readonly CounterKey[], reservedAt: string): Promise<readonly number[]> {
    const keys = counters.map((counter) => ({ scope: requireString(counter.scope, 'scope'), issuerCreditCode: requireString(counter.issuerCreditCode, 'issuerCreditCode') }));
    requireDistinctCounters(keys);
    const at = requireString(reservedAt, 'reservedAt');
    const { serialCounters, serialReservations } = this.scope.models;
    return this.scope.atomically(async (session) => {
      const values: number[] = [];
      for (const { scope, issuerCreditCode } of keys) {
        const counter = await upsertRacing(true, () =>
          serialCounters
            .findOneAndUpdate({ _id: `${scope}|${issuerCreditCode}` }, { $inc: { last: 1 }, $setOnInsert: { scope, issuerCreditCode } }, { upsert: true, returnDocument: 'after' })
            .session(session)
            .lean<SerialCounterDocument>()
            .exec(),
        );
        if (!counter) throw new Error('serial counter upsert returned no document');
        values.push(counter.last);
      }
      const reservations = keys.map((key, i) => ({ _id: `${key.scope}|${key.issuerCreditCode}|${values[i]!}`, ...key, value: values[i]!, reservedAt: at }));
      await serialReservations.insertMany(reservations, { session });
      return values;
    });
  }

  async settleNumbers(numbers: readonly CounterValue[]): Promise<void> {
    const ids = numbers.map(
      (number) => `${requireString(number.scope, 'scope')}|${requireString(number.issuerCreditCode, 'issuerCreditCode')}|${requireInteger(number.value, 'value')}`,
    );
    await this.scope.write((session) =>
      this.scope.models.serialReservations
        .deleteMany({ _id: trusted({ $in: ids }) })
        .session(session)
        .exec(),
    );
  }

  async raiseCounter(scope: string, issuerCreditCode: string, through: number): Promise<SkippedSerials | null> {
    const counterScope = requireString(scope, 'scope');
    const issuer = requireString(issuerCreditCode, 'issuerCreditCode');
    const target = requireInteger(through, 'through');
    if (target < 1) throw new TypeError('a counter value must be a positive integer');
    const { serialCounters } = this.scope.models;
    return this.scope.atomically(async (session) => {
      const before = await upsertRacing(true, () =>
        serialCounters
          .findOneAndUpdate(
            { _id: `${counterScope}|${issuer}` },
            { $max: { last: target }, $setOnInsert: { scope: counterScope, issuerCreditCode: issuer } },
            { upsert: true, returnDocument: 'before' },
          )
          .session(session)
          .lean<SerialCounterDocument>()
          .exec(),
      );
      const last = before?.last ?? 0;
      return last >= target ? null : { scope: counterScope, issuerCreditCode: issuer, from: last + 1, through: target };
    });
  }

  serialLedger(): Promise<SerialLedger> {
    const { serialCounters, serialReservations } = this.scope.models;
    return this.scope.read(async (session) => {
      const counters = await serialCounters.find({}).sort({ _id: 1 }).session(session).lean<SerialCounterDocument[]>().exec();
      const reservations = await serialReservations.find({}).sort({ scope: 1, issuerCreditCode: 1, value: 1 }).session(session).lean<SerialReservationDocument[]>().exec();
      return {
        counters: counters.map((counter) => ({ scope: counter.scope, issuerCreditCode: counter.issuerCreditCode, last: counter.last })),
        reservations: reservations.map((reservation) => ({
          scope: reservation.scope,
          issuerCreditCode: reservation.issuerCreditCode,
          value: reservation.value,
          reservedAt: reservation.reservedAt,
        })),
      };
    });
  }

  scan(afterIdentifier: string | null, limit: number): Promise<readonly LicenseRecord[]> {
    const after = afterIdentifier === null ? '' : requireString(afterIdentifier, 'afterIdentifier');
    const size = requireInteger(limit, 'limit');
    return this.scope.read(async (session) => {
      const documents = await this.model
        .find({ identifier: trusted({ $gt: after }) }, PROJECTION)
        .sort({ identifier: 1 })
        .limit(size)
        .session(session)
        .lean<LicenseDocument[]>()
        .exec();
      return documents.map(fromDocument);
    });
  }

  async count(): Promise<number> {
    return this.scope.read((session) => this.model.countDocuments({}).session(session).exec());
  }

  private findOne(filter: QueryFilter<LicenseDocument>): Promise<LicenseRecord | null> {
    return this.scope.read(async (session) => {
      const document = await this.model.findOne(filter, PROJECTION).session(session).lean<LicenseDocument>().exec();
      return document ? fromDocument(document) : null;
    });
  }

  /** Inside a transaction: ERR_STORE_DUPLICATE for a unique key already taken, found by reading rather than by a failing write. */
  private async refuseTakenKeys(document: LicenseDocument, session: ClientSession | null): Promise<void> {
    const issuer = document.issuer.creditCode;
    const clashing = await this.model
      .find(
        {
          $or: [
            { identifier: document.identifier },
            { sha256: document.sha256 },
            { 'issuer.creditCode': issuer, licenseNumber: document.licenseNumber },
            { typeCode: document.typeCode, 'issuer.creditCode': issuer, serial: document.serial, version: document.version },
          ],
        },
        PROJECTION,
      )
      .limit(UNIQUE_KEYS.length)
      .session(session)
      .lean<LicenseDocument[]>()
      .exec();
    for (const { key, clashes } of UNIQUE_KEYS) {
      if (clashing.some((other) => clashes(other, document))) throw new StoreError('ERR_STORE_DUPLICATE', `duplicate ${key}`, { key });
    }
  }
}
