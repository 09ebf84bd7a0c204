import { createHash } from 'node:crypto';
import exifr from 'exifr';
import { fileTypeFromBuffer } from 'file-type';
import sharp from 'sharp';
import { AppError, ValidationError, problemType } from '../core/errors.js';
import type { MediaEvidence } from '../store/port.js';

/**
 * What an upload becomes before anything is stored: its type sniffed from the bytes (never the
 * name), photos decoded with a pixel limit, capture time and GPS read from EXIF, and WebP
 * renditions that carry no metadata at all. Nothing here writes; a file that fails any check
 * is rejected before its request stores a byte.
 */
export interface MediaLimits {
  maxFileBytes: number;
  maxFiles: number;
  maxPixels: number;
  /** Upload requests processed at once, across all upload routes. */
  maxConcurrentUploads: number;
}

/** Rendition widths for responsive pages (a 360 px phone at 1×, 2×, and a desktop). */
export const RENDITION_WIDTHS = [320, 640, 1280] as const;

const PHOTO_TYPES = new Set(['image/jpeg', 'image/png', 'image/webp', 'image/avif']);
const DOCUMENT_TYPES = new Set(['application/pdf']);

export interface ProcessedMedia {
  sha256: string;
  mediaType: string;
  bytes: Uint8Array;
  width: number | null;
  height: number | null;
  evidence: MediaEvidence;
  renditions: Array<{ width: number; sha256: string; bytes: Uint8Array }>;
}

export const sha256Hex = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

export async function processUpload(bytes: Uint8Array, path: string, limits: MediaLimits): Promise<ProcessedMedia> {
  const mediaType = await sniffMediaType(bytes, path);
  if (DOCUMENT_TYPES.has(mediaType)) return processDocument(bytes, path);
  if (PHOTO_TYPES.has(mediaType)) return processPhoto(bytes, mediaType, path, limits);
  throw unsupportedMediaType(path, mediaType, 'photos must be JPEG, PNG, WebP or AVIF, documents PDF');
}

/** The MIME type of the bytes themselves ('unknown' when no signature matches); the file name never counts. 400 for an empty file. */
export async function sniffMediaType(bytes: Uint8Array, path: string): Promise<string> {
  if (bytes.length === 0) throw ValidationError.field(path, 'file-empty', 'the file is empty');
  return (await fileTypeFromBuffer(bytes))?.mime ?? 'unknown';
}

/** The 415 for content of `mediaType` that an upload does not take; `accepted` tells the client what it does take. */
export function unsupportedMediaType(path: string, mediaType: string, accepted: string): AppError {
  return new AppError({
    status: 415,
    type: problemType('unsupported-media-type'),
    code: 'unsupported-media-type',
    params: { mediaType },
    title: 'Unsupported media type',
    detail:
      mediaType === 'image/heic' || mediaType === 'image/heif'
        ? 'HEIC photos cannot be decoded here; set the camera to "Most compatible" (JPEG) or convert the photo.'
        : `The file's content is ${mediaType === 'unknown' ? 'not a known type' : mediaType}; ${accepted}.`,
    errors: [{ path, code: 'file-unsupported-type', message: `unsupported content type ${mediaType}`, params: { mediaType } }],
  });
}

function processDocument(bytes: Uint8Array, path: string): ProcessedMedia {
  const tail = Buffer.from(bytes.subarray(Math.max(0, bytes.length - 1024))).toString('latin1');
  if (!tail.includes('%%EOF')) throw ValidationError.field(path, 'file-truncated', 'the PDF is truncated (no end-of-file marker)');
  return { sha256: sha256Hex(bytes), mediaType: 'application/pdf', bytes, width: null, height: null, evidence: { takenAt: null, gps: null }, renditions: [] };
}

async function processPhoto(bytes: Uint8Array, mediaType: string, path: string, limits: MediaLimits): Promise<ProcessedMedia> {
  const decoder = () => sharp(bytes, { limitInputPixels: limits.maxPixels, failOn: 'truncated', sequentialRead: true });
  const { width, height } = await photoDimensions(bytes, path, limits.maxPixels);
  const evidence = await readEvidence(bytes);
  const widths = [...new Set(RENDITION_WIDTHS.map((w) => Math.min(w, width)))];
  const renditions = [];
  try {
    for (const w of widths) {
      // rotate() applies the EXIF orientation; sharp writes no metadata unless asked to.
      const out = await decoder().rotate().resize({ width: w, withoutEnlargement: true }).webp({ quality: 78, effort: 4 }).toBuffer();
      renditions.push({ width: w, sha256: sha256Hex(out), bytes: new Uint8Array(out) });
    }
  } catch {
    throw ValidationError.field(path, 'image-undecodable', 'the image cannot be decoded (corrupt or truncated)');
  }
  return { sha256: sha256Hex(bytes), mediaType, bytes, width, height, evidence, renditions };
}

/** Upright width and height read from the header: 413 past `maxPixels`, 400 when there is no readable header. */
export async function photoDimensions(bytes: Uint8Array, path: string, maxPixels: number): Promise<{ width: number; height: number }> {
  try {
    // The header is read without the limit (it decodes no pixels), so an oversized image is named as such.
    const meta = await sharp(bytes, { limitInputPixels: false }).metadata();
    if (!meta.width || !meta.height) throw new Error('no dimensions');
    if (meta.width * meta.height > maxPixels) throw pixelLimit(path, meta.width, meta.height, maxPixels);
    // EXIF orientations 5-8 swap the axes.
    const swapped = (meta.orientation ?? 1) >= 5;
    return { width: swapped ? meta.height : meta.width, height: swapped ? meta.width : meta.height };
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw ValidationError.field(path, 'image-undecodable', 'the image cannot be decoded (corrupt or truncated)');
  }
}

function pixelLimit(path: string, width: number, height: number, max: number): AppError {
  return new AppError({
    status: 413,
    type: problemType('too-many-pixels'),
    code: 'too-many-pixels',
    params: { maximum: max, width, height },
    title: 'Image too large',
    detail: `The image is ${width}×${height} pixels; at most ${max.toLocaleString('en')} pixels are accepted.`,
    errors: [{ path, code: 'image-too-many-pixels', message: `more than ${max} pixels`, params: { maximum: max } }],
  });
}

/** Capture time and position from EXIF, read before the metadata is stripped from renditions. */
async function readEvidence(bytes: Uint8Array): Promise<MediaEvidence> {
  let tags: Record<string, unknown> | undefined;
  try {
    tags = (await exifr.parse(Buffer.from(bytes), { gps: true, exif: true, tiff: true, xmp: false, icc: false, iptc: false, reviveValues: false })) as
      | Record<string, unknown>
      | undefined;
  } catch {
    tags = undefined;
  }
  if (!tags) return { takenAt: null, gps: null };
  return { takenAt: takenAtOf(tags), gps: gpsOf(tags) };
}

function takenAtOf(tags: Record<string, unknown>): string | null {
  // Not DateTime: that is when the file was last changed, not when the photo was taken.
  const raw = tags.DateTimeOriginal ?? tags.CreateDate;
  if (typeof raw !== 'string') return null;
  const match = /^(\d{4}):(\d{2}):(\d{2})[ T](\d{2}):(\d{2}):(\d{2})/.exec(raw);
  if (!match) return null;
  const offset = typeof tags.OffsetTimeOriginal === 'string' && /^[+-]\d{2}:\d{2}$/.test(tags.OffsetTimeOriginal) ? tags.OffsetTimeOriginal : '+07:00';
  const [, y, mo, d, h, mi, s] = match;
  const iso = `${y}-${mo}-${d}T${h}:${mi}:${s}${offset}`;
  return Number.isNaN(Date.parse(iso)) ? null : iso;
}

function gpsOf(tags: Record<string, unknown>): MediaEvidence['gps'] {
  const toDegrees = (value: unknown, ref: unknown, negative: string): number | null => {
    if (!Array.isArray(value) || value.length !== 3 || !value.every((v) => typeof v === 'number' && Number.isFinite(v))) return null;
    const [deg, min, sec] = value as [number, number, number];
    const degrees = deg + min / 60 + sec / 3600;
    return ref === negative ? -degrees : degrees;
  };
  const lat = toDegrees(tags.GPSLatitude, tags.GPSLatitudeRef, 'S');
  const lon = toDegrees(tags.GPSLongitude, tags.GPSLongitudeRef, 'W');
  if (lat === null || lon === null || Math.abs(lat) > 90 || Math.abs(lon) > 180) return null;
  return { lat: Number(lat.toFixed(7)), lon: Number(lon.toFixed(7)) };
}
