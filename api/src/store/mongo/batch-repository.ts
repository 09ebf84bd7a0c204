/** The MongoDB batches collection and the lot_serials it commissions items into. */
import type { mongo } from 'mongoose';
import type { BatchPatch, BatchRecord, BatchRepository } from '../port.js';
import type { Collections, BatchDoc } from './mongo-collections.js';
import { plain, orNull, byString, sortedUnique, pageOf, mapOne, newestFirst } from './mongo-documents.js';
import { write } from './mongo-writes.js';

const fromBatch = (b: BatchRecord): BatchDoc => ({
  _id: b.id,
  orgId: b.orgId,
  custodianOrgId: b.custodianOrgId,
  pendingReceiverOrgId: orNull(b.pendingReceiverOrgId),
  accessOrgIds: sortedUnique(b.accessOrgIds),
  plotIds: plain(b.plotIds),
  derivedFrom: plain(b.derivedFrom),
  product: b.product,
  variety: orNull(b.variety),
  harvestedAt: orNull(b.harvestedAt),
  harvestPeriod: b.harvestPeriod ? plain(b.harvestPeriod) : null,
  quantity: plain(b.quantity),
  lotNumber: b.lotNumber,
  gtin: orNull(b.gtin),
  code: b.code,
  published: Boolean(b.published),
  publishedAt: orNull(b.publishedAt),
  createdBy: orNull(b.createdBy),
  createdAt: b.createdAt,
});

const toBatch = (d: BatchDoc): BatchRecord => ({
  id: d._id,
  orgId: d.orgId,
  custodianOrgId: d.custodianOrgId,
  pendingReceiverOrgId: orNull(d.pendingReceiverOrgId),
  accessOrgIds: [...d.accessOrgIds].sort(byString),
  plotIds: d.plotIds,
  derivedFrom: d.derivedFrom,
  product: d.product,
  variety: orNull(d.variety),
  harvestedAt: orNull(d.harvestedAt),
  harvestPeriod: d.harvestPeriod ?? null,
  quantity: d.quantity,
  lotNumber: d.lotNumber,
  gtin: orNull(d.gtin),
  code: d.code,
  published: d.published === true,
  publishedAt: orNull(d.publishedAt),
  createdBy: orNull(d.createdBy),
  createdAt: d.createdAt,
});

export function batchRepository(c: Collections, session?: mongo.ClientSession): BatchRepository {
  const opts = session ? { session } : {};

  return {
    insert: async (b) => {
      await write(() => c.batches.insertOne(fromBatch(b), opts));
    },
    findById: async (id) => mapOne(await c.batches.findOne({ _id: id }, opts), toBatch),
    findByCode: async (code) => mapOne(await c.batches.findOne({ code }, opts), toBatch),
    findByGtinLot: async (gtin, lotNumber) => mapOne(await c.batches.findOne({ gtin, lotNumber }, opts), toBatch),
    findByOrgProductLot: async (orgId, product, lotNumber) =>
      mapOne(await c.batches.findOne({ orgId, product, lotNumber }, opts), toBatch),
    publishedFromPlot: async (plotId, limit) =>
      (await c.batches.find({ plotIds: plotId, published: true }, opts).sort({ _id: -1 }).limit(limit).toArray()).map(toBatch),
    list: async (orgIds, page) =>
      pageOf((await newestFirst(c.batches, { accessOrgIds: { $in: orgIds } }, page, session)).map(toBatch), page.limit),
    update: async (id, patch: BatchPatch) => {
      const set: BatchPatch = {};
      if (patch.custodianOrgId !== undefined) set.custodianOrgId = patch.custodianOrgId;
      if (patch.pendingReceiverOrgId !== undefined) set.pendingReceiverOrgId = patch.pendingReceiverOrgId;
      if (patch.published !== undefined) set.published = Boolean(patch.published);
      if (patch.publishedAt !== undefined) set.publishedAt = patch.publishedAt;
      if (Object.keys(set).length === 0) return;
      await write(() => c.batches.updateOne({ _id: id }, { $set: set }, opts));
    },
    grantAccess: async (id, orgIds) => {
      if (orgIds.length === 0) return;
      // $addToSet keeps the set; reads sort it, as SQLite's ORDER BY org_id does.
      await c.batches.updateOne({ _id: id }, { $addToSet: { accessOrgIds: { $each: [...new Set(orgIds)] } } }, opts);
    },
    addSerials: async (id, gtin, serials) => {
      if (serials.length === 0) return;
      // Upserts that only set on insert: a serial already in a lot stays there, and no
      // duplicate-key error aborts the enclosing transaction.
      await c.lotSerials.bulkWrite(
        serials.map((serial) => ({ updateOne: { filter: { _id: `${gtin}/${serial}` }, update: { $setOnInsert: { batchId: id } }, upsert: true } })),
        { ...opts, ordered: true },
      );
    },
    findBySerial: async (gtin, serial) => {
      const entry = await c.lotSerials.findOne({ _id: `${gtin}/${serial}` }, opts);
      return entry ? mapOne(await c.batches.findOne({ _id: entry.batchId }, opts), toBatch) : null;
    },
  };
}
