import { Writable } from 'node:stream';
import { expect } from 'chai';
import { parse as parseCsv } from 'csv-parse/sync';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { writeEudrGeoJson, formatCoordinate } from '../src/exports/eudr-geojson.js';
import { eudrProblems, googleMerchantProblems, truncateAtWord } from '../src/exports/feed-rules.js';
import type { EudrPlot, FeedListing, FeedProduct } from '../src/exports/feed-types.js';
import { GOOGLE_NAMESPACE, writeGoogleMerchantTsv, writeGoogleMerchantXml } from '../src/exports/google-merchant.js';
import { writeListingsCsv } from '../src/exports/listings-csv.js';
import { writeMetaCatalogCsv } from '../src/exports/meta-catalog.js';

// ---------------------------------------------------------------------------------------------
// Helpers

/** Keeps every byte written, for parsing afterwards. */
class MemorySink extends Writable {
  private readonly chunks: Buffer[] = [];
  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.chunks.push(chunk);
    callback();
  }
  get bytes(): Buffer {
    return Buffer.concat(this.chunks);
  }
  get text(): string {
    return this.bytes.toString('utf8');
  }
}

async function* from<T>(items: readonly T[]): AsyncGenerator<T> {
  for (const item of items) yield item;
}

/** GS1 mod-10 check digit appended to `body` (independent of the code under test). */
function gtin(body: string): string {
  const digits = [...body].reverse().map(Number);
  const sum = digits.reduce((acc, d, i) => acc + d * (i % 2 === 0 ? 3 : 1), 0);
  return body + String((10 - (sum % 10)) % 10);
}

const GTIN_A = gtin('0893601234567'); // GTIN-14 with a leading zero
const GTIN_B = gtin('0893601234568');
const CONTROL = '\u0001\u0008\u001F';

/** Exactly 200 characters of Vietnamese words, no punctuation. */
const TITLE_200 = (() => {
  let t = '';
  while (t.length < 200) t += 'Cà phê Robusta rang mộc Đắk Lắk hạt nguyên chất ';
  return t.slice(0, 200);
})();

const NASTY_DESCRIPTION = `Hạt cà phê <script>alert("x")</script> & "ngon", 'đậm'${CONTROL}\nDòng hai, có dấu phẩy.`;

function product(overrides: Partial<FeedProduct> = {}): FeedProduct {
  return {
    id: '018f6a2e-7b1c-7c3d-9e4f-0a1b2c3d4e5f',
    gtin: GTIN_A,
    title: 'Cà phê Robusta Đắk Lắk rang mộc 500 g',
    titleEn: 'Dak Lak Robusta coffee, 500 g',
    description: 'Cà phê hạt Robusta trồng ở Krông Năng, sơ chế ướt, rang mộc.',
    descriptionEn: null,
    brand: 'HTX Cà phê Ea Tân',
    googleCategory: 1868,
    link: 'https://id.example.vn/01/' + GTIN_A,
    imageLinks: ['https://media.example.vn/p/1.jpg', 'https://media.example.vn/p/2.jpg'],
    priceVnd: 185000,
    availability: 'in_stock',
    stock: 40,
    condition: 'new',
    netWeight: { value: 500, unit: 'g' },
    packageWeightKg: 0.55,
    dimensionsCm: { length: 20, width: 12, height: 6 },
    ocopStars: 4,
    ...overrides,
  };
}

/** A catalog with valid products and broken ones (no image, no price, non-integer price…). */
function catalog(): FeedProduct[] {
  return [
    product({ id: 'p-ok' }),
    product({ id: 'p-long-title', title: TITLE_200, gtin: GTIN_B }),
    product({ id: 'p-nasty', description: NASTY_DESCRIPTION }),
    product({ id: 'p-long-desc', description: 'Mô tả dài '.repeat(700) }),
    product({
      id: 'p-many-images',
      imageLinks: Array.from({ length: 14 }, (_, i) => `https://media.example.vn/p/m${i}.jpg`),
    }),
    product({ id: 'p-no-image', imageLinks: [] }),
    product({ id: 'p-no-price', priceVnd: null }),
    product({ id: 'p-fraction-price', priceVnd: 1999.5 }),
    product({ id: 'p-relative-link', link: '/p/123' }),
    product({ id: 'p-bad-gtin', gtin: '08936012345671' }),
    product({ id: 'p-no-description', description: '  ' }),
  ];
}

const BROKEN_FOR_ALL: Record<string, RegExp> = {
  'p-no-image': /no image/,
  'p-no-price': /no price/,
  'p-fraction-price': /positive whole number/,
  'p-relative-link': /link is not an absolute http\(s\) URL/,
  'p-bad-gtin': /not a valid GTIN/,
  'p-no-description': /description is empty/,
};

const VALID_IDS = ['p-ok', 'p-long-title', 'p-nasty', 'p-long-desc', 'p-many-images'];

function expectSkipped(skipped: { id: string; reasons: string[] }[], expected: Record<string, RegExp>): void {
  expect(skipped.map((s) => s.id)).to.have.members(Object.keys(expected));
  for (const s of skipped) {
    const pattern = expected[s.id]!;
    expect(s.reasons.some((r) => pattern.test(r)), `${s.id}: ${s.reasons.join('; ')}`).to.equal(true);
  }
}

/** Asserts `cut` is `original` cut at a word boundary. */
function expectWordCut(cut: string, original: string): void {
  expect(original.startsWith(cut)).to.equal(true);
  expect(cut.length).to.be.greaterThan(0);
  if (cut.length < original.length) expect(original.charAt(cut.length)).to.match(/\s/);
}

const xmlParser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseTagValue: false, // keep "08936…" a string
  isArray: (name) => name === 'item' || name === 'g:additional_image_link',
});

type XmlItem = Record<string, string | string[]>;

// ---------------------------------------------------------------------------------------------

describe('export formats', () => {
  describe('Google Merchant Center RSS 2.0 XML', () => {
    async function exportXml(items: FeedProduct[]) {
      const sink = new MemorySink();
      const summary = await writeGoogleMerchantXml(from(items), sink, {
        title: 'HTX Cà phê Ea Tân & bạn hàng',
        link: 'https://shop.example.vn/',
        description: 'Sản phẩm <của> hợp tác xã',
      });
      const xml = sink.text;
      const valid = XMLValidator.validate(xml);
      expect(valid, JSON.stringify(valid)).to.equal(true);
      const doc = xmlParser.parse(xml) as { rss: { '@_version': string; '@_xmlns:g': string; channel: { title: string; item?: XmlItem[] } } };
      return { summary, xml, doc, items: doc.rss.channel.item ?? [] };
    }

    it('when a catalog with broken items is exported, then the feed parses as RSS 2.0 with the g namespace and only valid items', async () => {
      const { summary, doc, items } = await exportXml(catalog());
      expect(doc.rss['@_version']).to.equal('2.0');
      expect(doc.rss['@_xmlns:g']).to.equal('http://base.google.com/ns/1.0');
      expect(GOOGLE_NAMESPACE).to.equal('http://base.google.com/ns/1.0');
      expect(doc.rss.channel.title).to.equal('HTX Cà phê Ea Tân & bạn hàng');
      expect(items.map((i) => i['g:id'])).to.deep.equal(VALID_IDS);
      expect(summary.written).to.equal(VALID_IDS.length);
      expectSkipped(summary.skipped, BROKEN_FOR_ALL);
    });

    it('when items are written, then every item meets the spec limits and formats', async () => {
      const { items } = await exportXml(catalog());
      for (const item of items) {
        expect(item['g:id']).to.be.a('string').with.length.at.most(50);
        expect(item.title).to.be.a('string').with.length.within(1, 150);
        expect(item.description).to.be.a('string').with.length.within(1, 5000);
        expect(item['g:availability']).to.be.oneOf(['in_stock', 'out_of_stock', 'preorder', 'backorder']);
        expect(item['g:price']).to.match(/^[1-9]\d* VND$/);
        expect(item['g:gtin']).to.match(/^\d{14}$/);
        expect(item['g:brand']).to.equal('HTX Cà phê Ea Tân');
        expect(item['g:condition']).to.equal('new');
        expect(item.link).to.match(/^https:\/\//);
        expect(item['g:image_link']).to.match(/^https:\/\//);
        expect(item['g:google_product_category']).to.equal('1868');
      }
      const ok = items.find((i) => i['g:id'] === 'p-ok')!;
      expect(ok['g:price']).to.equal('185000 VND');
      expect(ok['g:gtin']).to.equal(GTIN_A);
      expect(ok['g:gtin']).to.match(/^0/);
      expect(ok.title).to.equal('Cà phê Robusta Đắk Lắk rang mộc 500 g');
      expect(ok['g:shipping_weight']).to.equal('0.55 kg');
      expect(ok['g:shipping_length']).to.equal('20 cm');
    });

    it('when a title has 200 characters, then it is cut to at most 150 at a word boundary', async () => {
      const { items } = await exportXml([product({ id: 'p-long-title', title: TITLE_200 })]);
      const title = items[0]!.title as string;
      expect(title.length).to.be.at.most(150);
      expect(title.length).to.be.greaterThan(100);
      expectWordCut(title, TITLE_200);
    });

    it('when a description is longer than 5000 characters, then it is cut to at most 5000 at a word boundary', async () => {
      const long = 'Mô tả dài '.repeat(700).trim();
      const { items } = await exportXml([product({ id: 'p-long-desc', description: long })]);
      const description = items[0]!.description as string;
      expect(description.length).to.be.within(4900, 5000);
      expectWordCut(description, long);
    });

    it('when a description holds <script>, &, quotes and control characters, then it is escaped and the parsed text equals the input without the controls', async () => {
      const { xml, items } = await exportXml([product({ id: 'p-nasty', description: NASTY_DESCRIPTION })]);
      expect(xml).not.to.include('<script>');
      expect(xml).to.include('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &quot;ngon&quot;, &apos;đậm&apos;');
      expect(xml).not.to.match(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/);
      expect(items[0]!.description).to.equal(NASTY_DESCRIPTION.replace(CONTROL, ''));
    });

    it('when a product has 14 images, then the first is image_link and the next 10 are additional_image_link', async () => {
      const { items } = await exportXml([
        product({ imageLinks: Array.from({ length: 14 }, (_, i) => `https://media.example.vn/p/m${i}.jpg`) }),
      ]);
      expect(items[0]!['g:image_link']).to.equal('https://media.example.vn/p/m0.jpg');
      expect(items[0]!['g:additional_image_link']).to.deep.equal(
        Array.from({ length: 10 }, (_, i) => `https://media.example.vn/p/m${i + 1}.jpg`),
      );
    });

    it('when the brand is missing, a placeholder, or availability is preorder without a date, then Google skips the item with the reason', async () => {
      const { summary, items } = await exportXml([
        product({ id: 'no-brand', brand: null }),
        product({ id: 'no-brand-placeholder', brand: 'No Brand' }),
        product({ id: 'preorder', availability: 'preorder' }),
        product({ id: 'out', availability: 'out_of_stock' }),
      ]);
      expect(items.map((i) => i['g:id'])).to.deep.equal(['out']);
      expect(items[0]!['g:availability']).to.equal('out_of_stock');
      expectSkipped(summary.skipped, {
        'no-brand': /no brand/,
        'no-brand-placeholder': /placeholder/,
        preorder: /availability date/,
      });
    });

    it('when the output is decoded as UTF-8, then Vietnamese letters are intact', async () => {
      const sink = new MemorySink();
      // Decomposed input (NFD) comes out composed (NFC).
      await writeGoogleMerchantXml(from([product({ title: 'Trà Shan tuyết Hà Giang'.normalize('NFD') })]), sink, {
        title: 't',
        link: 'https://shop.example.vn/',
        description: 'd',
      });
      expect(sink.bytes.includes(Buffer.from('Trà Shan tuyết Hà Giang'.normalize('NFC'), 'utf8'))).to.equal(true);
      expect(sink.text.startsWith('<?xml version="1.0" encoding="UTF-8"?>')).to.equal(true);
    });

    it('when 20,000 products go to a slow writable, then the export completes and the source is pulled lazily', async function () {
      this.timeout(60_000);
      const total = 20_000;
      let produced = 0;
      let received = 0;
      let bytes = 0;
      let maxAhead = 0;
      async function* generated(): AsyncGenerator<FeedProduct> {
        for (let i = 0; i < total; i++) {
          produced++;
          maxAhead = Math.max(maxAhead, produced - received);
          yield product({
            id: `gen-${i}`,
            gtin: gtin(`0893601${String(i).padStart(6, '0')}`),
            title: `Sản phẩm số ${i} ${TITLE_200}`,
            description: `Mô tả sản phẩm ${i}. ${NASTY_DESCRIPTION}`,
          });
        }
      }
      // Keeps nothing: counts bytes and items, and acknowledges each chunk on a later turn.
      const slow = new Writable({
        highWaterMark: 1024,
        write(chunk: Buffer, _encoding, callback) {
          bytes += chunk.length;
          const text = chunk.toString('utf8');
          for (let at = text.indexOf('<item>'); at !== -1; at = text.indexOf('<item>', at + 1)) received++;
          setImmediate(callback);
        },
      });
      const summary = await writeGoogleMerchantXml(generated(), slow, {
        title: 't',
        link: 'https://shop.example.vn/',
        description: 'd',
      });
      expect(summary.written).to.equal(total);
      expect(summary.skipped).to.deep.equal([]);
      expect(received).to.equal(total);
      expect(bytes).to.be.greaterThan(total * 500);
      expect(maxAhead, 'items produced but not yet received by the writable').to.be.at.most(50);
    });
  });

  describe('Google Merchant Center TSV', () => {
    it('when a catalog is exported as TSV, then it parses with a header row of attribute names and only valid items', async () => {
      const sink = new MemorySink();
      const summary = await writeGoogleMerchantTsv(from(catalog()), sink);
      const text = sink.text;
      expect(text.charCodeAt(0)).not.to.equal(0xfeff);
      // Google's text feeds have no quoting: parse with the quote character disabled.
      const rows = parseCsv(text, { delimiter: '\t', quote: false, columns: true, record_delimiter: '\n' }) as Record<string, string>[];
      const header = text.slice(0, text.indexOf('\n')).split('\t');
      expect(header).to.include.members(['id', 'title', 'description', 'link', 'image_link', 'availability', 'price', 'brand', 'gtin', 'condition']);
      expect(rows.map((r) => r.id)).to.deep.equal(VALID_IDS);
      expectSkipped(summary.skipped, BROKEN_FOR_ALL);
      for (const row of rows) {
        expect(Object.keys(row)).to.have.length(header.length);
        expect(row.id!.length).to.be.at.most(50);
        expect(row.title!.length).to.be.within(1, 150);
        expect(row.description!.length).to.be.within(1, 5000);
        expect(row.availability).to.be.oneOf(['in_stock', 'out_of_stock', 'preorder', 'backorder']);
        expect(row.price).to.match(/^[1-9]\d* VND$/);
        expect(row.gtin).to.match(/^0\d{13}$/);
        expect(row.condition).to.equal('new');
      }
      const nasty = rows.find((r) => r.id === 'p-nasty')!;
      // Line breaks become spaces in TSV; quotes and markup stay as text.
      expect(nasty.description).to.equal(NASTY_DESCRIPTION.replace(CONTROL, '').replace('\n', ' '));
      const many = rows.find((r) => r.id === 'p-many-images')!;
      expect(many.additional_image_link!.split(',')).to.have.length(10);
      expectWordCut(rows.find((r) => r.id === 'p-long-title')!.title!, TITLE_200);
    });
  });

  describe('Meta catalog CSV', () => {
    async function exportMeta(items: FeedProduct[]) {
      const sink = new MemorySink();
      const summary = await writeMetaCatalogCsv(from(items), sink);
      const text = sink.text;
      const rows = parseCsv(text, { columns: true, bom: true }) as Record<string, string>[];
      return { summary, text, rows };
    }

    it('when a catalog is exported, then the CSV parses with a header row, only valid items and Meta field formats', async () => {
      const { summary, rows, text } = await exportMeta(catalog());
      expect(text.slice(0, text.indexOf('\r\n'))).to.equal(
        'id,title,description,availability,condition,price,link,image_link,brand,gtin,additional_image_link,google_product_category',
      );
      expect(rows.map((r) => r.id)).to.deep.equal(VALID_IDS);
      expectSkipped(summary.skipped, BROKEN_FOR_ALL);
      for (const row of rows) {
        expect(row.title!.length).to.be.within(1, 150);
        expect(row.description!.length).to.be.within(1, 5000);
        expect(row.availability).to.be.oneOf(['in stock', 'out of stock', 'preorder', 'available for order', 'discontinued']);
        expect(row.price).to.match(/^[1-9]\d* VND$/);
        expect(row.condition).to.equal('new');
        expect(row.gtin).to.match(/^0\d{13}$/);
      }
      expect(rows.find((r) => r.id === 'p-ok')!.title).to.equal('Cà phê Robusta Đắk Lắk rang mộc 500 g');
    });

    it('when a description holds commas, quotes and a line break, then csv-parse reads it back unchanged', async () => {
      const { rows, text } = await exportMeta([product({ id: 'p-nasty', description: NASTY_DESCRIPTION })]);
      expect(rows[0]!.description).to.equal(NASTY_DESCRIPTION.replace(CONTROL, ''));
      expect(text).to.include('""ngon""');
    });

    it('when availability is backorder or preorder and the brand is missing or a placeholder, then Meta words are used and the brand cell is empty', async () => {
      const { rows, summary } = await exportMeta([
        product({ id: 'back', availability: 'backorder', brand: null }),
        product({ id: 'pre', availability: 'preorder', brand: 'No Brand' }),
        product({ id: 'out', availability: 'out_of_stock' }),
        product({ id: 'in' }),
      ]);
      expect(summary.skipped).to.deep.equal([]);
      expect(rows.map((r) => [r.id, r.availability, r.brand])).to.deep.equal([
        ['back', 'available for order', ''],
        ['pre', 'preorder', ''],
        ['out', 'out of stock', 'HTX Cà phê Ea Tân'],
        ['in', 'in stock', 'HTX Cà phê Ea Tân'],
      ]);
      expect(rows[0]!.gtin).to.equal(GTIN_A);
    });
  });

  describe('listings CSV for Excel', () => {
    function listing(overrides: Partial<FeedListing> = {}): FeedListing {
      return {
        id: 'l-1',
        productId: 'p-ok',
        gtin: GTIN_A,
        productName: 'Cà phê Robusta Đắk Lắk rang mộc',
        marketplace: 'shopee',
        url: 'https://shopee.vn/ca-phe-robusta-i.1.2',
        categoryId: '100629',
        priceVnd: 185000,
        availability: 'in_stock',
        originLink: 'https://id.example.vn/01/' + GTIN_A,
        ...overrides,
      };
    }

    async function exportListings(items: FeedListing[], delimiter?: ',' | ';') {
      const sink = new MemorySink();
      const summary = await writeListingsCsv(from(items), sink, delimiter ? { delimiter } : {});
      const bytes = sink.bytes;
      const rows = parseCsv(bytes, { bom: true, delimiter: delimiter ?? ',' }) as string[][];
      return { summary, bytes, text: bytes.toString('utf8'), rows };
    }

    it('when listings are exported, then the file begins with the UTF-8 BOM, uses CRLF and has a header row', async () => {
      const { bytes, text, rows } = await exportListings([listing(), listing({ id: 'l-2', productName: 'Trà xanh Thái Nguyên' })]);
      expect([...bytes.subarray(0, 3)]).to.deep.equal([0xef, 0xbb, 0xbf]);
      expect(text.endsWith('\r\n')).to.equal(true);
      expect(text).not.to.match(/[^\r]\n/);
      expect(text.split('\r\n')).to.have.length(4); // header, two rows, empty after the last CRLF
      expect(rows[0]).to.deep.equal([
        'Listing ID',
        'Marketplace',
        'Product name',
        'GTIN',
        'URL',
        'Category ID',
        'Price (VND)',
        'Availability',
        'Origin link',
      ]);
      expect(rows[1]).to.deep.equal([
        'l-1',
        'shopee',
        'Cà phê Robusta Đắk Lắk rang mộc',
        `="${GTIN_A}"`,
        'https://shopee.vn/ca-phe-robusta-i.1.2',
        '100629',
        '185000',
        'in stock',
        'https://id.example.vn/01/' + GTIN_A,
      ]);
      expect(rows[2]![2]).to.equal('Trà xanh Thái Nguyên');
    });

    it('when a GTIN has a leading zero, then it is written as ="…" formula text that keeps the zero', async () => {
      const { rows, text } = await exportListings([listing()]);
      const cell = rows[1]![3]!;
      const digits = /^="(\d+)"$/.exec(cell)?.[1];
      expect(digits).to.equal(GTIN_A);
      expect(digits).to.match(/^0893/);
      // In the raw file the formula's quotes are doubled inside a quoted field.
      expect(text).to.include(`"=""${GTIN_A}"""`);
    });

    it('when user text starts with =, +, -, or @, then the cell is prefixed with a single quote', async () => {
      const names = ['=HYPERLINK("http://evil.example","bấm")', '+84 cà phê', '-30% giảm giá', '@SUM(A1:A2)'];
      const { rows } = await exportListings(names.map((productName, i) => listing({ id: `l-${i}`, productName })));
      expect(rows.slice(1).map((r) => r[2])).to.deep.equal(names.map((n) => `'${n}`));
      const { rows: categoryRows } = await exportListings([listing({ categoryId: '=1+1' })]);
      expect(categoryRows[1]![5]).to.equal("'=1+1");
    });

    it('when a listing has no price or a broken URL, then the price cell is empty and the broken one is reported, not written', async () => {
      const { rows, summary } = await exportListings([
        listing({ id: 'no-price', priceVnd: null }),
        listing({ id: 'bad-url', url: 'shopee.vn/x' }),
        listing({ id: 'bad-gtin', gtin: '893-601' }),
      ]);
      expect(rows.slice(1).map((r) => r[0])).to.deep.equal(['no-price']);
      expect(rows[1]![6]).to.equal('');
      expectSkipped(summary.skipped, { 'bad-url': /url is not an absolute/, 'bad-gtin': /not 8 to 14 digits/ });
    });

    it('when the semicolon delimiter is asked for, then the file parses with it', async () => {
      const { rows } = await exportListings([listing({ productName: 'Cà phê; hạt, rang' })], ';');
      expect(rows[1]![2]).to.equal('Cà phê; hạt, rang');
      expect(rows[1]).to.have.length(9);
    });
  });

  describe('EUDR GeoJSON', () => {
    const PRECISE_RING: [number, number][] = [
      [108.412345678912, 12.991234567891],
      [108.413245678912, 12.991234567891],
      [108.413245678912, 12.992134567891],
      [108.412345678912, 12.992134567891],
      [108.412345678912, 12.991234567891],
    ];

    function plot(overrides: Partial<EudrPlot> = {}): EudrPlot {
      return {
        plotId: 'plot-1',
        producerName: 'Hộ ông Y Bhăm Êban',
        producerCountry: 'VN',
        productionPlace: 'Xã Ea Tân, huyện Krông Năng, tỉnh Đắk Lắk',
        areaHa: 1.5,
        geometry: { type: 'Point', coordinates: [108.4, 12.9] },
        commodities: ['coffee'],
        harvestPeriod: { from: '2025-10-15', to: '2026-01-20' },
        ...overrides,
      };
    }

    function polygonPlot(id: string, areaHa: number | null = 1.0): EudrPlot {
      return plot({ plotId: id, areaHa, geometry: { type: 'Polygon', coordinates: [PRECISE_RING] } });
    }

    interface Feature {
      type: string;
      properties: Record<string, unknown>;
      geometry: { type: string; coordinates: unknown };
    }

    /** Every number written inside a "coordinates" array, as raw text. */
    function rawCoordinates(text: string): string[] {
      const numbers: string[] = [];
      for (const m of text.matchAll(/"coordinates":(\[[^{}]*?\])\}/g)) {
        numbers.push(...(m[1]!.match(/-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/g) ?? []));
      }
      return numbers;
    }

    it('when plots are exported, then the output is a FeatureCollection with the EU properties case-exact and ours under other names', async () => {
      const sink = new MemorySink();
      const summary = await writeEudrGeoJson(from([plot(), polygonPlot('plot-2', null)]), sink);
      const doc = JSON.parse(sink.text) as { type: string; features: Feature[] };
      expect(doc.type).to.equal('FeatureCollection');
      expect(doc.features).to.have.length(2);
      expect(summary).to.include({ written: 2, truncatedAt: null, bytes: sink.bytes.length });
      const [point, polygon] = doc.features as [Feature, Feature];
      expect(point.type).to.equal('Feature');
      expect(Object.keys(point.properties)).to.deep.equal([
        'ProducerName',
        'ProducerCountry',
        'ProductionPlace',
        'Area',
        'plotId',
        'commodities',
        'harvestStart',
        'harvestEnd',
      ]);
      expect(point.properties).to.deep.equal({
        ProducerName: 'Hộ ông Y Bhăm Êban',
        ProducerCountry: 'VN',
        ProductionPlace: 'Xã Ea Tân, huyện Krông Năng, tỉnh Đắk Lắk',
        Area: 1.5,
        plotId: 'plot-1',
        commodities: ['coffee'],
        harvestStart: '2025-10-15',
        harvestEnd: '2026-01-20',
      });
      expect(point.geometry).to.deep.equal({ type: 'Point', coordinates: [108.4, 12.9] });
      expect(polygon.geometry.type).to.equal('Polygon');
      expect(polygon.properties).not.to.have.property('Area');
      for (const f of doc.features) {
        for (const key of Object.keys(f.properties)) expect(key).not.to.match(/^(producerName|producer_name|PRODUCER_NAME|area|AREA)$/);
      }
    });

    it('when coordinates have fewer or more than 6 decimals, then the raw text has at least 6 and the values are unchanged', async () => {
      const sink = new MemorySink();
      const items = [plot(), polygonPlot('plot-2'), plot({ plotId: 'plot-3', geometry: { type: 'Point', coordinates: [108, -0.5] } })];
      await writeEudrGeoJson(from(items), sink);
      const text = sink.text;
      const raw = rawCoordinates(text);
      expect(raw).to.have.length(2 + 10 + 2);
      for (const n of raw) expect(n, n).to.match(/^-?\d+\.\d{6,}$/);
      expect(text).to.include('[108.400000,12.900000]');
      expect(text).to.include('[108.000000,-0.500000]');
      expect(text).to.include('[108.412345678912,12.991234567891]');
      const doc = JSON.parse(text) as { features: Feature[] };
      expect(doc.features.map((f) => f.geometry.coordinates)).to.deep.equal(items.map((p) => p.geometry.coordinates));
    });

    it('when formatCoordinate is given any finite number, then it never uses an exponent and reads back as the same number', () => {
      for (const n of [108.4, -0.5, 0, -0, 108, 1e-7, -2.5e-10, 12.123456789012345, -179.99999999, 90, 0.1 + 0.2]) {
        const s = formatCoordinate(n);
        expect(s, String(n)).to.match(/^-?\d+\.\d{6,}$/);
        expect(Number(s)).to.equal(n);
      }
    });

    it('when plots are broken, then they are skipped with the reason and not written', async () => {
      const sink = new MemorySink();
      const bowtie: [number, number][] = [
        [108.41, 12.99],
        [108.42, 13.0],
        [108.42, 12.99],
        [108.41, 13.0],
        [108.41, 12.99],
      ];
      const summary = await writeEudrGeoJson(
        from([
          plot({ plotId: 'no-area', areaHa: null }),
          plot({ plotId: 'big-point', areaHa: 5.2 }),
          plot({ plotId: 'bad-lat', geometry: { type: 'Point', coordinates: [108.4, 95] } }),
          plot({ plotId: 'open-ring', geometry: { type: 'Polygon', coordinates: [PRECISE_RING.slice(0, 4)] } }),
          plot({ plotId: 'bowtie', geometry: { type: 'Polygon', coordinates: [bowtie] } }),
          plot({ plotId: 'hole', geometry: { type: 'Polygon', coordinates: [PRECISE_RING, PRECISE_RING] } }),
          plot({ plotId: 'ok' }),
        ]),
        sink,
      );
      const doc = JSON.parse(sink.text) as { features: Feature[] };
      expect(doc.features.map((f) => f.properties.plotId)).to.deep.equal(['ok']);
      expect(summary.written).to.equal(1);
      expectSkipped(summary.skipped, {
        'no-area': /point without an area/,
        'big-point': /over 4 ha need a polygon/,
        'bad-lat': /latitude must be between -90 and 90/,
        'open-ring': /not closed/,
        bowtie: /intersects itself/,
        hole: /hole/,
      });
      expect(eudrProblems(polygonPlot('fine'))).to.deep.equal([]);
    });

    it('when the next feature would exceed maxBytes, then the writer stops before it, the file stays valid and truncatedAt names it', async () => {
      const items = Array.from({ length: 10 }, (_, i) => polygonPlot(`plot-${i}`));
      const full = new MemorySink();
      const all = await writeEudrGeoJson(from(items), full);
      expect(all.truncatedAt).to.equal(null);
      expect(all.bytes).to.equal(full.bytes.length);
      const perFeature = (all.bytes - 45) / 10;
      const maxBytes = Math.floor(45 + perFeature * 3.5);

      let pulled = 0;
      async function* counted(): AsyncGenerator<EudrPlot> {
        for (const item of items) {
          pulled++;
          yield item;
        }
      }
      const sink = new MemorySink();
      const summary = await writeEudrGeoJson(counted(), sink, { maxBytes });
      expect(summary.written).to.equal(3);
      expect(summary.truncatedAt).to.equal(3);
      expect(pulled).to.equal(4);
      expect(summary.bytes).to.equal(sink.bytes.length);
      expect(sink.bytes.length).to.be.at.most(maxBytes);
      const doc = JSON.parse(sink.text) as { features: Feature[] };
      expect(doc.features.map((f) => f.properties.plotId)).to.deep.equal(['plot-0', 'plot-1', 'plot-2']);
    });

    it('when a single plot is larger than maxBytes, then nothing is written and truncatedAt is 0; a maxBytes below the empty collection is refused', async () => {
      const sink = new MemorySink();
      const summary = await writeEudrGeoJson(from([polygonPlot('big')]), sink, { maxBytes: 100 });
      expect(summary).to.include({ written: 0, truncatedAt: 0 });
      expect(JSON.parse(sink.text)).to.deep.equal({ type: 'FeatureCollection', features: [] });
      let error: unknown;
      try {
        await writeEudrGeoJson(from([plot()]), new MemorySink(), { maxBytes: 10 });
      } catch (e) {
        error = e;
      }
      expect(error).to.be.instanceOf(RangeError);
    });
  });

  describe('feed rules', () => {
    it('when text is cut, then grapheme clusters are never split and trailing separators are dropped', () => {
      const decomposed = 'Đắk Lắk'.normalize('NFD');
      // A single long "word" is cut at a grapheme boundary, not inside a letter with its marks.
      const word = decomposed.repeat(3).replace(/ /g, '');
      for (let max = 4; max <= 12; max++) {
        const cut = truncateAtWord(word, max);
        expect(cut.length).to.be.at.most(max);
        expect(word.startsWith(cut)).to.equal(true);
        expect(/^\p{M}/u.test(word.slice(cut.length)), `max ${max}`).to.equal(false);
      }
      expect(truncateAtWord('Cà phê, hạt rang, đặc biệt', 10)).to.equal('Cà phê');
      expect(truncateAtWord('Cà phê, hạt rang, đặc biệt', 12)).to.equal('Cà phê, hạt');
      expect(truncateAtWord('ngắn', 150)).to.equal('ngắn');
    });

    it('when a product is valid, then Google reports no problem; when it lacks image and price, then both are reported', () => {
      expect(googleMerchantProblems(product())).to.deep.equal([]);
      const problems = googleMerchantProblems(product({ imageLinks: ['not a url'], priceVnd: null }));
      expect(problems.map((p) => p.code)).to.include.members(['no-usable-image', 'no-price']);
      expect(problems.some((p) => /no usable image/.test(p.message))).to.equal(true);
    });
  });
});
