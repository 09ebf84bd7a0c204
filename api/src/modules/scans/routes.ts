import type { ApiRouter } from '../../core/api-router.js';
import { IdParams } from '../../core/schemas.js';
import { MAX_SCAN_WINDOW_DAYS, ScanQuery, ScanReport } from './schema.js';
import type { ScanService } from './service.js';

export function scanRoutes(api: ApiRouter, scans: ScanService): void {
  api.route(
    {
      method: 'get',
      path: '/api/v1/batches/:id/scans',
      summary: `How often the lot’s QR code was scanned (its link resolved), by client type and by day; at most ${MAX_SCAN_WINDOW_DAYS} days a request`,
      tag: 'scans',
      auth: 'token',
      params: IdParams,
      query: ScanQuery,
      responses: [{ status: 200, description: 'Counts over whole days, Vietnam time', schema: ScanReport }],
    },
    async ({ actor, params, query }) => ({ status: 200, body: await scans.report(actor, params.id, query) }),
  );
}
