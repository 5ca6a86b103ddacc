import type { Connection, Model, Mongoose, SchemaOptions } from 'mongoose';
import { ROLES, type Role } from '../../../modules/auth/index.js';
import type { HolderType } from '../../../modules/identity/index.js';
import { LICENSE_STATUSES, type FieldValue, type LicenseStatus } from '../../../modules/licenses/index.js';

/** A license as stored: LicenseRecord with `issuedAt` as a BSON date (so it sorts and indexes as time). */
export interface LicenseDocument {
  identifier: string;
  licenseNumber: string;
  typeCode: string;
  serial: string;
  version: number;
  issuer: { creditCode: string; name: string };
  holder: { type: HolderType; number: string; name: string };
  divisionCode: string;
  issuedAt: Date;
  validFrom: string;
  validUntil: string | null;
  fields: Record<string, FieldValue>;
  templateVersion: string;
  status: LicenseStatus;
  statusReason: string | null;
  statusChangedAt: string | null;
  supersedes: string | null;
  revision: number;
  sha256: string;
  certificateFingerprint: string;
  verificationCode: string;
}

/** A signed PDF, in its own collection so that listing licenses never loads files. */
export interface LicenseFileDocument {
  identifier: string;
  sha256: string;
  /** Stored as BSON binary; read back (lean) as a driver `Binary`. */
  bytes: Buffer;
}

/** Last number handed out by one counter (a license type's serials, or another counter); `_id` is `${scope}|${issuerCreditCode}`. */
export interface SerialCounterDocument {
  _id: string;
  scope: string;
  issuerCreditCode: string;
  last: number;
}

/** A number handed out by a counter whose license is not stored yet; `_id` is `${scope}|${issuerCreditCode}|${value}`. */
export interface SerialReservationDocument {
  _id: string;
  scope: string;
  issuerCreditCode: string;
  value: number;
  reservedAt: string;
}

/** One audit entry. `details` is kept as JSON text, exactly what the SQLite store keeps. */
export interface AuditEntryDocument {
  seq: number;
  at: string;
  /** address and requestId only when the entry was written for a request. */
  actor: { id: string; role: string; address?: string | null; requestId?: string | null };
  action: string;
  target: string | null;
  details: string;
  prevHash: string;
  hash: string;
  /** The hash before a re-key (ADR 0010); absent on entries never re-chained. */
  legacyHash?: string;
  /** `details.holderFingerprint`, outside the JSON text so that it can be indexed; absent on entries about no holder. */
  holderFingerprint?: string;
}

/** Anonymous verifications of one license on one day (China time); `_id` is `${identifier}|${day}`. */
export interface VerificationCountDocument {
  _id: string;
  identifier: string;
  day: string;
  count: number;
}

/** The single `{ _id: 'head' }` document: seq and hash of the newest audit entry. */
export interface AuditHeadDocument {
  _id: string;
  seq: number;
  hash: string;
}

/** An annotated copy as stored: CopyRecord, flat. */
export interface CopyDocument {
  copyId: string;
  verificationCode: string;
  originalIdentifier: string;
  originalSha256: string;
  sha256: string;
  office: { name: string; creditCode: string | null };
  serviceItem: string;
  purpose: string;
  validUntil: string;
  createdAt: string;
  madeBy: { id: string; role: string };
}

export interface IdempotencyDocument {
  scope: string;
  key: string;
  requestHash: string;
  resultRef: string;
  createdAt: string;
}

/** A holder's session: HolderSessionRecord with `expiresAt` as a BSON date, so that a TTL index removes it once expired. */
export interface HolderSessionDocument {
  tokenHash: string;
  holderType: HolderType;
  holderNumber: string;
  name: string | null;
  createdAt: string;
  expiresAt: Date;
}

/** A staff console session: StaffSessionRecord with `lastSeenAt` and `expiresAt` as BSON dates (a TTL index removes it once it has ended in all). */
export interface StaffSessionDocument {
  tokenHash: string;
  username: string;
  role: Role;
  department: string | null;
  tokenVersion: number;
  createdAt: string;
  lastSeenAt: Date;
  expiresAt: Date;
}

/** Failed staff sign-ins under one user name (as typed) since `windowStart`. */
export interface SignInFailureDocument {
  nameKey: string;
  count: number;
  windowStart: Date;
}

/** A share link: ShareRecord with `expiresAt` as a BSON date (compared as time). */
export interface ShareDocument {
  shareId: string;
  tokenHash: string;
  holderType: HolderType;
  holderNumber: string;
  licenses: string[];
  recipient: string;
  purpose: string;
  createdAt: string;
  expiresAt: Date;
  oneTime: boolean;
  openCount: number;
  firstOpenedAt: string | null;
  revokedAt: string | null;
}

/** A holder's authorization (授权用证); `_id` is its id. `usesLeft` mirrors usesAllowed − usesMade, so that taking a use is one plain conditional update. */
export interface AuthorizationDocument {
  _id: string;
  codeHash: string;
  codeHint: string;
  holder: { type: HolderType; number: string };
  licenses: string[];
  licenseTypes: string[];
  office: string | null;
  officeName: string | null;
  serviceItem: string;
  purpose: string;
  createdAt: string;
  expiresAt: string;
  usesAllowed: number;
  usesMade: number;
  usesLeft: number;
  redeemedBy: string[];
  withdrawnAt: string | null;
}

/** A configuration record (department, account) stored whole, as its own document. */
export type ConfigurationDocument = Record<string, unknown>;

/** `{ _id: 'schema', version }`: which layout of collections and indexes this database has. */
export interface MetaDocument {
  _id: string;
  version: number;
}

export interface MongoModels {
  readonly licenses: Model<LicenseDocument>;
  readonly licenseFiles: Model<LicenseFileDocument>;
  readonly serialCounters: Model<SerialCounterDocument>;
  readonly serialReservations: Model<SerialReservationDocument>;
  readonly auditLog: Model<AuditEntryDocument>;
  readonly auditHead: Model<AuditHeadDocument>;
  readonly verificationCounts: Model<VerificationCountDocument>;
  readonly idempotencyKeys: Model<IdempotencyDocument>;
  readonly departments: Model<ConfigurationDocument>;
  readonly accounts: Model<ConfigurationDocument>;
  readonly holderSessions: Model<HolderSessionDocument>;
  readonly staffSessions: Model<StaffSessionDocument>;
  readonly staffSignInFailures: Model<SignInFailureDocument>;
  readonly shares: Model<ShareDocument>;
  readonly meta: Model<MetaDocument>;
  readonly authorizations: Model<AuthorizationDocument>;
  readonly copies: Model<CopyDocument>;
}

/**
 * Options shared by every schema. Writes of unknown paths and filters on
 * unknown paths throw instead of being silently dropped; no `__v`, no `id`
 * virtual; empty objects (`fields: {}`) are kept; indexes and collections
 * are only created explicitly, by {@link prepareCollections}.
 */
const STRICT = {
  strict: 'throw',
  strictQuery: 'throw',
  versionKey: false,
  id: false,
  minimize: false,
  autoIndex: false,
  autoCreate: false,
  bufferCommands: false,
} as const satisfies SchemaOptions;

/** Configuration records are stored whole: only the key is declared, other fields are kept as given. */
const WHOLE_DOCUMENT = { ...STRICT, strict: false } as const satisfies SchemaOptions;

const nullableString = { type: String, default: null } as const;

/** Compiles the vault's models on `connection`, with schemas of the dedicated Mongoose instance `odm`. */
export function defineModels(odm: Mongoose, connection: Connection): MongoModels {
  const { Schema } = odm;

  const license = new Schema<LicenseDocument>(
    {
      identifier: String,
      licenseNumber: String,
      typeCode: String,
      serial: String,
      version: { type: Number, required: true },
      issuer: { creditCode: String, name: String },
      // `type` inside a nested object must itself be written as `{ type: String }`.
      holder: { type: { type: String, enum: ['citizen', 'organization'] }, number: String, name: String },
      divisionCode: String,
      issuedAt: { type: Date, required: true },
      validFrom: String,
      validUntil: nullableString,
      fields: { type: odm.Schema.Types.Mixed, default: () => ({}) },
      templateVersion: String,
      status: { type: String, enum: [...LICENSE_STATUSES], required: true },
      statusReason: nullableString,
      statusChangedAt: nullableString,
      supersedes: nullableString,
      revision: { type: Number, required: true },
      sha256: String,
      certificateFingerprint: String,
      verificationCode: String,
    },
    { ...STRICT, collection: 'licenses' },
  );
  license.index({ identifier: 1 }, { unique: true });
  license.index({ sha256: 1 }, { unique: true });
  license.index({ 'issuer.creditCode': 1, licenseNumber: 1 }, { unique: true });
  license.index({ licenseNumber: 1 });
  license.index({ typeCode: 1, 'issuer.creditCode': 1, serial: 1, version: 1 }, { unique: true });
  license.index({ 'holder.type': 1, 'holder.number': 1, status: 1, issuedAt: -1 });
  license.index({ 'holder.type': 1, 'holder.number': 1, issuedAt: -1, identifier: -1 });

  const licenseFile = new Schema<LicenseFileDocument>(
    {
      identifier: String,
      sha256: String,
      bytes: Buffer,
    },
    { ...STRICT, collection: 'license_files' },
  );
  licenseFile.index({ identifier: 1 }, { unique: true });

  const serialCounter = new Schema<SerialCounterDocument>(
    {
      _id: String,
      scope: String,
      issuerCreditCode: String,
      last: { type: Number, required: true },
    },
    { ...STRICT, collection: 'serial_counters' },
  );

  const serialReservation = new Schema<SerialReservationDocument>(
    {
      _id: String,
      scope: String,
      issuerCreditCode: String,
      value: { type: Number, required: true },
      reservedAt: String,
    },
    { ...STRICT, collection: 'serial_reservations' },
  );

  const auditEntry = new Schema<AuditEntryDocument>(
    {
      seq: { type: Number, required: true },
      at: String,
      actor: { id: String, role: String, address: String, requestId: String },
      action: String,
      target: nullableString,
      details: String,
      prevHash: String,
      hash: String,
      legacyHash: { type: String, required: false },
      holderFingerprint: { type: String, required: false },
    },
    { ...STRICT, collection: 'audit_log' },
  );
  auditEntry.index({ seq: 1 }, { unique: true });
  auditEntry.index({ hash: 1 }, { unique: true });
  auditEntry.index({ holderFingerprint: 1, seq: -1 }, { name: 'audit_log_by_holder', partialFilterExpression: { holderFingerprint: { $exists: true } } });

  const verificationCount = new Schema<VerificationCountDocument>(
    {
      _id: String,
      identifier: String,
      day: String,
      count: { type: Number, required: true },
    },
    { ...STRICT, collection: 'verification_counts' },
  );
  verificationCount.index({ identifier: 1, day: 1 }, { unique: true });

  const auditHead = new Schema<AuditHeadDocument>(
    {
      _id: String,
      seq: { type: Number, required: true },
      hash: String,
    },
    { ...STRICT, collection: 'audit_head' },
  );

  const idempotency = new Schema<IdempotencyDocument>(
    {
      scope: String,
      key: String,
      requestHash: String,
      resultRef: String,
      createdAt: String,
    },
    { ...STRICT, collection: 'idempotency_keys' },
  );
  idempotency.index({ scope: 1, key: 1 }, { unique: true });

  const department = new Schema<ConfigurationDocument>({ creditCode: String }, { ...WHOLE_DOCUMENT, collection: 'departments' });
  department.index({ creditCode: 1 }, { unique: true });
  const account = new Schema<ConfigurationDocument>({ clientId: String }, { ...WHOLE_DOCUMENT, collection: 'accounts' });
  account.index({ clientId: 1 }, { unique: true });

  const holderSession = new Schema<HolderSessionDocument>(
    {
      tokenHash: String,
      holderType: { type: String, enum: ['citizen', 'organization'], required: true },
      holderNumber: String,
      name: nullableString,
      createdAt: String,
      expiresAt: { type: Date, required: true },
    },
    { ...STRICT, collection: 'holder_sessions' },
  );
  holderSession.index({ tokenHash: 1 }, { unique: true });
  // MongoDB's TTL monitor deletes expired sessions (about once a minute); reads check expiry themselves.
  holderSession.index({ expiresAt: 1 }, { expireAfterSeconds: 0 });

  const staffSession = new Schema<StaffSessionDocument>(
    {
      tokenHash: String,
      username: String,
      role: { type: String, enum: [...ROLES], required: true },
      department: nullableString,
      tokenVersion: { type: Number, required: true },
      createdAt: String,
      lastSeenAt: { type: Date, required: true },
      expiresAt: { type: Date, required: true },
    },
    { ...STRICT, collection: 'staff_sessions' },
  );
  staffSession.index({ tokenHash: 1 }, { unique: true });
  staffSession.index({ username: 1 });
  staffSession.index({ lastSeenAt: 1 });
  // Sessions past their absolute end are removed by MongoDB's TTL monitor; idle ones by the sweep. Reads check both themselves.
  staffSession.index({ expiresAt: 1 }, { expireAfterSeconds: 0 });

  const signInFailure = new Schema<SignInFailureDocument>(
    {
      nameKey: String,
      count: { type: Number, required: true },
      windowStart: { type: Date, required: true },
    },
    { ...STRICT, collection: 'staff_sign_in_failures' },
  );
  signInFailure.index({ nameKey: 1 }, { unique: true });
  signInFailure.index({ windowStart: 1 });

  const share = new Schema<ShareDocument>(
    {
      shareId: String,
      tokenHash: String,
      holderType: { type: String, enum: ['citizen', 'organization'], required: true },
      holderNumber: String,
      licenses: { type: [String], default: undefined },
      recipient: String,
      purpose: String,
      createdAt: String,
      expiresAt: { type: Date, required: true },
      oneTime: { type: Boolean, required: true },
      openCount: { type: Number, required: true },
      firstOpenedAt: nullableString,
      revokedAt: nullableString,
    },
    { ...STRICT, collection: 'shares' },
  );
  share.index({ shareId: 1 }, { unique: true });
  share.index({ tokenHash: 1 }, { unique: true });
  share.index({ holderType: 1, holderNumber: 1, createdAt: -1, shareId: -1 });

  const authorization = new Schema<AuthorizationDocument>(
    {
      _id: String,
      codeHash: String,
      codeHint: String,
      holder: { type: { type: String, enum: ['citizen', 'organization'] }, number: String },
      licenses: [String],
      licenseTypes: [String],
      office: nullableString,
      officeName: nullableString,
      serviceItem: String,
      purpose: String,
      createdAt: String,
      expiresAt: String,
      usesAllowed: { type: Number, required: true },
      usesMade: { type: Number, required: true },
      usesLeft: { type: Number, required: true },
      redeemedBy: [String],
      withdrawnAt: nullableString,
    },
    { ...STRICT, collection: 'authorizations' },
  );
  authorization.index({ codeHash: 1 }, { unique: true });
  authorization.index({ 'holder.type': 1, 'holder.number': 1, expiresAt: 1 });
  const copy = new Schema<CopyDocument>(
    {
      copyId: String,
      verificationCode: String,
      originalIdentifier: String,
      originalSha256: String,
      sha256: String,
      office: { name: String, creditCode: { type: String, default: null } },
      serviceItem: String,
      purpose: String,
      validUntil: String,
      createdAt: String,
      madeBy: { id: String, role: String },
    },
    { ...STRICT, collection: 'copies' },
  );
  copy.index({ copyId: 1 }, { unique: true });
  copy.index({ sha256: 1 }, { unique: true });
  copy.index({ originalIdentifier: 1, createdAt: 1 });

  const meta = new Schema<MetaDocument>({ _id: String, version: { type: Number, required: true } }, { ...STRICT, collection: 'vault_meta' });

  return {
    licenses: connection.model<LicenseDocument>('License', license, 'licenses'),
    licenseFiles: connection.model<LicenseFileDocument>('LicenseFile', licenseFile, 'license_files'),
    serialCounters: connection.model<SerialCounterDocument>('SerialCounter', serialCounter, 'serial_counters'),
    serialReservations: connection.model<SerialReservationDocument>('SerialReservation', serialReservation, 'serial_reservations'),
    auditLog: connection.model<AuditEntryDocument>('AuditEntry', auditEntry, 'audit_log'),
    auditHead: connection.model<AuditHeadDocument>('AuditHead', auditHead, 'audit_head'),
    verificationCounts: connection.model<VerificationCountDocument>('VerificationCount', verificationCount, 'verification_counts'),
    idempotencyKeys: connection.model<IdempotencyDocument>('IdempotencyKey', idempotency, 'idempotency_keys'),
    departments: connection.model<ConfigurationDocument>('Department', department, 'departments'),
    accounts: connection.model<ConfigurationDocument>('Account', account, 'accounts'),
    holderSessions: connection.model<HolderSessionDocument>('HolderSession', holderSession, 'holder_sessions'),
    staffSessions: connection.model<StaffSessionDocument>('StaffSession', staffSession, 'staff_sessions'),
    staffSignInFailures: connection.model<SignInFailureDocument>('StaffSignInFailure', signInFailure, 'staff_sign_in_failures'),
    shares: connection.model<ShareDocument>('Share', share, 'shares'),
    meta: connection.model<MetaDocument>('VaultMeta', meta, 'vault_meta'),
    authorizations: connection.model<AuthorizationDocument>('Authorization', authorization, 'authorizations'),
    copies: connection.model<CopyDocument>('Copy', copy, 'copies'),
  };
}

/**
 * Creates every collection (a transaction may not be the first to touch
 * one) and builds the schemas' indexes, so both exist before the first
 * query. Existing collections and identical indexes are left alone; an
 * index that exists with different options fails the open loudly rather
 * than being dropped (we never call `syncIndexes`, which drops indexes).
 */
export async function prepareCollections(models: MongoModels): Promise<void> {
  for (const model of Object.values(models) as Model<unknown>[]) {
    await model.createCollection();
    await model.createIndexes();
  }
}
