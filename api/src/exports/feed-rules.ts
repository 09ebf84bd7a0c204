/**
 * What makes an item exportable, per format, and the value formatting those rules rely on.
 * Everything here is pure (no I/O).
 *
 * The line between a "problem" and a "fix": whatever can be repaired by formatting alone is
 * repaired by the writers and is not a problem (titles and descriptions longer than the limit
 * are cut at a word boundary, control characters are removed, URLs are percent-encoded,
 * whitespace in titles is collapsed). A problem is what only new data can repair: no image, no
 * price, a price that is not a positive whole number of VND, a link that is not an absolute
 * http(s) URL, an empty description, a GTIN whose check digit is wrong… An item with a problem
 * is never written; the writers return it in `skipped` with these reasons.
 */
import { normalizeGtin } from '../domain/gs1/keys.js';
import { EUDR_POINT_MAX_HA, checkPlotGeometry } from '../domain/plot-geometry.js';
import { AVAILABILITIES } from '../domain/vocabulary.js';
import type { ErrorParams, ExportProblemCode } from '../domain/problem-codes.js';
import type { EudrPlot, ExportProblem, ExportSummary, FeedListing, FeedProduct, SkippedItem } from './feed-types.js';

function problem(code: ExportProblemCode, message: string, params?: ErrorParams): ExportProblem {
  return params ? { code, message, params } : { code, message };
}

/** The report entry of an item skipped for `problems`: the English reasons and their codes, in the same order. */
export function skippedItem(id: string, problems: ExportProblem[]): SkippedItem {
  return { id, reasons: problems.map((p) => p.message), problems: problems.map(({ message: _, ...coded }) => coded) };
}

/**
 * The items of `items` that have no problem, mapped by `write`; the others go to
 * `summary.skipped` with their reasons (by id, or by position when they have none). Every
 * writer filters through this, so no item is ever dropped silently or written invalid.
 */
export async function* exportable<T extends { id: string }, R>(
  items: AsyncIterable<T>,
  problemsOf: (item: T) => ExportProblem[],
  write: (item: T) => R,
  summary: ExportSummary,
): AsyncGenerator<R> {
  let index = 0;
  for await (const item of items) {
    const problems = problemsOf(item);
    if (problems.length > 0) summary.skipped.push(skippedItem(cleanText(item.id, true) || `#${index}`, problems));
    else {
      summary.written++;
      yield write(item);
    }
    index++;
  }
}

/** Google Merchant Center product data specification limits (characters). */
export const GOOGLE_LIMITS = {
  id: 50,
  title: 150,
  description: 5000,
  url: 2000,
  additionalImages: 10,
} as const;

/**
 * Meta catalog limits. Meta's own limits are looser (id 100; title 200 and description 9999 in
 * the current field reference, 150/5000 in older templates); the stricter Google values keep one
 * product text valid in both feeds.
 */
export const META_LIMITS = {
  id: 100,
  title: 150,
  description: 5000,
  url: 2000,
  additionalImages: 20,
} as const;

// ---------------------------------------------------------------------------------------------
// Text formatting

/**
 * Characters that XML 1.0 forbids (C0 controls other than tab/LF/CR, lone surrogates, U+FFFE,
 * U+FFFF) plus DEL and the C1 controls, which XML allows but which are never meaningful text and
 * break spreadsheet and feed parsers. With the `u` flag a lone surrogate is one code point
 * outside every allowed range, so it is removed too.
 */
const INVALID_TEXT_CHARS = /[^\t\n\r\u0020-\u007E\u00A0-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/**
 * Text as every writer emits it: Unicode NFC (Vietnamese letters such as "ệ" as one code point,
 * so lengths are counted the way the marketplaces count them), without invalid or control
 * characters, CRLF/CR turned into LF, trimmed. `singleLine` also collapses every run of
 * whitespace (including line breaks) into one space, for titles, names and ids.
 */
export function cleanText(value: string | null | undefined, singleLine = false): string {
  if (value == null) return '';
  let text = value.normalize('NFC').replace(/\r\n?/g, '\n').replace(INVALID_TEXT_CHARS, '');
  if (singleLine) text = text.replace(/\s+/gu, ' ');
  return text.trim();
}

const GRAPHEMES = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/**
 * Cuts `text` to at most `max` UTF-16 code units at a word boundary. Over-long titles and
 * descriptions are a formatting matter, not a problem: the feed keeps the first words.
 *
 * Length is counted in UTF-16 code units (`string.length`), which is never less than the count
 * of code points or of user-perceived characters, so the result is within the limit whichever
 * way a consumer counts. The cut never splits a grapheme cluster (a letter and its combining
 * marks, an emoji sequence). It goes back to the last whitespace before the limit, unless that
 * would throw away more than half the allowed length (one very long "word", such as a URL), in
 * which case it cuts at the last whole grapheme. Trailing separators (",;:-–—") are dropped. No
 * ellipsis is added: Google asks for titles without decoration, and it would take room.
 */
export function truncateAtWord(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = 0;
  for (const { index, segment } of GRAPHEMES.segment(text)) {
    const end = index + segment.length;
    if (end > max) break;
    cut = end;
  }
  const head = text.slice(0, cut);
  let result: string;
  if (/\s/u.test(text.charAt(cut))) {
    // The limit falls exactly at the end of a word.
    result = head;
  } else {
    const lastSpace = head.search(/\s\S*$/u);
    result = lastSpace > max / 2 ? head.slice(0, lastSpace) : head;
  }
  const tidy = result.replace(/[\s,;:\-–—]+$/u, '');
  return tidy.length > 0 ? tidy : result.trimEnd();
}

/**
 * The absolute http(s) URL `value` names, normalised by the WHATWG URL parser (host lower-cased
 * and punycoded, spaces and non-ASCII characters percent-encoded), or null when it is not one.
 */
export function absoluteHttpUrl(value: string | null | undefined): string | null {
  if (value == null) return null;
  const trimmed = value.trim();
  if (trimmed === '') return null;
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    return null;
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.hostname === '') return null;
  return url.href;
}

/** GTIN-8, -12, -13 or -14 with a correct GS1 mod-10 check digit. */
export function isValidGtin(gtin: string): boolean {
  return normalizeGtin(gtin).ok;
}

/**
 * Brand values Google rejects ("don't submit N/A, Generic, No brand…"), including the
 * "No Brand" that Vietnamese marketplaces use for unbranded goods.
 */
const PLACEHOLDER_BRANDS = new Set([
  'no brand',
  'nobrand',
  'no-brand',
  'n/a',
  'na',
  'none',
  'generic',
  'unbranded',
  'oem',
  'không thương hiệu',
  'khong thuong hieu',
]);

export function isPlaceholderBrand(brand: string): boolean {
  return PLACEHOLDER_BRANDS.has(cleanText(brand, true).toLowerCase());
}

/** Images a feed can use: the absolute http(s) ones, normalised, in order. */
export function usableImageLinks(links: readonly string[], maxLength: number): string[] {
  const usable: string[] = [];
  for (const link of links) {
    const url = absoluteHttpUrl(link);
    if (url !== null && url.length <= maxLength) usable.push(url);
  }
  return usable;
}

// ---------------------------------------------------------------------------------------------
// Products (Google Merchant Center, Meta catalog)

interface ProductLimits {
  id: number;
  url: number;
}

/** Problems every product feed shares. */
function commonProductProblems(p: FeedProduct, limits: ProductLimits): ExportProblem[] {
  const problems: ExportProblem[] = [];
  const id = cleanText(p.id, true);
  if (id === '') problems.push(problem('id-empty', 'id is empty'));
  else if (id.length > limits.id) problems.push(problem('id-too-long', `id is longer than ${limits.id} characters (${id.length})`, { maximum: limits.id, length: id.length }));

  if (cleanText(p.title, true) === '') problems.push(problem('title-empty', 'title is empty'));
  if (cleanText(p.description) === '') problems.push(problem('description-empty', 'description is empty'));

  const link = absoluteHttpUrl(p.link);
  if (link === null) problems.push(problem('link-invalid', `link is not an absolute http(s) URL: ${JSON.stringify(p.link ?? null)}`));
  else if (link.length > limits.url) problems.push(problem('link-too-long', `link is longer than ${limits.url} characters`, { maximum: limits.url }));

  if (usableImageLinks(p.imageLinks ?? [], limits.url).length === 0) {
    problems.push(
      (p.imageLinks ?? []).length === 0
        ? problem('no-image', 'no image')
        : problem('no-usable-image', 'no usable image: no image link is an absolute http(s) URL within the length limit'),
    );
  }

  if (p.priceVnd == null) problems.push(problem('no-price', 'no price'));
  else if (!Number.isSafeInteger(p.priceVnd) || p.priceVnd <= 0) {
    problems.push(problem('price-invalid', `price must be a positive whole number of VND, got ${String(p.priceVnd)}`));
  }

  if (!isValidGtin(p.gtin ?? '')) {
    problems.push(problem('gtin-invalid', `gtin ${JSON.stringify(p.gtin ?? null)} is not a valid GTIN-8/12/13/14 (digits and check digit)`));
  }

  if (!AVAILABILITIES.includes(p.availability)) {
    problems.push(problem('availability-invalid', `availability ${JSON.stringify(p.availability)} is not one of ${AVAILABILITIES.join(', ')}`));
  }
  if (p.condition !== 'new') problems.push(problem('condition-unsupported', `condition ${JSON.stringify(p.condition)} is not supported`));
  return problems;
}

/** Reasons `p` cannot go into a Google Merchant Center feed; empty when it can. */
export function googleMerchantProblems(p: FeedProduct): ExportProblem[] {
  const problems = commonProductProblems(p, GOOGLE_LIMITS);
  const brand = cleanText(p.brand, true);
  if (brand === '') {
    problems.push(problem('no-brand', 'no brand (Google requires a brand for new products; a cooperative that makes the product can use its own name)'));
  } else if (isPlaceholderBrand(brand)) {
    problems.push(problem('brand-placeholder', `brand ${JSON.stringify(brand)} is a placeholder, which Google rejects; give the real brand or the maker's name`, { brand }));
  } else if (brand.length > 70) {
    problems.push(problem('brand-too-long', `brand is longer than 70 characters (${brand.length})`, { maximum: 70, length: brand.length }));
  }
  if (p.availability === 'preorder' || p.availability === 'backorder') {
    // Google requires availability_date with these values; the product data has no such date.
    problems.push(problem('availability-needs-date', `availability ${p.availability} requires an availability date, which the product does not have`, { availability: p.availability }));
  }
  return problems;
}

/**
 * Reasons `p` cannot go into a Meta (Facebook/Instagram) catalog; empty when it can. Meta
 * needs one of brand, GTIN or MPN: the GTIN is always there, so a missing or placeholder brand
 * is simply left out of the feed.
 */
export function metaCatalogProblems(p: FeedProduct): ExportProblem[] {
  const problems = commonProductProblems(p, META_LIMITS);
  const brand = cleanText(p.brand, true);
  if (brand.length > 100) problems.push(problem('brand-too-long', `brand is longer than 100 characters (${brand.length})`, { maximum: 100, length: brand.length }));
  return problems;
}

// ---------------------------------------------------------------------------------------------
// Listings (generic CSV)

/**
 * Reasons a listing cannot go into the listings CSV. The file has no external spec; what is
 * refused is what would make a row wrong: a URL that is not absolute http(s), a GTIN that is
 * not digits (the GTIN cell is built from the digits), a price that is not a whole number of
 * VND. A listing without a price is written with an empty price cell.
 */
export function listingProblems(l: FeedListing): ExportProblem[] {
  const problems: ExportProblem[] = [];
  if (cleanText(l.id, true) === '') problems.push(problem('id-empty', 'id is empty'));
  if (!/^\d{8,14}$/.test(l.gtin ?? '')) problems.push(problem('gtin-invalid', `gtin ${JSON.stringify(l.gtin ?? null)} is not 8 to 14 digits`));
  if (absoluteHttpUrl(l.url) === null) problems.push(problem('url-invalid', `url is not an absolute http(s) URL: ${JSON.stringify(l.url ?? null)}`));
  if (absoluteHttpUrl(l.originLink) === null) {
    problems.push(problem('origin-link-invalid', `origin link is not an absolute http(s) URL: ${JSON.stringify(l.originLink ?? null)}`));
  }
  if (l.priceVnd != null && (!Number.isSafeInteger(l.priceVnd) || l.priceVnd <= 0)) {
    problems.push(problem('price-invalid', `price must be a positive whole number of VND, got ${String(l.priceVnd)}`));
  }
  if (!AVAILABILITIES.includes(l.availability)) {
    problems.push(problem('availability-invalid', `availability ${JSON.stringify(l.availability)} is not one of ${AVAILABILITIES.join(', ')}`));
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------
// EUDR plots

/**
 * Reasons a plot cannot go into the EUDR GeoJSON as the EU information system reads it: a point
 * without its declared area, a point for a plot over 4 ha (which needs a polygon), coordinates
 * out of range, a polygon with holes, unclosed, with fewer than 4 positions or crossing itself,
 * and missing producer data.
 */
export function eudrProblems(p: EudrPlot): ExportProblem[] {
  const problems: ExportProblem[] = [];
  if (cleanText(p.plotId, true) === '') problems.push(problem('plot-id-empty', 'plot id is empty'));
  if (cleanText(p.producerName, true) === '') problems.push(problem('producer-name-empty', 'producer name is empty'));
  if (!/^[A-Z]{2}$/.test(p.producerCountry ?? '')) {
    problems.push(problem('producer-country-invalid', `producer country ${JSON.stringify(p.producerCountry ?? null)} is not an ISO 3166-1 alpha-2 code`));
  }
  if (cleanText(p.productionPlace, true) === '') problems.push(problem('production-place-empty', 'production place is empty'));
  if (p.areaHa != null && (!Number.isFinite(p.areaHa) || p.areaHa <= 0)) {
    problems.push(problem('area-invalid', `area ${String(p.areaHa)} ha is not a positive number`));
  }

  // The same geometry rules as plot registration (domain/plot-geometry), so a stored plot that
  // was valid then is judged the same way now.
  const geometry = checkPlotGeometry(p.geometry);
  if (!geometry.ok) problems.push(...geometry.errors.map((e) => problem('plot-geometry-invalid', `${e.path}: ${e.message}`, { rule: e.code })));
  else if (geometry.geometry.type === 'Point') {
    if (p.areaHa == null) problems.push(problem('point-needs-area', 'point without an area: the EUDR needs the area (ha) of a plot given as a point'));
    else if (p.areaHa > EUDR_POINT_MAX_HA) problems.push(problem('point-plot-too-large', `plot of ${p.areaHa} ha given as a point: plots over ${EUDR_POINT_MAX_HA} ha need a polygon`, { maximumHa: EUDR_POINT_MAX_HA }));
  }
  return problems;
}
