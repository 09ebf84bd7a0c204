/**
 * The GS1 Application Identifier table (formats as the GS1 Barcode Syntax Dictionary states them)
 * and the ONE table of Digital Link primary keys and their key qualifiers. Pure data and lookups:
 * the value checks are in ai-values.ts, the URI syntax in digital-link.ts.
 */

// ---------------------------------------------------------------------------------------------
// AI table

export type CharSet = 'N' | 'X' | 'Y' | 'Z';
export type Component = { cset: CharSet; min: number; max: number; optional: boolean; linters: string[] };
export type AiSpec = { ai: string; title: string; attribute: boolean; components: Component[]; min: number; max: number };

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

export const AI_TABLE: ReadonlyMap<string, AiSpec> = new Map(
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
export const PRIMARY_KEYS: ReadonlyMap<string, readonly (readonly string[])[]> = new Map([
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

/** A primary key's qualifiers in the order a canonical URI lists them (every sequence, in turn). */
export function qualifierOrder(keyAi: string): readonly string[] {
  return (PRIMARY_KEYS.get(keyAi) ?? []).flat();
}

/** The AIs that this service accepts as Digital Link primary keys. */
export const DIGITAL_LINK_PRIMARY_KEYS: readonly string[] = [...PRIMARY_KEYS.keys()].sort();
