import { READABLE_FROM_ANY_ORIGIN, type ApiRouter } from '../../core/api-router.js';
import { epcisExceptionType, ValidationError } from '../../core/errors.js';
import { ListQuery, listResponseSchema, toListResponse, toPageRequest } from '../../core/pagination.js';
import { IdParams } from '../../core/schemas.js';
import type { CaptureJobRecord } from '../../store/port.js';
import type { CaptureService } from './capture-service.js';
import { CaptureDocumentIn, CaptureIdParams, CaptureJobOut, EpcisDocumentOut, EpcisEventDocumentOut, EpcisQueryDocumentOut, EventIdParams, EventQueryQuery } from './schema.js';
import type { EpcisService } from './service.js';

export const EPCIS_MEDIA_TYPE = 'application/ld+json';

/** Headers of every answer of the EPCIS 2.0 REST binding, errors included. */
const EPCIS_HEADERS = { 'GS1-EPCIS-Version': '2.0.0', 'GS1-CBV-Version': '2.0.0' };

/** The binding's exception types for our routes' failures. */
const QUERY_EXCEPTIONS = {
  400: epcisExceptionType('QueryParameterException'),
  404: epcisExceptionType('NoSuchResourceException'),
} as const;
const CAPTURE_EXCEPTIONS = {
  400: epcisExceptionType('ValidationException'),
  404: epcisExceptionType('NoSuchResourceException'),
  413: epcisExceptionType('CaptureLimitExceededException'),
} as const;

function captureJobOut(job: CaptureJobRecord) {
  return {
    captureID: job.id,
    createdAt: job.createdAt,
    finishedAt: job.finishedAt,
    running: job.running,
    success: job.success,
    captureErrorBehaviour: 'rollback' as const,
    eventCount: job.eventCount,
    eventIDs: job.eventIds,
    errors: job.errors,
  };
}

export function epcisRoutes(api: ApiRouter, epcis: EpcisService, capture: CaptureService): void {
  const captureLimits = {
    'GS1-EPCIS-Capture-Limit': String(capture.limits.maxEvents),
    'GS1-EPCIS-Capture-File-Size-Limit': String(capture.limits.maxBytes),
  };

  api.route(
    {
      method: 'post',
      path: '/epcis/capture',
      summary: 'Capture an EPCIS 2.0 EPCISDocument: checked against the standard’s schema, then signed and stored by a job, all or nothing',
      tag: 'epcis',
      auth: 'token',
      body: CaptureDocumentIn,
      bodyLimit: String(capture.limits.maxBytes),
      headers: { ...EPCIS_HEADERS, ...captureLimits },
      problemTypes: CAPTURE_EXCEPTIONS,
      responses: [{ status: 202, description: 'Accepted; Location names the capture job', schema: CaptureJobOut }],
    },
    async ({ actor, body, req }) => {
      const behaviour = req.get('GS1-Capture-Error-Behaviour');
      if (behaviour !== undefined && behaviour !== 'rollback') {
        throw ValidationError.field('GS1-Capture-Error-Behaviour', 'capture-behaviour-unsupported', 'only "rollback" is supported: a document is captured whole or not at all');
      }
      const job = await capture.submit(actor, body);
      return { status: 202, body: captureJobOut(job), location: `/epcis/capture/${job.id}` };
    },
  );

  api.route(
    {
      method: 'get',
      path: '/epcis/capture',
      summary: 'Your organization’s capture jobs, newest first',
      tag: 'epcis',
      auth: 'token',
      query: ListQuery,
      headers: EPCIS_HEADERS,
      problemTypes: CAPTURE_EXCEPTIONS,
      responses: [{ status: 200, description: 'Capture jobs', schema: listResponseSchema(CaptureJobOut) }],
    },
    async ({ actor, query }) => ({ status: 200, body: toListResponse(await capture.jobs(actor, toPageRequest(query)), captureJobOut) }),
  );

  api.route(
    {
      method: 'get',
      path: '/epcis/capture/:captureID',
      summary: 'A capture job: running, or finished with success or the reasons it failed',
      tag: 'epcis',
      auth: 'token',
      params: CaptureIdParams,
      headers: EPCIS_HEADERS,
      problemTypes: CAPTURE_EXCEPTIONS,
      responses: [{ status: 200, description: 'The capture job', schema: CaptureJobOut }],
    },
    async ({ actor, params }) => ({ status: 200, body: captureJobOut(await capture.job(actor, params.captureID)) }),
  );

  api.route(
    {
      method: 'get',
      path: '/api/v1/batches/:id/epcis',
      headers: READABLE_FROM_ANY_ORIGIN,
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
      headers: EPCIS_HEADERS,
      problemTypes: QUERY_EXCEPTIONS,
      responses: [{ status: 200, description: 'EPCISQueryDocument; Link rel="next" when there are more', schema: EpcisQueryDocumentOut, contentType: EPCIS_MEDIA_TYPE }],
    },
    async ({ actor, query, req }) => {
      const { document, nextPageToken } = await epcis.queryEvents(actor, query);
      const headers: Record<string, string> = {};
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
      headers: EPCIS_HEADERS,
      problemTypes: QUERY_EXCEPTIONS,
      responses: [{ status: 200, description: 'The event (JSON-LD)', schema: EpcisEventDocumentOut, contentType: EPCIS_MEDIA_TYPE }],
    },
    async ({ actor, params }) => ({ status: 200, body: JSON.stringify(await epcis.event(actor, params.eventID)), contentType: EPCIS_MEDIA_TYPE }),
  );
}
