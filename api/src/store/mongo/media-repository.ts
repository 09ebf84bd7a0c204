/** The MongoDB media collection. */
import type { mongo } from 'mongoose';
import type { MediaRecord, MediaRepository } from '../port.js';
import type { Collections, MediaDoc } from './mongo-collections.js';
import { plain, orNull, mapOne } from './mongo-documents.js';
import { write } from './mongo-writes.js';

const fromMedia = (m: MediaRecord): MediaDoc => {
  const { id, ...rest } = plain(m);
  return { _id: id, ...rest };
};

const toMedia = (d: MediaDoc): MediaRecord => ({
  id: d._id,
  orgId: d.orgId,
  targetKind: d.targetKind,
  targetId: d.targetId,
  attachesTo: orNull(d.attachesTo),
  sha256: d.sha256,
  mediaType: d.mediaType,
  bytes: d.bytes,
  width: orNull(d.width),
  height: orNull(d.height),
  renditions: d.renditions.map((r) => ({ width: r.width, sha256: r.sha256 })),
  evidence: { takenAt: orNull(d.evidence.takenAt), gps: d.evidence.gps ? { lat: d.evidence.gps.lat, lon: d.evidence.gps.lon } : null },
  eventId: orNull(d.eventId),
  createdBy: orNull(d.createdBy),
  createdAt: d.createdAt,
});

export function mediaRepository(c: Collections, session?: mongo.ClientSession): MediaRepository {
  const opts = session ? { session } : {};

  return {
    insert: async (m) => {
      await write(() => c.media.insertOne(fromMedia(m), opts));
    },
    findById: async (id) => mapOne(await c.media.findOne({ _id: id }, opts), toMedia),
    listFor: async (targetId) => (await c.media.find({ targetId }, opts).sort({ _id: 1 }).toArray()).map(toMedia),
  };
}
