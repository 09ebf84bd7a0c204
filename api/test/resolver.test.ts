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
    await request(h.app).get(`${PACK}?linkType=gs1:certificationInfo`).expect(404);
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
    expect(page.text).to.not.contain('<script>alert(1)</script>');
    expect(page.text).to.contain('&lt;script&gt;alert(1)&lt;/script&gt; Robusta');
    await request(h.app).get('/l/NOTACODE!!').expect(404);
  });
});
