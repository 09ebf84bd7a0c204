/** The MongoDB listings collection. */
import type { mongo } from 'mongoose';
import type { ListingRecord, ListingRepository } from '../port.js';
import type { Collections } from './mongo-collections.js';
import { pageOf, toDoc, fromDoc, mapOne, newestFirst } from './mongo-documents.js';
import { write } from './mongo-writes.js';

export function listingRepository(c: Collections, session?: mongo.ClientSession): ListingRepository {
  const opts = session ? { session } : {};

  return {
    insert: async (l) => {
      await write(() => c.listings.insertOne(toDoc(l), opts));
    },
    findById: async (id) => mapOne(await c.listings.findOne({ _id: id }, opts), fromDoc<ListingRecord>),
    list: async (orgIds, page) => pageOf((await newestFirst(c.listings, { orgId: { $in: orgIds } }, page, session)).map(fromDoc<ListingRecord>), page.limit),
    listForProduct: async (productId) => (await c.listings.find({ productId }, opts).sort({ _id: 1 }).toArray()).map(fromDoc<ListingRecord>),
    remove: async (id) => {
      await c.listings.deleteOne({ _id: id }, opts);
    },
  };
}
