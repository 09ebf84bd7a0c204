import { expect } from 'chai';
import { parse as parseCsv } from 'csv-parse/sync';
import { XMLParser } from 'fast-xml-parser';
import jsQRModule from 'jsqr';
import sharp from 'sharp';
import request from 'supertest';
import { startHarness, squarePlot, type Harness } from './support/harness.js';
import { withRawBody } from './support/raw-body.js';

// jsqr is CommonJS whose module.exports is the function; its typings describe an ES default export.
const jsQR = jsQRModule as unknown as typeof jsQRModule.default;

const BASE = 'http://trace.test';
/** The roaster's demo product: it has photos and listings, so it appears in every feed. */
const GTIN = '08936123450021';
const PRODUCT_LINK = `${BASE}/01/${GTIN}`;

type Links = Record<string, Array<{ href: string }>>;

const text = (res: request.Response): string => (Buffer.isBuffer(res.body) ? res.body.toString('utf8') : res.text);

async function qrText(png: Buffer): Promise<string | undefined> {
  const { data, info } = await sharp(png).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return jsQR(new Uint8ClampedArray(data.buffer, data.byteOffset, data.byteLength), info.width, info.height)?.data;
}

/** Every character as %XX (UTF-8): a spelling of the same Digital Link that no printer uses. */
const percentEncodeAll = (s: string): string =>
  Array.from(new TextEncoder().encode(s), (b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join('');

/** The canonical path by the GS1 Digital Link standard: letters, digits and -._~ bare, every other character %XX. */
const canonicalSegment = (s: string): string => s.replace(/[^A-Za-z0-9\-._~]/g, (c) => percentEncodeAll(c));

describe('one canonical Digital Link per lot', () => {
  let h: Harness;
  let coop: string;
  let roaster: string;
  let plotId: string;

  before(async () => {
    h = await startHarness({ seed: true });
    coop = await h.login('coop@demo.test');
    roaster = await h.login('processor@demo.test');
    const plot = await request(h.app).post('/api/v1/plots').set('Authorization', coop).send({ name: 'Rẫy ký tự', crops: ['coffee-robusta'], geometry: squarePlot(0.04) });
    expect(plot.status, JSON.stringify(plot.body)).to.equal(201);
    plotId = plot.body.id as string;
  });
  after(() => h.close());

  const newLot = (lotNumber: string) =>
    request(h.app)
      .post('/api/v1/batches')
      .set('Authorization', coop)
      .send({ plotIds: [plotId], product: 'Cà phê Robusta quả tươi', harvestedAt: new Date().toISOString().slice(0, 10), quantity: { value: 100, unit: 'kg' }, gtin: GTIN, lotNumber });

  for (const [what, lotNumber] of [
    ['"!"', 'DL!1'],
    ['"\'"', "DL'2"],
    ['"("', 'DL(3'],
    ['")"', 'DL)4'],
    ['"*"', 'DL*5'],
    ['"%"', 'DL%6'],
    ['"/"', 'DL/7'],
    ['all of !\'()*%/ at once', "D!'()*%/8"],
  ] as const) {
    it(`when a published lot's number holds ${what}, then its QR text, API link, bundle link, linkset anchors and the resolver's canonical URI are one string, and a GET of it answers 200`, async () => {
      const created = await newLot(lotNumber);
      expect(created.status, JSON.stringify(created.body)).to.equal(201);
      const lotId = created.body.id as string;
      await request(h.app).post(`/api/v1/batches/${lotId}/publish`).set('Authorization', coop).expect(200);

      const canonicalPath = `/01/${GTIN}/10/${canonicalSegment(lotNumber)}`;
      const canonical = `${BASE}${canonicalPath}`;

      const lot = (await request(h.app).get(`/api/v1/batches/${lotId}`).set('Authorization', coop).expect(200)).body as { digitalLink: string };
      expect(lot.digitalLink, 'the lot’s digitalLink').to.equal(canonical);

      const png = await withRawBody(request(h.app).get(`/api/v1/batches/${lotId}/qr.png`)).expect(200);
      expect(await qrText(png.body as Buffer), 'the QR code’s text').to.equal(canonical);
      const svg = await withRawBody(request(h.app).get(`/api/v1/batches/${lotId}/qr.svg`)).expect(200);
      expect(await qrText(await sharp(svg.body as Buffer).resize(600).png().toBuffer()), 'the SVG QR code’s text').to.equal(canonical);

      const bundle = (await request(h.app).get(`/api/v1/batches/${lotId}/provenance`).expect(200)).body as { lot: { digitalLink: string } };
      expect(bundle.lot.digitalLink, 'the bundle’s digitalLink').to.equal(canonical);

      // The resolver reached by other spellings of the same link: each names the canonical URI.
      for (const spelling of [canonicalPath, `/01/${GTIN}/10/${percentEncodeAll(lotNumber)}`, `/01/${GTIN}/10/${encodeURIComponent(lotNumber)}`]) {
        const res = await request(h.app).get(`${spelling}?linkType=linkset`).expect(200);
        const set = (JSON.parse(res.text) as { linkset: Array<{ anchor: string } & Links> }).linkset[0]!;
        expect(set.anchor, `linkset anchor via ${spelling}`).to.equal(canonical);
        const pip = set['https://gs1.org/voc/pip']!.map((l) => l.href);
        expect(pip, `pip via ${spelling}`).to.deep.equal([canonical, `${canonical}?lang=en`]);
        expect(set['https://gs1.org/voc/defaultLink']!.map((l) => l.href), `defaultLink via ${spelling}`).to.deep.equal([canonical]);
        expect(set['https://gs1.org/voc/masterData']!.map((l) => l.href), `masterData via ${spelling}`).to.deep.equal([PRODUCT_LINK]);
        expect(res.headers.link, `Link header via ${spelling}`).to.equal(`<${canonical}?linkType=linkset>; rel="linkset"; type="application/linkset+json"`);

        const page = await request(h.app).get(spelling).set('Accept', 'text/html').expect(200);
        expect(page.text, `canonical link of the page via ${spelling}`).to.contain(`<link rel="canonical" href="${canonical}"`);
        // The language switch links to the resolver's own canonical form of what was asked for.
        expect(page.text, `language switch via ${spelling}`).to.contain(`href="${canonicalPath}?lang=en"`);
      }

      const opened = await request(h.app).get(new URL(canonical).pathname).set('Accept', 'text/html').expect(200);
      expect(opened.headers['content-type']).to.match(/^text\/html/);
      expect(opened.text).to.contain(`<link rel="canonical" href="${canonical}"`).and.contain(lotNumber);
    });
  }

  it('when a lot number holds a space, then the API answers 400 naming lotNumber, and the resolver refuses a space in AI (10) naming the character-set rule', async () => {
    const res = await newLot('DL 9');
    expect(res.status).to.equal(400);
    expect(res.headers['content-type']).to.match(/application\/problem\+json/);
    expect((res.body.errors as Array<{ path: string }>).map((e) => e.path)).to.include('lotNumber');
    for (const spelling of [`/01/${GTIN}/10/DL%209`, `/01/${GTIN}/10/DL%209?linkType=linkset`]) {
      const miss = await request(h.app).get(spelling).set('Accept', 'application/linkset+json').expect(400);
      expect(miss.headers['content-type'], spelling).to.match(/application\/problem\+json/);
      expect(miss.body.rule, spelling).to.equal('ai-charset');
    }
  });

  it('when the product of those lots is exported, then every feed prints the same product link as the lots’ linksets (masterData) and it answers 200', async () => {
    const xml = new XMLParser().parse(text(await withRawBody(request(h.app).get('/api/v1/exports/google-merchant.xml').set('Authorization', roaster)).expect(200)));
    const item = [xml.rss.channel.item].flat().find((i: Record<string, unknown>) => String(i['g:gtin']).padStart(14, '0') === GTIN);
    expect(item['g:link'] ?? item.link, 'google-merchant.xml').to.equal(PRODUCT_LINK);

    const tsv = parseCsv(text(await withRawBody(request(h.app).get('/api/v1/exports/google-merchant.tsv').set('Authorization', roaster)).expect(200)), {
      bom: true,
      columns: true,
      delimiter: '\t',
      quote: false,
    }) as Array<Record<string, string>>;
    expect(tsv.map((r) => r.link), 'google-merchant.tsv').to.deep.equal([PRODUCT_LINK]);

    const meta = parseCsv((await withRawBody(request(h.app).get('/api/v1/exports/meta-catalog.csv').set('Authorization', roaster)).expect(200)).body as Buffer, { bom: true, columns: true }) as Array<Record<string, string>>;
    expect(meta.map((r) => r.link), 'meta-catalog.csv').to.deep.equal([PRODUCT_LINK]);

    const listings = parseCsv((await withRawBody(request(h.app).get('/api/v1/exports/listings.csv').set('Authorization', roaster)).expect(200)).body as Buffer, { bom: true, columns: true }) as Array<Record<string, string>>;
    expect(listings.map((r) => r['Origin link']), 'listings.csv').to.deep.equal(listings.map(() => PRODUCT_LINK));
    expect(listings).to.have.length.greaterThan(0);

    const product = (await request(h.app).get('/api/v1/products').set('Authorization', roaster).expect(200)).body.items.find((p: { gtin: string }) => p.gtin === GTIN) as { digitalLink: string };
    expect(product.digitalLink, 'the product’s digitalLink').to.equal(PRODUCT_LINK);
    await request(h.app).get(new URL(PRODUCT_LINK).pathname).set('Accept', 'text/html').expect(200);
  });
});
