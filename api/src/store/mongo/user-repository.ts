/** The MongoDB users collection. */
import type { mongo } from 'mongoose';
import type { UserRecord, UserRepository } from '../port.js';
import type { Collections, UserDoc } from './mongo-collections.js';
import { pageOf, mapOne, newestFirst, orNull } from './mongo-documents.js';
import { write } from './mongo-writes.js';

/** An absent email or phone is left out of the document, so the partial unique indexes skip it. */
const fromUser = (u: UserRecord): UserDoc => ({
  _id: u.id,
  orgId: u.orgId,
  ...(u.email === null ? {} : { email: u.email }),
  ...(u.phone === null ? {} : { phone: u.phone }),
  name: u.name,
  role: u.role,
  passwordHash: u.passwordHash,
  pinHash: u.pinHash,
  createdAt: u.createdAt,
}) as UserDoc;

const toUser = (d: UserDoc): UserRecord => ({
  id: d._id,
  orgId: d.orgId,
  email: orNull(d.email),
  phone: orNull(d.phone),
  name: d.name,
  role: d.role,
  passwordHash: orNull(d.passwordHash),
  pinHash: orNull(d.pinHash),
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
    findByPhone: async (phone) => mapOne(await c.users.findOne({ phone }, opts), toUser),
    setPinHash: async (id, pinHash) => {
      await write(() => c.users.updateOne({ _id: id, phone: { $type: 'string' } }, { $set: { pinHash } }, opts));
    },
    list: async (orgIds, page) => pageOf((await newestFirst(c.users, { orgId: { $in: orgIds } }, page, session)).map(toUser), page.limit),
  };
}
