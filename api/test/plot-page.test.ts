import { expect } from 'chai';
import request from 'supertest';
import { withCheckDigit } from '../src/domain/gs1/keys.js';
import { startHarness, squarePlot, type Harness } from './support/harness.js';

/** The demo's plot "Rẫy Ea Tóh 1": it feeds the blend that was split into the published packs KN25R-A and KN25R-B. */
const PLOT_GLN = withCheckDigit('893612340101');
const PACK = '/01/08936123450021/10/KN25R-A';

function jsonLdOf(html: string): Record<string, unknown> {
  const match = /<script type="application\/ld\+json">(.*?)<\/script>/s.exec(html);
  if (!match?.[1]) throw new Error('no JSON-LD on the page');
  return JSON.parse(match[1]) as Record<string, unknown>;
}

describe('Plots identified by GLN (/414/{gln} of a growing area)', () => {
  let h: Harness;
  let coop: string;
  before(async () => {
    h = await startHarness({ seed: true });
    coop = await h.login('coop@demo.test');
  });
  after(() => h.close());

  it('when a plot’s GLN is opened and a lot from it is published, then its page shows name, crops by their names, area, GLN, the grower as a member of its cooperative and its province, certificates, the map and links to the published lots', async () => {
    const res = await request(h.app).get(`/414/${PLOT_GLN}`).set('Accept', 'text/html').expect(200);
    expect(res.headers['content-type']).to.match(/^text\/html/);
    expect(res.text)
      .to.contain('<h1>Rẫy Ea Tóh 1</h1>')
      .and.contain('Cà phê Robusta, Sầu riêng')
      .and.match(/\d+,\d+ ha/)
      .and.contain(PLOT_GLN)
      .and.contain('Nông hộ thành viên của Hợp tác xã Nông nghiệp Cà phê Krông Năng')
      .and.contain('Đắk Lắk')
      .and.contain('VietGAP-TT-0231')
      .and.contain('còn hiệu lực đến')
      .and.contain('<svg class="map"')
      .and.contain('https://www.openstreetmap.org/')
      .and.contain('href="http://trace.test/01/08936123450021/10/KN25R-A"')
      .and.contain('href="http://trace.test/01/08936123450021/10/KN25R-B"');
    // The household's name and home address stay off the page; unpublished lots from the plot are not listed.
    expect(res.text).to.not.contain('Y Bhim Êban').and.not.contain('Buôn Ea Tóh').and.not.contain('Xã Ea Tóh').and.not.contain('coffee-robusta');
    expect(res.text).to.not.contain('KN-2512-G1').and.not.contain('ETO-2511-01');

    const en = await request(h.app).get(`/414/${PLOT_GLN}?lang=en`).expect(200);
    expect(en.text).to.contain('Published lots from this plot').and.contain('Grown by').and.contain('valid until');
  });

  it('when a plot’s page is read by a machine, then the linkset is anchored at /414/{gln} with gs1:pip in vi and en and a defaultLink, and the JSON-LD is a schema.org Place with geo and globalLocationNumber', async () => {
    const anchor = `http://trace.test/414/${PLOT_GLN}`;
    const linkset = await request(h.app).get(`/414/${PLOT_GLN}`).set('Accept', 'application/linkset+json').expect(200);
    const set = (JSON.parse(linkset.text) as { linkset: Array<Record<string, unknown>> }).linkset[0]!;
    expect(set.anchor).to.equal(anchor);
    const pip = set['https://gs1.org/voc/pip'] as Array<{ href: string; hreflang: string[] }>;
    expect(pip.map((l) => [l.href, l.hreflang])).to.deep.equal([
      [anchor, ['vi']],
      [`${anchor}?lang=en`, ['en']],
    ]);
    expect((set['https://gs1.org/voc/defaultLink'] as Array<{ href: string }>)[0]!.href).to.equal(anchor);
    const redirect = await request(h.app).get(`/414/${PLOT_GLN}?linkType=gs1:pip&lang=en`).redirects(0).expect(307);
    expect(redirect.headers.location).to.equal(`${anchor}?lang=en`);

    const page = await request(h.app).get(`/414/${PLOT_GLN}`).expect(200);
    expect(page.headers.link).to.contain(`<${anchor}?linkType=linkset>`);
    const jsonLd = jsonLdOf(page.text);
    expect(jsonLd['@type']).to.equal('Place');
    expect(jsonLd.name).to.equal('Rẫy Ea Tóh 1');
    expect(jsonLd.globalLocationNumber).to.equal(PLOT_GLN);
    const geo = jsonLd.geo as { '@type': string; polygon: string };
    expect(geo['@type']).to.equal('GeoShape');
    // "lat lon" pairs, closed: the first pair is repeated at the end.
    const pairs = geo.polygon.match(/\S+ \S+/g)!;
    expect(pairs[0]).to.match(/^13\.04\d+ 108\.37\d+$/);
    expect(pairs.at(-1)).to.equal(pairs[0]);
  });

  it('when a plot with a GLN has no published lot, then /414/{gln} is 404 until a lot from it is published', async () => {
    const gln = withCheckDigit('893612340191');
    const plot = await request(h.app)
      .post('/api/v1/plots')
      .set('Authorization', coop)
      .send({ name: 'Rẫy chưa bán', crops: ['coffee-robusta'], geometry: squarePlot(0.61), gln })
      .expect(201);
    expect(plot.body.gln).to.equal(gln);
    expect((await request(h.app).get(`/api/v1/plots/${plot.body.id}`).set('Authorization', coop).expect(200)).body.gln).to.equal(gln);
    await request(h.app).get(`/414/${gln}`).expect(404);

    const lot = await request(h.app)
      .post('/api/v1/batches')
      .set('Authorization', coop)
      .send({ plotIds: [plot.body.id], product: 'Cà phê quả tươi', harvestedAt: new Date(Date.now() - 864e5 * 2).toISOString().slice(0, 10), quantity: { value: 50, unit: 'kg' } })
      .expect(201);
    const missing = await request(h.app).get(`/414/${gln}`).set('Accept', 'text/html').expect(404);
    expect(missing.text).to.not.contain('Rẫy chưa bán');

    await request(h.app).post(`/api/v1/batches/${lot.body.id}/publish`).set('Authorization', coop).expect(200);
    const page = await request(h.app).get(`/414/${gln}`).expect(200);
    expect(page.text).to.contain('Rẫy chưa bán').and.contain(`href="${lot.body.digitalLink}"`);
  });

  it('when a second plot takes a plot’s or an organization’s GLN, then 409 naming gln', async () => {
    const orgs = (await request(h.app).get('/api/v1/organizations').set('Authorization', coop).expect(200)).body.items as Array<{ type: string; gln: string | null }>;
    const coopGln = orgs.find((o) => o.type === 'cooperative')!.gln!;
    for (const [gln, shift] of [
      [PLOT_GLN, 0.62],
      [coopGln, 0.63],
    ] as const) {
      const res = await request(h.app)
        .post('/api/v1/plots')
        .set('Authorization', coop)
        .send({ name: 'Rẫy trùng mã', crops: ['coffee-robusta'], geometry: squarePlot(shift), gln })
        .expect(409);
      expect(res.headers['content-type']).to.match(/application\/problem\+json/);
      expect(res.body.errors[0].path).to.equal('gln');
    }
    // Nothing of the refused plots was kept.
    const plots = (await request(h.app).get('/api/v1/plots?limit=500').set('Authorization', coop).expect(200)).body.items as Array<{ name: string }>;
    expect(plots.map((p) => p.name)).to.not.include('Rẫy trùng mã');
  });

  it('when an organization is registered with a plot’s GLN, then 409 naming gln and no organization is created', async () => {
    const res = await request(h.app)
      .post('/api/v1/organizations')
      .set('Authorization', coop)
      .send({ slug: 'ho-trung-gln', name: 'Hộ trùng mã', address: { province: 'Đắk Lắk' }, gln: PLOT_GLN })
      .expect(409);
    expect(res.body.errors[0].path).to.equal('gln');
    const orgs = (await request(h.app).get('/api/v1/organizations').set('Authorization', coop).expect(200)).body.items as Array<{ slug: string }>;
    expect(orgs.map((o) => o.slug)).to.not.include('ho-trung-gln');
  });

  it('when a plot’s GLN has a wrong check digit, then 400 naming gln', async () => {
    const wrong = `${PLOT_GLN.slice(0, 12)}${(Number(PLOT_GLN[12]) + 1) % 10}`;
    const res = await request(h.app)
      .post('/api/v1/plots')
      .set('Authorization', coop)
      .send({ name: 'Rẫy sai mã', crops: ['coffee-robusta'], geometry: squarePlot(0.64), gln: wrong })
      .expect(400);
    expect(res.body.errors.map((e: { path: string }) => e.path)).to.include('gln');
  });

  it('when a plot is registered, then its signed registration names its GLN in ft:plot only when it has one', async () => {
    const gln = withCheckDigit('893612340192');
    const withGln = await request(h.app).post('/api/v1/plots').set('Authorization', coop).send({ name: 'Có GLN', crops: ['pepper'], geometry: squarePlot(0.65), gln }).expect(201);
    const without = await request(h.app).post('/api/v1/plots').set('Authorization', coop).send({ name: 'Không GLN', crops: ['pepper'], geometry: squarePlot(0.66) }).expect(201);
    expect(without.body.gln).to.equal(null);
    const plotOf = async (eventId: string) => (await h.store.events.findById(eventId))!.body['ft:plot'] as Record<string, unknown>;
    expect((await plotOf(withGln.body.eventId)).gln).to.equal(gln);
    expect(await plotOf(without.body.eventId)).to.not.have.property('gln');
  });

  it('when a lot’s origin page lists a plot with a GLN, then the GLN links to the plot’s page', async () => {
    const res = await request(h.app).get(PACK).set('Accept', 'text/html').expect(200);
    expect(res.text).to.contain(`<a href="/414/${PLOT_GLN}">${PLOT_GLN}</a>`);
    expect(res.text).to.contain(`<a href="/414/${withCheckDigit('893612340102')}">`);
  });
});
