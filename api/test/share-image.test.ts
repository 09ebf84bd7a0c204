import { expect } from 'chai';
import { parse, type HTMLElement } from 'node-html-parser';
import sharp from 'sharp';
import request from 'supertest';
import { startHarness, type Harness } from './support/harness.js';

const PACK = '/01/08936123450021/10/KN25R-A';
const BASE = 'https://nguongoc.example.vn';
const BROWSER_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';

const meta = (doc: HTMLElement, key: string): string | undefined =>
  (doc.querySelector(`meta[property="${key}"]`) ?? doc.querySelector(`meta[name="${key}"]`))?.getAttribute('content');

/** The JPEG bytes of a supertest answer. */
const bytes = (res: request.Response): Buffer => res.body as Buffer;
const binary = (res: request.Response, done: (error: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => done(null, Buffer.concat(chunks)));
};

describe('sharing a lot’s page: the share image and the preview tags', () => {
  let h: Harness;
  const pages: Record<'vi' | 'en', HTMLElement> = {} as Record<'vi' | 'en', HTMLElement>;

  before(async () => {
    h = await startHarness({ seed: true, env: { PUBLIC_BASE_URL: BASE } });
    pages.vi = parse((await request(h.app).get(PACK).set('Accept', BROWSER_ACCEPT).expect(200)).text);
    pages.en = parse((await request(h.app).get(`${PACK}?lang=en`).set('Accept', BROWSER_ACCEPT).expect(200)).text);
  });
  after(() => h.close());

  for (const lang of ['vi', 'en'] as const) {
    it(`when the page is read in ${lang}, then its og:image is an absolute https URL under the public base URL, with its size, type and alt text, and a large-image card`, () => {
      const doc = pages[lang];
      expect(meta(doc, 'og:image')).to.match(new RegExp(`^${BASE.replace(/\./g, '\\.')}/media/share/[0-9A-Z]{10}-${lang}-[0-9a-f]{16}\\.jpg$`));
      expect(meta(doc, 'og:image:width')).to.equal('1200');
      expect(meta(doc, 'og:image:height')).to.equal('630');
      expect(meta(doc, 'og:image:type')).to.equal('image/jpeg');
      expect(meta(doc, 'twitter:card')).to.equal('summary_large_image');
      const alt = meta(doc, 'og:image:alt')!;
      expect(alt).to.contain(lang === 'vi' ? 'Cà phê rang xay Robusta Krông Năng 500 g. Nguồn gốc: Đắk Lắk, Việt Nam.' : 'Krông Năng Robusta ground coffee 500 g. Origin: Đắk Lắk, Vietnam.');
      expect(alt).to.contain('Hợp tác xã Nông nghiệp Cà phê Krông Năng');
      expect(meta(doc, 'og:url')).to.equal(lang === 'vi' ? `${BASE}${PACK}` : `${BASE}${PACK}?lang=en`);
      for (const key of ['og:url', 'og:image']) expect(meta(doc, key)!.startsWith('https://'), key).to.equal(true);
    });
  }

  it('when the preview’s title and description are read, then they are in the page’s language', () => {
    expect(meta(pages.vi, 'og:title')).to.equal('Cà phê rang xay Robusta Krông Năng 500 g · Nguồn gốc sản phẩm');
    expect(meta(pages.vi, 'og:description')).to.contain('Sản xuất bởi Hợp tác xã Nông nghiệp Cà phê Krông Năng').and.contain('Đắk Lắk, Việt Nam').and.contain('Hồ sơ đã được ký và kiểm tra: khớp');
    expect(meta(pages.vi, 'og:locale')).to.equal('vi_VN');
    expect(meta(pages.en, 'og:title')).to.equal('Krông Năng Robusta ground coffee 500 g · Product origin');
    expect(meta(pages.en, 'og:description')).to.contain('Produced by Hợp tác xã Nông nghiệp Cà phê Krông Năng').and.contain('Đắk Lắk, Vietnam').and.contain('Signed record checked: it matches');
    expect(meta(pages.en, 'og:locale')).to.equal('en_US');
  });

  it('when each language version is read, then its canonical URL is its own (the Digital Link for Vietnamese and for a language picked by the browser, ?lang=en for English asked by name) and the hreflang alternates name vi, en and x-default', async () => {
    const alternates = (doc: HTMLElement) => Object.fromEntries(doc.querySelectorAll('link[rel="alternate"][hreflang]').map((l) => [l.getAttribute('hreflang'), l.getAttribute('href')]));
    const expected = { vi: `${BASE}${PACK}`, en: `${BASE}${PACK}?lang=en`, 'x-default': `${BASE}${PACK}` };
    expect(pages.vi.querySelector('link[rel="canonical"]')!.getAttribute('href')).to.equal(`${BASE}${PACK}`);
    expect(pages.en.querySelector('link[rel="canonical"]')!.getAttribute('href')).to.equal(`${BASE}${PACK}?lang=en`);
    expect(alternates(pages.vi)).to.deep.equal(expected);
    expect(alternates(pages.en)).to.deep.equal(expected);
    const explicitVi = parse((await request(h.app).get(`${PACK}?lang=vi`).set('Accept', BROWSER_ACCEPT).expect(200)).text);
    expect(explicitVi.querySelector('link[rel="canonical"]')!.getAttribute('href')).to.equal(`${BASE}${PACK}`);
    // The Digital Link itself answers in the language the browser prefers, and stays its own canonical.
    const negotiated = parse((await request(h.app).get(PACK).set('Accept', BROWSER_ACCEPT).set('Accept-Language', 'en-US,en;q=0.9').expect(200)).text);
    expect(negotiated.querySelector('html')!.getAttribute('lang')).to.equal('en');
    expect(negotiated.querySelector('link[rel="canonical"]')!.getAttribute('href')).to.equal(`${BASE}${PACK}`);
    expect(alternates(negotiated)).to.deep.equal(expected);
  });

  it('when the share image is fetched, then it is a 1200×630 JPEG, cached for a year under its content key, and answers 304 to its ETag', async () => {
    const path = new URL(meta(pages.vi, 'og:image')!).pathname;
    const res = await request(h.app).get(path).buffer(true).parse(binary).expect(200);
    expect(res.headers['content-type']).to.equal('image/jpeg');
    expect(res.headers['cache-control']).to.equal('public, max-age=31536000, immutable');
    const image = await sharp(bytes(res)).metadata();
    expect([image.format, image.width, image.height]).to.deep.equal(['jpeg', 1200, 630]);
    const key = /-([0-9a-f]{16})\.jpg$/.exec(path)![1];
    expect(res.headers.etag).to.equal(`"${key}"`);
    await request(h.app).get(path).set('If-None-Match', `"${key}"`).expect(304);
    const en = await request(h.app).get(new URL(meta(pages.en, 'og:image')!).pathname).buffer(true).parse(binary).expect(200);
    expect(Buffer.compare(bytes(en), bytes(res)), 'the English image has the English name').to.not.equal(0);
  });

  it('when the product is renamed, then the page names a new image, and the old image URL redirects to it', async () => {
    // Both harnesses start from the same demo data: the same lot code and photo, so the same image name.
    const oldPath = new URL(meta(pages.vi, 'og:image')!).pathname;
    const h2 = await startHarness({ seed: true, env: { PUBLIC_BASE_URL: BASE } });
    try {
      const roaster = await h2.login('processor@demo.test');
      const products = (await request(h2.app).get('/api/v1/products').set('Authorization', roaster).expect(200)).body.items as Array<{ id: string; gtin: string }>;
      const product = products.find((p) => p.gtin === '08936123450021')!;
      await request(h2.app).patch(`/api/v1/products/${product.id}`).set('Authorization', roaster).send({ name: { vi: 'Cà phê Robusta Krông Năng rang mộc 500 g' } }).expect(200);
      const moved = await request(h2.app).get(oldPath).expect(302);
      const page = parse((await request(h2.app).get(PACK).set('Accept', BROWSER_ACCEPT).expect(200)).text);
      const newPath = new URL(meta(page, 'og:image')!).pathname;
      expect(newPath).to.not.equal(oldPath);
      expect(moved.headers.location).to.equal(newPath);
      expect(meta(page, 'og:image:alt')).to.contain('Cà phê Robusta Krông Năng rang mộc 500 g');
      await request(h2.app).get(newPath).expect(200);
    } finally {
      await h2.close();
    }
  });

  it('when the name of a share image is malformed, or names no published lot, then the answer is 404', async () => {
    await request(h.app).get('/media/share/not-an-image.jpg').expect(404);
    await request(h.app).get('/media/share/ZZZZZZZZZZ-vi-0123456789abcdef.jpg').expect(404);
    await request(h.app).get('/media/share/TKJKKQZMRH-fr-0123456789abcdef.jpg').expect(404);
  });
});
