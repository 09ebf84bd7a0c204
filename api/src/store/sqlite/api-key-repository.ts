/** The SQLite api_keys table. */
import type { ApiKeyRecord, ApiKeyRepository } from '../port.js';
import type { SqliteConnection } from './sqlite-connection.js';
import { type Row, pageOf, mapOne } from './sqlite-rows.js';

const toApiKey = (r: Row): ApiKeyRecord => ({
  id: r.id as string,
  orgId: r.org_id as string,
  name: r.name as string,
  role: r.role as ApiKeyRecord['role'],
  secretHash: r.secret_hash as string,
  createdBy: r.created_by as string,
  createdAt: r.created_at as string,
  revokedAt: r.revoked_at as string | null,
});

export function apiKeyRepository({ prepare, run, write, newestFirst }: SqliteConnection): ApiKeyRepository {
  return {
    insert: (k) =>
      write(() => {
        prepare('INSERT INTO api_keys (id, org_id, name, role, secret_hash, created_by, created_at, revoked_at) VALUES (?,?,?,?,?,?,?,?)').run(
          k.id, k.orgId, k.name, k.role, k.secretHash, k.createdBy, k.createdAt, k.revokedAt,
        );
      }),
    findById: (id) => run(() => mapOne(prepare('SELECT * FROM api_keys WHERE id = ?').get(id), toApiKey)),
    list: (orgId, page) => run(() => pageOf(newestFirst('SELECT * FROM api_keys WHERE org_id = ?', [orgId], page).map(toApiKey), page.limit)),
    revoke: (id, at) =>
      write(() => {
        prepare('UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL').run(at, id);
      }),
  };
}
