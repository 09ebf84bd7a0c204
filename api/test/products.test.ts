import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { parse as parseCsv } from 'csv-parse/sync';
import { XMLParser } from 'fast-xml-parser';
import sharp from 'sharp';
import request from 'supertest';
import { startHarness, squarePlot, type Harness } from './support/harness.js';
import { withRawBody } from './support/raw-body.js';

const PROBLEM = /application\/problem\+json/;
const ROOT = path.resolve(import.meta.dirname, '../..');
const text = (res: request.Response): string => (typeof res.text === 'string' && res.text.length ? res.text : Buffer.isBuffer(res.body) ? res.body.toString('utf8') : String(res.body));

describe('products, listings and exports', () => {
  let h: Harness;
  let coop: string;
  let roaster: string;
  beforeEach(async () => {
    h = await startHarness({ seed: true });
    coop = await h.login('coop@demo.test');
    roaster = await h.login('processor@demo.test');
  });
  afterEach(() => h.close());

  const newProduct = (auth: string, extra: Record<string, unknown> = {}) =>
    request(h.app)
      .post('/api/v1/products')
      .set('Authorization', auth)
      .send({ gtin: '08936123450045', name: { vi: 'Cà phê rang xay 250 g' }, description: { vi: 'Rang vừa, xay mịn, từ lô Krông Năng.' }, priceVnd: 85000, stock: 12, ...extra });

  it('when a product is created, then 201 with Location, its Digital Link and the GTIN as 14 digits', async () => {
    const res = await newProduct(coop, { gtin: '8936123450045' }).expect(201);
    expect(res.headers.location).to.equal(`/api/v1/products/${res.body.id}`);
    expect(res.body).to.include({ gtin: '08936123450045', digitalLink: 'http://trace.test/01/08936123450045', priceVnd: 85000, stock: 12 });
    expect((await request(h.app).get(res.headers.location!).set('Authorization', coop).expect(200)).body.id).to.equal(res.body.id);
  });

  it('when product input is wrong, then 400 names the field and nothing is written', async () => {
    const before = (await request(h.app).get('/api/v1/products').set('Authorization', coop)).body.items.length;
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ gtin: '08936123450046' }, 'gtin'],
      [{ priceVnd: 85000.5 }, 'priceVnd'],
      [{ ocopStars: 6 }, 'ocopStars'],
      [{ batchIds: ['01a21351-0000-7000-8000-000000000000'] }, 'batchIds[0]'],
      [{ colour: 'brown' }, '(body)'],
    ];
    for (const [extra, field] of cases) {
      const res = await newProduct(coop, extra).expect(400);
      expect(res.headers['content-type']).to.match(PROBLEM);
      expect(res.body.errors.map((e: { path: string }) => e.path), JSON.stringify(extra)).to.include(field);
    }
    expect((await request(h.app).get('/api/v1/products').set('Authorization', coop)).body.items).to.have.length(before);
  });

  it('when a product names another organization’s published lot as its source, then 400 naming batchIds', async () => {
    const tea = await h.login('other-coop@demo.test');
    const teaLots = (await request(h.app).get('/api/v1/batches').set('Authorization', tea)).body.items as Array<{ id: string; published: boolean }>;
    const published = teaLots.find((l) => l.published)!;
    await request(h.app).get(`/api/v1/batches/${published.id}`).set('Authorization', coop).expect(200);
    const res = await newProduct(coop, { batchIds: [published.id] }).expect(400);
    expect(res.body.errors[0].path).to.equal('batchIds[0]');
  });

  it('when a GTIN is already a product, then 409 naming gtin', async () => {
    const res = await newProduct(coop, { gtin: '08936123450021' }).expect(409);
    expect(res.body.errors[0].path).to.equal('gtin');
  });

  it('when another organization or a farmer touches a product, then 404 or 403', async () => {
    const created = await newProduct(coop).expect(201);
    const tea = await h.login('other-coop@demo.test');
    await request(h.app).get(`/api/v1/products/${created.body.id}`).set('Authorization', tea).expect(404);
    await request(h.app).patch(`/api/v1/products/${created.body.id}`).set('Authorization', tea).send({ stock: 1 }).expect(404);
    await newProduct(await h.login('farmer@demo.test'), { gtin: '08936123450052' }).expect(403);
    await request(h.app).post('/api/v1/listings').set('Authorization', tea).send({ productId: created.body.id, marketplace: 'shopee', url: 'https://shopee.vn/x' }).expect(400);
  });

  it('when a product is patched, then only the given fields change and updatedAt moves', async () => {
    const created = await newProduct(coop).expect(201);
    const patched = await request(h.app).patch(`/api/v1/products/${created.body.id}`).set('Authorization', coop).send({ stock: 3, brand: 'HTX Krông Năng' }).expect(200);
    expect(patched.body).to.include({ stock: 3, brand: 'HTX Krông Năng', priceVnd: 85000 });
    expect(patched.body.updatedAt > created.body.updatedAt).to.equal(true);
    await request(h.app).patch(`/api/v1/products/${created.body.id}`).set('Authorization', coop).send({}).expect(400);
  });

  it('when a patch sends null for an optional catalog field, then the field is removed and stays removed; null for a required one is a 400 naming it', async () => {
    const created = await newProduct(coop).expect(201);
    const url = `/api/v1/products/${created.body.id}`;
    await request(h.app).patch(url).set('Authorization', coop).send({ brand: 'HTX Krông Năng', dimensionsCm: { length: 20, width: 10, height: 5 } }).expect(200);
    const cleared = await request(h.app).patch(url).set('Authorization', coop).send({ brand: null, priceVnd: null, dimensionsCm: null }).expect(200);
    expect(cleared.body).to.include({ brand: null, priceVnd: null, dimensionsCm: null, stock: created.body.stock });
    expect((await request(h.app).get(url).set('Authorization', coop).expect(200)).body).to.include({ brand: null, priceVnd: null, dimensionsCm: null });
    const refused = await request(h.app).patch(url).set('Authorization', coop).send({ stock: null }).expect(400);
    expect(refused.body.errors[0].path).to.equal('stock');
  });

  it('when a product lacks what Shopee needs, then readiness lists it, and once supplied Shopee is ready', async () => {
    const created = await newProduct(coop).expect(201);
    const before = (await request(h.app).get(`/api/v1/products/${created.body.id}/readiness`).set('Authorization', coop).expect(200)).body;
    expect(before.marketplaces.shopee.ready).to.equal(false);
    expect(before.marketplaces.shopee.missing.join(' | ')).to.match(/leaf category/).and.match(/brand/).and.match(/square JPEG or PNG/).and.match(/package weight/);
    expect(before.marketplaces.shopee.gaps.map((g: { code: string }) => g.code)).to.include.members(['category', 'brand', 'square_image', 'package_weight', 'dimensions']);
    expect(before.marketplaces.shopee.gaps).to.have.length(before.marketplaces.shopee.missing.length);
    await request(h.app).patch(`/api/v1/products/${created.body.id}`).set('Authorization', coop).send({
      brand: 'No Brand',
      packageWeightKg: 0.3,
      dimensionsCm: { length: 18, width: 10, height: 5 },
      description: { vi: 'Cà phê Robusta Krông Năng rang vừa, xay mịn, đóng túi van một chiều. '.repeat(3) },
    }).expect(200);
    await request(h.app).post('/api/v1/listings').set('Authorization', coop).send({ productId: created.body.id, marketplace: 'shopee', url: 'https://shopee.vn/x-i.1.2', categoryId: '100629' }).expect(201);
    const photo = await sharp({ create: { width: 600, height: 600, channels: 3, background: { r: 90, g: 60, b: 30 } } }).jpeg().toBuffer();
    await request(h.app).post(`/api/v1/products/${created.body.id}/media`).set('Authorization', coop).attach('file', photo, 'pack.jpg').expect(201);
    const after = (await request(h.app).get(`/api/v1/products/${created.body.id}/readiness`).set('Authorization', coop).expect(200)).body;
    expect(after.marketplaces.shopee).to.deep.equal({ ready: true, missing: [], gaps: [] });
    expect(after.marketplaces.lazada.ready).to.equal(false);
  });

  it('when listings are created, listed and removed, then the list follows', async () => {
    const created = await newProduct(coop).expect(201);
    const listing = await request(h.app)
      .post('/api/v1/listings')
      .set('Authorization', coop)
      .send({ productId: created.body.id, marketplace: 'lazada', url: 'https://www.lazada.vn/products/x.html', priceVnd: 90000 })
      .expect(201);
    expect(listing.headers.location).to.equal(`/api/v1/listings/${listing.body.id}`);
    expect((await request(h.app).get('/api/v1/listings').set('Authorization', coop)).body.items.map((l: { id: string }) => l.id)).to.include(listing.body.id);
    await request(h.app).post('/api/v1/listings').set('Authorization', coop).send({ productId: created.body.id, marketplace: 'ebay', url: 'https://x' }).expect(400);
    await request(h.app).delete(`/api/v1/listings/${listing.body.id}`).set('Authorization', coop).expect(204);
    await request(h.app).delete(`/api/v1/listings/${listing.body.id}`).set('Authorization', coop).expect(404);
  });

  it('when the roaster exports its Google Merchant feed, then the XML parses and its item follows the spec and links to the origin', async () => {
    const res = await withRawBody(request(h.app).get('/api/v1/exports/google-merchant.xml').set('Authorization', roaster)).expect(200);
    expect(res.headers['content-type']).to.match(/application\/rss\+xml/);
    const doc = new XMLParser({ ignoreAttributes: false }).parse(text(res));
    expect(doc.rss['@_xmlns:g']).to.equal('http://base.google.com/ns/1.0');
    const items = [doc.rss.channel.item].flat();
    expect(items).to.have.length(1);
    const item = items[0];
    expect(String(item['g:id']).length).to.be.at.most(50);
    expect(item['g:price']).to.equal('145000 VND');
    expect(item['g:link'] ?? item.link).to.equal('http://trace.test/01/08936123450021');
    expect(String(item['g:gtin']).padStart(14, '0')).to.equal('08936123450021');
    expect(item['g:image_link']).to.match(/^http:\/\/trace\.test\/media\/[0-9a-f]{64}\.webp$/);
    expect(item['g:availability']).to.equal('in_stock');
  });

  it('when a product cannot be exported validly, then it is absent from the feed and listed in the report with reasons', async () => {
    const incomplete = (await newProduct(coop).expect(201)).body;
    const report = (await request(h.app).get('/api/v1/exports/google-merchant.xml/report').set('Authorization', coop).expect(200)).body;
    expect(report.written, 'the demo’s own product').to.equal(1);
    expect(report.skipped).to.have.length(1);
    expect(report.skipped[0].id).to.equal(incomplete.id);
    expect(report.skipped[0].reasons.join(' ')).to.match(/image/).and.match(/brand/);
    const feed = text(await withRawBody(request(h.app).get('/api/v1/exports/google-merchant.xml').set('Authorization', coop)).expect(200));
    expect(feed).to.not.contain(report.skipped[0].id);
  });

  it('when listings are exported as CSV, then it starts with a BOM, parses, and keeps Vietnamese text and the GTIN', async () => {
    const res = await withRawBody(request(h.app).get('/api/v1/exports/listings.csv').set('Authorization', roaster)).expect(200);
    const bytes = res.body as Buffer;
    expect([...bytes.subarray(0, 3)]).to.deep.equal([0xef, 0xbb, 0xbf]);
    const rows = parseCsv(bytes, { bom: true, columns: true }) as Array<Record<string, string>>;
    expect(rows).to.have.length(2);
    expect(rows.map((r) => r.Marketplace).sort()).to.deep.equal(['shopee', 'tiki']);
    expect(rows[0]!['Product name']).to.equal('Cà phê rang xay Robusta Krông Năng 500 g');
    expect(rows[0]!.GTIN).to.contain('08936123450021');
  });

  it('when EUDR GeoJSON is exported for a retail lot, then it holds every plot of the lot’s ancestry with the EU properties', async () => {
    const lots = (await request(h.app).get('/api/v1/batches').set('Authorization', roaster)).body.items as Array<{ id: string; published: boolean; plotIds: string[] }>;
    const pack = lots.find((l) => l.published)!;
    const res = await withRawBody(request(h.app).get(`/api/v1/exports/eudr.geojson?batchId=${pack.id}`).set('Authorization', roaster)).expect(200);
    const geo = JSON.parse(text(res));
    expect(geo.type).to.equal('FeatureCollection');
    expect(geo.features.map((f: { properties: { plotId: string } }) => f.properties.plotId).sort()).to.deep.equal([...pack.plotIds].sort());
    for (const f of geo.features) {
      expect(Object.keys(f.properties)).to.include.members(['ProducerName', 'ProducerCountry', 'ProductionPlace', 'Area']);
      expect(f.properties.ProducerCountry).to.equal('VN');
      expect(['Point', 'Polygon']).to.include(f.geometry.type);
    }
  });

  it('when the EUDR export is larger than one file may be, then the API answers 413 pointing to the CLI, and the CLI writes numbered files within the limit', async () => {
    await h.close();
    h = await startHarness({ seed: true, env: { EUDR_MAX_FILE_BYTES: '1200' } });
    const admin = await h.login('coop@demo.test');
    const res = await request(h.app).get('/api/v1/exports/eudr.geojson').set('Authorization', admin).expect(413);
    expect(res.headers['content-type']).to.match(PROBLEM);
    expect(res.body.detail).to.contain('npm run export');
    // The validation report still covers every plot, whatever the file limit.
    const report = (await request(h.app).get('/api/v1/exports/eudr.geojson/report').set('Authorization', admin).expect(200)).body;
    expect(report.written + report.skipped.length).to.equal(5);
    await h.store.close();
    const out = path.join(h.dir, 'plots.geojson');
    const cli = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/export.ts', '--format', 'eudr.geojson', '--out', out, '--org', 'krong-nang-coffee'], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: `sqlite:${path.join(h.dir, 'trace.db')}`, EUDR_MAX_FILE_BYTES: '1200', NODE_ENV: 'test', JWT_SECRET: h.config.secrets.JWT_SECRET, KEY_ENCRYPTION_KEY: h.config.secrets.KEY_ENCRYPTION_KEY },
      encoding: 'utf8',
    });
    expect(cli.status, cli.stderr).to.equal(0);
    const files = readdirSync(h.dir).filter((f) => /^plots-\d+\.geojson$/.test(f));
    expect(files.length).to.be.greaterThan(1);
    const plotIds: string[] = [];
    for (const file of files) {
      const bytes = readFileSync(path.join(h.dir, file));
      expect(bytes.length, file).to.be.at.most(1200);
      plotIds.push(...JSON.parse(bytes.toString('utf8')).features.map((f: { properties: { plotId: string } }) => f.properties.plotId));
    }
    expect(new Set(plotIds).size).to.equal(plotIds.length);
    expect(plotIds).to.have.length(5);
    expect(cli.stdout).to.match(/eudr\.geojson: 5 written, 0 skipped/);
  });

  it('when the CLI exports a catalog with a broken item, then it prints the summary and the skipped item with its reasons', async () => {
    await newProduct(coop).expect(201);
    await h.store.close();
    const out = path.join(h.dir, 'catalog.csv');
    const cli = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/export.ts', '--format', 'meta-catalog.csv', '--out', out], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: `sqlite:${path.join(h.dir, 'trace.db')}`, NODE_ENV: 'test', JWT_SECRET: h.config.secrets.JWT_SECRET, KEY_ENCRYPTION_KEY: h.config.secrets.KEY_ENCRYPTION_KEY },
      encoding: 'utf8',
    });
    expect(cli.status, cli.stderr).to.equal(0);
    expect(cli.stdout).to.match(/meta-catalog\.csv: 3 written, 1 skipped/);
    expect(cli.stdout).to.match(/skipped [0-9a-f-]{36}: .*image/);
    const rows = parseCsv(readFileSync(out), { bom: true, columns: true }) as Array<Record<string, string>>;
    expect(rows.map((r) => r.gtin)).to.have.length(3);
  });

  it('when a plot is registered after the seed, then the organization’s EUDR export includes it with its coordinates unchanged', async () => {
    const geometry = squarePlot(0.123456789);
    const plot = await request(h.app).post('/api/v1/plots').set('Authorization', coop).send({ name: 'Mới', crops: ['coffee-robusta'], geometry }).expect(201);
    const geo = JSON.parse(text(await withRawBody(request(h.app).get('/api/v1/exports/eudr.geojson').set('Authorization', coop)).expect(200)));
    const feature = geo.features.find((f: { properties: { plotId: string } }) => f.properties.plotId === plot.body.id);
    expect(feature.geometry.coordinates).to.deep.equal(geometry.coordinates);
  });
});
