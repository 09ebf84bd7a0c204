import { z } from 'zod';
import type { ApiRouter } from '../../core/api-router.js';
import { Id } from '../../core/schemas.js';
import { EXPORT_PROBLEM_CODES } from '../../domain/problem-codes.js';
import type { BatchService } from '../batches/lifecycle-service.js';
import { CONTENT_TYPES, EXPORT_FORMATS, type ExportScope, type ExportService } from './service.js';

const FormatParams = z.strictObject({ format: z.enum(EXPORT_FORMATS) });
const ExportQuery = z.strictObject({ batchId: Id.optional().describe('eudr.geojson only: the plots of this lot’s whole ancestry') });
const Report = z.object({ format: z.string(), written: z.number().int(), skipped: z.array(z.object({ id: z.string(), reasons: z.array(z.string()), problems: z.array(z.object({ code: z.enum(EXPORT_PROBLEM_CODES), params: z.record(z.string(), z.union([z.string(), z.number()])).optional() })) })) });

export function exportRoutes(api: ApiRouter, exports: ExportService, batches: BatchService): void {
  const scopeOf = async (actor: Parameters<BatchService['get']>[0], batchId: string | undefined): Promise<ExportScope> => ({
    orgIds: actor.scopeOrgIds,
    batch: batchId ? await batches.get(actor, batchId) : undefined,
  });

  api.route(
    {
      method: 'get',
      path: '/api/v1/exports/:format',
      summary: 'Stream a marketplace feed, the listings CSV, or EUDR plot geolocation',
      tag: 'exports',
      auth: 'token',
      params: FormatParams,
      query: ExportQuery,
      responses: [{ status: 200, description: 'The file, streamed', contentType: 'application/octet-stream' }],
    },
    async ({ actor, params, query }) => {
      const scope = await scopeOf(actor, query.batchId);
      if (params.format === 'eudr.geojson') await exports.assertFitsOneEudrFile(scope);
      return {
        status: 200,
        contentType: CONTENT_TYPES[params.format],
        headers: { 'Content-Disposition': `attachment; filename="${params.format}"`, 'Cache-Control': 'no-store' },
        stream: async (out) => {
          const summary = await exports.write(params.format, scope, out);
          // Plots added since the size check could push the file past the limit: never end a cut file as if complete.
          if (summary.truncatedAt !== null && summary.truncatedAt !== undefined) throw new Error('the EUDR export outgrew the file limit while it was written');
        },
      };
    },
  );

  api.route(
    {
      method: 'get',
      path: '/api/v1/exports/:format/report',
      summary: 'The validation report of an export: items written, and items skipped with the reasons',
      tag: 'exports',
      auth: 'token',
      params: FormatParams,
      query: ExportQuery,
      responses: [{ status: 200, description: 'Report', schema: Report }],
    },
    async ({ actor, params, query }) => ({ status: 200, body: { format: params.format, ...(await exports.report(params.format, await scopeOf(actor, query.batchId))) } }),
  );
}
