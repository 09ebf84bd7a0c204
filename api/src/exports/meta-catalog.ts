/**
 * Meta (Facebook/Instagram) catalog data feed as CSV: a header row of Meta field names, one row
 * per product, RFC 4180 quoting by csv-stringify, streamed with backpressure.
 *
 * Items that fail `metaCatalogProblems` are not written; they come back in `skipped`.
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { stringify } from 'csv-stringify';
import {
  META_LIMITS,
  absoluteHttpUrl,
  cleanText,
  isPlaceholderBrand,
  metaCatalogProblems,
  truncateAtWord,
  usableImageLinks,
  exportable,
} from './feed-rules.js';
import type { Availability } from '../domain/vocabulary.js';
import type { ExportSummary, FeedProduct } from './feed-types.js';

/** Meta's availability words (spaces, not Google's underscores). */
export const META_AVAILABILITY: Record<Availability, string> = {
  in_stock: 'in stock',
  out_of_stock: 'out of stock',
  preorder: 'preorder',
  // Accepting orders for something not in stock right now.
  backorder: 'available for order',
};

export const META_COLUMNS = [
  'id',
  'title',
  'description',
  'availability',
  'condition',
  'price',
  'link',
  'image_link',
  'brand',
  'gtin',
  'additional_image_link',
  'google_product_category',
] as const;

type MetaRow = Record<(typeof META_COLUMNS)[number], string>;

function metaRow(p: FeedProduct): MetaRow {
  const images = usableImageLinks(p.imageLinks, META_LIMITS.url);
  const brand = cleanText(p.brand, true);
  return {
    id: cleanText(p.id, true),
    title: truncateAtWord(cleanText(p.title, true), META_LIMITS.title),
    description: truncateAtWord(cleanText(p.description), META_LIMITS.description),
    availability: META_AVAILABILITY[p.availability],
    condition: p.condition,
    price: `${p.priceVnd} VND`,
    link: absoluteHttpUrl(p.link) ?? '',
    image_link: images[0] ?? '',
    // Meta needs one of brand, GTIN or MPN; the GTIN is always there, so a placeholder brand
    // such as "No Brand" is left out rather than shown to shoppers.
    brand: brand !== '' && !isPlaceholderBrand(brand) ? brand : '',
    gtin: p.gtin,
    // Several URLs in one cell, comma-separated (Meta's CSV convention); a comma inside a URL is
    // percent-encoded so it cannot split it.
    additional_image_link: images
      .slice(1, 1 + META_LIMITS.additionalImages)
      .map((url) => url.replace(/,/g, '%2C'))
      .join(','),
    google_product_category:
      p.googleCategory != null && Number.isSafeInteger(p.googleCategory) && p.googleCategory > 0 ? String(p.googleCategory) : '',
  };
}

/**
 * Writes a Meta catalog CSV (UTF-8, CRLF as RFC 4180 says) of `items` to `out`. Values with
 * whitespace, commas, quotes or line breaks are quoted, quotes doubled (Meta: "fields containing
 * whitespace or commas should be enclosed in double quotes"); line breaks inside descriptions are
 * kept inside the quotes. Does not end `out`; rejects if the source throws or `out` fails.
 */
export async function writeMetaCatalogCsv(items: AsyncIterable<FeedProduct>, out: NodeJS.WritableStream): Promise<ExportSummary> {
  const summary: ExportSummary = { written: 0, skipped: [] };
  const rows = () => exportable(items, metaCatalogProblems, metaRow, summary);
  const stringifier = stringify({
    header: true,
    columns: [...META_COLUMNS],
    record_delimiter: 'windows',
    // csv-stringify quotes values containing the delimiter, a quote or the record delimiter
    // (CRLF) by itself; a bare LF or any whitespace must be asked for.
    quoted_match: /\s/,
  });
  await pipeline(Readable.from(rows()), stringifier, out, { end: false });
  return summary;
}
