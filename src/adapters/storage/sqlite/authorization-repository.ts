import type { AuthorizationRecord, AuthorizationRepository } from '../../../modules/authorizations/index.js';
import type { HolderNumber, HolderType } from '../../../modules/identity/index.js';
import { requireText, statement, type SqliteConnection } from './connection.js';

interface Row {
  id: string;
  code_hash: string;
  holder_type: HolderType;
  holder_number: string;
  created_at: string;
  expires_at: string;
  uses_allowed: number;
  uses_made: number;
  redeemed_by: string;
  withdrawn_at: string | null;
  terms: string;
}

/** The fields that never change after creation, kept together as JSON. */
type Terms = Pick<AuthorizationRecord, 'codeHint' | 'licenses' | 'licenseTypes' | 'office' | 'officeName' | 'serviceItem' | 'purpose'>;

const COLUMNS = 'id, code_hash, holder_type, holder_number, created_at, expires_at, uses_allowed, uses_made, redeemed_by, withdrawn_at, terms';

function fromRow(row: Row): AuthorizationRecord {
  const terms = JSON.parse(row.terms) as Terms;
  return {
    id: row.id,
    codeHash: row.code_hash,
    codeHint: terms.codeHint,
    holder: { type: row.holder_type, value: row.holder_number },
    licenses: terms.licenses,
    licenseTypes: terms.licenseTypes,
    office: terms.office,
    officeName: terms.officeName,
    serviceItem: terms.serviceItem,
    purpose: terms.purpose,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    usesAllowed: row.uses_allowed,
    usesMade: row.uses_made,
    redeemedBy: JSON.parse(row.redeemed_by) as string[],
    withdrawnAt: row.withdrawn_at,
  };
}

export class SqliteAuthorizationRepository implements AuthorizationRepository {
  constructor(private readonly connection: SqliteConnection) {}

  async insert(record: AuthorizationRecord): Promise<void> {
    const terms: Terms = {
      codeHint: record.codeHint,
      licenses: record.licenses,
      licenseTypes: record.licenseTypes,
      office: record.office,
      officeName: record.officeName,
      serviceItem: record.serviceItem,
      purpose: record.purpose,
    };
    await this.connection.write((db) =>
      statement(db, `INSERT INTO authorizations (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(
        record.id,
        record.codeHash,
        record.holder.type,
        record.holder.value,
        record.createdAt,
        record.expiresAt,
        record.usesAllowed,
        record.usesMade,
        JSON.stringify(record.redeemedBy),
        record.withdrawnAt,
        JSON.stringify(terms),
      ),
    );
  }

  async get(id: string): Promise<AuthorizationRecord | null> {
    requireText(id);
    return this.connection.read((db) => this.one(db, 'id', id));
  }

  async findByCodeHash(codeHash: string): Promise<AuthorizationRecord | null> {
    requireText(codeHash);
    return this.connection.read((db) => this.one(db, 'code_hash', codeHash));
  }

  async listByHolder(holder: HolderNumber, expiringAfter: string, limit: number): Promise<readonly AuthorizationRecord[]> {
    requireText(holder.type, holder.value, expiringAfter);
    return this.connection.read((db) =>
      (
        statement(db, `SELECT ${COLUMNS} FROM authorizations WHERE holder_type = ? AND holder_number = ? AND expires_at > ? ORDER BY created_at DESC, id DESC LIMIT ?`).all(
          holder.type,
          holder.value,
          expiringAfter,
          limit,
        ) as Row[]
      ).map(fromRow),
    );
  }

  async redeemOnce(id: string, clientId: string, at: string): Promise<AuthorizationRecord | null> {
    requireText(id, clientId, at);
    // One statement decides: concurrent redemptions are serialised by the write lock, and the condition is checked by the one that holds it.
    return this.connection.write((db) => {
      const row = statement(
        db,
        `UPDATE authorizations SET uses_made = uses_made + 1, redeemed_by = json_insert(redeemed_by, '$[#]', ?)
         WHERE id = ? AND withdrawn_at IS NULL AND expires_at > ? AND uses_made < uses_allowed RETURNING ${COLUMNS}`,
      ).get(clientId, id, at) as Row | undefined;
      return row ? fromRow(row) : null;
    });
  }

  async withdraw(id: string, at: string): Promise<AuthorizationRecord | null> {
    requireText(id, at);
    return this.connection.write((db) => {
      statement(db, 'UPDATE authorizations SET withdrawn_at = ? WHERE id = ? AND withdrawn_at IS NULL').run(at, id);
      return this.one(db, 'id', id);
    });
  }

  private one(db: Parameters<Parameters<SqliteConnection['read']>[0]>[0], column: 'id' | 'code_hash', key: string): AuthorizationRecord | null {
    const row = statement(db, `SELECT ${COLUMNS} FROM authorizations WHERE ${column} = ?`).get(key) as Row | undefined;
    return row ? fromRow(row) : null;
  }
}
