import { expect } from 'chai';
import { parse as parseHtml, type HTMLElement } from 'node-html-parser';
import request from 'supertest';
import { DEMO_PUBLISHED_LOTS } from '../../seeds/demo.js';
import { startHarness, type Harness } from './support/harness.js';

/** `/`: what the service is and where to go, in Vietnamese first and in English. */
describe('landing page', function () {
  this.timeout(60_000);
  const harnesses: Harness[] = [];
  const open = async (options: Parameters<typeof startHarness>[0]) => {
    const h = await startHarness(options);
    harnesses.push(h);
    return h;
  };
  after(async () => {
    for (const h of harnesses.splice(0)) await h.close();
  });

  const page = async (h: Harness, path = '/', headers: Record<string, string> = {}) => {
    const res = await request(h.app).get(path).set(headers).expect(200);
    expect(res.headers['content-type']).to.match(/^text\/html/);
    return { res, doc: parseHtml(res.text) };
  };
  const links = (doc: HTMLElement) => doc.querySelectorAll('main a').map((a) => a.getAttribute('href')!);
  const demoSection = (doc: HTMLElement) => doc.querySelector('.demo-lots');

  it('when / is opened with the demo data, then it answers in Vietnamese, lists every published demo lot with its QR code, and every link and image answers 200', async () => {
    const h = await open({ seed: true });
    const { res, doc } = await page(h);
    expect(doc.querySelector('html')!.getAttribute('lang')).to.equal('vi');
    expect(res.headers['content-language']).to.equal('vi');
    expect(doc.querySelector('h1')!.text).to.equal('Truy xuất nguồn gốc nông sản');
    expect(doc.querySelector('main p')!.text).to.match(/^Dịch vụ này ghi lại hành trình của nông sản/);

    const lots = demoSection(doc)!.querySelectorAll('li');
    expect(lots).to.have.length(DEMO_PUBLISHED_LOTS.length);
    for (const [i, lot] of DEMO_PUBLISHED_LOTS.entries()) {
      expect(lots[i]!.querySelector('a')!.getAttribute('href')).to.equal(`/01/${lot.gtin}/10/${lot.lotNumber}`);
      expect(lots[i]!.text).to.include(`Lô ${lot.lotNumber}`);
      const qr = lots[i]!.querySelector('img')!;
      expect(qr.getAttribute('alt')).to.include(lot.lotNumber);
      const svg = await request(h.app).get(qr.getAttribute('src')!).expect(200);
      expect(svg.headers['content-type']).to.match(/^image\/svg\+xml/);
    }

    const hrefs = links(doc);
    expect(hrefs).to.include.members(['/console', '/console#/coop', '/api/v1/openapi.json', '/docs/getting-started.md', '/docs/operations.md']);
    for (const href of [...hrefs, doc.querySelector('header a')!.getAttribute('href')!]) {
      const answer = await request(h.app).get(href.split('#')[0]!);
      expect(answer.status, href).to.equal(200);
    }
    expect(doc.querySelectorAll('script')).to.have.length(0);
  });

  it('when / is asked for in English, by ?lang=en or by Accept-Language, then it answers in English and its links keep the language', async () => {
    const h = await open({ seed: true });
    for (const [path, headers] of [['/?lang=en', {}], ['/', { 'Accept-Language': 'en-GB,en;q=0.9,vi;q=0.5' }]] as const) {
      const { res, doc } = await page(h, path, headers);
      expect(doc.querySelector('html')!.getAttribute('lang'), path).to.equal('en');
      expect(res.headers['content-language']).to.equal('en');
      expect(doc.querySelector('h1')!.text).to.equal('Farm produce traceability');
      const hrefs = links(doc);
      expect(hrefs).to.include.members(['/console?lang=en', '/console?lang=en#/coop', `/01/${DEMO_PUBLISHED_LOTS[0]!.gtin}/10/${DEMO_PUBLISHED_LOTS[0]!.lotNumber}?lang=en`]);
      expect(demoSection(doc)!.text).to.include(`Lot ${DEMO_PUBLISHED_LOTS[0]!.lotNumber}`);
      expect(doc.querySelector('header a')!.getAttribute('href')).to.equal('/?lang=vi');
    }
    const { doc } = await page(h, '/?lang=vi', { 'Accept-Language': 'en' });
    expect(doc.querySelector('html')!.getAttribute('lang'), 'an explicit ?lang= wins').to.equal('vi');
  });

  it('when the demo seed is off, then / has no demo section but still every other link', async () => {
    const h = await open({ seed: true, env: { DEMO_SEED: '0' } });
    const { doc } = await page(h);
    expect(demoSection(doc)).to.equal(null);
    expect(doc.text).to.not.include('Lô hàng mẫu');
    expect(links(doc)).to.include.members(['/console', '/api/v1/openapi.json']);
  });

  it('when the demo seed is on but the database holds none of its lots, then / has no demo section', async () => {
    const h = await open({});
    expect(demoSection((await page(h)).doc)).to.equal(null);
  });

  it('when lang is given twice, then 400 problem naming lang', async () => {
    const h = await open({});
    const res = await request(h.app).get('/?lang=vi&lang=en').expect(400);
    expect(res.headers['content-type']).to.match(/application\/problem\+json/);
    expect(res.body.errors[0].path).to.equal('lang');
  });

  it('when a documentation page is asked for, then the listed ones answer as text and anything else is a 404 problem', async () => {
    const h = await open({});
    const doc = await request(h.app).get('/docs/operations.md').expect(200);
    expect(doc.headers['content-type']).to.match(/^text\/plain; charset=utf-8/);
    expect(doc.text).to.match(/^# Operations/);
    for (const path of ['/docs/..%2Fpackage.json', '/docs/adr', '/docs/provenance-bundle.schema.json', '/docs/nothing.md']) {
      const res = await request(h.app).get(path);
      expect(res.status, path).to.equal(404);
      expect(res.headers['content-type'], path).to.match(/application\/problem\+json/);
    }
  });
});
