import type { Database } from '../core/config.js';
import type { Store } from './port.js';
import { openSqliteStore } from './sqlite/sqlite-store.js';

/** The one place that picks a storage adapter; mongoose is loaded only when MongoDB is configured. */
export async function openStore(database: Database): Promise<Store> {
  if (database.kind === 'sqlite') return openSqliteStore(database.path);
  const { openMongoStore } = await import('./mongo/mongo-store.js');
  return openMongoStore(database.uri);
}
