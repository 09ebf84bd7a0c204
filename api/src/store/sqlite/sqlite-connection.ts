/** The one SQLite connection as every repository uses it: statements prepared once, reads and writes run in turn. */
import Database from 'better-sqlite3';
import type { PageRequest } from '../port.js';
import { UniquenessViolation, type UniqueRule } from '../store-errors.js';
import type { Row } from './sqlite-rows.js';

/** Runs one operation on the connection: queued behind other work outside a transaction, at once inside one. */
export type Run = <T>(op: () => T) => Promise<T>;

export interface SqliteConnection {
  db: Database.Database;
  /** The prepared statement for `sql`, prepared on first use. */
  prepare: (sql: string) => Database.Statement;
  run: Run;
  /** `run` for writes: a broken unique constraint becomes a UniquenessViolation. */
  write: Run;
  /** Rows of `sql` (which ends in its WHERE conditions), newest first by id, one more than the page holds. */
  newestFirst: (sql: string, params: unknown[], page: PageRequest) => Row[];
}

/** SQLite names the columns of a broken unique constraint; this maps them to the port's rules. */
const UNIQUE_COLUMNS: Array<[RegExp, UniqueRule]> = [
  [/organizations\.slug/, 'organizations_slug'],
  [/organizations\.gln/, 'organizations_gln'],
  [/users\.email/, 'users_email'],
  [/users\.phone/, 'users_phone'],
  [/batches\.gtin, batches\.lot_number/, 'batches_gtin_lot'],
  [/batches\.org_id, batches\.product, batches\.lot_number/, 'batches_org_product_lot'],
  [/batches\.code/, 'batches_code'],
  [/products\.gtin/, 'products_gtin'],
  [/plots\.gln/, 'plots_gln'],
];

function translateConstraint(error: unknown): never {
  if (error instanceof Database.SqliteError && (error.code === 'SQLITE_CONSTRAINT_UNIQUE' || error.code === 'SQLITE_CONSTRAINT_PRIMARYKEY')) {
    throw new UniquenessViolation(UNIQUE_COLUMNS.find(([pattern]) => pattern.test(error.message))?.[1] ?? null);
  }
  throw error;
}

/** At most this many distinct statements are kept prepared per connection (lists make `IN (?,…)` vary). */
const MAX_PREPARED = 1000;
const statementCaches = new WeakMap<Database.Database, Map<string, Database.Statement>>();

/**
 * The connection's prepared statements, by SQL text: preparing costs more than running most of
 * these queries, so each is prepared once. None is iterated, so sharing one is safe.
 */
function preparedStatements(db: Database.Database): (sql: string) => Database.Statement {
  let cache = statementCaches.get(db);
  if (!cache) statementCaches.set(db, (cache = new Map()));
  const statements = cache;
  return (sql) => {
    let statement = statements.get(sql);
    if (!statement) {
      if (statements.size >= MAX_PREPARED) statements.clear();
      statement = db.prepare(sql);
      statements.set(sql, statement);
    }
    return statement;
  };
}

export function sqliteConnection(db: Database.Database, run: Run): SqliteConnection {
  const prepare = preparedStatements(db);
  const write = <T>(op: () => T): Promise<T> =>
    run(() => {
      try {
        return op();
      } catch (error) {
        return translateConstraint(error);
      }
    });

  const newestFirst = (sql: string, params: unknown[], page: PageRequest): Row[] => {
    const cursor = page.after ? ' AND id < ?' : '';
    const args = page.after ? [...params, page.after, page.limit + 1] : [...params, page.limit + 1];
    return prepare(`${sql}${cursor} ORDER BY id DESC LIMIT ?`).all(...args) as Row[];
  };

  return { db, prepare, run, write, newestFirst };
}
