/** The SQLite idempotency_keys table. */
import type { IdempotencyRecord, IdempotencyRepository } from '../port.js';
import type { SqliteConnection } from './sqlite-connection.js';
import { type Row, json, parse } from './sqlite-rows.js';

export function idempotencyRepository({ prepare, write }: SqliteConnection): IdempotencyRepository {
  return {
    claim: (r: IdempotencyRecord) =>
      write(() => {
        const inserted = prepare(
            `INSERT OR IGNORE INTO idempotency_keys (scope, key, request_hash, state, status, body, location, created_at)
             VALUES (?,?,?,?,?,?,?,?)`,
          )
          .run(r.scope, r.key, r.requestHash, r.state, r.status, json(r.body ?? null), r.location, r.createdAt);
        if (inserted.changes === 1) return null;
        const row = prepare('SELECT * FROM idempotency_keys WHERE scope = ? AND key = ?').get(r.scope, r.key) as Row;
        return {
          scope: row.scope as string,
          key: row.key as string,
          requestHash: row.request_hash as string,
          state: row.state as IdempotencyRecord['state'],
          status: row.status as number | null,
          body: parse(row.body),
          location: row.location as string | null,
          createdAt: row.created_at as string,
        };
      }),
    complete: (scope, key, status, body, location) =>
      write(() => {
        prepare("UPDATE idempotency_keys SET state = 'done', status = ?, body = ?, location = ? WHERE scope = ? AND key = ?").run(
          status, json(body), location, scope, key,
        );
      }),
    release: (scope, key) =>
      write(() => {
        prepare("DELETE FROM idempotency_keys WHERE scope = ? AND key = ? AND state = 'pending'").run(scope, key);
      }),
  };
}
