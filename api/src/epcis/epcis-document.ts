import { base64UrlDecode } from '../domain/bytes.js';
import { EVENT_PREFIXES, PROJECT_NAMESPACE } from '../domain/event-model.js';

/**
 * The EPCIS 2.0 export of signed events: an EPCISDocument (JSON-LD) whose events are the signed
 * events exactly as signed, plus two project fields that let any EPCIS consumer check them.
 *
 * Mapping decisions (docs/epcis.md says the same for users):
 * - Events are the JWS payloads, field for field: what the organization signed is what is
 *   exported. They already validate against the EPCIS 2.0 JSON Schema: project fields sit under
 *   the `ft:` prefix (the schema admits any namespaced key, `ft:stepType`, `ft:prev` …),
 *   `recordTime` and `eventTime` carry offsets (RFC 3339 date-times), plot and private lot
 *   identifiers are `urn:farm-trace:epcis:…` URIs, `geo:` read points are URIs (RFC 5870), an
 *   ObjectEvent of a lot has an empty `epcList` and a one-element `quantityList` (the schema
 *   allows either), and processing steps are TransformationEvents with input and output
 *   quantity lists and no `transformationID`. Nothing is renamed or dropped.
 * - Each event gains `ft:eventHash` (hex SHA-256 of the RFC 8785 bytes: what `ft:prev`, the
 *   transparency log and the provenance bundle's `hash` mean) and `ft:jws` (the compact JWS of
 *   those bytes). A consumer removes the two fields, canonicalizes the rest (RFC 8785), and checks
 *   the bytes against the JWS payload and its signature against /.well-known/jwks.json.
 * - @context is the standard's context plus one object declaring `ft` and `cbvmda` (used in
 *   `ilmd`). Project fields whose values are JSON objects (`ft:plot`, `ft:declaredQuantity`,
 *   `ft:mediaDetails`, …) are also declared `"@type": "@json"` there, so a JSON-LD processor keeps
 *   them whole instead of dropping their un-namespaced inner keys.
 * - `eventList` is in event-time order (then record time, then hash, so the order is stable);
 *   the causal order is in each event's `ft:prev`. So a plot registration can come after the
 *   harvest that follows it in `ft:prev`: a registration is dated when it is made, a harvest
 *   when it happened (often entered later from a paper logbook).
 */

export const EPCIS_CONTEXT_URL = 'https://ref.gs1.org/standards/epcis/epcis-context.jsonld';
/** CBV master-data attributes (harvest dates, country of origin) that our `ilmd` uses. */

export type EpcisEventOut = Record<string, unknown> & { type: string; eventTime: string; 'ft:eventHash': string; 'ft:jws': string };

export interface EpcisDocument {
  '@context': [string, Record<string, unknown>];
  type: 'EPCISDocument';
  schemaVersion: '2.0';
  creationDate: string;
  'ft:lot': string;
  'ft:heads': string[];
  epcisBody: { eventList: EpcisEventOut[] };
}

export interface SignedEvent {
  /** Hex SHA-256 of the canonical bytes. */
  hash: string;
  /** Compact JWS whose payload is those bytes. */
  jws: string;
}

/** The signed event's body: its JWS payload, parsed. */
export function signedPayload(jws: string): Record<string, unknown> & { type: string; eventTime: string } {
  const payload = jws.split('.')[1] ?? '';
  return JSON.parse(new TextDecoder().decode(base64UrlDecode(payload))) as Record<string, unknown> & { type: string; eventTime: string };
}

/** A stored event as the EPCIS interfaces show it: what was signed, plus its hash and JWS (the body as stored when unsigned). */
export function epcisEventOf(record: { hash: string; jws: string | null; body: Record<string, unknown> }): EpcisEventOut {
  const signed = record.jws ? signedPayload(record.jws) : (record.body as Record<string, unknown> & { type: string; eventTime: string });
  return { ...signed, 'ft:eventHash': record.hash, 'ft:jws': record.jws ?? '' };
}

/** The @context of a document (or a standalone event) carrying `events`: the standard's, plus our prefixes and JSON-literal terms. */
export function epcisContext(events: EpcisEventOut[]): [string, Record<string, unknown>] {
  return [EPCIS_CONTEXT_URL, { ...EVENT_PREFIXES, ...jsonLiteralTerms(events) }];
}

export interface EpcisQueryDocument {
  '@context': [string, Record<string, unknown>];
  type: 'EPCISQueryDocument';
  schemaVersion: '2.0';
  creationDate: string;
  epcisBody: { queryResults: { queryName: 'SimpleEventQuery'; resultsBody: { eventList: EpcisEventOut[] } } };
}

/** The answer to a SimpleEventQuery (EPCIS 2.0 REST binding), events in the order given (the query's). */
export function epcisQueryDocument(eventList: EpcisEventOut[], creationDate: string): EpcisQueryDocument {
  return {
    '@context': epcisContext(eventList),
    type: 'EPCISQueryDocument',
    schemaVersion: '2.0',
    creationDate,
    epcisBody: { queryResults: { queryName: 'SimpleEventQuery', resultsBody: { eventList } } },
  };
}

/** An EPCISDocument of a lot's signed history; `lot` is the lot's identifier URI, `heads` its latest event hashes. */
export function lotEpcisDocument(events: SignedEvent[], lot: { uri: string; heads: string[] }, creationDate: string): EpcisDocument {
  const eventList = events.map((e): EpcisEventOut => ({ ...signedPayload(e.jws), 'ft:eventHash': e.hash, 'ft:jws': e.jws })).sort(byEventTime);
  return {
    '@context': [EPCIS_CONTEXT_URL, { ...EVENT_PREFIXES, ...jsonLiteralTerms(eventList) }],
    type: 'EPCISDocument',
    schemaVersion: '2.0',
    creationDate,
    'ft:lot': lot.uri,
    'ft:heads': lot.heads,
    epcisBody: { eventList },
  };
}

function byEventTime(a: EpcisEventOut, b: EpcisEventOut): number {
  return (
    Date.parse(a.eventTime) - Date.parse(b.eventTime) ||
    Date.parse(String(a.recordTime ?? '')) - Date.parse(String(b.recordTime ?? '')) ||
    (a['ft:eventHash'] < b['ft:eventHash'] ? -1 : a['ft:eventHash'] > b['ft:eventHash'] ? 1 : 0)
  );
}

/** `ft:` keys (of events and their ilmd) whose values are objects or arrays of objects, declared as JSON literals. */
function jsonLiteralTerms(events: EpcisEventOut[]): Record<string, { '@type': '@json' }> {
  const prefix = `${PROJECT_NAMESPACE.prefix}:`;
  const structured = (value: unknown) => (Array.isArray(value) ? value.some((v) => v !== null && typeof v === 'object') : value !== null && typeof value === 'object');
  const names = new Set<string>();
  for (const event of events) {
    const ilmd = event.ilmd && typeof event.ilmd === 'object' ? (event.ilmd as Record<string, unknown>) : {};
    for (const [key, value] of [...Object.entries(event), ...Object.entries(ilmd)]) {
      if (key.startsWith(prefix) && structured(value)) names.add(key);
    }
  }
  return Object.fromEntries([...names].sort().map((name) => [name, { '@type': '@json' as const }]));
}
