import { expect } from 'chai';
import request from 'supertest';
import { startHarness, squarePlot, type Harness } from './support/harness.js';

const PACK = '/01/08936123450021/10/KN25R-A';

describe('GS1 Digital Link resolver', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ seed: true });
  });
  after(() => h.close());

  it('when a published lot’s Digital Link is opened in a browser, then an HTML page names the product, lot and producer', async () => {
    const res = await request(h.app).get(PACK).set('Accept', 'text/html,application/xhtml+xml,*/*;q=0.8').expect(200);
    expect(res.headers['content-type']).to.match(/^text\/html/);
    expect(res.text).to.contain('Cà phê rang xay Robusta Krông Năng 500 g').and.contain('KN25R-A').and.contain('Công ty TNHH Rang xay Buôn Ma Thuột');
  });

  it('when the linkset is asked for by linkType or by Accept, then an RFC 9264 linkset with gs1:pip, gs1:traceability and the retailers answers', async () => {
    for (const req of [request(h.app).get(`${PACK}?linkType=linkset`), request(h.app).get(PACK).set('Accept', 'application/linkset+json')]) {
      const res = await req.expect(200);
      expect(res.headers['content-type']).to.match(/^application\/linkset\+json/);
      const body = JSON.parse(res.text) as { linkset: Array<Record<string, unknown>> };
      const set = body.linkset[0]!;
      expect(set.anchor).to.equal(`http://trace.test${PACK}`);
      expect(set).to.have.property('https://gs1.org/voc/pip');
      expect(set).to.have.property('https://gs1.org/voc/traceability');
      expect((set['https://gs1.org/voc/hasRetailers'] as Array<{ href: string }>).map((l) => l.href).join(' ')).to.contain('shopee.vn').and.contain('tiki.vn');
    }
  });

  it('when a gs1 link type the item has is asked for, then 307 to that link’s href, which serves the signed bundle', async () => {
    const res = await request(h.app).get(`${PACK}?linkType=gs1:traceability`).redirects(0).expect(307);
    const location = new URL(res.headers.location!);
    const bundle = await request(h.app).get(location.pathname).expect(200);
    expect(bundle.body.lot.lotNumber).to.equal('KN25R-A');
  });

  it('when a link type the item lacks is asked for, then 404', async () => {
    const res = await request(h.app).get(`${PACK}?linkType=gs1:recipeInfo`).expect(404);
    expect(res.headers['content-type']).to.match(/application\/problem\+json/);
    expect(res.body.errors[0].path).to.equal('linkType');
  });

  it('when the URI breaks the Digital Link syntax, then 400 problem+json naming the rule', async () => {
    const cases: Array<[string, RegExp]> = [
      ['/01/08936123450022/10/KN25R-A', /check-digit/],
      ['/01/8936123450021/10/KN25R-A', /gtin-length/],
      ['/01/08936123450021/21/1/10/KN25R-A', /qualifier-order/],
      ['/01/08936123450021/10/KN25R-A?17=251340', /invalid-date/],
      ['/01/08936123450021/10/KN25R-A?10=X', /qualifier-in-query|duplicate-ai/],
    ];
    for (const [path, rule] of cases) {
      const res = await request(h.app).get(path).expect(400);
      expect(res.headers['content-type'], path).to.match(/application\/problem\+json/);
      expect(res.body.errors[0].message, path).to.match(rule);
    }
  });

  it('when the URI is well formed but unknown, then 404; for a known GTIN the answer warns the code is not registered and points to the product', async () => {
    const unknownLot = await request(h.app).get('/01/08936123450021/10/FAKE-99').expect(404);
    expect(unknownLot.body.detail).to.contain('not registered').and.contain('http://trace.test/01/08936123450021');
    await request(h.app).get('/01/09506000134352/10/ABC').expect(404);
    await request(h.app).get('/414/9506000134352').expect(404);
  });

  it('when a lot is not published, then its Digital Link is 404 like an unknown one', async () => {
    await request(h.app).get('/01/08936123450014/10/KN-2512-G1').expect(404);
  });

  it('when a lot without a GTIN is published, then /l/{code} resolves it, and names with markup are escaped', async () => {
    const coop = await h.login('coop@demo.test');
    const plot = await request(h.app).post('/api/v1/plots').set('Authorization', coop).send({ name: 'X', crops: ['coffee'], geometry: squarePlot(0.5) }).expect(201);
    const lot = await request(h.app)
      .post('/api/v1/batches')
      .set('Authorization', coop)
      .send({ plotIds: [plot.body.id], product: '<script>alert(1)</script> Robusta', harvestedAt: new Date(Date.now() - 864e5 * 3).toISOString().slice(0, 10), quantity: { value: 10, unit: 'kg' } })
      .expect(201);
    await request(h.app).get(new URL(lot.body.digitalLink).pathname).expect(404);
    await request(h.app).post(`/api/v1/batches/${lot.body.id}/publish`).set('Authorization', coop).expect(200);
    const page = await request(h.app).get(new URL(lot.body.digitalLink).pathname).expect(200);
    expect(page.text).to.not.contain('<script>alert(1)');
    expect(page.text).to.contain('&lt;script>alert(1)&lt;/script> Robusta');
    await request(h.app).get('/l/NOTACODE!!').expect(404);
  });
  it('when the linkset of a lot is read, then it carries certificationInfo, sustainabilityInfo, masterData and one hasRetailers link per listing', async () => {
    const set = (JSON.parse((await request(h.app).get(`${PACK}?linkType=linkset`).expect(200)).text) as { linkset: Array<Record<string, Array<{ href: string }>>> }).linkset[0]!;
    expect(set['https://gs1.org/voc/certificationInfo']![0]!.href).to.equal(`http://trace.test${PACK}#certifications`);
    expect(set['https://gs1.org/voc/sustainabilityInfo']![0]!.href).to.equal(`http://trace.test${PACK}#plots`);
    expect(set['https://gs1.org/voc/masterData']![0]!.href).to.equal('http://trace.test/01/08936123450021');
    expect(set['https://gs1.org/voc/pip']!.map((l) => l.href)).to.deep.equal([`http://trace.test${PACK}`, `http://trace.test${PACK}?lang=en`]);
    const roaster = await h.login('processor@demo.test');
    const listings = (await request(h.app).get('/api/v1/listings').set('Authorization', roaster).expect(200)).body.items as Array<{ url: string }>;
    expect(set['https://gs1.org/voc/hasRetailers']!.map((l) => l.href)).to.have.members(listings.map((l) => l.url));
  });

  it('when a gs1 link type is asked for with other query parameters, then the 307 passes them on to the target', async () => {
    const res = await request(h.app).get(`${PACK}?linkType=gs1:masterData&17=270630&context=retail`).redirects(0).expect(307);
    expect(res.headers.location).to.equal('http://trace.test/01/08936123450021?17=270630&context=retail');
    const fragment = await request(h.app).get(`${PACK}?linkType=gs1:certificationInfo&17=270630`).redirects(0).expect(307);
    expect(fragment.headers.location).to.equal(`http://trace.test${PACK}?17=270630#certifications`);
  });

  it('when a browser opens an unknown lot of a known GTIN, then an HTML 404 warns that the code is not registered and links to the product', async () => {
    const res = await request(h.app).get('/01/08936123450021/10/FAKE-99').set('Accept', 'text/html,*/*;q=0.8').expect(404);
    expect(res.headers['content-type']).to.match(/^text\/html/);
    expect(res.text).to.contain('Mã này chưa được đăng ký').and.contain('Lô FAKE-99').and.contain('href="http://trace.test/01/08936123450021"');
    const serial = await request(h.app).get('/01/08936123450021/21/SN-1').set('Accept', 'text/html').set('Accept-Language', 'en').expect(404);
    expect(serial.text).to.contain('This code is not registered').and.contain('Serial SN-1');
    const unknown = await request(h.app).get('/01/09506000134352/10/ABC').set('Accept', 'text/html').expect(404);
    expect(unknown.text).to.contain('Không tìm thấy');
  });

  it('when a browser opens a malformed code, then an HTML 400 names the rule; API clients get problem+json', async () => {
    const page = await request(h.app).get('/01/08936123450022/10/X').set('Accept', 'text/html').expect(400);
    expect(page.headers['content-type']).to.match(/^text\/html/);
    expect(page.text).to.contain('số kiểm tra không đúng');
    const api = await request(h.app).get('/01/08936123450022/10/X').expect(400);
    expect(api.headers['content-type']).to.match(/^application\/problem\+json/);
    expect(api.body.rule).to.equal('check-digit');
  });

  it('when a lot’s page is asked for again with its ETag, then 304; answers are gzipped once, public for a minute and vary by Accept, Accept-Language and Accept-Encoding', async () => {
    const first = await request(h.app).get(PACK).expect(200);
    expect(first.headers['cache-control']).to.equal('public, max-age=60');
    expect(first.headers.vary).to.contain('Accept').and.contain('Accept-Language').and.contain('Accept-Encoding');
    expect(first.headers['content-encoding'], 'pages are sent gzipped, compressed once').to.equal('gzip');
    expect(first.headers.etag).to.match(/^"[\w-]{27}-gz"$/);
    const identity = await request(h.app).get(PACK).set('Accept-Encoding', 'identity').expect(200);
    expect(identity.headers['content-encoding']).to.equal(undefined);
    expect(identity.headers.etag).to.equal(first.headers.etag!.replace('-gz', ''));
    expect(identity.text).to.equal(first.text);
    await request(h.app).get(PACK).set('If-None-Match', first.headers.etag!).expect(304);
    const english = await request(h.app).get(PACK).set('Accept-Language', 'en').expect(200);
    expect(english.headers.etag).to.not.equal(first.headers.etag);
  });

  it('when another site asks, then resolver answers allow any origin, OPTIONS is answered and HEAD works', async () => {
    const get = await request(h.app).get(`${PACK}?linkType=linkset`).set('Origin', 'https://shop.example').expect(200);
    expect(get.headers['access-control-allow-origin']).to.equal('*');
    const options = await request(h.app).options(PACK).set('Origin', 'https://shop.example').set('Access-Control-Request-Method', 'GET').expect(204);
    expect(options.headers['access-control-allow-methods']).to.contain('GET');
    await request(h.app).head(PACK).expect(200);
  });

  it('when the resolver description is read, then /.well-known/gs1resolver names its root, primary keys and link types', async () => {
    const res = await request(h.app).get('/.well-known/gs1resolver').expect(200);
    expect(res.body.resolverRoot).to.equal('http://trace.test');
    expect(res.body.supportedPrimaryKeys).to.include.members(['01', '414']);
    expect(res.body.supportedLinkType[0]).to.deep.equal({ namespace: 'https://gs1.org/voc/', prefix: 'gs1:' });
    expect(res.body.linkTypeDefaultCanBeLinkset).to.equal(true);
  });

  it('when a GLN is resolved, then its organization’s page answers; an unknown GLN is 404 and a wrong check digit 400', async () => {
    const coop = await h.login('coop@demo.test');
    const orgs = (await request(h.app).get('/api/v1/organizations').set('Authorization', coop).expect(200)).body.items as Array<{ type: string; gln: string | null; name: string }>;
    const gln = orgs.find((o) => o.type === 'cooperative')!.gln!;
    const linkset = await request(h.app).get(`/414/${gln}`).set('Accept', 'application/linkset+json').expect(200);
    expect(JSON.parse(linkset.text).linkset[0].anchor).to.equal(`http://trace.test/414/${gln}`);
    await request(h.app).get('/414/9506000134352').expect(404);
    const bad = await request(h.app).get(`/414/${gln.slice(0, 12)}${(Number(gln[12]) + 1) % 10}`).expect(400);
    expect(bad.body.rule).to.equal('check-digit');
  });

  it('when a serial follows the lot in the path, then the lot resolves and the serial is shown', async () => {
    const res = await request(h.app).get(`${PACK}/21/ABC-123`).expect(200);
    expect(res.text).to.contain('ABC-123');
  });
  it('when made-up query parameters are added, then the same answer is served (they cannot bust the cache) and the language switch drops them', async () => {
    const plain = await request(h.app).get(PACK).set('Accept-Encoding', 'identity').expect(200);
    const noisy = await request(h.app).get(`${PACK}?utm_source=x&x1=1`).set('Accept-Encoding', 'identity').expect(200);
    expect(noisy.headers.etag).to.equal(plain.headers.etag);
    expect(noisy.text).to.contain(`href="${PACK}?lang=en"`);
    expect(plain.headers.link).to.equal(`<http://trace.test${PACK}?linkType=linkset>; rel="linkset"; type="application/linkset+json"`);
  });

  it('when linkType or lang is given twice, then 400 naming it', async () => {
    const res = await request(h.app).get(`${PACK}?linkType=gs1:pip&linkType=gs1:traceability`).expect(400);
    expect(res.body.errors[0].path).to.equal('linkType');
    expect((await request(h.app).get(`${PACK}?lang=vi&lang=en`).expect(400)).body.errors[0].path).to.equal('lang');
  });

  it('when gs1:pip is asked for with lang=en, then the 307 goes to the English page', async () => {
    const res = await request(h.app).get(`${PACK}?linkType=gs1:pip&lang=en`).redirects(0).expect(307);
    expect(res.headers.location).to.equal(`http://trace.test${PACK}?lang=en`);
  });

  it('when a client asks for JSON, then it gets the linkset', async () => {
    const res = await request(h.app).get(PACK).set('Accept', 'application/json').expect(200);
    expect(res.headers['content-type']).to.match(/^application\/linkset\+json/);
  });

  it('when a Digital Link path sits under the API, assets or media prefixes, then the resolver does not answer it', async () => {
    await request(h.app).get(`/api/v1${PACK}`).expect(404);
    await request(h.app).get(`/media${PACK}`).expect(404);
  });

  it('when a product has no published lot, or a GLN belongs to a farm household, then its page is 404', async () => {
    const coop = await h.login('coop@demo.test');
    const gtin = '08936123450991'.slice(0, 13);
    const digits = gtin.split('').map(Number);
    const check = (10 - (digits.reduce((sum, d, i) => sum + d * (i % 2 === 0 ? 3 : 1), 0) % 10)) % 10;
    await request(h.app)
      .post('/api/v1/products')
      .set('Authorization', coop)
      .send({ gtin: `${gtin}${check}`, name: { vi: 'Sản phẩm chưa bán' }, description: { vi: 'Chưa có lô nào được công bố.' }, stock: 0, otherPrices: [], batchIds: [] })
      .expect(201);
    await request(h.app).get(`/01/${gtin}${check}`).expect(404);
    const household = await request(h.app)
      .post('/api/v1/organizations')
      .set('Authorization', coop)
      .send({ slug: 'ho-gln-test', name: 'Hộ có GLN', address: { province: 'Đắk Lắk', street: 'Nhà riêng' }, gln: '8936123409999' })
      .expect(201);
    await request(h.app).get(`/414/${household.body.gln}`).expect(404);
  });
  it('when machines read the linkset or follow a redirect, then no scan is counted; a person opening the page is', async () => {
    const h2 = await startHarness({ seed: true });
    try {
      const roaster = await h2.login('processor@demo.test');
      const lots = (await request(h2.app).get('/api/v1/batches').set('Authorization', roaster)).body.items as Array<{ id: string; lotNumber: string }>;
      const lot = lots.find((l) => l.lotNumber === 'KN25R-A')!;
      await request(h2.app).get(`${PACK}?linkType=linkset`).expect(200);
      await request(h2.app).get(`${PACK}?linkType=gs1:traceability`).redirects(0).expect(307);
      await request(h2.app).head(PACK).expect(200);
      expect((await request(h2.app).get(`/api/v1/batches/${lot.id}/scans`).set('Authorization', roaster).expect(200)).body.total).to.equal(0);
      await request(h2.app).get(PACK).set('User-Agent', 'Mozilla/5.0 (Linux; Android 13; SM-A135F) Mobile').expect(200);
      expect((await request(h2.app).get(`/api/v1/batches/${lot.id}/scans`).set('Authorization', roaster).expect(200)).body.total).to.equal(1);
    } finally {
      await h2.close();
    }
  });
});

describe('the resolver’s rate limit', () => {
  it('when a client resolves more links a minute than RESOLVER_RATE_LIMIT, then 429 problem+json with Retry-After, while the API still answers it', async () => {
    const limited = await startHarness({ seed: true, env: { RESOLVER_RATE_LIMIT: '3' } });
    try {
      await request(limited.app).get(PACK).expect(200);
      await request(limited.app).get(`${PACK}?linkType=linkset`).expect(200);
      await request(limited.app).get('/01/08936123450021').expect(200);
      const refused = await request(limited.app).get(PACK).set('Accept', 'application/json').expect(429);
      expect(refused.headers['content-type']).to.match(/application\/problem\+json/);
      expect(Number(refused.headers['retry-after'])).to.be.greaterThan(0);
      await request(limited.app).get('/healthz').expect(200);
      await request(limited.app).get('/.well-known/jwks.json').expect(200);
    } finally {
      await limited.close();
    }
  });
});
