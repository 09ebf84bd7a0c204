import type { z } from 'zod';
import { READABLE_FROM_ANY_ORIGIN, type ApiRouter } from '../../core/api-router.js';
import { NotFoundError } from '../../core/errors.js';
import { IdParams } from '../../core/schemas.js';
import { renditionUrl } from '../../media/rendition-urls.js';
import type { MediaRecord } from '../../store/port.js';
import { Media, MediaList, RenditionParams, StepMediaParams } from './schema.js';
import type { MediaService } from './service.js';

export function mediaRoutes(api: ApiRouter, media: MediaService, publicBaseUrl: string): void {
  const view = (m: MediaRecord): z.output<typeof Media> => ({
    id: m.id,
    sha256: m.sha256,
    mediaType: m.mediaType,
    bytes: m.bytes,
    width: m.width,
    height: m.height,
    renditions: m.renditions.map((r) => ({ width: r.width, url: renditionUrl(publicBaseUrl, r.sha256), sha256: r.sha256 })),
    evidence: m.evidence,
    attachesTo: m.attachesTo,
    eventId: m.eventId,
    createdAt: m.createdAt,
  });
  const upload = { field: 'file', maxFiles: media.limits.maxFiles, maxFileBytes: media.limits.maxFileBytes, maxConcurrent: media.limits.maxConcurrentUploads };
  const uploaded = (items: MediaRecord[], location: string) => ({ status: 201, body: { items: items.map(view) }, location });

  api.route(
    {
      method: 'post',
      path: '/api/v1/plots/:id/media',
      summary: 'Attach photos or documents to a plot (multipart, field "file", repeatable)',
      tag: 'media',
      auth: 'token',
      params: IdParams,
      upload,
      responses: [{ status: 201, description: 'Stored and signed', schema: MediaList }],
    },
    async ({ actor, params, files }) => uploaded(await media.attach(actor, { kind: 'plot', plotId: params.id }, files), `/api/v1/plots/${params.id}/media`),
  );

  api.route(
    {
      method: 'post',
      path: '/api/v1/batches/:id/media',
      summary: 'Attach photos or documents to a lot in your custody (multipart, field "file", repeatable)',
      tag: 'media',
      auth: 'token',
      params: IdParams,
      upload,
      responses: [{ status: 201, description: 'Stored and signed', schema: MediaList }],
    },
    async ({ actor, params, files }) => uploaded(await media.attach(actor, { kind: 'batch', batchId: params.id }, files), `/api/v1/batches/${params.id}/media`),
  );

  api.route(
    {
      method: 'post',
      path: '/api/v1/batches/:id/steps/:stepId/media',
      summary: 'Attach photos or documents to a step your organization recorded',
      tag: 'media',
      auth: 'token',
      params: StepMediaParams,
      upload,
      responses: [{ status: 201, description: 'Stored and signed', schema: MediaList }],
    },
    async ({ actor, params, files }) =>
      uploaded(await media.attach(actor, { kind: 'step', batchId: params.id, stepId: params.stepId }, files), `/api/v1/batches/${params.id}/media`),
  );

  api.route(
    {
      method: 'post',
      path: '/api/v1/products/:id/media',
      summary: 'Add product photos (catalog images; multipart, field "file", repeatable)',
      tag: 'media',
      auth: 'token',
      params: IdParams,
      upload,
      responses: [{ status: 201, description: 'Stored', schema: MediaList }],
    },
    async ({ actor, params, files }) => uploaded(await media.attach(actor, { kind: 'product', productId: params.id }, files), `/api/v1/products/${params.id}`),
  );

  for (const kind of ['plots', 'batches'] as const) {
    api.route(
      {
        method: 'get',
        path: `/api/v1/${kind}/:id/media`,
        summary: `Photos and documents of a ${kind === 'plots' ? 'plot' : 'lot'}, oldest first`,
        tag: 'media',
        auth: 'token',
        params: IdParams,
        responses: [{ status: 200, description: 'Files', schema: MediaList }],
      },
      async ({ actor, params }) => ({
        status: 200,
        body: { items: (await media.list(actor, kind === 'plots' ? { kind: 'plot', plotId: params.id } : { kind: 'batch', batchId: params.id })).map(view) },
      }),
    );
  }

  api.route(
    {
      method: 'get',
      path: '/api/v1/media/:id',
      summary: 'One file’s record',
      tag: 'media',
      auth: 'token',
      params: IdParams,
      responses: [{ status: 200, description: 'File', schema: Media }],
    },
    async ({ actor, params }) => ({ status: 200, body: view(await media.get(actor, params.id)) }),
  );

  api.route(
    {
      method: 'get',
      path: '/api/v1/media/:id/original',
      summary: 'The original upload (private to the uploading and owning organizations)',
      tag: 'media',
      auth: 'token',
      params: IdParams,
      responses: [{ status: 200, description: 'The bytes as uploaded', contentType: 'application/octet-stream' }],
    },
    async ({ actor, params }) => {
      const { record, bytes } = await media.original(actor, params.id);
      return {
        status: 200,
        body: bytes,
        contentType: record.mediaType,
        headers: { 'Cache-Control': 'private, no-store', 'Content-Disposition': `attachment; filename="${record.sha256}"`, 'X-Content-Type-Options': 'nosniff' },
      };
    },
  );

  api.route(
    {
      method: 'get',
      path: '/media/:file',
      headers: READABLE_FROM_ANY_ORIGIN,
      summary: 'A public WebP rendition, named by its SHA-256',
      tag: 'media',
      auth: 'public',
      params: RenditionParams,
      responses: [{ status: 200, description: 'WebP image', contentType: 'image/webp' }],
    },
    async ({ params }) => {
      const bytes = await media.rendition(params.file.slice(0, 64));
      if (!bytes) throw new NotFoundError('Image');
      return {
        status: 200,
        body: bytes,
        contentType: 'image/webp',
        // Marketplace listings and other sites embed these images.
        headers: { 'Cache-Control': 'public, max-age=31536000, immutable', 'Cross-Origin-Resource-Policy': 'cross-origin' },
      };
    },
  );
}
