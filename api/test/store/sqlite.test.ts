import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Store } from '../../src/store/port.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { storeContract } from './contract.js';

/** A store on a fresh database file in its own temp directory, removed when the store closes. */
async function openFreshSqliteStore(): Promise<Store> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ft-store-'));
  try {
    const store = openSqliteStore(path.join(dir, 'trace.db'));
    return {
      ...store,
      close: async () => {
        try {
          await store.close();
        } finally {
          fs.rmSync(dir, { recursive: true, force: true });
        }
      },
    };
  } catch (error) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

storeContract('sqlite', openFreshSqliteStore);
