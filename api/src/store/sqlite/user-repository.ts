/** The SQLite users table. */
import type { UserRecord, UserRepository } from '../port.js';
import type { SqliteConnection } from './sqlite-connection.js';
import { type Row, pageOf, placeholders, mapOne } from './sqlite-rows.js';

const toUser = (r: Row): UserRecord => ({
  id: r.id as string,
  orgId: r.org_id as string,
  email: r.email as string | null,
  phone: r.phone as string | null,
  name: r.name as string,
  role: r.role as UserRecord['role'],
  passwordHash: r.password_hash as string | null,
  pinHash: r.pin_hash as string | null,
  createdAt: r.created_at as string,
});

export function userRepository({ prepare, run, write, newestFirst }: SqliteConnection): UserRepository {
  return {
    insert: (u) =>
      write(() => {
        prepare('INSERT INTO users (id, org_id, email, phone, name, role, password_hash, pin_hash, created_at) VALUES (?,?,?,?,?,?,?,?,?)').run(
          u.id, u.orgId, u.email, u.phone, u.name, u.role, u.passwordHash, u.pinHash, u.createdAt,
        );
      }),
    findById: (id) => run(() => mapOne(prepare('SELECT * FROM users WHERE id = ?').get(id), toUser)),
    findByEmail: (email) => run(() => mapOne(prepare('SELECT * FROM users WHERE email = ?').get(email), toUser)),
    findByPhone: (phone) => run(() => mapOne(prepare('SELECT * FROM users WHERE phone = ?').get(phone), toUser)),
    setPinHash: (id, pinHash) =>
      write(() => {
        prepare('UPDATE users SET pin_hash = ? WHERE id = ? AND phone IS NOT NULL').run(pinHash, id);
      }),
    list: (orgIds, page) =>
      run(() => pageOf(newestFirst(`SELECT * FROM users WHERE org_id IN (${placeholders(orgIds)})`, orgIds, page).map(toUser), page.limit)),
  };
}
