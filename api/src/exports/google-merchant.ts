/**
 * Google Merchant Center product feeds: RSS 2.0 XML with the `g:` namespace, and the TSV text
 * form (header row of attribute names). Both stream: items are pulled from the source one at a
 * time as the output accepts them (backpressure through `stream.pipeline`), never collected.
 *
 * Items that fail `googleMerchantProblems` are not written; they come back in `skipped`.
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  GOOGLE_LIMITS,
  absoluteHttpUrl,
  cleanText,
  googleMerchantProblems,
  truncateAtWord,
  usableImageLinks,
  exportable,
} from './feed-rules.js';
import type { ExportSummary, FeedProduct } from './feed-types.js';

export const GOOGLE_NAMESPACE = 'http://base.google.com/ns/1.0';

export interface MerchantChannel {
  title: string;
  link: string;
  description: string;
}

/** One product as Google attributes, in feed order; repeated attributes as arrays. */
type Attributes = [name: string, value: string | string[]][];

/** A decimal with at most 3 places and no exponent, for weights and sizes; null when ≤ 0. */
function measure(value: number | null | undefined, max: number): string | null {
  if (value == null || !Number.isFinite(value)) return null;
  const rounded = Math.round(value * 1000) / 1000;
  return rounded > 0 && rounded <= max ? String(rounded) : null;
}

/**
 * The Google attributes of a product that passed `googleMerchantProblems`. Title and description
 * are cut at a word boundary to 150 and 5000 characters; shipping weight and dimensions are given
 * only when Google's ranges accept them (weight ≤ 2000 kg; each side 1–150 cm, all three).
 */
export function googleMerchantAttributes(p: FeedProduct): Attributes {
  const images = usableImageLinks(p.imageLinks, GOOGLE_LIMITS.url);
  const attributes: Attributes = [
    ['id', cleanText(p.id, true)],
    ['title', truncateAtWord(cleanText(p.title, true), GOOGLE_LIMITS.title)],
    ['description', truncateAtWord(cleanText(p.description), GOOGLE_LIMITS.description)],
    ['link', absoluteHttpUrl(p.link) ?? ''],
    ['image_link', images[0] ?? ''],
  ];
  const additional = images.slice(1, 1 + GOOGLE_LIMITS.additionalImages);
  if (additional.length > 0) attributes.push(['additional_image_link', additional]);
  attributes.push(
    ['availability', p.availability],
    ['price', `${p.priceVnd} VND`],
    ['brand', cleanText(p.brand, true)],
    ['gtin', p.gtin],
    ['condition', p.condition],
  );
  if (p.googleCategory != null && Number.isSafeInteger(p.googleCategory) && p.googleCategory > 0) {
    attributes.push(['google_product_category', String(p.googleCategory)]);
  }
  const weight = measure(p.packageWeightKg, 2000);
  if (weight !== null) attributes.push(['shipping_weight', `${weight} kg`]);
  const d = p.dimensionsCm;
  const sides = d ? [measure(d.length, 150), measure(d.width, 150), measure(d.height, 150)] : [];
  if (sides.length === 3 && sides.every((s) => s !== null && Number(s) >= 1)) {
    attributes.push(['shipping_length', `${sides[0]} cm`], ['shipping_width', `${sides[1]} cm`], ['shipping_height', `${sides[2]} cm`]);
  }
  return attributes;
}

// ---------------------------------------------------------------------------------------------
// XML

/**
 * Escapes text for XML element content and attribute values. The text has already been through
 * `cleanText`, which removed every character XML 1.0 forbids; this only escapes markup.
 */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => {
    switch (c) {
      case '&':
        return '&amp;';
      case '<':
        return '&lt;';
      case '>':
        return '&gt;';
      case '"':
        return '&quot;';
      default:
        return '&apos;';
    }
  });
}

/**
 * RSS 2.0 item elements: `title`, `link` and `description` are the RSS elements (an RSS item
 * needs a title or a description; Google reads them as its attributes, as in its RSS example),
 * every other attribute is in the `g:` namespace.
 */
const RSS_ELEMENTS = new Set(['title', 'link', 'description']);

function itemXml(attributes: Attributes): string {
  let xml = '<item>\n';
  for (const [name, value] of attributes) {
    const tag = RSS_ELEMENTS.has(name) ? name : `g:${name}`;
    for (const v of Array.isArray(value) ? value : [value]) {
      xml += `  <${tag}>${escapeXml(v)}</${tag}>\n`;
    }
  }
  return `${xml}</item>\n`;
}

/**
 * Writes a Google Merchant Center RSS 2.0 feed (UTF-8) of `items` to `out`. Does not end `out`:
 * the caller owns it (an HTTP response, a file) and ends or destroys it after the promise
 * settles. Rejects if the source throws or `out` fails; what was written until then stays.
 */
export async function writeGoogleMerchantXml(
  items: AsyncIterable<FeedProduct>,
  out: NodeJS.WritableStream,
  channel: MerchantChannel,
): Promise<ExportSummary> {
  const summary: ExportSummary = { written: 0, skipped: [] };
  async function* chunks(): AsyncGenerator<string> {
    yield (
      '<?xml version="1.0" encoding="UTF-8"?>\n' +
      `<rss version="2.0" xmlns:g="${GOOGLE_NAMESPACE}">\n` +
      '<channel>\n' +
      `<title>${escapeXml(cleanText(channel.title, true))}</title>\n` +
      `<link>${escapeXml(absoluteHttpUrl(channel.link) ?? cleanText(channel.link, true))}</link>\n` +
      `<description>${escapeXml(cleanText(channel.description))}</description>\n`
    );
    yield* exportable(items, googleMerchantProblems, (p) => itemXml(googleMerchantAttributes(p)), summary);
    yield '</channel>\n</rss>\n';
  }
  await pipeline(Readable.from(chunks()), out, { end: false });
  return summary;
}

// ---------------------------------------------------------------------------------------------
// TSV

export const GOOGLE_TSV_COLUMNS = [
  'id',
  'title',
  'description',
  'link',
  'image_link',
  'additional_image_link',
  'availability',
  'price',
  'brand',
  'gtin',
  'condition',
  'google_product_category',
  'shipping_weight',
  'shipping_length',
  'shipping_width',
  'shipping_height',
] as const;

/**
 * A TSV cell. Google's text feeds have no escaping for tabs or line breaks inside a value, so
 * they become spaces (descriptions lose their line breaks here, not in the XML feed). Values are
 * written unquoted: Google's own TSV example writes `22" LED TV` with a bare quote.
 */
function tsvCell(value: string): string {
  return value.replace(/[\t\n\r]+/g, ' ');
}

function tsvRow(attributes: Attributes): string {
  const byName = new Map(attributes);
  return (
    GOOGLE_TSV_COLUMNS.map((column) => {
      const value = byName.get(column);
      if (value === undefined) return '';
      // Repeated attributes are one comma-separated cell; a comma inside a URL is encoded so it
      // cannot split it (%2C is the same character to a web server).
      return tsvCell(Array.isArray(value) ? value.map((v) => v.replace(/,/g, '%2C')).join(',') : value);
    }).join('\t') + '\n'
  );
}

/**
 * Writes a Google Merchant Center TSV feed (UTF-8, no BOM, LF line endings, header row of
 * attribute names) of `items` to `out`. Same ownership and error rules as the XML writer.
 */
export async function writeGoogleMerchantTsv(
  items: AsyncIterable<FeedProduct>,
  out: NodeJS.WritableStream,
): Promise<ExportSummary> {
  const summary: ExportSummary = { written: 0, skipped: [] };
  async function* chunks(): AsyncGenerator<string> {
    yield GOOGLE_TSV_COLUMNS.join('\t') + '\n';
    yield* exportable(items, googleMerchantProblems, (p) => tsvRow(googleMerchantAttributes(p)), summary);
  }
  await pipeline(Readable.from(chunks()), out, { end: false });
  return summary;
}
