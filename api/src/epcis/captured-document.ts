import { ValidationError, type FieldError } from '../core/errors.js';
import { PROJECT_NAMESPACE, RECORDING_ENVELOPE_KEYS, type EpcisEvent } from '../domain/event-model.js';
import type { EventLinkRole } from '../store/port.js';

/**
 * Reading a captured EPCISDocument (already checked against the EPCIS 2.0 JSON Schema) into the
 * events the service will sign: pure, no I/O.
 */

/** An identifier an event names, with the role it plays and where in the document it stands. */
export interface NamedIdentifier {
  uri: string;
  role: EventLinkRole;
  /** JSON Pointer into the captured document. */
  path: string;
}

export interface CapturedEvent {
  /** Position in the document's eventList. */
  index: number;
  /**
   * The event as captured, without `eventID` and `recordTime` (the service stamps those), and with
   * the document's namespace declarations as its own `@context` when the document made any.
   */
  event: EpcisEvent;
  /** The eventID the event arrived with, kept as given; null when the service assigns one. */
  givenEventId: string | null;
  identifiers: NamedIdentifier[];
}

/** The EPCIS 2.0 JSON-LD contexts a document names by URL; every other @context entry travels with its events. */
const STANDARD_CONTEXT_URL = /^https:\/\/ref\.gs1\.org\/standards\/epcis\/(2\.0\.0\/)?epcis-context\.jsonld$/;

const SUBJECT_FIELDS = ['epcList', 'childEPCs', 'parentID'] as const;
const SUBJECT_QUANTITIES = ['quantityList', 'childQuantityList'] as const;
const ROLE_FIELDS: ReadonlyArray<[string, EventLinkRole, 'epcs' | 'quantities']> = [
  ...SUBJECT_FIELDS.map((f) => [f, 'subject', 'epcs'] as [string, EventLinkRole, 'epcs']),
  ...SUBJECT_QUANTITIES.map((f) => [f, 'subject', 'quantities'] as [string, EventLinkRole, 'quantities']),
  ['inputEPCList', 'input', 'epcs'],
  ['inputQuantityList', 'input', 'quantities'],
  ['outputEPCList', 'output', 'epcs'],
  ['outputQuantityList', 'output', 'quantities'],
];

/**
 * The document's events, ready to sign. Refuses (400, naming each path) what would make the record
 * ambiguous: our recording envelope (`ft:recordedBy`, `ft:prev`, …) set by the sender, our `ft`
 * prefix bound to another namespace, and one eventID given to two events.
 */
export function readCapturedDocument(doc: Record<string, unknown>): CapturedEvent[] {
  const errors: FieldError[] = [];
  const context = eventContext(doc['@context'], errors);
  const list = (doc.epcisBody as { eventList: Array<Record<string, unknown>> }).eventList;
  const firstWithId = new Map<string, number>();
  const events = list.map((raw, index): CapturedEvent => {
    const base = `/epcisBody/eventList/${index}`;
    for (const key of RECORDING_ENVELOPE_KEYS) {
      if (key in raw) errors.push({ path: `${base}/${key}`, message: 'is recorded by this service; leave it out' });
    }
    if (raw['@context'] !== undefined) eventContext(raw['@context'], errors, `${base}/@context`);
    const { eventID, recordTime: _recordTime, '@context': ownContext, ...content } = raw;
    const givenEventId = typeof eventID === 'string' ? eventID : null;
    if (givenEventId !== null) {
      const first = firstWithId.get(givenEventId);
      if (first !== undefined) errors.push({ path: `${base}/eventID`, message: `repeats the eventID of event ${first}` });
      else firstWithId.set(givenEventId, index);
    }
    const merged = [...context, ...(ownContext === undefined ? [] : Array.isArray(ownContext) ? ownContext : [ownContext])].filter(
      (entry) => !(typeof entry === 'string' && STANDARD_CONTEXT_URL.test(entry)),
    );
    const event = { ...(merged.length ? { '@context': merged } : {}), ...content } as EpcisEvent;
    return { index, event, givenEventId, identifiers: namedIdentifiers(raw, base) };
  });
  if (errors.length) throw new ValidationError(errors);
  return events;
}

/** The @context entries the document's events need beyond the standard one; `ft` may only mean our namespace. */
function eventContext(context: unknown, errors: FieldError[], path = '/@context'): unknown[] {
  const entries = Array.isArray(context) ? context : [context];
  entries.forEach((entry, i) => {
    if (!entry || typeof entry !== 'object' || Array.isArray(entry)) return;
    const bound = (entry as Record<string, unknown>)[PROJECT_NAMESPACE.prefix];
    if (bound !== undefined && bound !== PROJECT_NAMESPACE.iri) {
      errors.push({
        path: `${path}${Array.isArray(context) ? `/${i}` : ''}/${PROJECT_NAMESPACE.prefix}`,
        message: `the prefix "${PROJECT_NAMESPACE.prefix}" is this service's (${PROJECT_NAMESPACE.iri}); bind your extensions to another prefix`,
      });
    }
  });
  return entries.filter((entry) => entry !== undefined);
}

/** Every identifier in the event's "what" fields, with its role: inputs, outputs, or the subject. */
function namedIdentifiers(event: Record<string, unknown>, base: string): NamedIdentifier[] {
  const out: NamedIdentifier[] = [];
  for (const [field, role, shape] of ROLE_FIELDS) {
    const value = event[field];
    if (value === undefined) continue;
    if (typeof value === 'string') {
      out.push({ uri: value, role, path: `${base}/${field}` });
      continue;
    }
    if (!Array.isArray(value)) continue;
    value.forEach((item, i) => {
      const uri = shape === 'epcs' ? item : (item as { epcClass?: unknown } | null)?.epcClass;
      if (typeof uri === 'string') out.push({ uri, role, path: `${base}/${field}/${i}${shape === 'quantities' ? '/epcClass' : ''}` });
    });
  }
  return out;
}
