import type { LicenseFile, LicenseFileRepository } from '../../../modules/licenses/index.js';
import { requireText, statement, type SqliteConnection } from './connection.js';

export class SqliteLicenseFileRepository implements LicenseFileRepository {
  constructor(private readonly connection: SqliteConnection) {}

  async put(file: LicenseFile): Promise<void> {
    await this.connection.write((db) => statement(db, 'INSERT INTO license_files (identifier, sha256, bytes) VALUES (?, ?, ?)').run(file.identifier, file.sha256, file.bytes));
  }

  async get(identifier: string): Promise<LicenseFile | null> {
    requireText(identifier);
    return this.connection.read((db) => {
      const row = statement(db, 'SELECT identifier, sha256, bytes FROM license_files WHERE identifier = ?').get(identifier) as
        { identifier: string; sha256: string; bytes: Buffer } | undefined;
      return row ? { identifier: row.identifier, sha256: row.sha256, bytes: new Uint8Array(row.bytes) } : null;
    });
  }
}
