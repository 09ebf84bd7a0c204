/**
 * GS1 Digital Link URI syntax (GS1 Digital Link Standard: URI Syntax 1.2+, with the AI formats of
 * the GS1 General Specifications as the GS1 Barcode Syntax Dictionary states them): parses and
 * validates the path and query of a Digital Link URI, and prints the canonical form.
 *
 * Pure: no I/O and no Node-only APIs. Every failure names the rule it breaks (`DigitalLinkRule`),
 * so a resolver can answer 400 with that rule.
 */
import { gs1CheckDigit, normalizeGtin } from './gs1.js';

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
// AI table

type CharSet = 'N' | 'X' | 'Y' | 'Z';
type Component = { cset: CharSet; min: number; max: number; optional: boolean; linters: string[] };
type AiSpec = { ai: string; title: string; attribute: boolean; components: Component[]; min: number; max: number };

/**
 * AI formats, written like lines of the GS1 Barcode Syntax Dictionary:
 * `AI[-AI] [?] component… # title`, where `?` marks a Digital Link data attribute (allowed in the
 * query string), a component is `N`/`X`/`Y`/`Z` (digits, CSET 82, CSET 39, base64url) with a fixed
 * length (`N13`) or a maximum (`X..20`), `[…]` marks an optional component, and `,linter`s follow.
 */
const AI_LINES = [
  '00 ? N18,csum # SSCC',
  '01 ? N14,csum # GTIN',
  '02 ? N14,csum # CONTENT',
  '10 ? X..20 # BATCH/LOT',
  '11 ? N6,yymmd0 # PROD DATE',
  '12 ? N6,yymmd0 # DUE DATE',
  '13 ? N6,yymmd0 # PACK DATE',
  '15 ? N6,yymmd0 # BEST BEFORE',
  '16 ? N6,yymmd0 # SELL BY',
  '17 ? N6,yymmd0 # USE BY or EXPIRY',
  '20 ? N2 # VARIANT',
  '21 X..20 # SERIAL',
  '22 X..20 # CPV',
  '235 X..28 # TPX',
  '240-241 ? X..30 # ADDITIONAL ID',
  '242 ? N..6 # MTO VARIANT',
  '243 ? X..20 # PCN',
  '250-251 ? X..30 # SECONDARY SERIAL',
  '253 ? N13,csum [X..17] # GDTI',
  '254 X..20 # GLN EXTENSION COMPONENT',
  '255 ? N13,csum [N..12] # GCN',
  '30 ? N..8 # VAR. COUNT',
  '37 ? N..8 # COUNT',
  '3900-3909 ? N..15 # AMOUNT',
  '3910-3919 ? N3 N..15 # AMOUNT',
  '3920-3929 ? N..15 # PRICE',
  '3930-3939 ? N3 N..15 # PRICE',
  '3940-3943 ? N4 # PRCNT OFF',
  '3950-3955 ? N6 # PRICE/UoM',
  '400 ? X..30 # ORDER NUMBER',
  '401 ? X..30 # GINC',
  '402 ? N17,csum # GSIN',
  '403 ? X..30 # ROUTE',
  '410-413 ? N13,csum # GLN',
  '414 ? N13,csum # LOC No.',
  '415-416 ? N13,csum # GLN',
  '417 ? N13,csum # PARTY',
  '420 ? X..20 # SHIP TO POST',
  '421 ? N3 X..9 # SHIP TO POST',
  '422 ? N3 # ORIGIN',
  '423 ? N3 [N3] [N3] [N3] [N3] # COUNTRY - INITIAL PROCESS',
  '424 ? N3 # COUNTRY - PROCESS',
  '425 ? N3 [N3] [N3] [N3] [N3] # COUNTRY - DISASSEMBLY',
  '426 ? N3 # COUNTRY - FULL PROCESS',
  '427 ? X..3 # ORIGIN SUBDIVISION',
  '4300-4301 ? X..35 # SHIP TO',
  '4302-4306 ? X..70 # SHIP TO',
  '4307 ? X2 # SHIP TO COUNTRY',
  '4308 ? X..30 # SHIP TO PHONE',
  '4309 ? N10 N10 # SHIP TO GEO',
  '4310-4311 ? X..35 # RTN TO',
  '4312-4316 ? X..70 # RTN TO',
  '4317 ? X2 # RTN TO COUNTRY',
  '4318 ? X..20 # RTN TO POST',
  '4319 ? X..30 # RTN TO PHONE',
  '4320 ? X..35 # SRV DESCRIPTION',
  '4321-4323 ? N1,yesno # FLAG',
  '4324-4325 ? N6,yymmd0 N4,hhmi # DEL DT',
  '4326 ? N6,yymmdd # REL DATE',
  '4330-4333 ? N6 [X1] # TEMP',
  '7001 ? N13 # NSN',
  '7002 ? X..30 # MEAT CUT',
  '7003 ? N6,yymmdd N4,hhmi # EXPIRY TIME',
  '7004 ? N..4 # ACTIVE POTENCY',
  '7005 ? X..12 # CATCH AREA',
  '7006 ? N6,yymmdd # FIRST FREEZE DATE',
  '7007 ? N6,yymmdd [N6],yymmdd # HARVEST DATE',
  '7008 ? X..3 # AQUATIC SPECIES',
  '7009 ? X..10 # FISHING GEAR TYPE',
  '7010 ? X..2 # PROD METHOD',
  '7011 ? N6,yymmdd [N4],hhmi # TEST BY DATE',
  '7020-7022 ? X..20 # REFURB/STATUS',
  '7023 ? X..30 # GIAI - ASSEMBLY',
  '7030-7039 ? N3 X..27 # PROCESSOR',
  '7040 N1 X1 X1 X1 # UIC+EXT',
  '710-717 ? X..20 # NHRN',
  '7230-7239 ? X2 X..28 # CERT',
  '7240 ? X..20 # PROTOCOL',
  '7241 ? N2 # AIDC MEDIA TYPE',
  '7242 ? X..25 # VCN',
  '8001 ? N14 # DIMENSIONS',
  '8002 ? X..20 # CMT No.',
  '8003 ? N1,zero N13,csum [X..16] # GRAI',
  '8004 ? X..30 # GIAI',
  '8005 ? N6 # PRICE PER UNIT',
  '8006 ? N14,csum N4,pieceoftotal # ITIP',
  '8007 ? X..34 # IBAN',
  '8008 ? N6,yymmdd N2,hh [N2],mi [N2],ss # PROD TIME',
  '8009 ? X..50 # OPTSEN',
  '8010 ? Y..30 # CPID',
  '8011 N..12,nozeroprefix # CPID SERIAL',
  '8012 ? X..20 # VERSION',
  '8013 ? X..25,csumalpha # GMN',
  '8017-8018 ? N18,csum # GSRN',
  '8019 N..10 # SRIN',
  '8020 X..25 # REF No.',
  '8026 ? N14,csum N4,pieceoftotal # ITIP CONTENT',
  '8030 ? Z..90 # DIGSIG',
  '8110 ? X..70 # COUPON CODE',
  '8111 ? N4 # POINTS',
  '8112 ? X..70 # COUPON OFFER',
  '90 ? X..30 # INTERNAL',
  '91-99 ? X..90 # INTERNAL',
];

/** Variable measures (31nn–36nn): net and logistic weights, dimensions, areas, volumes, all N6. */
const MEASURE_PREFIXES = [
  ...range(310, 316),
  ...range(320, 329),
  ...range(330, 337),
  ...range(340, 349),
  ...range(350, 357),
  ...range(360, 369),
];

function range(from: number, to: number): number[] {
  const out: number[] = [];
  for (let i = from; i <= to; i++) out.push(i);
  return out;
}

const COMPONENT = /^(\[)?([NXYZ])(\.\.)?(\d+)(\])?((?:,\w+)*)$/;

function parseAiLine(line: string): AiSpec[] {
  const [definition = '', titlePart = ''] = line.split(' # ');
  const tokens = definition.trim().split(/\s+/);
  const aiToken = tokens.shift() ?? '';
  let attribute = false;
  if (tokens[0] === '?') {
    attribute = true;
    tokens.shift();
  }
  const components = tokens.map((token): Component => {
    const m = COMPONENT.exec(token);
    if (!m) throw new Error(`bad AI table component ${token}`);
    const length = Number(m[4]);
    return {
      cset: m[2] as CharSet,
      min: m[3] ? 1 : length,
      max: length,
      optional: Boolean(m[1]),
      linters: (m[6] ?? '').split(',').filter(Boolean),
    };
  });
  const min = components.reduce((sum, c) => sum + (c.optional ? 0 : c.min), 0);
  const max = components.reduce((sum, c) => sum + c.max, 0);
  const [first = aiToken, last = first] = aiToken.split('-');
  return range(Number(first), Number(last)).map((n) => ({
    ai: String(n).padStart(first.length, '0'),
    title: titlePart.trim(),
    attribute,
    components,
    min,
    max,
  }));
}

const AI_TABLE: ReadonlyMap<string, AiSpec> = new Map(
  [
    ...AI_LINES.flatMap(parseAiLine),
    ...MEASURE_PREFIXES.flatMap((p) => parseAiLine(`${p}0-${p}5 ? N6 # MEASURE`)),
  ].map((spec) => [spec.ai, spec]),
);

/**
 * Primary keys and their key qualifiers: each inner list is one allowed sequence, in the standard
 * order, every element optional; `|` alternatives of the syntax dictionary are separate lists
 * (GTIN: 22, 10, 21 or else 235).
 */
const PRIMARY_KEYS: ReadonlyMap<string, readonly (readonly string[])[]> = new Map([
  ['01', [['22', '10', '21'], ['235']]],
  ['8006', [['22', '10', '21']]],
  ['8010', [['8011']]],
  ['414', [['254'], ['7040']]],
  ['417', [['7040']]],
  ['8004', [['7040']]],
  ['8017', [['8019']]],
  ['8018', [['8019']]],
  ['00', []],
  ['253', []],
  ['255', []],
  ['401', []],
  ['402', []],
  ['8003', []],
  ['8013', []],
]);

/** The AIs that this service accepts as Digital Link primary keys. */
export const DIGITAL_LINK_PRIMARY_KEYS: readonly string[] = [...PRIMARY_KEYS.keys()].sort();

// ---------------------------------------------------------------------------------------------
// Value checks

const CSET82 = /^[!"%&'()*+,\-./0-9:;<=>?A-Z_a-z]*$/;
const CSET82_ORDER = '!"%&\'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz';
const CSET32 = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';
const CSET39 = /^[#\-/0-9A-Z]*$/;
const BASE64URL = /^[A-Za-z0-9\-_]*={0,2}$/;
const PRIMES = [2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59, 61, 67, 71, 73, 79, 83, 89, 97];

const CSET_NAMES: Record<CharSet, string> = {
  N: 'digits only',
  X: 'the GS1 character set 82 (letters, digits and !"%&\'()*+,-./:;<=>?_)',
  Y: 'the GS1 character set 39 (digits, capital letters and #-/)',
  Z: 'base64url characters',
};

function inCharSet(cset: CharSet, part: string): boolean {
  switch (cset) {
    case 'N':
      return /^\d*$/.test(part);
    case 'X':
      return CSET82.test(part);
    case 'Y':
      return CSET39.test(part);
    case 'Z':
      return BASE64URL.test(part);
  }
}

/** GS1 check character pair for alphanumeric keys (GMN), General Specifications §7.9.5. */
function checkCharacterPair(data: string): string | null {
  if (data.length > PRIMES.length) return null;
  let sum = 0;
  for (let i = 0; i < data.length; i++) {
    const weight = PRIMES[data.length - 1 - i] ?? 0;
    sum += CSET82_ORDER.indexOf(data.charAt(i)) * weight;
  }
  sum %= 1021;
  return CSET32.charAt(sum >> 5) + CSET32.charAt(sum & 31);
}

function isLeapYy(yy: number): boolean {
  // Two-digit years resolve to 1951–2050 (General Specifications §7.12); 2000 is a leap year.
  return yy % 4 === 0;
}

/** YYMMDD; `allowDayZero` for the AIs whose day 00 means "end of the month" (yymmd0). */
function isRealDate(yymmdd: string, allowDayZero: boolean): boolean {
  const yy = Number(yymmdd.slice(0, 2));
  const mm = Number(yymmdd.slice(2, 4));
  const dd = Number(yymmdd.slice(4, 6));
  if (mm < 1 || mm > 12) return false;
  if (dd === 0) return allowDayZero;
  const days = [31, isLeapYy(yy) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][mm - 1] ?? 0;
  return dd <= days;
}

type Problem = { rule: DigitalLinkRule; message: string };

function label(spec: AiSpec): string {
  return `(${spec.ai}) ${spec.title}`;
}

function lengthText(spec: AiSpec): string {
  const unit = spec.components.every((c) => c.cset === 'N') ? 'digits' : 'characters';
  return spec.min === spec.max ? `exactly ${spec.max} ${unit}` : `${spec.min} to ${spec.max} ${unit}`;
}

function lint(linter: string, part: string, spec: AiSpec): Problem | null {
  switch (linter) {
    case 'csum': {
      const expected = gs1CheckDigit(part.slice(0, -1));
      if (String(expected) !== part.slice(-1)) {
        return {
          rule: 'check-digit',
          message: `${label(spec)}: check digit of ${part} is wrong (expected ${expected}, got ${part.slice(-1)})`,
        };
      }
      return null;
    }
    case 'csumalpha': {
      const expected = part.length >= 2 ? checkCharacterPair(part.slice(0, -2)) : null;
      if (expected === null || expected !== part.slice(-2)) {
        return {
          rule: 'check-digit',
          message: `${label(spec)}: check character pair of ${part} is wrong${expected ? ` (expected ${expected})` : ''}`,
        };
      }
      return null;
    }
    case 'yymmdd':
    case 'yymmd0':
      return isRealDate(part, linter === 'yymmd0')
        ? null
        : {
            rule: 'invalid-date',
            message: `${label(spec)}: ${part} is not a real date (YYMMDD${linter === 'yymmd0' ? ', day 00 for the end of the month' : ''})`,
          };
    case 'hhmi':
      return Number(part.slice(0, 2)) <= 23 && Number(part.slice(2, 4)) <= 59
        ? null
        : { rule: 'invalid-date', message: `${label(spec)}: ${part} is not a real time (HHMM)` };
    case 'hh':
      return Number(part) <= 23 ? null : { rule: 'invalid-date', message: `${label(spec)}: ${part} is not a real hour` };
    case 'mi':
    case 'ss':
      return Number(part) <= 59 ? null : { rule: 'invalid-date', message: `${label(spec)}: ${part} is not a real minute or second` };
    case 'zero':
      return part === '0' ? null : { rule: 'ai-format', message: `${label(spec)}: the first digit must be 0` };
    case 'nozeroprefix':
      return part.length > 1 && part.startsWith('0')
        ? { rule: 'ai-format', message: `${label(spec)}: ${part} must not start with 0` }
        : null;
    case 'yesno':
      return part === '0' || part === '1' ? null : { rule: 'ai-format', message: `${label(spec)}: must be 0 or 1` };
    case 'pieceoftotal': {
      const piece = Number(part.slice(0, 2));
      const total = Number(part.slice(2, 4));
      return piece >= 1 && total >= 1 && piece <= total
        ? null
        : { rule: 'ai-format', message: `${label(spec)}: piece ${piece} of ${total} is not a piece of the total` };
    }
    default:
      return null;
  }
}

/** Checks a decoded value against the AI's format: components, character sets, lengths, linters. */
function checkValue(spec: AiSpec, value: string): Problem | null {
  if (value.length === 0) return { rule: 'ai-length', message: `${label(spec)} has no value (${lengthText(spec)})` };
  let pos = 0;
  for (const component of spec.components) {
    const remaining = value.length - pos;
    if (remaining === 0) {
      if (component.optional) break;
      return { rule: 'ai-length', message: `${label(spec)}: ${value} is too short (${lengthText(spec)})` };
    }
    if (component.min === component.max && remaining < component.max) {
      return { rule: 'ai-length', message: `${label(spec)}: ${value} is too short (${lengthText(spec)})` };
    }
    const part = value.slice(pos, pos + component.max);
    if (!inCharSet(component.cset, part)) {
      return { rule: 'ai-charset', message: `${label(spec)}: ${value} may use ${CSET_NAMES[component.cset]}` };
    }
    for (const linter of component.linters) {
      const problem = lint(linter, part, spec);
      if (problem) return problem;
    }
    pos += part.length;
  }
  if (pos < value.length) {
    return {
      rule: 'ai-length',
      message: `${label(spec)}: ${value.length > 40 ? `${value.slice(0, 40)}…` : value} is too long (${lengthText(spec)})`,
    };
  }
  return null;
}

function checkPrimaryKey(spec: AiSpec, value: string): Problem | null {
  if (spec.ai === '01') {
    if (/^\d+$/.test(value) && [8, 12, 13].includes(value.length)) {
      const normalized = normalizeGtin(value);
      return {
        rule: 'gtin-length',
        message:
          `a GTIN in a Digital Link path has 14 digits: ${value} has ${value.length}` +
          (normalized.ok ? ` (write it as ${normalized.value})` : ''),
      };
    }
  }
  const problem = checkValue(spec, value);
  if (problem && (problem.rule === 'ai-length' || problem.rule === 'ai-charset')) {
    return { rule: 'key-format', message: `${label(spec)}: ${value} is not a valid key (${lengthText(spec)}, ${describeSets(spec)})` };
  }
  return problem;
}

function describeSets(spec: AiSpec): string {
  const sets = [...new Set(spec.components.map((c) => c.cset))];
  return sets.map((s) => CSET_NAMES[s]).join(', then ');
}

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
  const keyProblem = checkPrimaryKey(keySpec, keyValue);
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
    const problem = checkValue(spec, value);
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
    const problem = checkValue(spec, value);
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
export function encodeAiValue(value: string): string {
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
  const order = (PRIMARY_KEYS.get(primaryKey.ai) ?? []).flat();
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
