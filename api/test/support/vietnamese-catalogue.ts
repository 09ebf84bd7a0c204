import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import type { Page } from 'playwright-core';
import { parseLocaleNumber } from '../../src/domain/locale-number.js';
import { quantityInWords, type WordUnit } from '../../src/domain/number-words.js';

/**
 * The Vietnamese catalogue: every word the console, the office and the public pages may show in
 * Vietnamese, taken from the vi half of every typed message table under web/ (any module whose
 * name says messages or vocabulary names: a new table is picked up without touching the test).
 * A string in a table is allowed as it is; a function (a sentence with values) is called with
 * marker arguments, and what it writes becomes a pattern with the values left open.
 */
const WEB = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../web');
const MARK = '\u27e6x\u27e7';

export interface Catalogue {
  strings: Set<string>;
  templates: RegExp[];
}

function tableFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'dist' ? [] : tableFiles(full);
    return /\.tsx?$/.test(entry.name) && /messages|vocabulary-names/.test(full.slice(WEB.length)) ? [full] : [];
  });
}

/**
 * Stands for any value a message function is given: a string, a number, an object of params.
 * `textValue` is what a params object's `text(name)` answers (problem-messages.ts branches on it),
 * so each literal a function compares a param with is tried.
 */
function makeMarker(textValue: string): unknown {
  const marker: unknown = new Proxy(function () {}, {
    get(_target, key) {
      if (key === Symbol.toPrimitive) return (hint: string) => (hint === 'number' ? 7 : MARK);
      if (key === 'toString' || key === 'toLocaleString' || key === 'toFixed' || key === 'trim') return () => MARK;
      if (key === 'text') return () => textValue;
      if (key === 'length') return 7;
      return marker;
    },
    apply: () => MARK,
  });
  return marker;
}

const BASE_CHOICES: unknown[] = [makeMarker(MARK), 0, 1, 2];

function normalize(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A function's output with the values left open: markers and digits become wildcards; null when nothing fixed is left. */
function templateOf(output: string): RegExp | null {
  const text = normalize(output);
  const literal = text.replaceAll(MARK, '').replace(/\d/g, '');
  if ((literal.match(/\p{L}/gu) ?? []).length < 2) return null;
  const pattern = text
    .split(MARK)
    .map((part) => escape(part).replace(/\d+(?:[.,]\d+)*/g, '[\\d.,]+'))
    .join('.+?');
  return new RegExp(`^${pattern}$`, 'u');
}

function collect(value: unknown, catalogue: Catalogue, seen: Set<unknown>): void {
  if (typeof value === 'string') {
    const text = normalize(value);
    if (text) catalogue.strings.add(text);
    return;
  }
  if (typeof value === 'function') {
    const arity = Math.min(value.length || 1, 3);
    const compared = [...value.toString().matchAll(/===\s*(['"])(.*?)\1/g)].map((m) => makeMarker(m[2]!));
    const choices = [...BASE_CHOICES, ...compared];
    const combos: unknown[][] = [[]];
    for (let i = 0; i < arity; i++) combos.splice(0, combos.length, ...combos.flatMap((c) => choices.map((a) => [...c, a])));
    const outputs = new Set<string>();
    for (const args of combos) {
      try {
        const out = (value as (...a: unknown[]) => unknown)(...args);
        if (typeof out === 'string') outputs.add(out);
        else collect(out, catalogue, seen);
      } catch {
        // A value the function cannot take (it expected an array or a date): another combination covers it.
      }
    }
    for (const out of outputs) {
      const template = templateOf(out);
      if (template) catalogue.templates.push(template);
      if (!out.includes(MARK)) catalogue.strings.add(normalize(out));
    }
    return;
  }
  if (value && typeof value === 'object' && !seen.has(value)) {
    seen.add(value);
    for (const item of Object.values(value)) collect(item, catalogue, seen);
  }
}

/** Every vi table of every message module under web/. */
export async function vietnameseCatalogue(): Promise<Catalogue & { tables: string[] }> {
  const catalogue: Catalogue = { strings: new Set(), templates: [] };
  const tables: string[] = [];
  for (const file of tableFiles(WEB)) {
    const module = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
    for (const [name, exported] of Object.entries(module)) {
      const vi = (exported as { vi?: unknown } | null)?.vi;
      if (vi && typeof vi === 'object') {
        tables.push(`${path.relative(WEB, file)}:${name}`);
        collect(vi, catalogue, new Set());
      }
    }
  }
  return { ...catalogue, tables };
}

/** Every text value stored in the database (names, lot numbers, notes, addresses…): user data, not UI words. */
export function seededStrings(databaseFile: string): Set<string> {
  const db = new Database(databaseFile, { readonly: true });
  const strings = new Set<string>();
  const add = (value: unknown): void => {
    if (typeof value === 'string') {
      const text = normalize(value);
      if (!text) return;
      strings.add(text);
      if (/^[[{]/.test(text)) {
        try {
          add(JSON.parse(text));
        } catch {
          // Text that looks like JSON but is not: kept as it is.
        }
      }
    } else if (value && typeof value === 'object') for (const item of Object.values(value)) add(item);
  };
  try {
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all() as Array<{ name: string }>;
    for (const { name } of tables) for (const row of db.prepare(`SELECT * FROM "${name}"`).iterate() as Iterable<Record<string, unknown>>) add(row);
  } finally {
    db.close();
  }
  return strings;
}

/** Codes and machine values a screen shows as they are: URLs, emails, GTINs and GLNs, lot numbers, hashes, file names. */
const CODE_PATTERNS = [
  /^https?:\/\/\S*$/,
  /^[\w.+-]+@[\w-]+(\.[\w-]+)+$/,
  /^[A-Za-z0-9!"%&'()*+,\-./:;<=>?_]*\d[A-Za-z0-9!"%&'()*+,\-./:;<=>?_]*$/,
  /^[\w-]+\.(jpe?g|png|webp|csv|tsv|xml|geojson|pdf)$/i,
  /^(GS1 )?Digital Link$/,
  /^(GTIN|GLN|OCOP|VietGAP|GeoJSON|EUDR|QR|JSON|ID|HTX)$/,
  /^(kg|g|t|m|km|ha|m²|px|KB|MB|kB|VND|₫|đ)$/,
];

/** Every unit a number can be read back with (number-words.ts), and none. */
const WORD_UNITS: Array<WordUnit | null> = [null, 'kg', 't', 'bag', 'vnd', 'ha', 'g', 'ml', 'l', 'cm', 'degree', 'label'];

/**
 * A number field's reading, `<digits> [unit] = <words>` ("1.250 kg = một nghìn hai trăm năm mươi
 * ki-lô-gam"): a number, allowed when the words are exactly the Vietnamese reading of the digits
 * (number-words.ts), so a reading in English or of another value is still refused.
 */
function isVietnameseReading(text: string): boolean {
  const match = /^([\d.,]+)(?: \S+)? = (\p{L}[\p{L} -]*)$/u.exec(text);
  if (!match) return false;
  const parsed = parseLocaleNumber(match[1]!, 'vi');
  if (!parsed.ok) return false;
  const decimals = match[1]!.split(',')[1]?.length ?? 0;
  return WORD_UNITS.some((unit) => quantityInWords(parsed.value, unit, 'vi', decimals) === match[2]);
}

/** Separators a screen joins values with, tried in this order when a whole text node is not one value. */
const SEPARATORS: Array<string | RegExp> = [/(?<=[.!?]) /u, ' · ', '; ', ' — ', ' – ', ': ', ', ', ' (', ') '];
/** Marks and brackets around a value (`(còn hàng)`, `✓ Đã kiểm tra`, `EHO-01 ·`). */
const WRAPPING = /^[\s·—–:;,()✓✗←→•*]+|[\s·—–:;,()✓✗←→•*]+$/gu;

export class TextChecker {
  private readonly lowerStrings: Set<string>;

  constructor(
    private readonly catalogue: Catalogue,
    private readonly data: Set<string>,
  ) {
    this.lowerStrings = new Set([...catalogue.strings, ...data].map((t) => t.toLocaleLowerCase('vi')));
  }

  /** Whether `raw` is Vietnamese catalogue text, a code, a number or a date, or seeded user data, or values of those joined. */
  allowed(raw: string): boolean {
    return this.check(normalize(raw), 0);
  }

  private check(text: string, from: number): boolean {
    if (!/\p{L}/u.test(text)) return true;
    if (this.single(text)) return true;
    const bare = text.replace(WRAPPING, '');
    if (bare !== text && this.single(bare)) return true;
    // A node that joins several values (`product · lot`, `label: value`, `360 kg`) is allowed when each part is.
    // A value may hold the separator itself (an address `128 Phan Bội Châu, Buôn Ma Thuột` joined with `, `; a
    // name ending in `(đồi)` that WRAPPING would cut), so runs of pieces are tried too, on the text as it is and bare.
    for (let i = from; i < SEPARATORS.length; i++) {
      for (const whole of new Set([text, bare])) {
        const pieces = whole.split(SEPARATORS[i]!);
        if (pieces.length > 1 && this.joined(pieces, typeof SEPARATORS[i] === 'string' ? (SEPARATORS[i] as string) : ' ', i)) return true;
      }
    }
    // A label and a value in one sentence (`Cấp bởi <issuer>`, `360 kg`): a catalogue or data head, then the rest.
    for (let k = bare.indexOf(' '); k > 0 && bare.length < 300; k = bare.indexOf(' ', k + 1)) {
      if (this.single(bare.slice(0, k)) && this.check(bare.slice(k + 1), SEPARATORS.length)) return true;
    }
    return false;
  }

  /** Whether `pieces` split into runs of consecutive pieces (rejoined with `separator`) that are each allowed. */
  private joined(pieces: string[], separator: string, from: number): boolean {
    if (pieces.length > 12) return pieces.every((piece) => this.check(piece, from));
    const ends = new Set<number>([0]);
    for (let end = 1; end <= pieces.length; end++) {
      for (const start of ends) {
        if (start === 0 && end === pieces.length) continue;
        if (this.check(pieces.slice(start, end).join(separator), from)) {
          ends.add(end);
          break;
        }
      }
    }
    return ends.has(pieces.length);
  }

  private single(text: string): boolean {
    if (!/\p{L}/u.test(text)) return true;
    if (isVietnameseReading(text)) return true;
    if (this.catalogue.strings.has(text) || this.data.has(text) || this.lowerStrings.has(text.toLocaleLowerCase('vi'))) return true;
    if (CODE_PATTERNS.some((p) => p.test(text))) return true;
    return this.catalogue.templates.some((t) => t.test(text));
  }
}

/**
 * Runs in the page (as source text, so the test's compiler adds nothing to it): every visible text
 * node (a shown select's options included), then the aria-label, placeholder, title and alt attributes, then the document title.
 */
const COLLECT_TEXTS = `(() => {
  const out = [];
  const visible = (element) => {
    if (!element || element.closest('script, style, noscript, template')) return false;
    // A closed <select>'s options have no box of their own, yet a tap shows them all: they count when the select shows.
    const shown = element.closest('select, datalist') ? element.closest('select') : element;
    if (!shown) return false;
    return typeof shown.checkVisibility === 'function' ? shown.checkVisibility({ checkVisibilityCSS: true }) : true;
  };
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = (node.textContent || '').trim();
    if (text && visible(node.parentElement)) out.push(text);
  }
  for (const element of document.querySelectorAll('[aria-label], [placeholder], [title], img[alt]')) {
    for (const attribute of ['aria-label', 'placeholder', 'title', 'alt']) {
      const value = (element.getAttribute(attribute) || '').trim();
      if (value) out.push(value);
    }
  }
  if (document.title) out.push(document.title);
  return out;
})()`;

/** Every visible text node of the page, and the labels people hear or see instead (aria-label, placeholder, title, alt). */
export async function visibleTexts(page: Page): Promise<string[]> {
  return (await page.evaluate(COLLECT_TEXTS)) as string[];
}
