import type { Connection } from 'mongoose';
import { indexedHolderFingerprint } from '../../../modules/audit/index.js';
import type { MongoModels } from './models.js';

/**
 * Layout changes of existing databases, applied at start to a database whose
 * stored layout version is older than the step's. Each step is idempotent:
 * a start interrupted before the new version is recorded runs it again.
 */
const STEPS: readonly { readonly version: number; readonly apply: (connection: Connection, models: MongoModels) => Promise<void> }[] = [
  {
    // Counters hold scopes (a license type code, or a counter's name), not only type codes; the license-type collection was never read.
    version: 3,
    apply: async (connection, models) => {
      // The driver's collection: the model's strict query would refuse a filter on the old field.
      await models.serialCounters.collection.updateMany({ typeCode: { $exists: true } }, { $rename: { typeCode: 'scope' } });
      const db = connection.db;
      if (db && (await db.listCollections({ name: 'license_types' }, { nameOnly: true }).hasNext())) await db.dropCollection('license_types');
    },
  },
  {
    // A department without a signing key used to sign with the key named by its credit code; now the key is named, so name that one.
    version: 4,
    apply: async (_connection, models) => {
      await models.departments.collection.updateMany({ signingKey: null }, [{ $set: { signingKey: '$creditCode' } }]);
    },
  },
  {
    // Separated duties: the all-powerful admin role is gone; its accounts become system administrators (their tokens stop working, the role claim differs).
    version: 5,
    apply: async (_connection, models) => {
      await models.accounts.collection.updateMany({ role: 'admin' }, { $set: { role: 'sysadmin' } });
    },
  },
  {
    // The usage record reads one holder's entries by details.holderFingerprint: copied out of the JSON text into an indexed field.
    version: 8,
    apply: async (_connection, models) => {
      await backfillHolderFingerprints(models);
    },
  },
];

const BACKFILL_BATCH = 1000;

/** Sets `holderFingerprint` on every entry whose details name one and that lacks it; run again, it finds nothing to do. */
async function backfillHolderFingerprints(models: MongoModels): Promise<void> {
  const collection = models.auditLog.collection;
  const pending = collection.find({ holderFingerprint: { $exists: false }, details: { $regex: '"holderFingerprint"' } }, { projection: { _id: 0, seq: 1, details: 1 } });
  let batch: { updateOne: { filter: { seq: number }; update: { $set: { holderFingerprint: string } } } }[] = [];
  for await (const document of pending) {
    const fingerprint = indexedHolderFingerprint(JSON.parse(String(document['details'])) as Record<string, unknown>);
    if (fingerprint === null) continue;
    batch.push({ updateOne: { filter: { seq: Number(document['seq']) }, update: { $set: { holderFingerprint: fingerprint } } } });
    if (batch.length >= BACKFILL_BATCH) {
      await collection.bulkWrite(batch, { ordered: false });
      batch = [];
    }
  }
  if (batch.length > 0) await collection.bulkWrite(batch, { ordered: false });
}

/** Applies every step newer than `storedVersion` (0 for a new or unversioned database), in order. */
export async function migrateCollections(connection: Connection, models: MongoModels, storedVersion: number): Promise<void> {
  for (const step of STEPS) if (step.version > storedVersion) await step.apply(connection, models);
}
