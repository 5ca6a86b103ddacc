import type { LicenseFile, LicenseFileRepository } from '../../../modules/licenses/index.js';
import { StoreError } from '../../../shared/errors.js';
import type { MongoScope } from './scope.js';
import { requireString, toBytes } from './values.js';

interface StoredFile {
  identifier: string;
  sha256: string;
  bytes: unknown;
}

export class MongoLicenseFileRepository implements LicenseFileRepository {
  constructor(private readonly scope: MongoScope) {}

  async put(file: LicenseFile): Promise<void> {
    const identifier = requireString(file.identifier, 'identifier');
    // A Buffer view of the caller's bytes (no copy): Mongoose stores a Buffer as BSON binary.
    const bytes = Buffer.from(file.bytes.buffer, file.bytes.byteOffset, file.bytes.byteLength);
    const model = this.scope.models.licenseFiles;
    await this.scope.write(async (session) => {
      if (this.scope.inTransaction && (await model.exists({ identifier }).session(session).exec())) {
        throw new StoreError('ERR_STORE_DUPLICATE', 'duplicate identifier', { key: 'identifier' });
      }
      await model.insertOne({ identifier, sha256: file.sha256, bytes }, { session });
    });
  }

  async get(identifier: string): Promise<LicenseFile | null> {
    const key = requireString(identifier, 'identifier');
    return this.scope.read(async (session) => {
      const stored = await this.scope.models.licenseFiles.findOne({ identifier: key }, { _id: 0 }).session(session).lean<StoredFile>().exec();
      return stored ? { identifier: stored.identifier, sha256: stored.sha256, bytes: toBytes(stored.bytes) } : null;
    });
  }
}
