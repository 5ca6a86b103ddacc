import { openMongoStore } from '../adapters/storage/mongo/mongo-store.js';
import { openSqliteStore } from '../adapters/storage/sqlite/sqlite-store.js';
import type { Config } from '../config/index.js';
import type { VaultStore } from '../modules/store/index.js';

/** The only place that chooses the store: MongoDB when configured, else the embedded SQLite file. */
export async function openStore(config: Pick<Config, 'store'>): Promise<VaultStore> {
  return config.store.kind === 'mongo' ? openMongoStore({ uri: config.store.uri }) : openSqliteStore({ file: config.store.file });
}
