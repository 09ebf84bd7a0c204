import { randomBytes } from 'node:crypto';
import mongoose from 'mongoose';
import { openMongoStore } from '../../src/store/mongo/mongo-store.js';
import { storeContract } from './contract.js';

const uri = process.env.MONGODB_URI;

/** `uri` with its database path replaced by `database` (query string, e.g. replicaSet, kept). */
function withDatabase(base: string, database: string): string {
  const match = /^(mongodb(?:\+srv)?:\/\/[^/?]+)(?:\/[^?]*)?(\?.*)?$/.exec(base);
  if (!match) throw new Error('MONGODB_URI is not a mongodb:// or mongodb+srv:// URI');
  return `${match[1]}/${database}${match[2] ?? ''}`;
}

if (uri) {
  describe('MongoDB adapter', function () {
    // One database per store (so isEmpty and every test start empty), all named after this run.
    const run = `ft_contract_${randomBytes(4).toString('hex')}`;
    const databases: string[] = [];

    storeContract('mongodb', () => {
      const database = `${run}_${databases.length + 1}`;
      databases.push(database);
      return openMongoStore(withDatabase(uri, database));
    });

    after(async function () {
      this.timeout(60_000);
      const connection = await mongoose.createConnection(uri).asPromise();
      try {
        for (const database of databases) await connection.useDb(database, { useCache: false }).dropDatabase();
      } finally {
        await connection.close();
      }
    });
  });
} else {
  describe('store contract: mongodb', function () {
    it('when MONGODB_URI is not set, then the MongoDB contract suite is skipped (no MongoDB server on this machine)', function () {
      console.log('    (skipped: set MONGODB_URI, e.g. mongodb://localhost:27017/?replicaSet=rs0&directConnection=true, to run it)');
      this.skip();
    });
  });
}
