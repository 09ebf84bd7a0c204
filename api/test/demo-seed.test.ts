import { expect } from 'chai';
import { parse as parseCsv } from 'csv-parse/sync';
import { XMLParser } from 'fast-xml-parser';
import { parse as parseHtml } from 'node-html-parser';
import request from 'supertest';
import { googleMerchantProblems, metaCatalogProblems } from '../src/exports/feed-rules.js';
import type { FeedProduct } from '../src/exports/feed-types.js';
import { DEMO_PUBLISHED_LOTS } from '../../seeds/demo.js';
import { startHarness, type Harness } from './support/harness.js';
import { withRawBody } from './support/raw-body.js';

/**
 * The demo data a first run shows: photos on every published lot's story, a photo on every
 * product, logos on the organizations' QR codes, and marketplace feeds that list its products.
 */
describe('demo seed', function () {
  this.timeout(60_000);
  let h: Harness;
  before(async () => {
    h = await startHarness({ seed: true });
  });
  after(() => h.close());

  const text = (res: request.Response): string => (Buffer.isBuffer(res.body) ? res.body.toString('utf8') : res.text);
  const lotPath = (lot: { gtin: string; lotNumber: string }) => `/01/${lot.gtin}/10/${encodeURIComponent(lot.lotNumber)}`;

  it('when each published demo lot’s page is opened, then it shows photos of where the lot comes from, besides the product photo', async () => {
    for (const lot of DEMO_PUBLISHED_LOTS) {
      const page = parseHtml((await request(h.app).get(lotPath(lot)).expect(200)).text);
      const photos = page.querySelectorAll('img').filter((img) => img.getAttribute('src')?.startsWith('/media/') && !img.classList.contains('hero'));
      expect(photos.length, lot.lotNumber).to.be.at.least(1);
      for (const img of photos.slice(0, 2)) {
        const res = await request(h.app).get(img.getAttribute('src')!).expect(200);
        expect(res.headers['content-type'], img.getAttribute('src')).to.equal('image/webp');
      }
    }
  });

  it('when the demo organizations list their products, then every product has a photo', async () => {
    for (const who of ['processor@demo.test', 'coop@demo.test', 'other-coop@demo.test']) {
      const auth = await h.login(who);
      const products = (await request(h.app).get('/api/v1/products').set('Authorization', auth).expect(200)).body.items as Array<{ id: string; gtin: string }>;
      expect(products, who).to.not.be.empty;
      for (const product of products) {
        const page = parseHtml((await request(h.app).get(`/01/${product.gtin}`).expect(200)).text);
        expect(page.querySelector('img.hero')?.getAttribute('src') ?? '', `${who} ${product.gtin}`).to.match(/^\/media\/[0-9a-f]{64}\.webp$/);
      }
    }
  });

  it('when each published demo lot’s QR code is asked for with its owner’s logo, then it is drawn: the roaster and both cooperatives have logos', async () => {
    const owners = new Set<string>();
    for (const who of ['coop@demo.test', 'processor@demo.test', 'other-coop@demo.test']) {
      const auth = await h.login(who);
      const lots = (await request(h.app).get('/api/v1/batches?limit=100').set('Authorization', auth).expect(200)).body.items as Array<{ id: string; orgId: string; published: boolean }>;
      for (const lot of lots.filter((l) => l.published)) {
        const svg = await request(h.app).get(`/api/v1/batches/${lot.id}/qr.svg?logo=1`).expect(200);
        expect(svg.headers['content-type']).to.match(/^image\/svg\+xml/);
        owners.add(lot.orgId);
      }
    }
    expect(owners.size, 'organizations owning published lots').to.equal(3);
  });

  for (const who of ['coop@demo.test', 'processor@demo.test', 'other-coop@demo.test']) {
    it(`when ${who} exports its Google Merchant and Meta feeds, then each lists every product and each item passes the feed rules`, async () => {
      const auth = await h.login(who);
      const products = (await request(h.app).get('/api/v1/products').set('Authorization', auth).expect(200)).body.items as Array<{ gtin: string }>;
      for (const format of ['google-merchant.xml', 'meta-catalog.csv']) {
        const report = (await request(h.app).get(`/api/v1/exports/${format}/report`).set('Authorization', auth).expect(200)).body;
        expect(report.skipped, `${format}: ${JSON.stringify(report.skipped)}`).to.deep.equal([]);
        expect(report.written, format).to.equal(products.length).and.be.at.least(1);
      }

      const xml = text(await withRawBody(request(h.app).get('/api/v1/exports/google-merchant.xml').set('Authorization', auth)).expect(200));
      const items = [new XMLParser().parse(xml).rss.channel.item].flat() as Array<Record<string, unknown>>;
      expect(items).to.have.length(products.length);
      for (const item of items) {
        const asFeed: FeedProduct = {
          id: String(item['g:id']),
          title: String(item['g:title'] ?? item.title),
          description: String(item['g:description'] ?? item.description),
          link: String(item['g:link'] ?? item.link),
          imageLinks: [String(item['g:image_link'])],
          priceVnd: Number(String(item['g:price']).replace(/ VND$/, '')),
          gtin: String(item['g:gtin']).padStart(14, '0'),
          brand: String(item['g:brand']),
          availability: item['g:availability'] as FeedProduct['availability'],
          condition: item['g:condition'] as FeedProduct['condition'],
        } as FeedProduct;
        expect(googleMerchantProblems(asFeed), JSON.stringify(item)).to.deep.equal([]);
      }

      const csv = await withRawBody(request(h.app).get('/api/v1/exports/meta-catalog.csv').set('Authorization', auth)).expect(200);
      const rows = parseCsv(Buffer.isBuffer(csv.body) ? csv.body : Buffer.from(csv.text), { bom: true, columns: true }) as Array<Record<string, string>>;
      expect(rows).to.have.length(products.length);
      for (const row of rows) {
        const asFeed = {
          id: row.id,
          title: row.title,
          description: row.description,
          link: row.link,
          imageLinks: [row.image_link],
          priceVnd: Number(row.price?.replace(/ VND$/, '')),
          gtin: row.gtin,
          brand: row.brand,
          availability: row.availability?.replace(/ /g, '_'),
          condition: row.condition,
        } as FeedProduct;
        expect(metaCatalogProblems(asFeed), JSON.stringify(row)).to.deep.equal([]);
      }
    });
  }
});
