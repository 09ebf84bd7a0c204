import type { ApiRouter } from '../../core/api-router.js';
import { IdParams } from '../../core/schemas.js';
import { EpcisDocumentOut } from './schema.js';
import type { EpcisService } from './service.js';

export const EPCIS_MEDIA_TYPE = 'application/ld+json';

export function epcisRoutes(api: ApiRouter, epcis: EpcisService): void {
  api.route(
    {
      method: 'get',
      path: '/api/v1/batches/:id/epcis',
      summary: 'The lot’s whole history as a GS1 EPCIS 2.0 EPCISDocument (public for published lots)',
      tag: 'epcis',
      auth: 'public',
      params: IdParams,
      responses: [{ status: 200, description: 'EPCISDocument (JSON-LD)', schema: EpcisDocumentOut, contentType: EPCIS_MEDIA_TYPE }],
    },
    async ({ actor, params }) => ({ status: 200, body: JSON.stringify(await epcis.lotDocument(actor, params.id)), contentType: EPCIS_MEDIA_TYPE }),
  );
}
