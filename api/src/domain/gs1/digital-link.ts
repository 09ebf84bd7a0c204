/**
 * GS1 Digital Link URI syntax (GS1 Digital Link Standard: URI Syntax 1.2+, with the AI formats of
 * the GS1 General Specifications as the GS1 Barcode Syntax Dictionary states them): parses and
 * validates the path and query of a Digital Link URI, prints the canonical form, and builds the
 * links this service prints (lots, products, locations) through that same canonical form.
 *
 * Pure: no I/O and no Node-only APIs. Every failure names the rule it breaks (`DigitalLinkRule`),
 * so a resolver can answer 400 with that rule.
 */
import { AI_TABLE, DIGITAL_LINK_PRIMARY_KEYS, PRIMARY_KEYS, qualifierOrder, type AiSpec } from './ai-table.js';
import { checkAiValue, checkPrimaryKeyValue } from './ai-values.js';

export type AiValue = { ai: string; value: string };

export type ParsedDigitalLink = {
  primaryKey: AiValue;
  /** Key qualifiers from the path, in the standard order. */
  qualifiers: AiValue[];
  /** GS1 data attributes from the query string, in the order they came. */
  attributes: AiValue[];
  /** Query parameters that are not AIs (`linkType`, `context`, …), passed through (first one wins). */
  otherParams: Record<string, string>;
};

export const DIGITAL_LINK_RULES = [
  'path-syntax', // the input is not a path starting with "/"
  'percent-encoding', // a malformed %xx sequence
  'empty-segment', // "//" or a trailing "/"
  'unknown-primary-key', // no GS1 primary key followed by a value in the path
  'gtin-length', // GTIN-8/12/13 in the path: Digital Link wants the 14-digit form
  'key-format', // the primary key's value has the wrong length or characters
  'check-digit', // a mod-10 check digit or a GMN check character pair is wrong
  'odd-segments', // after the primary key the path is not AI/value pairs (trailing garbage)
  'qualifier-not-allowed', // a path AI that is not a key qualifier of this primary key
  'qualifier-order', // key qualifiers out of the standard order
  'qualifier-in-query', // a key qualifier of this primary key given in the query string
  'duplicate-ai', // the same AI twice, in the path or the query
  'ai-charset', // a value outside the AI's character set (digits, set 82, set 39, base64url)
  'ai-length', // a value shorter or longer than the AI allows
  'ai-format', // another format rule of the AI (piece of total, no zero prefix, yes/no, …)
  'invalid-date', // a date or time that does not exist
  'not-a-data-attribute', // a numeric query key that is not a GS1 data attribute
  'query-ai-shape', // a numeric query key that cannot be an AI (not 2 to 4 digits)
] as const;

export type DigitalLinkRule = (typeof DIGITAL_LINK_RULES)[number];

export type DigitalLinkError = { rule: DigitalLinkRule; message: string; segment?: string };

export type DigitalLinkResult = { ok: true; value: ParsedDigitalLink } | { ok: false; error: DigitalLinkError };

// ---------------------------------------------------------------------------------------------
// Parsing

function fail(rule: DigitalLinkRule, message: string, segment?: string): { ok: false; error: DigitalLinkError } {
  return { ok: false, error: segment === undefined ? { rule, message } : { rule, message, segment } };
}

/** Percent-decoding of a path segment or query component; `+` stays a literal plus. */
function decode(raw: string): string | null {
  try {
    return decodeURIComponent(raw);
  } catch {
    return null;
  }
}

export function parseDigitalLink(pathAndQuery: string): DigitalLinkResult {
  if (typeof pathAndQuery !== 'string' || !pathAndQuery.startsWith('/')) {
    return fail('path-syntax', 'a Digital Link path starts with "/"');
  }
  const hashAt = pathAndQuery.indexOf('#');
  const withoutFragment = hashAt < 0 ? pathAndQuery : pathAndQuery.slice(0, hashAt);
  const queryAt = withoutFragment.indexOf('?');
  const path = queryAt < 0 ? withoutFragment : withoutFragment.slice(0, queryAt);
  const query = queryAt < 0 ? '' : withoutFragment.slice(queryAt + 1);

  if (path === '/') return fail('unknown-primary-key', 'the path has no GS1 primary key');
  const segments = path.slice(1).split('/');
  const emptyAt = segments.indexOf('');
  if (emptyAt >= 0) {
    return fail('empty-segment', `the path has an empty segment (position ${emptyAt + 1}): remove the extra "/"`);
  }

  // The stem (any leading segments of the resolver's own) ends where a primary-key AI is followed by a value.
  const keyAt = segments.findIndex((segment, i) => PRIMARY_KEYS.has(segment) && i + 1 < segments.length);
  if (keyAt < 0) {
    const candidate = segments.find((s) => /^\d{2,4}$/.test(s));
    return candidate === undefined
      ? fail('unknown-primary-key', 'the path has no GS1 primary key followed by its value')
      : fail(
          'unknown-primary-key',
          PRIMARY_KEYS.has(candidate)
            ? `primary key ${candidate} has no value`
            : `${candidate} is not a GS1 primary key (known: ${DIGITAL_LINK_PRIMARY_KEYS.join(', ')})`,
          candidate,
        );
  }

  const keyAi = segments[keyAt] as string;
  const keySpec = AI_TABLE.get(keyAi) as AiSpec;
  const rawKeyValue = segments[keyAt + 1] as string;
  const keyValue = decode(rawKeyValue);
  if (keyValue === null) return fail('percent-encoding', `malformed percent-encoding in ${rawKeyValue}`, rawKeyValue);
  const keyProblem = checkPrimaryKeyValue(keySpec, keyValue);
  if (keyProblem) return fail(keyProblem.rule, keyProblem.message, rawKeyValue);

  const seen = new Set<string>([keyAi]);
  const sequences = PRIMARY_KEYS.get(keyAi) ?? [];
  const allowedQualifiers = new Set(sequences.flat());
  const rest = segments.slice(keyAt + 2);
  if (rest.length % 2 === 1) {
    const last = rest[rest.length - 1] as string;
    return fail('odd-segments', `after the primary key the path must be AI/value pairs: "${last}" has no pair`, last);
  }

  const qualifiers: AiValue[] = [];
  let sequence: readonly string[] | undefined;
  let lastPosition = -1;
  for (let i = 0; i < rest.length; i += 2) {
    const ai = rest[i] as string;
    const raw = rest[i + 1] as string;
    if (seen.has(ai)) return fail('duplicate-ai', `AI ${ai} appears more than once`, ai);
    if (!allowedQualifiers.has(ai)) {
      return fail(
        'qualifier-not-allowed',
        allowedQualifiers.size === 0
          ? `primary key ${keyAi} takes no key qualifiers in the path, not ${ai}`
          : `${ai} is not a key qualifier of ${keyAi} (allowed: ${sequences.map((s) => s.join(', ')).join(' or ')})`,
        ai,
      );
    }
    seen.add(ai);
    const owner = sequences.find((s) => s.includes(ai)) as readonly string[];
    if (sequence && owner !== sequence) {
      return fail('qualifier-not-allowed', `${ai} cannot be combined with ${sequence.filter((q) => seen.has(q)).join(', ')} after ${keyAi}`, ai);
    }
    sequence = owner;
    const position = owner.indexOf(ai);
    if (position < lastPosition) {
      return fail('qualifier-order', `key qualifiers of ${keyAi} go in the order ${owner.join(', ')}: ${ai} comes too late`, ai);
    }
    lastPosition = position;
    const value = decode(raw);
    if (value === null) return fail('percent-encoding', `malformed percent-encoding in ${raw}`, raw);
    const spec = AI_TABLE.get(ai) as AiSpec;
    const problem = checkAiValue(spec, value);
    if (problem) return fail(problem.rule, problem.message, raw);
    qualifiers.push({ ai, value });
  }

  const attributes: AiValue[] = [];
  const otherParams: Record<string, string> = {};
  for (const piece of query.split('&')) {
    if (piece === '') continue;
    const eq = piece.indexOf('=');
    const rawName = eq < 0 ? piece : piece.slice(0, eq);
    const rawValue = eq < 0 ? '' : piece.slice(eq + 1);
    const name = decode(rawName);
    const value = decode(rawValue);
    if (name === null || value === null) return fail('percent-encoding', `malformed percent-encoding in ${piece}`, piece);
    if (!/^\d+$/.test(name)) {
      if (name !== '' && !Object.hasOwn(otherParams, name)) {
        // defineProperty, so that a parameter named __proto__ is data rather than a prototype.
        Object.defineProperty(otherParams, name, { value, enumerable: true, writable: true, configurable: true });
      }
      continue;
    }
    if (!/^\d{2,4}$/.test(name)) {
      return fail('query-ai-shape', `query parameter ${name} is numeric but a GS1 AI has 2 to 4 digits`, name);
    }
    if (allowedQualifiers.has(name)) {
      return fail('qualifier-in-query', `${name} is a key qualifier of ${keyAi}: it belongs in the path, not the query`, name);
    }
    if (seen.has(name)) return fail('duplicate-ai', `AI ${name} appears more than once`, name);
    const spec = AI_TABLE.get(name);
    if (!spec || !spec.attribute) {
      return fail('not-a-data-attribute', `${name} is not a GS1 data attribute allowed in a Digital Link query`, name);
    }
    seen.add(name);
    const problem = checkAiValue(spec, value);
    if (problem) return fail(problem.rule, problem.message, `${name}=${rawValue}`);
    attributes.push({ ai: name, value });
  }

  return { ok: true, value: { primaryKey: { ai: keyAi, value: keyValue }, qualifiers, attributes, otherParams } };
}

// ---------------------------------------------------------------------------------------------
// Canonical form

function hex(c: string): string {
  return `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`;
}

/**
 * Percent-encoding of an AI value: everything but letters, digits and `-._~` is encoded, which for
 * character set 82 is exactly the symbols the Digital Link standard has encoded (`!"%&'()*+,/:;<=>?`).
 */
function encodeAiValue(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, hex);
}

/** Encoding of a non-AI query parameter: only what a query component cannot carry (and `+`). */
function encodeQueryPart(value: string): string {
  return encodeURIComponent(value)
    .replace(/%(3A|40|2F|3F|24|2C|3B)/g, (_m, code: string) => String.fromCharCode(parseInt(code, 16)));
}

function byCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The canonical URI we print: `base` (scheme, host and any stem, without a trailing "/"), the primary
 * key, its qualifiers in the standard order, then the query with the data attributes sorted by AI
 * and the other parameters sorted by name.
 */
export function canonicalDigitalLink(base: string, parsed: ParsedDigitalLink): string {
  const { primaryKey, qualifiers, attributes, otherParams } = parsed;
  const order = qualifierOrder(primaryKey.ai);
  const rank = (ai: string): number => {
    const i = order.indexOf(ai);
    return i < 0 ? order.length : i;
  };
  const path = [primaryKey, ...[...qualifiers].sort((a, b) => rank(a.ai) - rank(b.ai))]
    .map(({ ai, value }) => `/${ai}/${encodeAiValue(value)}`)
    .join('');
  const params = [
    ...[...attributes].sort((a, b) => byCodeUnits(a.ai, b.ai)).map(({ ai, value }) => `${ai}=${encodeAiValue(value)}`),
    ...Object.keys(otherParams)
      .sort(byCodeUnits)
      .map((name) => `${encodeQueryPart(name)}=${encodeQueryPart(otherParams[name] ?? '')}`),
  ];
  return `${base.replace(/\/+$/, '')}${path}${params.length > 0 ? `?${params.join('&')}` : ''}`;
}

// ---------------------------------------------------------------------------------------------
// The links this service prints, each through the canonical form above

/** The GS1 global resolver: the host of the Digital Links inside EPCIS events and of their hash normal form. */
export const GS1_RESOLVER = 'https://id.gs1.org';

function keyLink(baseUrl: string, primaryKey: AiValue, qualifiers: AiValue[] = []): string {
  return canonicalDigitalLink(baseUrl, { primaryKey, qualifiers, attributes: [], otherParams: {} });
}

/**
 * A lot's Digital Link (GS1 Digital Link URI Syntax 1.4): `/01/{gtin14}/10/{lot}` on the service's
 * own resolver, or the short `/l/{code}` path for lots without a GTIN. The QR code, the linkset and
 * the API all print this one string, which is the resolver's canonical URI of the lot.
 */
export function lotDigitalLink(baseUrl: string, lot: { gtin: string | null; lotNumber: string; code: string }): string {
  if (lot.gtin) return keyLink(baseUrl, { ai: '01', value: lot.gtin }, [{ ai: '10', value: lot.lotNumber }]);
  return `${baseUrl}/l/${lot.code}`;
}

/** A trade item's Digital Link (GTIN only): where a product, rather than one lot, resolves. */
export function productDigitalLink(baseUrl: string, gtin: string): string {
  return keyLink(baseUrl, { ai: '01', value: gtin });
}

/** A physical location's Digital Link (GLN as AI 414): where an organization or a plot resolves. */
export function locationDigitalLink(baseUrl: string, gln: string): string {
  return keyLink(baseUrl, { ai: '414', value: gln });
}

/** A party's Digital Link (GLN as AI 417): how events name an organization. */
export function partyDigitalLink(baseUrl: string, gln: string): string {
  return keyLink(baseUrl, { ai: '417', value: gln });
}

/**
 * A lot's identifier inside the EPCIS events we sign: `https://id.gs1.org/01/{gtin}/10/{lot}` with
 * the lot number encoded by encodeURIComponent, which leaves `!'()*` bare where the canonical form
 * encodes them. Kept so on purpose: signed events and the bundles already handed out carry this
 * spelling, EPCIS queries match identifiers byte for byte, and the bundle verifier compares a
 * bundle's lot URI with this one. Event hash IDs do not see the difference: their normal form
 * (captured-digital-link.ts) spells both alike.
 */
export function lotEventUri(gtin: string, lotNumber: string): string {
  return `${GS1_RESOLVER}/01/${gtin}/10/${encodeURIComponent(lotNumber)}`;
}
