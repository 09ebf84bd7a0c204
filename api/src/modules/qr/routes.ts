import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { ApiRouter } from '../../core/api-router.js';
import { IdParams } from '../../core/schemas.js';
import { lotDigitalLink } from '../../domain/digital-link.js';
import { QR_ERROR_CORRECTION, QR_PNG_WIDTH, qrPng, qrSvg } from '../../qr/qr-code.js';
import type { BatchService } from '../batches/service.js';

const QrQuery = z.strictObject({
  ecc: z.enum(QR_ERROR_CORRECTION).default('M').describe('Error correction: L, M, Q or H'),
  size: z.coerce.number().int().min(QR_PNG_WIDTH.min).max(QR_PNG_WIDTH.max).default(QR_PNG_WIDTH.default).describe('PNG width in pixels (PNG only)'),
});
const QrSvgQuery = QrQuery.omit({ size: true });

/** QR codes of a lot's Digital Link: public for published lots, for the lot's chain otherwise. */
export function qrRoutes(api: ApiRouter, batches: BatchService, publicBaseUrl: string): void {
  const lotLink = async (actor: Parameters<BatchService['get']>[0] | null, id: string) =>
    lotDigitalLink(publicBaseUrl, actor ? await batches.get(actor, id) : await batches.getPublished(id));
  const cacheHeaders = (body: Buffer | string) => ({
    'Cache-Control': 'public, max-age=86400',
    ETag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`,
  });

  api.route(
    {
      method: 'get',
      path: '/api/v1/batches/:id/qr.svg',
      summary: 'QR code (SVG) of the lot’s Digital Link, quiet zone of 4 modules',
      tag: 'qr',
      auth: 'public',
      params: IdParams,
      query: QrSvgQuery,
      responses: [{ status: 200, description: 'SVG', contentType: 'image/svg+xml' }],
    },
    async ({ actor, params, query }) => {
      const svg = await qrSvg(await lotLink(actor, params.id), query.ecc);
      return { status: 200, body: svg, contentType: 'image/svg+xml', headers: cacheHeaders(svg) };
    },
  );

  api.route(
    {
      method: 'get',
      path: '/api/v1/batches/:id/qr.png',
      summary: 'QR code (PNG) of the lot’s Digital Link; size is the width in pixels (64–2048)',
      tag: 'qr',
      auth: 'public',
      params: IdParams,
      query: QrQuery,
      responses: [{ status: 200, description: 'PNG', contentType: 'image/png' }],
    },
    async ({ actor, params, query }) => {
      const png = await qrPng(await lotLink(actor, params.id), query.ecc, query.size);
      return { status: 200, body: png, contentType: 'image/png', headers: cacheHeaders(png) };
    },
  );
}
