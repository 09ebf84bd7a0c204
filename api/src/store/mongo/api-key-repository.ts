/** The MongoDB apiKeys collection. */
import type { mongo } from 'mongoose';
import type { ApiKeyRecord, ApiKeyRepository } from '../port.js';
import type { Collections, ApiKeyDoc } from './mongo-collections.js';
import { orNull, pageOf, mapOne, newestFirst } from './mongo-documents.js';
import { write } from './mongo-writes.js';

const fromApiKey = (k: ApiKeyRecord): ApiKeyDoc => ({
  _id: k.id,
  orgId: k.orgId,
  name: k.name,
  role: k.role,
  secretHash: k.secretHash,
  createdBy: k.createdBy,
  createdAt: k.createdAt,
  revokedAt: orNull(k.revokedAt),
});

const toApiKey = (d: ApiKeyDoc): ApiKeyRecord => ({
  id: d._id,
  orgId: d.orgId,
  name: d.name,
  role: d.role,
  secretHash: d.secretHash,
  createdBy: d.createdBy,
  createdAt: d.createdAt,
  revokedAt: orNull(d.revokedAt),
});

export function apiKeyRepository(c: Collections, session?: mongo.ClientSession): ApiKeyRepository {
  const opts = session ? { session } : {};

  return {
    insert: async (k) => {
      await write(() => c.apiKeys.insertOne(fromApiKey(k), opts));
    },
    findById: async (id) => mapOne(await c.apiKeys.findOne({ _id: id }, opts), toApiKey),
    list: async (orgId, page) => pageOf((await newestFirst(c.apiKeys, { orgId }, page, session)).map(toApiKey), page.limit),
    revoke: async (id, at) => {
      await c.apiKeys.updateOne({ _id: id, revokedAt: null }, { $set: { revokedAt: at } }, opts);
    },
  };
}
