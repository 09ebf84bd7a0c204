import { z } from 'zod';
import { refinement } from '../../core/validation.js';
import { IsoDate } from '../../core/schemas.js';
import { CLIENT_TYPES } from '../../domain/client-type.js';

/** The longest window one request may count, in days (a leap year): the answer and the query stay bounded. */
export const MAX_SCAN_WINDOW_DAYS = 366;

/** Scans began long after 1970; the bound keeps the day arithmetic within four-digit years. */
const ScanDay = IsoDate.refine((day) => day >= '1970-01-01' && day <= '9998-12-31', refinement('invalid-value', 'a day between 1970-01-01 and 9998-12-31', { minimum: '1970-01-01', maximum: '9998-12-31' }));

export const ScanQuery = z.strictObject({
  from: ScanDay.optional().describe(`First day counted (YYYY-MM-DD, Vietnam time); default: ${MAX_SCAN_WINDOW_DAYS - 1} days before \`to\``),
  to: ScanDay.optional().describe(`Last day counted, inclusive (YYYY-MM-DD, Vietnam time); default: today; at most ${MAX_SCAN_WINDOW_DAYS} days after \`from\``),
});
export type ScanQuery = z.output<typeof ScanQuery>;

export const ScanReport = z.object({
  batchId: z.string(),
  from: z.string().describe('First day counted (Vietnam time)'),
  to: z.string().describe('Last day counted, inclusive (Vietnam time)'),
  total: z.number().int().describe('Every resolve of the lot’s link in the window, robots included'),
  byClientType: z.record(z.enum(CLIENT_TYPES), z.number().int()).describe('From the User-Agent; every type is present'),
  byDay: z.array(z.object({ day: z.string(), count: z.number().int() })).describe('Days (Vietnam time) with at least one scan, oldest first'),
});
export type ScanReport = z.output<typeof ScanReport>;
