import { z } from 'zod';
import { Id } from '../../core/schemas.js';

export const Media = z.object({
  id: z.string(),
  sha256: z.string().describe('SHA-256 of the uploaded bytes, as signed in the media event'),
  mediaType: z.string().describe('Sniffed from the content'),
  bytes: z.number().int(),
  width: z.number().int().nullable(),
  height: z.number().int().nullable(),
  renditions: z.array(z.object({ width: z.number().int(), url: z.string(), sha256: z.string() })).describe('Public WebP renditions without metadata; none for documents'),
  evidence: z.object({
    takenAt: z.string().nullable().describe('EXIF capture time (ISO 8601; +07:00 assumed when the camera gives no offset)'),
    gps: z.object({ lat: z.number(), lon: z.number() }).nullable(),
  }),
  attachesTo: z.string().nullable(),
  eventId: z.string().nullable().describe('The signed media event; null for product catalog photos'),
  createdAt: z.string(),
});

export const MediaList = z.object({ items: z.array(Media) });

export const StepMediaParams = z.strictObject({ id: Id, stepId: z.string().regex(/^[0-9a-f]{64}$/, 'a step id is a 64-digit hex event hash') });

export const RenditionParams = z.strictObject({ file: z.string().regex(/^[0-9a-f]{64}\.webp$/, 'a rendition is <sha256>.webp') });
