import type { CopyRecord, CopyRepository } from '../../../modules/copies/index.js';
import { requireText, statement, type SqliteConnection } from './connection.js';

interface CopyRow {
  copy_id: string;
  verification_code: string;
  original_identifier: string;
  original_sha256: string;
  sha256: string;
  office_name: string;
  office_credit_code: string | null;
  service_item: string;
  purpose: string;
  valid_until: string;
  created_at: string;
  made_by_id: string;
  made_by_role: string;
}

const COLUMNS = [
  'copy_id',
  'verification_code',
  'original_identifier',
  'original_sha256',
  'sha256',
  'office_name',
  'office_credit_code',
  'service_item',
  'purpose',
  'valid_until',
  'created_at',
  'made_by_id',
  'made_by_role',
] as const satisfies readonly (keyof CopyRow)[];

const INSERT = `INSERT INTO copies (${COLUMNS.join(', ')}) VALUES (${COLUMNS.map((c) => `@${c}`).join(', ')})`;
const SELECT = `SELECT ${COLUMNS.join(', ')} FROM copies`;

function toRow(record: CopyRecord): CopyRow {
  return {
    copy_id: record.copyId,
    verification_code: record.verificationCode,
    original_identifier: record.originalIdentifier,
    original_sha256: record.originalSha256,
    sha256: record.sha256,
    office_name: record.office.name,
    office_credit_code: record.office.creditCode,
    service_item: record.serviceItem,
    purpose: record.purpose,
    valid_until: record.validUntil,
    created_at: record.createdAt,
    made_by_id: record.madeBy.id,
    made_by_role: record.madeBy.role,
  };
}

function fromRow(row: CopyRow): CopyRecord {
  return {
    copyId: row.copy_id,
    verificationCode: row.verification_code,
    originalIdentifier: row.original_identifier,
    originalSha256: row.original_sha256,
    sha256: row.sha256,
    office: { name: row.office_name, creditCode: row.office_credit_code },
    serviceItem: row.service_item,
    purpose: row.purpose,
    validUntil: row.valid_until,
    createdAt: row.created_at,
    madeBy: { id: row.made_by_id, role: row.made_by_role },
  };
}

export class SqliteCopyRepository implements CopyRepository {
  constructor(private readonly connection: SqliteConnection) {}

  async insert(record: CopyRecord): Promise<void> {
    await this.connection.write((db) => statement(db, INSERT).run(toRow(record)));
  }

  async findById(copyId: string): Promise<CopyRecord | null> {
    requireText(copyId);
    return this.connection.read((db) => {
      const row = statement(db, `${SELECT} WHERE copy_id = ?`).get(copyId) as CopyRow | undefined;
      return row ? fromRow(row) : null;
    });
  }

  async findBySha256(sha256: string): Promise<CopyRecord | null> {
    requireText(sha256);
    return this.connection.read((db) => {
      const row = statement(db, `${SELECT} WHERE sha256 = ?`).get(sha256) as CopyRow | undefined;
      return row ? fromRow(row) : null;
    });
  }
}
