/**
 * The console's IndexedDB database: the outbox of writes waiting to be sent, and the last lists
 * of plots and lots read from the server (so the forms work offline). A few promise wrappers
 * over the raw API; nothing else in the console talks to IndexedDB.
 */
const DB_NAME = 'farm-trace-console';
const DB_VERSION = 2;

export type StoreName = 'outbox' | 'lists';

function settle<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

/**
 * Version 1 had one `failed` status: a refusal by the server, or an entry whose create had been
 * refused. Version 2 keeps refusals as `refused` (the farmer corrects or discards them) and the
 * others queued again (held until that correction, as the outbox derives).
 */
function upgradeFailedEntries(outbox: IDBObjectStore): void {
  outbox.openCursor().onsuccess = (event) => {
    const cursor = (event.target as IDBRequest<IDBCursorWithValue | null>).result;
    if (!cursor) return;
    const entry = cursor.value as { status: string; lastError: { kind: string } | null };
    if (entry.status === 'failed') {
      const dependent = entry.lastError?.kind === 'dependency';
      cursor.update({ ...entry, status: dependent ? 'queued' : 'refused', lastError: dependent ? null : entry.lastError });
    }
    cursor.continue();
  };
}

export class ConsoleDb {
  private constructor(private readonly db: IDBDatabase) {}

  static open(): Promise<ConsoleDb> {
    const request = indexedDB.open(DB_NAME, DB_VERSION);
    request.onupgradeneeded = (event) => {
      if (event.oldVersion < 1) {
        // Outbox keys increase with every entry, so key order is the order the farmer recorded things.
        request.result.createObjectStore('outbox', { keyPath: 'seq', autoIncrement: true });
        request.result.createObjectStore('lists');
      } else if (event.oldVersion < 2) {
        upgradeFailedEntries(request.transaction!.objectStore('outbox'));
      }
    };
    return settle(request).then((db) => new ConsoleDb(db));
  }

  get<T>(store: StoreName, key: IDBValidKey): Promise<T | undefined> {
    return settle(this.db.transaction(store).objectStore(store).get(key) as IDBRequest<T | undefined>);
  }

  /** Every record in key order. */
  all<T>(store: StoreName): Promise<T[]> {
    return settle(this.db.transaction(store).objectStore(store).getAll() as IDBRequest<T[]>);
  }

  /** Adds or replaces a record; answers its key (generated for new outbox entries). */
  put(store: StoreName, value: unknown, key?: IDBValidKey): Promise<IDBValidKey> {
    return settle(this.db.transaction(store, 'readwrite').objectStore(store).put(value, key));
  }

  delete(store: StoreName, key: IDBValidKey): Promise<undefined> {
    return settle(this.db.transaction(store, 'readwrite').objectStore(store).delete(key));
  }
}
