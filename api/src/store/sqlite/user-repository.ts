/** The SQLite users table. */
import type { UserRecord, UserRepository } from '../port.js';
import type { SqliteConnection } from './sqlite-connection.js';
import { type Row, pageOf, placeholders, mapOne } from './sqlite-rows.js';

const toUser = (r: Row): UserRecord => ({
  id: r.id as string,
  orgId: r.org_id as string,
  email: r.email as string,
  name: r.name as string,
  role: r.role as UserRecord['role'],
  passwordHash: r.password_hash as string,
  createdAt: r.created_at as string,
});

export function userRepository({ prepare, run, write, newestFirst }: SqliteConnection): UserRepository {
  return {
    insert: (u) =>
      write(() => {
        prepare('INSERT INTO users (id, org_id, email, name, role, password_hash, created_at) VALUES (?,?,?,?,?,?,?)').run(
          u.id, u.orgId, u.email, u.name, u.role, u.passwordHash, u.createdAt,
        );
      }),
    findById: (id) => run(() => mapOne(prepare('SELECT * FROM users WHERE id = ?').get(id), toUser)),
    findByEmail: (email) => run(() => mapOne(prepare('SELECT * FROM users WHERE email = ?').get(email), toUser)),
    list: (orgIds, page) =>
      run(() => pageOf(newestFirst(`SELECT * FROM users WHERE org_id IN (${placeholders(orgIds)})`, orgIds, page).map(toUser), page.limit)),
  };
}
