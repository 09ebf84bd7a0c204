/** Resolves of lots' links (scans) and their counts: record, day boundary and repository. */

import type { ClientType } from '../../domain/client-type.js';

/** One resolve of a lot's link. Nothing about the client beyond its coarse type is kept: no IP, no User-Agent. */
export interface ScanRecord {
  batchId: string;
  /** When it was resolved: `Date.prototype.toISOString()` form (UTC, milliseconds), so strings order as times. */
  at: string;
  clientType: ClientType;
}

/** Scan counts are grouped by calendar day in Vietnam time (Asia/Ho_Chi_Minh: UTC+07:00, no daylight saving since 1975). */
export const SCAN_DAY_UTC_OFFSET_MINUTES = 7 * 60;

export interface ScanCounts {
  total: number;
  byClientType: Record<ClientType, number>;
  /** Days (YYYY-MM-DD, Vietnam time) with at least one scan, oldest first. */
  byDay: Array<{ day: string; count: number }>;
}

export interface ScanRepository {
  /** Appends the rows in one write (call it inside `transaction` for all-or-nothing on every adapter). */
  insertMany(scans: ScanRecord[]): Promise<void>;
  /** Counts of the lot's scans with `from <= at < to` (ISO instants in `toISOString()` form), aggregated by the database. */
  countFor(batchId: string, window: { from: string; to: string }): Promise<ScanCounts>;
}
