import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';

/**
 * What the service has stored, as one hash: every row of every SQLite table but the log's
 * checkpoints, and the names of the blob files. Read through a second, read-only connection; SQLite's `data_version` tells that
 * connection whether anyone committed since, so an unchanged database is not hashed again.
 */
export class DatabaseFingerprint {
  private readonly db: Database.Database;
  private seenVersion = -1;
  private lastHash = '';

  constructor(private readonly dataDir: string) {
    this.db = new Database(path.join(dataDir, 'trace.db'), { readonly: true, fileMustExist: true });
  }

  /** The current fingerprint: equal fingerprints mean equal content (idempotency claims taken and released included). */
  current(): string {
    const version = this.db.pragma('data_version', { simple: true }) as number;
    if (version !== this.seenVersion) {
      this.lastHash = this.hashTables();
      this.seenVersion = version;
    }
    return `${this.lastHash}|${this.blobNames().join(',')}`;
  }

  close(): void {
    this.db.close();
  }

  private hashTables(): string {
    const hash = createHash('sha256');
    // Checkpoints are left out: any read that needs one (a bundle, an origin page, even one that
    // then answers 404 for a missing link type) signs a fresh one when the log has grown, by design.
    const tables = this.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name <> 'log_checkpoints' ORDER BY name").pluck().all() as string[];
    for (const table of tables) {
      hash.update(`\n#${table}\n`);
      for (const row of this.db.prepare(`SELECT * FROM "${table}"`).raw().iterate() as Iterable<unknown[]>) {
        hash.update(JSON.stringify(row.map((cell) => (Buffer.isBuffer(cell) ? cell.toString('hex') : typeof cell === 'bigint' ? String(cell) : cell))));
      }
    }
    return hash.digest('hex');
  }

  private blobNames(): string[] {
    try {
      return (readdirSync(path.join(this.dataDir, 'blobs'), { recursive: true }) as string[]).sort();
    } catch {
      return [];
    }
  }
}
