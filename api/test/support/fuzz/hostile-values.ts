import fc from 'fast-check';

/**
 * Values that break careless parsers and validators: Unicode edge cases, prototype keys, numbers
 * JSON cannot hold or holds badly, huge and deeply nested documents. Strings may hold lone
 * surrogates, so they are serialized by `jsonText`, never by hand.
 */

/** A number token as written in the JSON text, including ones JSON.stringify cannot produce. */
export class RawNumber {
  constructor(readonly text: string) {}
}

export type HostileJson = null | boolean | number | string | RawNumber | HostileJson[] | { [key: string]: HostileJson };

const UNICODE_EDGES = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\uD800', // lone high surrogate
  '\uDFFF', // lone low surrogate
  'x\uDC00\uD800y', // surrogates in the wrong order
  '\u202Eevil\u202C', // right-to-left override
  'مزرعة القهوة', // right-to-left script
  '\u200B', // zero-width space
  'a\u200Db\u200Cc', // zero-width joiners
  '\uFEFF', // byte-order mark
  'e\u0301\u0301\u0301', // stacked combining marks
  'Z\u0351\u0334\u0321\u0327\u031B\u033C\u034E',
  '\u1EA1\u1EBF\u01B0\u01A1', // Vietnamese letters (ạ ế ư ơ)
  '👨‍👩‍👧‍👦',
  '\r\n\t\u000b\u000c',
  '\u2028\u2029',
  '\uFFFF\uFFFE',
];

const SUSPICIOUS_TEXT = [
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  '../../../etc/passwd',
  '..%2f..%2f',
  '%00',
  '%',
  "'; DROP TABLE plots; --",
  '<script>alert(1)</script>',
  '${7*7}',
  'NaN',
  'Infinity',
  '-0',
  '1e308',
  'null',
  'true',
  '[]',
  '{}',
  '2026-02-30',
  '2026-01-10T08:00:00+07:00',
  '9999-12-31T23:59:59Z',
  '08936123450014',
  'ni:///sha-256;00?ver=CBV2.0',
  'urn:epc:id:sgtin:0614141.107346.2017',
  'https://id.gs1.org/01/08936123450014/10/KN-2512-G1',
];

export const PROTOTYPE_KEYS = ['__proto__', 'constructor', 'prototype'] as const;

/** Hostile strings short enough for a URL or a header. */
export const shortHostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...UNICODE_EDGES, ...SUSPICIOUS_TEXT) },
  { weight: 3, arbitrary: fc.string({ unit: 'binary', maxLength: 24 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 24 }) },
);

export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 9, arbitrary: shortHostileString },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom('x', 'ế', '\u0000', '\uD800', '\u0301'), fc.constantFrom(256, 10_000, 300_000)).map(([unit, times]) => unit.repeat(times)) },
);

export const hostileKey: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...PROTOTYPE_KEYS) },
  { weight: 2, arbitrary: shortHostileString },
);

export const hostileNumber: fc.Arbitrary<number | RawNumber> = fc.oneof(
  fc.integer(),
  fc.double(), // NaN and ±Infinity become invalid JSON tokens (see jsonText)
  fc.constantFrom(0, -0, 1e308, -1e308, 5e-324, Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER, 2 ** 31, -(2 ** 31) - 1, 0.1, 1.5),
  fc.constantFrom('1e309', '-1e309', '9007199254740993', '123456789012345678901234567890', '-0.0', '1E-400', '0.0000000000000000000000001').map((t) => new RawNumber(t)),
);

/** Own property `key` even when it is `__proto__` (plain assignment would set the prototype). */
export function defineKey<T>(target: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

function objectOf(entries: Array<[string, HostileJson]>): { [key: string]: HostileJson } {
  const out: { [key: string]: HostileJson } = {};
  for (const [key, value] of entries) defineKey(out, key, value);
  return out;
}

const leaf: fc.Arbitrary<HostileJson> = fc.oneof(fc.constant(null), fc.boolean(), hostileNumber, hostileString);
const shortLeaf: fc.Arbitrary<HostileJson> = fc.oneof(fc.constant(null), fc.boolean(), hostileNumber, shortHostileString);

/** Arrays nested `depth` deep around `inner`, e.g. to find recursion without a bound. */
export const nested = (depth: number, inner: HostileJson, asObject: boolean): HostileJson => {
  let value = inner;
  for (let i = 0; i < depth; i++) value = asObject ? objectOf([['a', value]]) : [value];
  return value;
};

export const hostileJson: fc.Arbitrary<HostileJson> = fc.oneof(
  { weight: 6, arbitrary: fc.letrec<{ value: HostileJson }>((tie) => ({
    value: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      leaf,
      fc.array(tie('value'), { maxLength: 4 }),
      fc.array(fc.tuple(hostileKey, tie('value')), { maxLength: 4 }).map(objectOf),
    ),
  })).value },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom(50, 2_000, 100_000), leaf, fc.boolean()).map(([depth, inner, asObject]) => nested(depth, inner, asObject)) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom(1_000, 50_000), shortLeaf).map(([length, item]) => Array.from({ length }, () => item)) },
);

/** Structural JSON text pushed while serializing. */
class Verbatim {
  constructor(readonly text: string) {}
}

/** JSON text of `value`: raw number tokens verbatim, NaN/Infinity as the invalid tokens they are. */
export function jsonText(value: HostileJson): string {
  // Iterative, so the serializer itself survives the deepest documents it is given.
  const out: string[] = [];
  const stack: Array<HostileJson | Verbatim> = [value];
  while (stack.length > 0) {
    const item = stack.pop()!;
    if (item instanceof Verbatim || item instanceof RawNumber) out.push(item.text);
    else if (typeof item === 'number') out.push(Number.isFinite(item) ? (Object.is(item, -0) ? '-0' : JSON.stringify(item)) : String(item));
    else if (item === null || typeof item !== 'object') out.push(JSON.stringify(item));
    else {
      const entries: Array<[string | null, HostileJson]> = Array.isArray(item) ? item.map((v) => [null, v]) : Object.keys(item).map((k) => [k, item[k]!]);
      out.push(Array.isArray(item) ? '[' : '{');
      stack.push(new Verbatim(Array.isArray(item) ? ']' : '}'));
      for (let i = entries.length - 1; i >= 0; i--) {
        const [key, child] = entries[i]!;
        stack.push(child);
        if (key !== null) stack.push(new Verbatim(`${JSON.stringify(key)}:`));
        if (i > 0) stack.push(new Verbatim(','));
      }
    }
  }
  return out.join('');
}
