/**
 * The console's IndexedDB database: the outbox of writes waiting to be sent, and the last lists
 * of plots and lots read from the server (so the forms work offline). A few promise wrappers
 * over the raw API; nothing else in the console talks to IndexedDB.
 */
const DB_NAME = 'farm-trace-console';
const DB_VERSION = 1;

export type StoreName = 'outbox' | 'lists';

function settle<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

export class ConsoleDb {
  private constructor(private readonly db: IDBDatabase) {}

  static open(): Promise<ConsoleDb> {
    const request = indexedDB.open(DB_NAME, DB_VERSION);
    request.onupgradeneeded = () => {
      // Outbox keys increase with every entry, so key order is the order the farmer recorded things.
      request.result.createObjectStore('outbox', { keyPath: 'seq', autoIncrement: true });
      request.result.createObjectStore('lists');
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
