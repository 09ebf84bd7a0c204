import Database from 'better-sqlite3';
import { MIGRATIONS } from './migrations.js';

/**
 * What backup and restore need from an embedded database file: a consistent copy of a live one,
 * and, read from such a copy, the blobs and wrapped keys it depends on and whether it is intact.
 */

/** The schema version this code migrates to; a database from a newer release is not restored. */
export const CURRENT_SCHEMA_VERSION = MIGRATIONS.length;

/** The blob-store buckets (media/blob-store's Bucket) that rows name; spelled here, as the store imports no higher layer. */
type Bucket = 'originals' | 'renditions' | 'logos';

export interface BlobReference {
  bucket: Bucket;
  sha256: string;
}

export interface SnapshotContents {
  schemaVersion: number;
  counts: { organizations: number; batches: number; events: number; media: number; logLeaves: number };
  /** Every blob a row names, once each: originals and renditions of media, organizations' logos. */
  blobs: BlobReference[];
  /** Private keys encrypted under the key-encryption key: organizations' signing keys and the log's key. */
  wrappedKeys: Array<{ kid: string; encryptedPrivateKey: string }>;
}

/**
 * Copies a database that another process may be writing (WAL) to `target`, with SQLite's online
 * backup API. The copy is the database as of one committed transaction.
 */
export async function snapshotDatabase(source: string, target: string): Promise<void> {
  const db = new Database(source, { readonly: true, fileMustExist: true });
  try {
    // All pages in one step, so in one read transaction: SQLite restarts a stepwise backup each
    // time another connection writes between steps, which a busy server would do indefinitely.
    await db.backup(target, { progress: ({ totalPages }) => totalPages });
  } finally {
    db.close();
  }
}

/** Reads a snapshot (a private copy, never the live file): its schema version, counts and references. */
export function readSnapshotContents(file: string): SnapshotContents {
  const db = new Database(file, { fileMustExist: true });
  try {
    const count = (table: string) => (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
    const blobs = new Map<string, BlobReference>();
    const refer = (bucket: Bucket, sha256: string) => blobs.set(`${bucket}/${sha256}`, { bucket, sha256 });
    for (const row of db.prepare('SELECT sha256, renditions FROM media').iterate() as Iterable<{ sha256: string; renditions: string }>) {
      refer('originals', row.sha256);
      for (const rendition of JSON.parse(row.renditions) as Array<{ sha256: string }>) refer('renditions', rendition.sha256);
    }
    for (const row of db.prepare('SELECT logo_sha256 FROM organizations WHERE logo_sha256 IS NOT NULL').all() as Array<{ logo_sha256: string }>) refer('logos', row.logo_sha256);
    const wrappedKeys = db
      .prepare('SELECT kid, encrypted_private_key AS encryptedPrivateKey FROM signing_keys UNION ALL SELECT kid, encrypted_private_key FROM log_keys')
      .all() as SnapshotContents['wrappedKeys'];
    return {
      schemaVersion: db.pragma('user_version', { simple: true }) as number,
      counts: { organizations: count('organizations'), batches: count('batches'), events: count('events'), media: count('media'), logLeaves: count('log_leaves') },
      blobs: [...blobs.values()],
      wrappedKeys,
    };
  } finally {
    db.close();
  }
}

/** `PRAGMA integrity_check`'s findings; empty when the file is a sound database. */
export function integrityProblems(file: string): string[] {
  let db: Database.Database;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
  } catch (error) {
    return [(error as Error).message];
  }
  try {
    const rows = db.pragma('integrity_check') as Array<{ integrity_check: string }>;
    const findings = rows.map((row) => row.integrity_check);
    return findings.length === 1 && findings[0] === 'ok' ? [] : findings;
  } catch (error) {
    return [(error as Error).message];
  } finally {
    db.close();
  }
}
