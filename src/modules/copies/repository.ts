import type { CopyRecord } from './copy.js';

/** Annotated copies made. Unique keys: copyId, sha256. */
export interface CopyRepository {
  /** Throws ERR_STORE_DUPLICATE (details.key names the key) when a unique key is taken. */
  insert(record: CopyRecord): Promise<void>;
  findById(copyId: string): Promise<CopyRecord | null>;
  findBySha256(sha256: string): Promise<CopyRecord | null>;
}
