/**
 * Plot geolocation for an EU Deforestation Regulation due-diligence statement: a GeoJSON
 * FeatureCollection as the EU information system (TRACES) reads it.
 *
 * - WGS84 [longitude, latitude]; Point or Polygon (the input types have no Multi* geometries).
 * - Properties with the EU's case-sensitive names `ProducerName`, `ProducerCountry`,
 *   `ProductionPlace`, `Area` (hectares; required on points, written on polygons too when known,
 *   where it is harmless), and ours under names the EU does not use: `plotId`, `commodities`,
 *   `harvestStart`, `harvestEnd`.
 * - Coordinates with at least 6 decimals and their value unchanged (see `formatCoordinate`).
 * - At most `maxBytes` per file (25 MB by default): the writer stops before the first feature
 *   that would not fit, closes the collection so the file is still valid, and reports the index
 *   of that item in `truncatedAt`.
 *
 * Plots that fail `eudrProblems` are not written; they come back in `skipped`.
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { cleanText, eudrProblems, skippedItem } from './feed-rules.js';
import type { EudrPlot, ExportSummary } from './feed-types.js';

/**
 * The EU information system's limit is "25 MB" per file; counted in decimal megabytes, which is
 * the smaller reading, so a file is accepted whichever the system means.
 */
export const EUDR_MAX_BYTES = 25_000_000;

export interface EudrExportOptions {
  /** Largest file size in bytes (UTF-8), header and closing brackets included. */
  maxBytes?: number;
}

export interface EudrExportSummary extends ExportSummary {
  /** Bytes written to `out`. */
  bytes: number;
  /**
   * Index, in the input sequence (skipped plots counted), of the first plot not written because
   * it would have made the file larger than `maxBytes`; null when every plot was handled.
   * Plots from that index on were neither written nor checked.
   */
  truncatedAt: number | null;
}

/**
 * `n` in plain decimal notation (never an exponent) with the digits of its shortest round-trip
 * representation: JavaScript's `String(n)` is the shortest decimal that reads back as exactly
 * `n`, so no digit is invented or lost. Only very small or very large numbers need expanding.
 */
function plainDecimal(n: number): string {
  const s = String(n);
  const m = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(s);
  if (!m) return s;
  const sign = m[1] ?? '';
  const lead = m[2] ?? '0';
  const frac = m[3] ?? '';
  const exp = Number(m[4]);
  const digits = lead + frac;
  if (exp < 0) return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
  const intLength = 1 + exp;
  return digits.length <= intLength
    ? sign + digits + '0'.repeat(intLength - digits.length)
    : `${sign}${digits.slice(0, intLength)}.${digits.slice(intLength)}`;
}

/**
 * A coordinate as a JSON number with at least 6 decimals and exactly the input's value: a value
 * with more decimals keeps them all (108.412345678912 stays as is), one with fewer is padded with
 * zeros (108.4 → 108.400000), which JSON allows and which parses back to the same double.
 *
 * Padding is a formatting requirement, not added precision: a coordinate recorded as 108.4 is
 * still only as precise as it was measured.
 */
export function formatCoordinate(n: number): string {
  if (!Number.isFinite(n)) throw new RangeError(`coordinate ${n} is not a finite number`);
  const s = plainDecimal(n);
  const dot = s.indexOf('.');
  const decimals = dot < 0 ? 0 : s.length - dot - 1;
  if (decimals >= 6) return s;
  return (dot < 0 ? `${s}.` : s) + '0'.repeat(6 - decimals);
}

function positionJson(position: readonly number[]): string {
  return `[${formatCoordinate(position[0]!)},${formatCoordinate(position[1]!)}]`;
}

function geometryJson(geometry: EudrPlot['geometry']): string {
  if (geometry.type === 'Point') {
    return `{"type":"Point","coordinates":${positionJson(geometry.coordinates)}}`;
  }
  const rings = geometry.coordinates.map((ring) => `[${ring.map(positionJson).join(',')}]`);
  return `{"type":"Polygon","coordinates":[${rings.join(',')}]}`;
}

/** One Feature; properties through JSON.stringify (correct string escaping), geometry by hand. */
export function eudrFeatureJson(p: EudrPlot): string {
  const properties: Record<string, unknown> = {
    ProducerName: cleanText(p.producerName, true),
    ProducerCountry: p.producerCountry,
    ProductionPlace: cleanText(p.productionPlace, true),
  };
  if (p.areaHa != null) properties.Area = p.areaHa;
  properties.plotId = cleanText(p.plotId, true);
  properties.commodities = p.commodities.map((c) => cleanText(c, true));
  properties.harvestStart = p.harvestPeriod?.from ?? null;
  properties.harvestEnd = p.harvestPeriod?.to ?? null;
  return `{"type":"Feature","properties":${JSON.stringify(properties)},"geometry":${geometryJson(p.geometry)}}`;
}

const HEADER = '{"type":"FeatureCollection","features":[';
const FOOTER = '\n]}\n';

/**
 * Streams the plots of `items` to `out` as one FeatureCollection of at most `maxBytes` bytes.
 *
 * When the next feature would exceed the limit, the writer stops pulling from `items` (the source
 * iterator is closed), closes the collection and returns `truncatedAt`; to split an export into
 * numbered files, call again with a fresh `out` and the source starting at that index. A single
 * plot larger than `maxBytes` cannot be written at all: a call that returns `written === 0` and
 * `truncatedAt` equal to its first index must not be retried. Does not end `out`; rejects if the
 * source throws or `out` fails.
 */
export async function writeEudrGeoJson(
  items: AsyncIterable<EudrPlot>,
  out: NodeJS.WritableStream,
  options: EudrExportOptions = {},
): Promise<EudrExportSummary> {
  const maxBytes = options.maxBytes ?? EUDR_MAX_BYTES;
  const minimum = Buffer.byteLength(HEADER) + Buffer.byteLength(FOOTER);
  if (!(maxBytes >= minimum)) throw new RangeError(`maxBytes must be at least ${minimum}`);

  const summary: EudrExportSummary = { written: 0, skipped: [], bytes: 0, truncatedAt: null };
  const footerBytes = Buffer.byteLength(FOOTER);
  async function* chunks(): AsyncGenerator<string> {
    summary.bytes += Buffer.byteLength(HEADER);
    yield HEADER;
    let index = 0;
    for await (const p of items) {
      const problems = eudrProblems(p);
      if (problems.length > 0) {
        summary.skipped.push(skippedItem(cleanText(p.plotId, true) || `#${index}`, problems));
      } else {
        const chunk = (summary.written === 0 ? '\n' : ',\n') + eudrFeatureJson(p);
        const size = Buffer.byteLength(chunk);
        if (summary.bytes + size + footerBytes > maxBytes) {
          summary.truncatedAt = index;
          break;
        }
        summary.bytes += size;
        summary.written++;
        yield chunk;
      }
      index++;
    }
    summary.bytes += footerBytes;
    yield FOOTER;
  }
  await pipeline(Readable.from(chunks()), out, { end: false });
  return summary;
}
