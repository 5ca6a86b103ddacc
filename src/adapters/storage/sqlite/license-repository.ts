import type { HolderType } from '../../../modules/identity/index.js';
import {
  decodeCursor,
  encodeCursor,
  requireDistinctCounters,
  type FieldValue,
  type HolderQuery,
  type LicensePage,
  type LicenseRecord,
  type LicenseRepository,
  type LicenseStatus,
  type CounterKey,
  type CounterValue,
  type SerialLedger,
  type SkippedSerials,
  type StatusChange,
} from '../../../modules/licenses/index.js';
import { NotFoundError, StoreError } from '../../../shared/errors.js';
import { requireText, statement, type SqliteConnection } from './connection.js';

interface LicenseRow {
  identifier: string;
  license_number: string;
  type_code: string;
  serial: string;
  version: number;
  issuer_credit_code: string;
  issuer_name: string;
  holder_type: HolderType;
  holder_number: string;
  holder_name: string;
  division_code: string;
  issued_at: string;
  valid_from: string;
  valid_until: string | null;
  fields: string;
  template_version: string;
  status: LicenseStatus;
  status_reason: string | null;
  status_changed_at: string | null;
  supersedes: string | null;
  revision: number;
  sha256: string;
  certificate_fingerprint: string;
  verification_code: string;
}

const COLUMNS = [
  'identifier',
  'license_number',
  'type_code',
  'serial',
  'version',
  'issuer_credit_code',
  'issuer_name',
  'holder_type',
  'holder_number',
  'holder_name',
  'division_code',
  'issued_at',
  'valid_from',
  'valid_until',
  'fields',
  'template_version',
  'status',
  'status_reason',
  'status_changed_at',
  'supersedes',
  'revision',
  'sha256',
  'certificate_fingerprint',
  'verification_code',
] as const satisfies readonly (keyof LicenseRow)[];

const INSERT = `INSERT INTO licenses (${COLUMNS.join(', ')}) VALUES (${COLUMNS.map((c) => `@${c}`).join(', ')})`;
const SELECT = `SELECT ${COLUMNS.join(', ')} FROM licenses`;

function toRow(record: LicenseRecord): LicenseRow {
  return {
    identifier: record.identifier,
    license_number: record.licenseNumber,
    type_code: record.typeCode,
    serial: record.serial,
    version: record.version,
    issuer_credit_code: record.issuer.creditCode,
    issuer_name: record.issuer.name,
    holder_type: record.holder.type,
    holder_number: record.holder.number,
    holder_name: record.holder.name,
    division_code: record.divisionCode,
    issued_at: record.issuedAt,
    valid_from: record.validFrom,
    valid_until: record.validUntil,
    fields: JSON.stringify(record.fields),
    template_version: record.templateVersion,
    status: record.status,
    status_reason: record.statusReason,
    status_changed_at: record.statusChangedAt,
    supersedes: record.supersedes,
    revision: record.revision,
    sha256: record.sha256,
    certificate_fingerprint: record.certificateFingerprint,
    verification_code: record.verificationCode,
  };
}

function fromRow(row: LicenseRow): LicenseRecord {
  return {
    identifier: row.identifier,
    licenseNumber: row.license_number,
    typeCode: row.type_code,
    serial: row.serial,
    version: row.version,
    issuer: { creditCode: row.issuer_credit_code, name: row.issuer_name },
    holder: { type: row.holder_type, number: row.holder_number, name: row.holder_name },
    divisionCode: row.division_code,
    issuedAt: row.issued_at,
    validFrom: row.valid_from,
    validUntil: row.valid_until,
    fields: JSON.parse(row.fields) as Record<string, FieldValue>,
    templateVersion: row.template_version,
    status: row.status,
    statusReason: row.status_reason,
    statusChangedAt: row.status_changed_at,
    supersedes: row.supersedes,
    revision: row.revision,
    sha256: row.sha256,
    certificateFingerprint: row.certificate_fingerprint,
    verificationCode: row.verification_code,
  };
}

export class SqliteLicenseRepository implements LicenseRepository {
  constructor(private readonly connection: SqliteConnection) {}

  async insert(record: LicenseRecord): Promise<void> {
    await this.connection.write((db) => statement(db, INSERT).run(toRow(record)));
  }

  findByIdentifier(identifier: string): Promise<LicenseRecord | null> {
    return this.findOne(`${SELECT} WHERE identifier = ?`, identifier);
  }

  findBySha256(sha256: string): Promise<LicenseRecord | null> {
    return this.findOne(`${SELECT} WHERE sha256 = ?`, sha256);
  }

  findByLicenseNumber(issuerCreditCode: string, licenseNumber: string): Promise<LicenseRecord | null> {
    return this.findOne(`${SELECT} WHERE issuer_credit_code = ? AND license_number = ?`, issuerCreditCode, licenseNumber);
  }

  async findAllByLicenseNumber(licenseNumber: string): Promise<readonly LicenseRecord[]> {
    requireText(licenseNumber);
    return this.connection.read((db) => (statement(db, `${SELECT} WHERE license_number = ? ORDER BY identifier LIMIT 10`).all(licenseNumber) as LicenseRow[]).map(fromRow));
  }

  async listByHolder(query: HolderQuery): Promise<LicensePage> {
    requireText(query.holderType, query.holderNumber, ...(query.statuses ?? []), ...[query.typeCode, query.issuerCreditCode, query.cursor].filter((v) => v !== undefined));
    const after = query.cursor === undefined ? null : decodeCursor(query.cursor);
    const statuses = query.statuses ?? [];
    const where = ['holder_type = ?', 'holder_number = ?'];
    const params: (string | number)[] = [query.holderType, query.holderNumber];
    if (statuses.length > 0) {
      where.push(`status IN (${statuses.map(() => '?').join(', ')})`);
      params.push(...statuses);
    }
    if (query.typeCode !== undefined) {
      where.push('type_code = ?');
      params.push(query.typeCode);
    }
    if (query.issuerCreditCode !== undefined) {
      where.push('issuer_credit_code = ?');
      params.push(query.issuerCreditCode);
    }
    if (after) {
      where.push('(issued_at < ? OR (issued_at = ? AND identifier < ?))');
      params.push(after.issuedAt, after.issuedAt, after.identifier);
    }
    params.push(query.limit + 1);
    const sql = `${SELECT} WHERE ${where.join(' AND ')} ORDER BY issued_at DESC, identifier DESC LIMIT ?`;
    return this.connection.read((db) => {
      const rows = statement(db, sql).all(...params) as LicenseRow[];
      const items = rows.slice(0, query.limit).map(fromRow);
      const last = items.at(-1);
      const nextCursor = rows.length > query.limit && last ? encodeCursor(last) : null;
      return { items, nextCursor };
    });
  }

  changeStatus(change: StatusChange): Promise<LicenseRecord> {
    return this.connection.write((db) => {
      const updated = statement(
        db,
        `UPDATE licenses SET status = ?, status_reason = ?, status_changed_at = ?, revision = revision + 1
         WHERE identifier = ? AND revision = ? RETURNING ${COLUMNS.join(', ')}`,
      ).get(change.status, change.reason, change.at, change.identifier, change.expectedRevision) as LicenseRow | undefined;
      if (updated) return fromRow(updated);
      const exists = statement(db, 'SELECT revision FROM licenses WHERE identifier = ?').get(change.identifier) as { revision: number } | undefined;
      if (!exists) throw new NotFoundError('ERR_LICENSE_NOT_FOUND');
      throw new StoreError('ERR_STORE_VERSION_CONFLICT', undefined, { expectedRevision: change.expectedRevision, actualRevision: exists.revision });
    });
  }

  /** One write, so one group commit: every counter and reservation commits in the same batch, made durable by its one sync. */
  async reserveNumbers(counters: readonly CounterKey[], reservedAt: string): Promise<readonly number[]> {
    requireText(reservedAt, ...counters.flatMap((counter) => [counter.scope, counter.issuerCreditCode]));
    requireDistinctCounters(counters);
    return this.connection.write((db) =>
      counters.map(({ scope, issuerCreditCode }) => {
        const { last } = statement(
          db,
          `INSERT INTO serial_counters (scope, issuer_credit_code, last) VALUES (?, ?, 1)
           ON CONFLICT (scope, issuer_credit_code) DO UPDATE SET last = last + 1 RETURNING last`,
        ).get(scope, issuerCreditCode) as { last: number };
        statement(db, 'INSERT INTO serial_reservations (scope, issuer_credit_code, value, reserved_at) VALUES (?, ?, ?, ?)').run(scope, issuerCreditCode, last, reservedAt);
        return last;
      }),
    );
  }

  async settleNumbers(numbers: readonly CounterValue[]): Promise<void> {
    requireText(...numbers.flatMap((number) => [number.scope, number.issuerCreditCode]));
    await this.connection.write((db) => {
      const settle = statement(db, 'DELETE FROM serial_reservations WHERE scope = ? AND issuer_credit_code = ? AND value = ?');
      for (const { scope, issuerCreditCode, value } of numbers) settle.run(scope, issuerCreditCode, value);
    });
  }

  async raiseCounter(scope: string, issuerCreditCode: string, through: number): Promise<SkippedSerials | null> {
    requireText(scope, issuerCreditCode);
    if (!Number.isSafeInteger(through) || through < 1) throw new TypeError('a counter value must be a positive integer');
    return this.connection.write((db) => {
      const before =
        (statement(db, 'SELECT last FROM serial_counters WHERE scope = ? AND issuer_credit_code = ?').get(scope, issuerCreditCode) as { last: number } | undefined)?.last ?? 0;
      if (before >= through) return null;
      statement(
        db,
        `INSERT INTO serial_counters (scope, issuer_credit_code, last) VALUES (?, ?, ?)
         ON CONFLICT (scope, issuer_credit_code) DO UPDATE SET last = excluded.last`,
      ).run(scope, issuerCreditCode, through);
      return { scope, issuerCreditCode, from: before + 1, through };
    });
  }

  serialLedger(): Promise<SerialLedger> {
    return this.connection.read((db) => ({
      counters: (
        statement(db, 'SELECT scope, issuer_credit_code, last FROM serial_counters ORDER BY scope, issuer_credit_code').all() as {
          scope: string;
          issuer_credit_code: string;
          last: number;
        }[]
      ).map((row) => ({
        scope: row.scope,
        issuerCreditCode: row.issuer_credit_code,
        last: row.last,
      })),
      reservations: (
        statement(db, 'SELECT scope, issuer_credit_code, value, reserved_at FROM serial_reservations ORDER BY scope, issuer_credit_code, value').all() as {
          scope: string;
          issuer_credit_code: string;
          value: number;
          reserved_at: string;
        }[]
      ).map((row) => ({ scope: row.scope, issuerCreditCode: row.issuer_credit_code, value: row.value, reservedAt: row.reserved_at })),
    }));
  }

  scan(afterIdentifier: string | null, limit: number): Promise<readonly LicenseRecord[]> {
    return this.connection.read((db) =>
      (statement(db, `${SELECT} WHERE identifier > ? ORDER BY identifier LIMIT ?`).all(afterIdentifier ?? '', limit) as LicenseRow[]).map(fromRow),
    );
  }

  count(): Promise<number> {
    return this.connection.read((db) => (statement(db, 'SELECT count(*) AS n FROM licenses').get() as { n: number }).n);
  }

  private async findOne(sql: string, ...params: string[]): Promise<LicenseRecord | null> {
    requireText(...params);
    return this.connection.read((db) => {
      const row = statement(db, sql).get(...params) as LicenseRow | undefined;
      return row ? fromRow(row) : null;
    });
  }
}
