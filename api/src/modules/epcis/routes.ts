import type { ApiRouter } from '../../core/api-router.js';
import { IdParams } from '../../core/schemas.js';
import { EpcisDocumentOut, EpcisEventDocumentOut, EpcisQueryDocumentOut, EventIdParams, EventQueryQuery } from './schema.js';
import { QUERY_PARAMETER_EXCEPTION, type EpcisService } from './service.js';

export const EPCIS_MEDIA_TYPE = 'application/ld+json';

/** Headers of the EPCIS 2.0 REST binding's answers. */
const EPCIS_HEADERS = { 'GS1-EPCIS-Version': '2.0.0', 'GS1-CBV-Version': '2.0.0' };

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

  api.route(
    {
      method: 'get',
      path: '/epcis/events',
      summary: 'EPCIS 2.0 SimpleEventQuery over the events your organization may read (REST binding)',
      tag: 'epcis',
      auth: 'token',
      query: EventQueryQuery,
      validationErrorType: QUERY_PARAMETER_EXCEPTION,
      responses: [{ status: 200, description: 'EPCISQueryDocument; Link rel="next" when there are more', schema: EpcisQueryDocumentOut, contentType: EPCIS_MEDIA_TYPE }],
    },
    async ({ actor, query, req }) => {
      const { document, nextPageToken } = await epcis.queryEvents(actor, query);
      const headers: Record<string, string> = { ...EPCIS_HEADERS };
      if (nextPageToken) {
        // The same query (as the client sent it) with the new token; a relative reference (RFC 8288).
        const next = new URLSearchParams(req.originalUrl.split('?')[1] ?? '');
        next.set('nextPageToken', nextPageToken);
        headers.Link = `</epcis/events?${next.toString()}>; rel="next"`;
      }
      return { status: 200, body: JSON.stringify(document), contentType: EPCIS_MEDIA_TYPE, headers };
    },
  );

  api.route(
    {
      method: 'get',
      path: '/epcis/events/:eventID',
      summary: 'One EPCIS 2.0 event by its (URL-encoded) eventID, if your organization may read it',
      tag: 'epcis',
      auth: 'token',
      params: EventIdParams,
      validationErrorType: QUERY_PARAMETER_EXCEPTION,
      responses: [{ status: 200, description: 'The event (JSON-LD)', schema: EpcisEventDocumentOut, contentType: EPCIS_MEDIA_TYPE }],
    },
    async ({ actor, params }) => ({ status: 200, body: JSON.stringify(await epcis.event(actor, params.eventID)), contentType: EPCIS_MEDIA_TYPE, headers: EPCIS_HEADERS }),
  );
}
