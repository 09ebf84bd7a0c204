/**
 * SQLite adapter of the storage port (better-sqlite3, one connection): opening the file, applying
 * migrations, transactions, and composing the repositories (one file each, beside this one).
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
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
import { MIGRATIONS } from './migrations.js';
import { organizationRepository } from './organization-repository.js';
import { plotRepository } from './plot-repository.js';
import { productRepository } from './product-repository.js';
import { scanRepository } from './scan-repository.js';
import { signingKeyRepository } from './signing-key-repository.js';
import { sqliteConnection, type Run } from './sqlite-connection.js';
import { userRepository } from './user-repository.js';

/** Serializes work on the single connection, so an open transaction never sees foreign statements. */
class Serializer {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(work: () => Promise<T>): Promise<T> {
    const result = this.tail.then(work, work);
    this.tail = result.catch(() => undefined);
    return result;
  }
}

/** Opens (creating if needed) the database file, applies migrations and returns the store. */
export function openSqliteStore(file: string): Store {
  if (file !== ':memory:') mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  // FULL: an acknowledged commit survives power loss, not only a killed process.
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  migrate(db);

  const serializer = new Serializer();
  const outside: Run = (op) => serializer.run(async () => op());
  const inside: Run = async (op) => op();
  const repositories = buildRepositories(db, outside);
  const txRepositories = buildRepositories(db, inside);

  return {
    kind: 'sqlite',
    ...repositories,
    transaction<T>(work: (tx: Repositories) => Promise<T>): Promise<T> {
      return serializer.run(async () => {
        db.exec('BEGIN IMMEDIATE');
        try {
          const result = await work(txRepositories);
          db.exec('COMMIT');
          return result;
        } catch (error) {
          if (db.inTransaction) db.exec('ROLLBACK');
          throw error;
        }
      });
    },
    ping: () => outside(() => void db.prepare('SELECT 1').get()),
    isEmpty: () => outside(() => db.prepare('SELECT 1 FROM organizations LIMIT 1').get() === undefined),
    close: () =>
      serializer.run(async () => {
        if (db.open) db.close();
      }),
  };
}

function migrate(db: Database.Database): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  MIGRATIONS.forEach((sql, index) => {
    const version = index + 1;
    if (version <= current) return;
    db.transaction(() => {
      db.exec(sql);
      db.pragma(`user_version = ${version}`);
    })();
  });
}

function buildRepositories(db: Database.Database, run: Run): Repositories {
  const connection = sqliteConnection(db, run);
  return {
    organizations: organizationRepository(connection),
    users: userRepository(connection),
    apiKeys: apiKeyRepository(connection),
    plots: plotRepository(connection),
    batches: batchRepository(connection),
    events: eventRepository(connection),
    signingKeys: signingKeyRepository(connection),
    media: mediaRepository(connection),
    products: productRepository(connection),
    listings: listingRepository(connection),
    captureJobs: captureJobRepository(connection),
    audit: auditRepository(connection),
    idempotency: idempotencyRepository(connection),
    log: logRepository(connection),
    scans: scanRepository(connection),
  };
}
