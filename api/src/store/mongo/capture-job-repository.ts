/** The MongoDB capture_jobs collection. */
import type { mongo } from 'mongoose';
import type { CaptureJobRecord, CaptureJobRepository } from '../port.js';
import type { Collections } from './mongo-collections.js';
import { plain, pageOf, toDoc, fromDoc, mapOne, newestFirst } from './mongo-documents.js';
import { write } from './mongo-writes.js';

export function captureJobRepository(c: Collections, session?: mongo.ClientSession): CaptureJobRepository {
  const opts = session ? { session } : {};

  return {
    insert: async (j) => {
      await write(() => c.captureJobs.insertOne(toDoc(j), opts));
    },
    findById: async (id) => mapOne(await c.captureJobs.findOne({ _id: id }, opts), fromDoc<CaptureJobRecord>),
    finish: async (id, o) => {
      const result = await c.captureJobs.updateOne(
        { _id: id, running: true },
        { $set: { running: false, finishedAt: o.finishedAt, success: o.success, eventIds: o.eventIds, errors: plain(o.errors) } },
        opts,
      );
      return result.matchedCount === 1;
    },
    list: async (orgIds, page) => pageOf((await newestFirst(c.captureJobs, { orgId: { $in: orgIds } }, page, session)).map(fromDoc<CaptureJobRecord>), page.limit),
    listRunning: async () => (await c.captureJobs.find({ running: true }, { ...opts, projection: { _id: 1 } }).sort({ _id: 1 }).toArray()).map((d) => d._id),
  };
}
