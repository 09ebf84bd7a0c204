/**
 * MongoDB adapter of the storage port, through mongoose's connection and the native driver it
 * bundles (no mongoose models: documents are stored exactly as written, with no casting, no
 * `__v` and no minimizing of empty objects, which would change signed event bodies).
 *
 * Every record is stored with `_id` = its id. Multi-document work runs in a ClientSession
 * transaction, so the server must be a replica set (docker-compose runs a single-node one).
 *
 * This file opens the connection, runs transactions and composes the repositories (one file each,
 * beside it); mongo-collections.ts declares the documents and indexes.
 */
import mongoose from 'mongoose';
import type { mongo } from 'mongoose';
import type { Repositories, Store } from '../port.js';
import { apiKeyRepository } from './api-key-repository.js';
import { auditRepository } from './audit-repository.js';
import { batchRepository } from './batch-repository.js';
import { captureJobRepository } from './capture-job-repository.js';
import { eventRepository } from './event-repository.js';
import { idempotencyRepository } from './idempotency-repository.js';
import { listingRepository } from './listing-repository.js';
import { logRepository } from './log-repository.js';
import { mediaRepository } from './media-repository.js';
import { openCollections, type Collections } from './mongo-collections.js';
import { organizationRepository } from './organization-repository.js';
import { plotRepository } from './plot-repository.js';
import { productRepository } from './product-repository.js';
import { scanRepository } from './scan-repository.js';
import { signingKeyRepository } from './signing-key-repository.js';
import { userRepository } from './user-repository.js';

/**
 * The repositories, bound to `session` when given (inside a transaction: every read and write
 * passes it) and running without one otherwise.
 */
function buildRepositories(c: Collections, session?: mongo.ClientSession): Repositories {
  return {
    organizations: organizationRepository(c, session),
    users: userRepository(c, session),
    apiKeys: apiKeyRepository(c, session),
    plots: plotRepository(c, session),
    batches: batchRepository(c, session),
    events: eventRepository(c, session),
    signingKeys: signingKeyRepository(c, session),
    media: mediaRepository(c, session),
    products: productRepository(c, session),
    listings: listingRepository(c, session),
    captureJobs: captureJobRepository(c, session),
    audit: auditRepository(c, session),
    idempotency: idempotencyRepository(c, session),
    log: logRepository(c, session),
    scans: scanRepository(c, session),
  };
}

/** Connects (own connection, not mongoose's default one), ensures the indexes and returns the store. */
export async function openMongoStore(uri: string): Promise<Store> {
  const connection = mongoose.createConnection(uri, { autoIndex: false, autoCreate: false });
  try {
    await connection.asPromise();
    const db = connection.db;
    if (!db) throw new Error('the MongoDB connection has no database handle');

    const collections = await openCollections(db);

    const client = connection.getClient();
    const repositories = buildRepositories(collections);

    return {
      kind: 'mongodb',
      ...repositories,
      async transaction<T>(work: (tx: Repositories) => Promise<T>): Promise<T> {
        const session = client.startSession();
        try {
          return await session.withTransaction(() => work(buildRepositories(collections, session)), {
            readConcern: { level: 'snapshot' },
            writeConcern: { w: 'majority' },
          });
        } finally {
          await session.endSession();
        }
      },
      ping: async () => {
        await db.admin().command({ ping: 1 });
      },
      isEmpty: async () => (await collections.organizations.findOne({}, { projection: { _id: 1 } })) === null,
      close: () => connection.close(),
    };
  } catch (error) {
    await connection.close().catch(() => undefined);
    throw error;
  }
}
