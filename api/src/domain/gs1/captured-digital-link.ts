/**
 * Digital Link URIs as others captured them into EPCIS events: which GS1 key a URI names, read
 * leniently, and the normal form the CBV 2.0 event hash ID writes it in. The resolver's strict
 * parser (digital-link.ts) answers 400 to what this reads without complaint, because an event
 * captured elsewhere must hash alike here and there, and name its lot whoever printed the link.
 */
import { AI_TABLE, PRIMARY_KEYS, qualifierOrder, type AiSpec } from './ai-table.js';
import { GS1_RESOLVER, type AiValue } from './digital-link.js';

/** What a Digital Link identifies: its primary key and key qualifiers, percent-decoded, qualifiers in the standard order. */
export type DigitalLinkKey = { primaryKey: AiValue; qualifiers: AiValue[] };

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/**
 * Percent-encodes what a URI path segment cannot hold (RFC 3986 `pchar`: `!'()*+,;=:@$&` stay
 * bare), each character as its UTF-8 bytes: the encoding of the hash normal form.
 */
function encodeSegment(value: string): string {
  return value.replace(/[^A-Za-z0-9\-._~!'()*+,;=:@$&]/g, (c) =>
    Array.from(new TextEncoder().encode(c), (b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join(''),
  );
}

/** A component that may hold %xx escapes (an EPC URI's, a captured path's) as a hash-normal path segment. */
export function normalSegment(component: string): string {
  return encodeSegment(safeDecode(component));
}

const keyShapes = new Map<string, RegExp>();

/** The AI's components as a pattern: digits where the AI has digits, lengths within its bounds, any other character elsewhere. */
function shapeOf(spec: AiSpec): RegExp {
  let shape = keyShapes.get(spec.ai);
  if (!shape) {
    const parts = spec.components.map((c) => {
      const part = `${c.cset === 'N' ? '\\d' : '.'}{${c.min === c.max ? c.max : `${c.min},${c.max}`}}`;
      return c.optional ? `(?:${part})?` : part;
    });
    shape = new RegExp(`^${parts.join('')}$`);
    keyShapes.set(spec.ai, shape);
  }
  return shape;
}

/**
 * Whether a captured value can be the key: its AI's shape, without check digits or character
 * sets; a GTIN may also have 8, 12 or 13 digits. Every key but the GMN must begin with a digit
 * (the start of its GS1 Company Prefix), as the hash normal form has always asked: what it accepts
 * decides the ID of events already signed.
 */
function hasKeyShape(spec: AiSpec, value: string): boolean {
  if (spec.ai === '01' && /^(\d{8}|\d{12}|\d{13})$/.test(value)) return true;
  if (spec.ai !== '8013' && !/^\d/.test(value)) return false;
  return shapeOf(spec).test(value);
}

/**
 * The key a Digital Link URI on any host names, or null if it names none: the first primary-key
 * AI in the path whose value has the key's shape and is followed only by its key qualifiers (any
 * order, the last of a repeated one wins); a GTIN padded to 14 digits. Data attributes and the
 * query are not part of the key.
 */
export function capturedDigitalLinkKey(uri: string): DigitalLinkKey | null {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return null;
  }
  const segments = url.pathname.split('/').filter((s) => s !== '');
  for (let i = 0; i + 1 < segments.length; i += 1) {
    const ai = segments[i]!;
    const spec = PRIMARY_KEYS.has(ai) ? AI_TABLE.get(ai) : undefined;
    if (!spec) continue;
    let value: string;
    try {
      value = decodeURIComponent(segments[i + 1]!);
    } catch {
      continue;
    }
    if (!hasKeyShape(spec, value)) continue;
    const order = qualifierOrder(ai);
    const pairs = new Map<string, string>();
    for (let j = i + 2; j + 1 < segments.length; j += 2) pairs.set(segments[j]!, segments[j + 1]!);
    // A path after the key that is not made of key qualifiers is not a Digital Link URI.
    if (![...pairs.keys()].every((q) => order.includes(q)) || (segments.length - i) % 2 !== 0) continue;
    return {
      primaryKey: { ai, value: ai === '01' ? value.padStart(14, '0') : value },
      qualifiers: order.filter((q) => pairs.has(q)).map((q) => ({ ai: q, value: safeDecode(pairs.get(q)!) })),
    };
  }
  return null;
}

/**
 * A Digital Link URI on any host as the CBV 2.0 event hash algorithm normalises it:
 * `https://id.gs1.org`, the key and its qualifiers in order, nothing else; null if it names no key.
 */
export function hashNormalisedDigitalLink(uri: string): string | null {
  const key = capturedDigitalLinkKey(uri);
  if (!key) return null;
  // The key's value is percent-decoded a second time here (qualifiers' are not): hash IDs have
  // always been computed so, and events signed with them must keep verifying.
  let out = `${GS1_RESOLVER}/${key.primaryKey.ai}/${normalSegment(key.primaryKey.value)}`;
  for (const q of key.qualifiers) out += `/${q.ai}/${encodeSegment(q.value)}`;
  return out;
}
