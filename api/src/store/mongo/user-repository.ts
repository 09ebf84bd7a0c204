/** The MongoDB users collection. */
import type { mongo } from 'mongoose';
import type { UserRecord, UserRepository } from '../port.js';
import type { Collections, UserDoc } from './mongo-collections.js';
import { pageOf, mapOne, newestFirst } from './mongo-documents.js';
import { write } from './mongo-writes.js';

const fromUser = (u: UserRecord): UserDoc => ({
  _id: u.id,
  orgId: u.orgId,
  email: u.email,
  name: u.name,
  role: u.role,
  passwordHash: u.passwordHash,
  createdAt: u.createdAt,
});

const toUser = (d: UserDoc): UserRecord => ({
  id: d._id,
  orgId: d.orgId,
  email: d.email,
  name: d.name,
  role: d.role,
  passwordHash: d.passwordHash,
  createdAt: d.createdAt,
});

export function userRepository(c: Collections, session?: mongo.ClientSession): UserRepository {
  const opts = session ? { session } : {};

  return {
    insert: async (u) => {
      await write(() => c.users.insertOne(fromUser(u), opts));
    },
    findById: async (id) => mapOne(await c.users.findOne({ _id: id }, opts), toUser),
    findByEmail: async (email) => mapOne(await c.users.findOne({ email }, opts), toUser),
    list: async (orgIds, page) => pageOf((await newestFirst(c.users, { orgId: { $in: orgIds } }, page, session)).map(toUser), page.limit),
  };
}
