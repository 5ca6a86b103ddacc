import { randomBytes } from 'node:crypto';
import mongoose from 'mongoose';
import { openMongoStore } from '../../src/adapters/storage/mongo/mongo-store.js';
import { runStoreContract } from '../contract/store-contract.js';

/**
 * The shared store contract against MongoDB, when MONGODB_URI names a
 * server that supports transactions (a replica set member or mongos; see
 * the top of src/adapters/storage/mongo/mongo-store.ts for a one-node
 * replica set). Every store gets a database of its own, dropped afterwards.
 */
const uri = process.env.MONGODB_URI;

/** Drops a test database over a short-lived connection of its own. */
async function dropDatabase(serverUri: string, dbName: string): Promise<void> {
  const odm = new mongoose.Mongoose({ createInitialConnection: false });
  const connection = await odm.createConnection(serverUri, { dbName, serverSelectionTimeoutMS: 10_000 }).asPromise();
  try {
    await connection.dropDatabase();
  } finally {
    await connection.close();
  }
}

if (uri) {
  let opened = 0;
  runStoreContract('mongo', async () => {
    opened += 1;
    const dbName = `license_vault_test_${process.pid}_${opened}_${randomBytes(4).toString('hex')}`;
    const store = await openMongoStore({ uri, dbName });
    return {
      store,
      cleanup: async () => {
        await store.close();
        await dropDatabase(uri, dbName);
      },
    };
  });
} else {
  // test/support/global-setup.cjs prints `mongo: skipped (MONGODB_URI not set)` for the whole run.
  test.skip('mongo contract suite (MONGODB_URI not set)', () => {});
}
