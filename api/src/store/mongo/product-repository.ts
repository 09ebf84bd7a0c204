/** The MongoDB products collection. */
import type { mongo } from 'mongoose';
import type { ProductRecord, ProductRepository } from '../port.js';
import type { Collections } from './mongo-collections.js';
import { pageOf, toDoc, fromDoc, mapOne, newestFirst } from './mongo-documents.js';
import { write } from './mongo-writes.js';

export function productRepository(c: Collections, session?: mongo.ClientSession): ProductRepository {
  const opts = session ? { session } : {};

  return {
    insert: async (p) => {
      await write(() => c.products.insertOne(toDoc(p), opts));
    },
    findById: async (id) => mapOne(await c.products.findOne({ _id: id }, opts), fromDoc<ProductRecord>),
    findByGtin: async (gtin) => mapOne(await c.products.findOne({ gtin }, opts), fromDoc<ProductRecord>),
    list: async (orgIds, page) => pageOf((await newestFirst(c.products, { orgId: { $in: orgIds } }, page, session)).map(fromDoc<ProductRecord>), page.limit),
    update: async (id, patch) => {
      const { _id: _ignored, ...set } = toDoc({ id, ...patch });
      if (Object.keys(set).length) await write(() => c.products.updateOne({ _id: id }, { $set: set }, opts));
    },
  };
}
