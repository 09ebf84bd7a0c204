import { z } from 'zod';
import { refinement } from '../../core/validation.js';
import { Gln, Id, IsoDate, Text } from '../../core/schemas.js';
import { CERTIFICATION_SCHEMES } from '../../domain/vocabulary.js';

export const CertificationInput = z
  .strictObject({
    scheme: z.enum(CERTIFICATION_SCHEMES),
    number: Text(100),
    issuer: Text(200),
    validFrom: IsoDate,
    validTo: IsoDate,
    stars: z.number().int().min(3).max(5).optional().describe('OCOP rating, 3 to 5 stars'),
  })
  .superRefine((c, ctx) => {
    if (c.validTo < c.validFrom) ctx.addIssue({ code: 'custom', path: ['validTo'], ...refinement('ends-before-start', 'validTo is before validFrom') });
    if (c.scheme === 'OCOP' && c.stars === undefined) ctx.addIssue({ code: 'custom', path: ['stars'], ...refinement('ocop-stars-required', 'an OCOP certificate has 3 to 5 stars', { minimum: 3, maximum: 5 }) });
    if (c.scheme !== 'OCOP' && c.stars !== undefined) ctx.addIssue({ code: 'custom', path: ['stars'], ...refinement('stars-only-for-ocop', 'stars apply only to OCOP') });
  });

export const PlotCreate = z.strictObject({
  name: Text(200),
  crops: z.array(Text(60)).min(1).max(20),
  geometry: z
    .unknown()
    .refine((value) => value !== undefined, refinement('plot-geometry-required', 'a GeoJSON Point or Polygon object is required'))
    .describe('GeoJSON Point or Polygon, WGS84 [longitude, latitude]; checked against the EUDR rules'),
  farmerId: Id.optional().describe('The farm household that works the plot; defaults to the caller’s organization'),
  declaredAreaHa: z.number().positive().max(100_000).optional().describe('Required for point plots'),
  certifications: z.array(CertificationInput).max(20).default([]),
  gln: Gln.optional().describe('GS1 GLN of the growing area; unique, and not the GLN of an organization. Once a lot from the plot is published, /414/{gln} resolves to the plot’s public page'),
});
export type PlotCreate = z.output<typeof PlotCreate>;

const Position = z.tuple([z.number(), z.number()]);

export const Plot = z.object({
  id: z.string(),
  orgId: z.string(),
  name: z.string(),
  crops: z.array(z.string()),
  geometry: z.union([
    z.object({ type: z.literal('Point'), coordinates: Position }),
    z.object({ type: z.literal('Polygon'), coordinates: z.array(z.array(Position)) }),
  ]),
  areaHa: z.number().nullable().describe('Geodesic area of the polygon; declared area for points'),
  declaredAreaHa: z.number().nullable(),
  certifications: z.array(
    z.object({
      scheme: z.enum(CERTIFICATION_SCHEMES),
      number: z.string(),
      issuer: z.string(),
      validFrom: z.string(),
      validTo: z.string(),
      stars: z.number().optional(),
      expired: z.boolean(),
    }),
  ),
  gln: z.string().nullable(),
  eventId: z.string(),
  createdAt: z.string(),
});
