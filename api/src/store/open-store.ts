import type { Store } from './port.js';
import { fillEmptySqliteFile } from './sqlite/sqlite-fill.js';
import { openSqliteStore } from './sqlite/sqlite-store.js';

/** Where the data lives: an SQLite file (or ':memory:'), or a MongoDB database by URI. */
export type StoreLocation = { kind: 'sqlite'; path: string } | { kind: 'mongodb'; uri: string };

/** The one place that picks a storage adapter; mongoose is loaded only when MongoDB is configured. */
export async function openStore(database: StoreLocation): Promise<Store> {
  if (database.kind === 'sqlite') return openSqliteStore(database.path);
  const { openMongoStore } = await import('./mongo/mongo-store.js');
  return openMongoStore(database.uri);
}

/**
 * Opens the store, first filling it with `fill` when it is empty (the demo data). The embedded
 * database is filled in a file beside it that replaces it once complete, so a process killed
 * halfway leaves it empty and the next start fills it again; a MongoDB database is filled in
 * place, and one left half-filled must be dropped by hand. Resolves with whether it filled.
 */
export async function openStoreFilledIfEmpty(database: StoreLocation, fill: (store: Store) => Promise<void>): Promise<{ store: Store; filled: boolean }> {
  const store = await openStore(database);
  if (!(await store.isEmpty())) return { store, filled: false };
  if (database.kind === 'mongodb' || database.path === ':memory:') {
    await fill(store);
    return { store, filled: true };
  }
  await store.close();
  await fillEmptySqliteFile(database.path, fill);
  return { store: await openStore(database), filled: true };
}
