import { closeSync, fsyncSync, openSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Store } from '../port.js';
import { openSqliteStore } from './sqlite-store.js';

const JOURNALS = ['-wal', '-shm', '-journal'];

/**
 * Fills the empty database at `file` all at once: `fill` writes into a scratch file beside it
 * (in as many transactions as it likes), which takes the database's name only once complete. A
 * process killed halfway leaves the empty database, never part of what `fill` writes.
 */
export async function fillEmptySqliteFile(file: string, fill: (store: Store) => Promise<void>): Promise<void> {
  const target = path.resolve(file);
  const scratch = `${target}.filling`;
  for (const suffix of ['', ...JOURNALS]) rmSync(scratch + suffix, { force: true });
  const store = openSqliteStore(scratch);
  try {
    await fill(store);
  } finally {
    await store.close();
  }
  // One self-contained file (no -wal beside it) before it takes the database's name.
  const db = new Database(scratch);
  db.pragma('journal_mode = DELETE');
  db.close();
  // The empty database was closed cleanly; no journal of it may be replayed into the new file.
  for (const suffix of JOURNALS) rmSync(target + suffix, { force: true });
  renameSync(scratch, target);
  const dir = openSync(path.dirname(target), 'r');
  try {
    fsyncSync(dir);
  } finally {
    closeSync(dir);
  }
}
