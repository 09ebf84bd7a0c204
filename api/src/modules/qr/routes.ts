import { createHash } from 'node:crypto';
import type { RequestHandler } from 'express';
import { z } from 'zod';
import type { ApiRouter } from '../../core/api-router.js';
import { IdParams } from '../../core/schemas.js';
import { LABELS_PER_PAGE, writeLabelSheet } from '../../qr/label-sheet.js';
import { QR_ERROR_CORRECTION, QR_PNG_WIDTH, qrPng, qrSvg } from '../../qr/qr-code.js';
import type { QrService } from './service.js';

/** Labels per sheet request: up to 42 A4 pages, enough for a lot's print run without an unbounded document. */
export const LABEL_COUNT = { min: 1, max: 1000, default: LABELS_PER_PAGE } as const;
/** Width of the PNG each label draws, scaled to about 32 mm: over 400 dpi, and the same cached image every sheet uses. */
const LABEL_QR_PNG_WIDTH = 512;

const Ecc = z.enum(QR_ERROR_CORRECTION).default('M').describe('Error correction: L, M, Q or H (raised to H when a logo is drawn)');
const Logo = z
  .enum(['0', '1'])
  .default('0')
  .describe('1: draw the logo of the lot’s owning organization (or of its cooperative) in the centre; 409 naming `logo` when there is none');
const QrQuery = z.strictObject({
  ecc: Ecc,
  size: z.coerce.number().int().min(QR_PNG_WIDTH.min).max(QR_PNG_WIDTH.max).default(QR_PNG_WIDTH.default).describe('PNG width in pixels (PNG only)'),
  logo: Logo,
});
const QrSvgQuery = QrQuery.omit({ size: true });
const LabelQuery = z.strictObject({
  count: z.coerce.number().int().min(LABEL_COUNT.min).max(LABEL_COUNT.max).default(LABEL_COUNT.default).describe(`Number of labels, ${LABELS_PER_PAGE} to an A4 page`),
  ecc: Ecc,
  logo: Logo,
});

const etagOf = (body: Buffer | string): string => `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;

/** A file name that survives any header or file system: the lot number keeps only letters, digits, dot, dash and underscore. */
const labelFileName = (lotNumber: string): string => `labels-${lotNumber.replace(/[^A-Za-z0-9._-]/g, '_')}.pdf`;

/** QR codes of a lot's Digital Link (public for published lots, for the lot's chain otherwise) and its printable label sheet. */
export function qrRoutes(api: ApiRouter, qr: QrService, rateLimiter: RequestHandler): void {
  // A code fetched with a token may be an unpublished lot's: only the caller's browser keeps it. Public
  // codes may be embedded by other sites (marketplace listings), so they are cross-origin resources.
  const cacheHeaders = (body: Buffer | string, authenticated: boolean): Record<string, string> =>
    authenticated
      ? { 'Cache-Control': 'private, max-age=86400', ETag: etagOf(body) }
      : { 'Cache-Control': 'public, max-age=86400', 'Cross-Origin-Resource-Policy': 'cross-origin', ETag: etagOf(body) };

  api.route(
    {
      method: 'get',
      path: '/api/v1/batches/:id/qr.svg',
      summary: 'QR code (SVG) of the lot’s Digital Link, quiet zone of 4 modules, optionally with the owner’s logo',
      tag: 'qr',
      auth: 'public',
      before: [rateLimiter],
      params: IdParams,
      query: QrSvgQuery,
      responses: [{ status: 200, description: 'SVG', contentType: 'image/svg+xml' }],
    },
    async ({ actor, params, query }) => {
      const code = await qr.code(actor, params.id, query.logo === '1');
      const svg = await qrSvg(code.link, query.ecc, code.logo);
      return { status: 200, body: svg, contentType: 'image/svg+xml', headers: cacheHeaders(svg, actor !== null) };
    },
  );

  api.route(
    {
      method: 'get',
      path: '/api/v1/batches/:id/qr.png',
      summary: 'QR code (PNG) of the lot’s Digital Link; size is the width in pixels (64–2048), optionally with the owner’s logo',
      tag: 'qr',
      auth: 'public',
      before: [rateLimiter],
      params: IdParams,
      query: QrQuery,
      responses: [{ status: 200, description: 'PNG', contentType: 'image/png' }],
    },
    async ({ actor, params, query }) => {
      const code = await qr.code(actor, params.id, query.logo === '1');
      const png = await qrPng(code.link, query.ecc, query.size, code.logo);
      return { status: 200, body: png, contentType: 'image/png', headers: cacheHeaders(png, actor !== null) };
    },
  );

  api.route(
    {
      method: 'get',
      path: '/api/v1/batches/:id/labels.pdf',
      summary: `Printable A4 sheet of the lot’s labels (${LABELS_PER_PAGE} to a page, 3 × 8 of 63.5 × 33.9 mm): QR code, product, lot, GTIN, “scan to see the origin”`,
      tag: 'qr',
      auth: 'token',
      before: [rateLimiter],
      params: IdParams,
      query: LabelQuery,
      responses: [{ status: 200, description: 'PDF, streamed', contentType: 'application/pdf' }],
    },
    async ({ actor, params, query }) => {
      // Everything that can fail with a problem (404, 409) happens here, before the first byte is sent.
      const label = await qr.label(actor, params.id, query.logo === '1');
      const qrImage = await qrPng(label.link, query.ecc, LABEL_QR_PNG_WIDTH, label.logo);
      return {
        status: 200,
        contentType: 'application/pdf',
        headers: { 'Content-Disposition': `inline; filename="${labelFileName(label.lotNumber)}"`, 'Cache-Control': 'private, no-store' },
        stream: (out) => writeLabelSheet(out, { productName: label.productName, lotNumber: label.lotNumber, gtin: label.gtin, qrPng: qrImage }, query.count),
      };
    },
  );
}
