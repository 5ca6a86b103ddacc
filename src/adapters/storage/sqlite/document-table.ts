import { StoreError } from '../../../shared/errors.js';
import { requireText, statement, type SqliteConnection } from './connection.js';

/**
 * A table of whole JSON documents under one text key: configuration records
 * (departments, accounts) that are read and written whole.
 */
export class SqliteDocumentTable<T> {
  constructor(
    private readonly connection: SqliteConnection,
    private readonly table: 'departments' | 'accounts',
    private readonly keyColumn: 'credit_code' | 'client_id',
  ) {}

  async insert(key: string, document: T): Promise<void> {
    await this.connection.write((db) => statement(db, `INSERT INTO ${this.table} (${this.keyColumn}, body) VALUES (?, ?)`).run(key, JSON.stringify(document)));
  }

  async update(key: string, document: T): Promise<void> {
    await this.connection.write((db) => {
      const { changes } = statement(db, `UPDATE ${this.table} SET body = ? WHERE ${this.keyColumn} = ?`).run(JSON.stringify(document), key);
      if (changes === 0) throw new StoreError('ERR_STORE_NOT_FOUND', undefined, { key });
    });
  }

  async get(key: string): Promise<T | null> {
    requireText(key);
    return this.connection.read((db) => {
      const row = statement(db, `SELECT body FROM ${this.table} WHERE ${this.keyColumn} = ?`).get(key) as { body: string } | undefined;
      return row ? (JSON.parse(row.body) as T) : null;
    });
  }

  list(): Promise<readonly T[]> {
    return this.connection.read((db) =>
      (statement(db, `SELECT body FROM ${this.table} ORDER BY ${this.keyColumn}`).all() as { body: string }[]).map((row) => JSON.parse(row.body) as T),
    );
  }
}
