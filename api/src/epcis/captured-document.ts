import { ValidationError, type FieldError } from '../core/errors.js';
import { PROJECT_NAMESPACE, type EpcisEvent } from '../domain/event-model.js';
import type { EventLinkRole } from '../store/port.js';
import { extensionPrefix, pointerToken } from './epcis-schema.js';

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

/** The EPCIS 2.0 JSON-LD context by the URLs GS1 has published it under; no other remote context is fetched or kept. */
const STANDARD_CONTEXT_URLS = new Set([
  'https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld',
  'https://ref.gs1.org/standards/epcis/epcis-context.jsonld',
  'https://gs1.github.io/EPCIS/epcis-context.jsonld',
]);
const PREFIX = /^[A-Za-z][A-Za-z0-9_-]*$/;
/** A namespaced term, `prefix:name`. */
const TERM = /^[A-Za-z][A-Za-z0-9_-]*:[^/\s]+$/;
const MAX_PREFIXES = 50;
const MAX_IRI_LENGTH = 500;
/** Extension values may nest; deeper than this is refused rather than walked. */
const MAX_DEPTH = 32;

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
 * ambiguous or unsafe to pass on: any key in this service's own namespace (`ft:…`: its fields are
 * what the origin page and the verifier trust, and only the service writes them), a @context that
 * is more than namespace prefixes (remote contexts, keywords, term definitions), and one eventID
 * given to two events.
 */
export function readCapturedDocument(doc: Record<string, unknown>): CapturedEvent[] {
  const errors: FieldError[] = [];
  const documentContext = readContext(doc['@context'], '/@context', errors);
  const list = (doc.epcisBody as { eventList: Array<Record<string, unknown>> }).eventList;
  const firstWithId = new Map<string, number>();
  const events = list.map((raw, index): CapturedEvent => {
    const base = `/epcisBody/eventList/${index}`;
    const { eventID, recordTime: _recordTime, '@context': ownContext, ...content } = raw;
    const own = ownContext === undefined ? { prefixes: {}, terms: {} } : readContext(ownContext, `${base}/@context`, errors);
    const prefixes = { ...documentContext.prefixes, ...own.prefixes };
    const terms = { ...documentContext.terms, ...own.terms };
    const used = keysOf(content, base, errors);
    const givenEventId = typeof eventID === 'string' ? eventID : null;
    if (givenEventId !== null) {
      const first = firstWithId.get(givenEventId);
      if (first !== undefined) errors.push({ path: `${base}/eventID`, code: 'epcis-duplicate-event', message: `repeats the eventID of event ${first}` });
      else firstWithId.set(givenEventId, index);
    }
    // The event keeps the declarations of the prefixes and terms it uses, so it reads the same on its own.
    const declared = {
      ...Object.fromEntries([...used.prefixes].filter((p) => prefixes[p] !== undefined).map((p) => [p, prefixes[p]!])),
      ...Object.fromEntries([...used.keys].filter((k) => terms[k] !== undefined).map((k) => [k, terms[k]!])),
    };
    const event = { ...(Object.keys(declared).length ? { '@context': [declared] } : {}), ...content } as EpcisEvent;
    return { index, event, givenEventId, identifiers: namedIdentifiers(raw, base) };
  });
  if (errors.length) throw new ValidationError(errors);
  return events;
}

interface ContextEntries {
  prefixes: Record<string, string>;
  /** Type coercions of extension terms (`"ex:count": {"@type": "xsd:integer"}`), as the standard's examples declare them. */
  terms: Record<string, Record<string, string>>;
}

/**
 * What a @context may declare for captured events: namespace prefixes, and the type (or @id
 * coercion) of namespaced extension terms. Anything else (remote contexts, `@vocab`, `@base`, plain
 * terms, our namespace) is refused at its path.
 */
function readContext(context: unknown, path: string, errors: FieldError[]): ContextEntries {
  const prefixes: Record<string, string> = {};
  const terms: Record<string, Record<string, string>> = {};
  const entries = Array.isArray(context) ? context : [context];
  entries.forEach((entry, i) => {
    const at = Array.isArray(context) ? `${path}/${i}` : path;
    if (typeof entry === 'string') {
      if (!STANDARD_CONTEXT_URLS.has(entry)) errors.push({ path: at, code: 'epcis-context', message: 'remote contexts other than the EPCIS 2.0 context are not fetched; declare prefixes inline' });
      return;
    }
    if (!entry || typeof entry !== 'object' || Array.isArray(entry)) {
      errors.push({ path: at, code: 'epcis-context', message: 'must be the EPCIS 2.0 context URL or an object of namespace prefixes' });
      return;
    }
    for (const [prefix, iri] of Object.entries(entry)) {
      const where = `${at}/${pointerToken(prefix)}`;
      if (TERM.test(prefix) && isTypeCoercion(iri)) {
        if (prefix.startsWith(`${PROJECT_NAMESPACE.prefix}:`) || (iri['@id'] ?? '').startsWith(PROJECT_NAMESPACE.iri)) errors.push({ path: where, code: 'epcis-context', message: OWN_NAMESPACE });
        else terms[prefix] = iri;
      } else if (!PREFIX.test(prefix)) errors.push({ path: where, code: 'epcis-context', message: 'only namespace prefixes and the types of namespaced extension terms may be declared' });
      else if (typeof iri !== 'string' || iri.length > MAX_IRI_LENGTH || !/^[a-z][a-z0-9+.-]*:\S+$/i.test(iri)) errors.push({ path: where, code: 'epcis-context', message: `must be an absolute IRI of at most ${MAX_IRI_LENGTH} characters` });
      else if (prefix === PROJECT_NAMESPACE.prefix || iri.startsWith(PROJECT_NAMESPACE.iri)) errors.push({ path: where, code: 'epcis-context', message: OWN_NAMESPACE });
      else prefixes[prefix] = iri;
    }
  });
  if (Object.keys(prefixes).length + Object.keys(terms).length > MAX_PREFIXES) errors.push({ path, code: 'epcis-context', message: `declares more than ${MAX_PREFIXES} prefixes and terms`, params: { maximum: MAX_PREFIXES } });
  return { prefixes, terms };
}

/** `{"@type": "xsd:integer"}` or `{"@type": "@id"}`, optionally with an `@id`: all strings, nothing else. */
function isTypeCoercion(value: unknown): value is Record<string, string> {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return false;
  const entries = Object.entries(value);
  return entries.length > 0 && entries.every(([k, v]) => (k === '@type' || k === '@id') && typeof v === 'string' && v.length <= MAX_IRI_LENGTH);
}

const OWN_NAMESPACE = `the "${PROJECT_NAMESPACE.prefix}" namespace (${PROJECT_NAMESPACE.iri}) is this service's own; captured events may not use it`;

/**
 * Every key of the event at any depth, and their prefixes; keys in our namespace are refused, and
 * so is nesting deeper than MAX_DEPTH (walked with a stack, never by recursion).
 */
function keysOf(event: Record<string, unknown>, base: string, errors: FieldError[]): { keys: Set<string>; prefixes: Set<string> } {
  const keys = new Set<string>();
  const used = new Set<string>();
  const stack: Array<{ value: unknown; path: string; depth: number }> = [{ value: event, path: base, depth: 0 }];
  while (stack.length) {
    const { value, path, depth } = stack.pop()!;
    if (!value || typeof value !== 'object') continue;
    if (depth > MAX_DEPTH) {
      errors.push({ path, code: 'epcis-too-deep', message: `nests deeper than ${MAX_DEPTH} levels`, params: { maximum: MAX_DEPTH } });
      continue;
    }
    if (Array.isArray(value)) {
      value.forEach((item, i) => stack.push({ value: item, path: `${path}/${i}`, depth: depth + 1 }));
      continue;
    }
    for (const [key, item] of Object.entries(value)) {
      const at = `${path}/${pointerToken(key)}`;
      if (key.startsWith(`${PROJECT_NAMESPACE.prefix}:`) || key.startsWith(PROJECT_NAMESPACE.iri)) errors.push({ path: at, code: 'epcis-context', message: OWN_NAMESPACE });
      const prefix = extensionPrefix(key);
      if (prefix) used.add(prefix);
      keys.add(key);
      stack.push({ value: item, path: at, depth: depth + 1 });
    }
  }
  return { keys, prefixes: used };
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
