import { randomBytes } from 'node:crypto';
import mongoose from 'mongoose';
import { MONGO_SCHEMA_VERSION, openMongoStore } from '../../../../src/adapters/storage/mongo/mongo-store.js';
import { runStoreContract } from '../../../contract/store-contract.js';
import { makeDepartment } from '../../../fixtures/departments.js';

/**
 * The shared store contract against MongoDB, when MONGODB_URI names a
 * server that supports transactions (a replica set member or mongos; see
 * the top of src/adapters/storage/mongo/mongo-store.ts for a one-node
 * replica set). Every store gets a database of its own, dropped afterwards.
 */
const uri = process.env.MONGODB_URI;

/** Runs `work` on a test database over a short-lived connection of its own, outside the store. */
async function withDatabase(serverUri: string, dbName: string, work: (connection: mongoose.Connection) => Promise<void>): Promise<void> {
  const odm = new mongoose.Mongoose({ createInitialConnection: false });
  const connection = await odm.createConnection(serverUri, { dbName, serverSelectionTimeoutMS: 10_000 }).asPromise();
  try {
    await work(connection);
  } finally {
    await connection.close();
  }
}

function dropDatabase(serverUri: string, dbName: string): Promise<void> {
  return withDatabase(serverUri, dbName, (connection) => connection.dropDatabase());
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

  test('a database at layout version 2 migrates at open: counters keep their numbers under `scope` (and across a second open), the license-type collection goes, departments name their signing key, admin accounts become sysadmin', async () => {
    const dbName = `license_vault_test_${process.pid}_migrate_${randomBytes(4).toString('hex')}`;
    const type = '11100000000013338W001';
    const issuer = '91350100M000100Y43';
    try {
      await withDatabase(uri, dbName, async (connection) => {
        const db = connection.db!;
        await db.collection<{ _id: string; version: number }>('vault_meta').insertOne({ _id: 'schema', version: 2 });
        await db.collection<{ _id: string; typeCode: string; issuerCreditCode: string; last: number }>('serial_counters').insertMany([
          { _id: `${type}|${issuer}`, typeCode: type, issuerCreditCode: issuer, last: 7 },
          { _id: `license-number:2026|${issuer}`, typeCode: 'license-number:2026', issuerCreditCode: issuer, last: 12 },
        ]);
        await db.collection('license_types').insertOne({ code: type });
        const department = (creditCode: string, signingKey: string | null) => makeDepartment({ creditCode, signingKey });
        await db.collection('departments').insertMany([department(issuer, null), department('11100000000013338W', 'rotated-2026')]);
        const account = (clientId: string, role: string) => ({
          clientId,
          role,
          department: null,
          displayName: clientId,
          secretHash: 'scrypt$x',
          disabled: false,
          createdAt: 'then',
          updatedAt: 'then',
        });
        await db.collection('accounts').insertMany([account('root-admin', 'admin'), account('window-1', 'clerk')]);
      });
      for (const expected of [
        [8, 13],
        [9, 14],
      ]) {
        const store = await openMongoStore({ uri, dbName });
        try {
          await expect(
            store.licenses.reserveNumbers(
              [
                { scope: type, issuerCreditCode: issuer },
                { scope: 'license-number:2026', issuerCreditCode: issuer },
              ],
              '2026-11-21T09:00:00.000Z',
            ),
          ).resolves.toEqual(expected);
          // A department without a signing key gets the one it signed with, its credit code.
          await expect(store.departments.get(issuer)).resolves.toMatchObject({ signingKey: issuer });
          await expect(store.departments.get('11100000000013338W')).resolves.toMatchObject({ signingKey: 'rotated-2026' });
          // The admin role is gone: its accounts are system administrators.
          expect((await store.accounts.list()).map((account) => [account.clientId, account.role])).toEqual([
            ['root-admin', 'sysadmin'],
            ['window-1', 'clerk'],
          ]);
          const { counters } = await store.licenses.serialLedger();
          expect(counters).toEqual([
            { scope: type, issuerCreditCode: issuer, last: expected[0] },
            { scope: 'license-number:2026', issuerCreditCode: issuer, last: expected[1] },
          ]);
        } finally {
          await store.close();
        }
      }
      await withDatabase(uri, dbName, async (connection) => {
        const db = connection.db!;
        await expect(db.listCollections({ name: 'license_types' }).toArray()).resolves.toEqual([]);
        await expect(db.collection('serial_counters').countDocuments({ typeCode: { $exists: true } })).resolves.toBe(0);
        await expect(db.collection<{ _id: string; version: number }>('vault_meta').findOne({ _id: 'schema' })).resolves.toMatchObject({ version: MONGO_SCHEMA_VERSION });
      });
    } finally {
      await dropDatabase(uri, dbName);
    }
  });
} else {
  // test/support/global-setup.cjs prints `mongo: skipped (MONGODB_URI not set)` for the whole run.
  test.skip('mongo contract suite (MONGODB_URI not set)', () => {});
}
