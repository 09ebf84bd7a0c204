/** The MongoDB scans collection and its counts. */
import type { mongo } from 'mongoose';
import { isClientType, zeroClientTypeCounts } from '../../domain/client-type.js';
import { SCAN_DAY_UTC_OFFSET_MINUTES, type ScanCounts, type ScanRepository } from '../port.js';
import type { Collections } from './mongo-collections.js';

/** `$dateToString` takes a fixed offset as `+hh:mm`. */
const SCAN_DAY_TIMEZONE = `+${String(Math.floor(SCAN_DAY_UTC_OFFSET_MINUTES / 60)).padStart(2, '0')}:${String(SCAN_DAY_UTC_OFFSET_MINUTES % 60).padStart(2, '0')}`;

interface ScanFacets {
  byType: Array<{ _id: string; n: number }>;
  byDay: Array<{ _id: string; n: number }>;
}

export function scanRepository(c: Collections, session?: mongo.ClientSession): ScanRepository {
  const opts = session ? { session } : {};

  return {
    insertMany: async (scans) => {
      if (scans.length === 0) return;
      const docs = scans.map((s) => ({ batchId: s.batchId, at: new Date(s.at), clientType: s.clientType }));
      await c.scans.insertMany(docs, { ...opts, ordered: true });
    },
    countFor: async (batchId, window) => {
      const [facets] = await c.scans
        .aggregate<ScanFacets>(
          [
            { $match: { batchId, at: { $gte: new Date(window.from), $lt: new Date(window.to) } } },
            {
              $facet: {
                byType: [{ $group: { _id: '$clientType', n: { $sum: 1 } } }],
                byDay: [
                  { $group: { _id: { $dateToString: { format: '%Y-%m-%d', date: '$at', timezone: SCAN_DAY_TIMEZONE } }, n: { $sum: 1 } } },
                  { $sort: { _id: 1 } },
                ],
              },
            },
          ],
          opts,
        )
        .toArray();
      const counts: ScanCounts = { total: 0, byClientType: zeroClientTypeCounts(), byDay: [] };
      for (const t of facets?.byType ?? []) {
        counts.total += t.n;
        if (isClientType(t._id)) counts.byClientType[t._id] += t.n;
      }
      counts.byDay = (facets?.byDay ?? []).map((d) => ({ day: d._id, count: d.n }));
      return counts;
    },
  };
}
