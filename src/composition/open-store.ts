import { openSqliteStore } from '../adapters/storage/sqlite/sqlite-store.js';
import type { Config } from '../config/index.js';
import type { VaultStore } from './vault-store.js';

/** The only place that chooses the store: MongoDB when configured, else the embedded SQLite file. */
export async function openStore(config: Pick<Config, 'store'>): Promise<VaultStore> {
  if (config.store.kind === 'sqlite') return openSqliteStore({ file: config.store.file });
  // Loaded only when used: mongoose alone costs the embedded default about 30 MiB of memory.
  const { openMongoStore } = await import('../adapters/storage/mongo/mongo-store.js');
  return openMongoStore({ uri: config.store.uri });
}
