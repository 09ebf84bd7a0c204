/**
 * The generic listings CSV, meant to be opened by double-click in Microsoft Excel with
 * Vietnamese text intact:
 *
 * - UTF-8 with a byte order mark: without the BOM Excel reads a CSV in the system's legacy code
 *   page and "Cà phê" becomes "CÃ  phÃª". (Do not add a `sep=` first line: with it Excel
 *   ignores the BOM.)
 * - CRLF line endings (RFC 4180); line breaks inside a value are quoted.
 * - A header row.
 * - GTIN written as the formula text `="08936012345670"`. Excel converts any cell that looks like a
 *   number, quoted or not, and drops the leading zero of a GTIN-14 (and shows long GTINs in
 *   scientific notation). CSV (RFC 4180) has no way to mark a column as text, so there is no
 *   standard means; the alternatives that keep the digits are worse: a leading apostrophe is only
 *   Excel's input convention and appears literally when the file is opened, a leading tab or
 *   space changes the value for every other reader. `="…"` is the form Excel, LibreOffice and
 *   Google Sheets all evaluate to exactly the text of the digits. It is built only from a GTIN
 *   that `listingProblems` checked to be digits, so it cannot carry anything else. Readers that
 *   are not spreadsheets see `="…"` and must strip it.
 * - Formula injection: a text cell from user data that starts with `=`, `+`, `-`, `@`, tab or
 *   CR is prefixed with a single quote (OWASP "CSV Injection"), so Excel shows it as text
 *   instead of running it; the quote stays visible, which is the point.
 *
 * Items that fail `listingProblems` are not written; they come back in `skipped`.
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { stringify } from 'csv-stringify';
import { absoluteHttpUrl, cleanText, exportable, listingProblems } from './feed-rules.js';
import type { Availability } from '../domain/vocabulary.js';
import type { ExportSummary, FeedListing } from './feed-types.js';

export const LISTINGS_CSV_HEADER = [
  'Listing ID',
  'Marketplace',
  'Product name',
  'GTIN',
  'URL',
  'Category ID',
  'Price (VND)',
  'Availability',
  'Origin link',
] as const;

const AVAILABILITY_WORDS: Record<Availability, string> = {
  in_stock: 'in stock',
  out_of_stock: 'out of stock',
  preorder: 'preorder',
  backorder: 'backorder',
};

/** Prefixes a cell that a spreadsheet would take as a formula with a single quote. */
export function neutralizeFormula(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/** The GTIN as Excel formula text that evaluates to the digits, leading zeros kept. */
export function excelTextGtin(gtin: string): string {
  return `="${gtin}"`;
}

type Row = [string, string, string, string, string, string, number | null, string, string];

function listingRow(l: FeedListing): Row {
  const text = (value: string | null | undefined): string => neutralizeFormula(cleanText(value, true));
  return [
    text(l.id),
    text(l.marketplace),
    text(l.productName),
    excelTextGtin(l.gtin),
    text(absoluteHttpUrl(l.url)),
    text(l.categoryId),
    // A plain integer: Excel reads it as a number in every locale (no decimal or thousands
    // separator to misread).
    l.priceVnd,
    AVAILABILITY_WORDS[l.availability],
    text(absoluteHttpUrl(l.originLink)),
  ];
}

export interface ListingsCsvOptions {
  /**
   * Field delimiter, `,` by default. Excel splits a double-clicked CSV on the Windows "list
   * separator", which is `;` under regional settings whose decimal separator is a comma (as in
   * Vietnamese); offer `;` for those users.
   */
  delimiter?: ',' | ';';
}

/**
 * Writes the listings CSV of `items` to `out`. Does not end `out`; rejects if the source throws
 * or `out` fails.
 */
export async function writeListingsCsv(
  items: AsyncIterable<FeedListing>,
  out: NodeJS.WritableStream,
  options: ListingsCsvOptions = {},
): Promise<ExportSummary> {
  const summary: ExportSummary = { written: 0, skipped: [] };
  async function* rows(): AsyncGenerator<Row | readonly string[]> {
    yield LISTINGS_CSV_HEADER;
    yield* exportable(items, listingProblems, listingRow, summary);
  }
  const stringifier = stringify({
    bom: true,
    delimiter: options.delimiter ?? ',',
    record_delimiter: 'windows',
    // csv-stringify quotes values containing the delimiter, a quote or CRLF by itself; a bare
    // CR or LF must be asked for (cleanText already turns them into spaces here; belt and braces).
    quoted_match: /[\r\n]/,
  });
  await pipeline(Readable.from(rows()), stringifier, out, { end: false });
  return summary;
}
