import { expect } from 'chai';
import { parse, type HTMLElement } from 'node-html-parser';
import request from 'supertest';
import { startHarness, squarePlot, type Harness } from './support/harness.js';

const PACK = '/01/08936123450021/10/KN25R-A';
const SINGLE_ORIGIN = '/01/08936123450038/10/EHO-2512-S1';
const BROWSER_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';
const PAGE_BUDGET_BYTES = 60 * 1024;

/** The text a reader sees under a heading: everything up to the next h2. */
function section(doc: HTMLElement, heading: string): string {
  const h2 = doc.querySelectorAll('h2').find((h) => h.text.includes(heading));
  expect(h2, `a section headed "${heading}"`).to.not.equal(undefined);
  const parts: string[] = [];
  for (let node = h2!.nextElementSibling; node && node.tagName !== 'H2'; node = node.nextElementSibling) parts.push(node.text);
  return parts.join(' ').replace(/\s+/g, ' ');
}

/** The value next to a label in a <dl class="facts">. */
function fact(dl: HTMLElement, label: string): string {
  const dt = dl.querySelectorAll('dt').find((d) => d.text.trim() === label);
  expect(dt, `a fact labelled "${label}"`).to.not.equal(undefined);
  return dt!.nextElementSibling!.text.replace(/\s+/g, ' ').trim();
}

describe('the public origin page', () => {
  let h: Harness;
  let vi: HTMLElement;
  let html: string;

  before(async () => {
    h = await startHarness({ seed: true });
    html = (await request(h.app).get(PACK).set('Accept', BROWSER_ACCEPT).expect(200)).text;
    vi = parse(html);
  });
  after(() => h.close());

  it('when a pack is scanned, then the first screen names the product, its brand, where it was grown, the cooperative, its certificates and where to buy it, in Vietnamese', () => {
    expect(vi.querySelector('html')!.getAttribute('lang')).to.equal('vi');
    const intro = vi.querySelector('section.intro')!;
    expect(intro.querySelector('h1')!.text).to.equal('Cà phê rang xay Robusta Krông Năng 500 g');
    expect(intro.text).to.contain('BMT Roastery');
    expect(intro.querySelector('.province')!.text).to.equal('Đắk Lắk');
    expect(intro.text).to.contain('Xã Ea Tóh').and.contain('Xã Phú Lộc').and.contain('3 vùng trồng');
    expect(intro.querySelectorAll('.producer').map((p) => p.text)).to.deep.equal(['Hợp tác xã Nông nghiệp Cà phê Krông Năng']);
    expect(intro.text).to.contain('3 nông hộ thành viên').and.contain('Chế biến và đóng gói: Công ty TNHH Rang xay Buôn Ma Thuột');
    expect(intro.querySelector('.certs')!.text).to.contain('VietGAP (TCVN 11892-1:2017) còn hiệu lực đến 31/03/2027').and.contain('Rainforest Alliance còn hiệu lực đến 31/05/2028');
    expect(intro.querySelectorAll('.buy a')).to.have.length(2);
    // No codes on the first screen: the lot number, GTIN and GLNs are in the technical details.
    expect(intro.text).to.not.contain('KN25R-A').and.not.contain('08936123450021').and.not.match(/893\d{10}/);
    const details = vi.querySelector('details.technical dl.facts')!;
    expect(fact(details, 'Lô')).to.equal('KN25R-A');
    expect(fact(details, 'GTIN')).to.equal('08936123450021');
    expect(fact(details, 'Thu hoạch')).to.equal('08/11/2025 – 25/11/2025');
    expect(fact(details, 'Khối lượng lô')).to.equal('300 bao × 0,5 kg');
  });

  it('when the blend’s page is read, then no farm household is named on it: their steps and plots stand for “a member household” of their cooperative', () => {
    for (const name of ['Y Bhim Êban', 'Nguyễn Văn Thành', 'Trần Thị Lan', 'H’Hen Niê', 'Lê Văn Hùng']) expect(html, name).to.not.contain(name);
    expect(section(vi, 'Hành trình của lô hàng')).to.contain('Nông hộ thành viên của Hợp tác xã Nông nghiệp Cà phê Krông Năng');
    const minimum = vi.querySelector('dl.minimum')!;
    expect(fact(minimum, 'Người sản xuất')).to.equal('Hợp tác xã Nông nghiệp Cà phê Krông Năng; Công ty TNHH Rang xay Buôn Ma Thuột');
    expect(fact(minimum, 'Địa chỉ cơ sở sản xuất')).to.contain('Thị trấn Krông Năng, Đắk Lắk').and.contain('128 Phan Bội Châu');
  });

  it('when a lot a household recorded itself is published, then its page names the cooperative for it: not as its packer, nor in the JSON-LD or the minimum data', async () => {
    const farmer = await h.login('farmer@demo.test');
    const plots = (await request(h.app).get('/api/v1/plots').set('Authorization', farmer).expect(200)).body.items as Array<{ id: string }>;
    const lot = await request(h.app)
      .post('/api/v1/batches')
      .set('Authorization', farmer)
      .send({ plotIds: [plots[0]!.id], product: 'Cà phê Robusta quả tươi', harvestedAt: '2025-11-20', quantity: { value: 120, unit: 'kg' } })
      .expect(201);
    await request(h.app).post(`/api/v1/batches/${lot.body.id}/publish`).set('Authorization', await h.login('coop@demo.test')).expect(200);
    const page = (await request(h.app).get(new URL(lot.body.digitalLink).pathname).set('Accept', BROWSER_ACCEPT).expect(200)).text;
    expect(page).to.not.contain('Y Bhim Êban');
    const doc = parse(page);
    expect(doc.querySelectorAll('section.intro .producer').map((p) => p.text)).to.deep.equal(['Hợp tác xã Nông nghiệp Cà phê Krông Năng']);
    expect(doc.querySelector('section.intro')!.text).to.not.contain('Chế biến và đóng gói');
    expect(JSON.parse(doc.querySelector('script[type="application/ld+json"]')!.text).manufacturer.name).to.equal('Hợp tác xã Nông nghiệp Cà phê Krông Năng');
  });

  it('when the plots are shown, then a small inline SVG map on the first screen draws each plot, and the grown stage lists them with crop names, areas and OpenStreetMap links', () => {
    const svg = vi.querySelector('section.intro svg.map')!;
    expect(svg.getAttribute('role')).to.equal('img');
    expect(svg.querySelector('title')!.text).to.equal('Bản đồ 3 vùng trồng');
    expect(svg.querySelectorAll('path[fill="#7fb069"]')).to.have.length(3);
    const grown = vi.querySelector('#plots')!.parentNode as HTMLElement;
    expect(grown.text).to.contain('Rẫy Ea Tóh 1').and.contain('Rẫy Phú Lộc (đồi)').and.contain('5,25 ha').and.contain('Cà phê Robusta, Sầu riêng');
    expect(grown.text).to.not.contain('coffee-robusta');
    const osm = grown.querySelectorAll('a').map((a) => a.getAttribute('href') ?? '');
    expect(osm).to.have.length(3);
    for (const href of osm) expect(href).to.match(/^https:\/\/www\.openstreetmap\.org\/\?mlat=1[23]\.\d{6}&mlon=108\.\d{6}#map=16\//);
    // The two demo plots with a GLN link to their own pages, from the technical details.
    expect(vi.querySelectorAll('details.technical a').filter((a) => a.getAttribute('href')!.startsWith('/414/'))).to.have.length(2);
  });

  it('when the journey is read, then it is told in stages with each step’s time, who did it and where, without codes, and the farmer’s photo under the drying it shows', () => {
    const stages = vi.querySelectorAll('ol.stages > li.stage');
    expect(stages.map((s) => s.querySelector('h3')!.childNodes[0]!.text.trim())).to.deep.equal(['Trồng', 'Thu hoạch', 'Sơ chế và chế biến', 'Đóng gói']);
    const steps = (stage: HTMLElement) => stage.querySelectorAll('ol.timeline > li').map((li) => li.querySelector('h4')!.text);
    expect(steps(stages[1]!)).to.deep.equal(['Thu hoạch', 'Thu hoạch', 'Thu hoạch']);
    expect(steps(stages[2]!)).to.include.members(['Phơi, sấy', 'Vận chuyển', 'Tiếp nhận', 'Xát vỏ', 'Phối trộn các lô', 'Phân loại', 'Rang, sao', 'Xay']);
    expect(steps(stages[3]!)).to.deep.equal(['Đóng gói', 'Chia lô', 'Kiểm tra, đánh giá']);
    for (const stage of stages) {
      const times = stage.querySelectorAll('ol.timeline > li').flatMap((li) => li.querySelectorAll('time').slice(0, 1)).map((t) => Date.parse(t.getAttribute('datetime')!));
      expect(times).to.deep.equal([...times].sort((a, b) => a - b));
    }
    const journey = section(vi, 'Hành trình của lô hàng');
    expect(journey).to.not.match(/893\d{10}/).and.not.contain('KN-2512-G1').and.not.contain('Mã sản phẩm');
    const roasting = stages[2]!.querySelectorAll('ol.timeline > li').find((li) => li.querySelector('h4')!.text === 'Rang, sao')!;
    expect(roasting.text).to.contain('Công ty TNHH Rang xay Buôn Ma Thuột · Xưởng rang').and.contain('Rang vừa (medium), 13 phút, 215 °C');
    expect(roasting.querySelector('time')!.text).to.equal('18/12/2025 08:00');
    // Three lots hulled together by member households are one entry.
    expect(stages[2]!.text).to.contain('2 lô cùng lúc');
    const drying = stages[2]!.querySelectorAll('ol.timeline > li').find((li) => li.text.includes('Sân phơi nhà'))!;
    const photo = drying.querySelector('img')!;
    expect(photo.getAttribute('src'), 'a same-origin path, so the CSP holds on any host name').to.match(/^\/media\/[0-9a-f]{64}\.webp$/);
    expect(photo.getAttribute('loading')).to.equal('lazy');
    expect(photo.getAttribute('alt')).to.contain('Phơi, sấy');
    expect(photo.getAttribute('srcset')).to.match(/ 320w, .* 640w$/);
    const codes = vi.querySelectorAll('details.technical ol.codes li').map((li) => li.text);
    expect(codes.find((c) => c.startsWith('Rang, sao'))).to.match(/Mã địa điểm \(GLN\) 893\d{10} · Mã sản phẩm 08936123450014 · KN-2512-G1$/);
  });

  it('when certifications are listed, then each shows its scheme, number, issuer and validity, and an expired one is flagged', async () => {
    const certs = section(vi, 'Chứng nhận');
    expect(certs).to.contain('VietGAP (TCVN 11892-1:2017)').and.contain('VietGAP-TT-0231').and.contain('còn hiệu lực đến 31/03/2027');
    expect(certs).to.contain('Rainforest Alliance').and.contain('4C-VN-25-0412');
    const single = parse((await request(h.app).get(SINGLE_ORIGIN).set('Accept', BROWSER_ACCEPT).expect(200)).text);
    const expired = single.querySelector('#certifications ~ ul .expired');
    expect(expired?.text).to.equal('đã hết hạn ngày 30/09/2025');
  });

  it('when the OCOP tea is scanned, then its OCOP stars are shown among the certifications and the standards applied', async () => {
    const coop = await h.login('other-coop@demo.test');
    const lots = (await request(h.app).get('/api/v1/batches').set('Authorization', coop)).body.items as Array<{ published: boolean; digitalLink: string }>;
    const tea = lots.find((l) => l.published)!;
    const page = parse((await request(h.app).get(new URL(tea.digitalLink).pathname).set('Accept', BROWSER_ACCEPT).expect(200)).text);
    expect(section(page, 'Chứng nhận')).to.contain('OCOP 4 sao');
    expect(fact(page.querySelector('dl.minimum')!, 'Tiêu chuẩn áp dụng')).to.contain('OCOP 4 sao');
  });

  it('when the minimum data of Circular 02/2024/TT-BKHCN is read, then every item is there: name, image, producers, address, stages, production time, code, brand, shelf life, standards', () => {
    const minimum = vi.querySelector('dl.minimum')!;
    expect(fact(minimum, 'Tên sản phẩm')).to.equal('Cà phê rang xay Robusta Krông Năng 500 g');
    expect(fact(minimum, 'Hình ảnh')).to.equal('có, ở đầu trang');
    expect(fact(minimum, 'Người sản xuất')).to.contain('Hợp tác xã Nông nghiệp Cà phê Krông Năng');
    expect(fact(minimum, 'Địa chỉ cơ sở sản xuất')).to.contain('Đắk Lắk');
    expect(fact(minimum, 'Các công đoạn')).to.match(/^\d+ công đoạn/);
    expect(fact(minimum, 'Thời gian sản xuất')).to.equal('Thu hoạch: 08/11/2025 – 25/11/2025; Đóng gói: 19/12/2025');
    expect(fact(minimum, 'Mã truy xuất')).to.equal(`KN25R-A · http://trace.test${PACK}`);
    expect(fact(minimum, 'Thương hiệu')).to.equal('BMT Roastery');
    expect(fact(minimum, 'Hạn sử dụng')).to.equal('không công bố');
    expect(fact(minimum, 'Tiêu chuẩn áp dụng')).to.equal('VietGAP (TCVN 11892-1:2017); Rainforest Alliance; 4C');
    expect(vi.querySelector('img.thumb')!.getAttribute('alt')).to.equal('Cà phê rang xay Robusta Krông Năng 500 g');
  });

  it('when the code carries an expiry date (AI 17) and a serial, then the page shows them as printed', async () => {
    const page = parse((await request(h.app).get(`${PACK}/21/SER-0042?17=270600`).set('Accept', BROWSER_ACCEPT).expect(200)).text);
    expect(fact(page.querySelector('details.technical dl.facts')!, 'Số sê-ri')).to.equal('SER-0042');
    expect(fact(page.querySelector('dl.minimum')!, 'Hạn sử dụng')).to.equal('30/06/2027 (theo mã in trên bao bì, không được ký số)');
  });

  it('when the signed chain checks out, then the badge says so in plain words, with a hidden re-check button and links to the record and keys', () => {
    const badge = vi.querySelector('.badge')!;
    expect(badge.classList.contains('ok')).to.equal(true);
    expect(badge.querySelector('strong')!.text).to.equal('✓ Hồ sơ đã được ký và kiểm tra: khớp');
    expect(badge.text).to.match(/6 tổ chức ký \d+ bước · kiểm tra \d{2}\/\d{2}\/\d{4}/);
    expect(badge.querySelector('a')!.getAttribute('href')).to.equal('#verify-details');
    const button = vi.querySelector('button#recheck')!;
    expect(button.hasAttribute('hidden')).to.equal(true);
    expect(button.getAttribute('data-bundle')).to.match(/^\/api\/v1\/batches\/[0-9a-f-]{36}\/provenance$/);
    expect(button.getAttribute('data-lot')).to.equal('https://id.gs1.org/01/08936123450021/10/KN25R-A');
    expect(button.getAttribute('data-ok')).to.match(/^Máy của bạn đã kiểm tra lại: khớp\. Cả \d+ bước đều có chữ ký hợp lệ\.$/);
    expect(vi.querySelector('script[type="module"]')!.getAttribute('src')).to.equal('/assets/origin-page.js');
    expect(vi.querySelectorAll('a').map((a) => a.getAttribute('href'))).to.include('http://trace.test/.well-known/jwks.json');
  });

  it('when a signature in the lot’s history no longer verifies, then the badge says the record does not match, and the technical reason is folded away', async () => {
    const h2 = await startHarness({ seed: true });
    try {
      const processor = await h2.login('processor@demo.test');
      const keys = (await request(h2.app).get('/api/v1/keys').set('Authorization', processor).expect(200)).body.items as Array<{ kid: string }>;
      await request(h2.app).post(`/api/v1/keys/${keys[0]!.kid}/revoke`).set('Authorization', processor).send({ effectiveAt: '2025-01-01T00:00:00+07:00' }).expect(200);
      const page = parse((await request(h2.app).get(PACK).set('Accept', BROWSER_ACCEPT).expect(200)).text);
      const badge = page.querySelector('.badge')!;
      expect(badge.classList.contains('bad')).to.equal(true);
      expect(badge.text).to.contain('Hồ sơ đã được kiểm tra: không khớp').and.not.contain('revoked');
      expect(page.querySelector('#verify-details ~ details')!.text).to.contain('Lý do (thông tin kỹ thuật)').and.contain('revoked');
    } finally {
      await h2.close();
    }
  });

  it('when buy links are shown, then each listing links to its marketplace with its price in VND', () => {
    const links = vi.querySelectorAll('.buy a');
    expect(links.map((a) => a.getAttribute('href'))).to.have.members(['https://shopee.vn/ca-phe-rang-xay-krong-nang-500g-i.1234.5678', 'https://tiki.vn/ca-phe-rang-xay-krong-nang-500g-p123456.html']);
    const tiki = links.find((a) => a.getAttribute('href')!.includes('tiki'))!;
    expect(tiki.text).to.contain('Tiki').and.contain('149.000');
    expect(tiki.querySelector('.price')!.text.replace(/\s/g, ' ')).to.equal('149.000 ₫');
    expect(tiki.getAttribute('rel')).to.contain('noopener');
  });

  it('when a search engine reads the page, then schema.org Product JSON-LD and Open Graph tags describe it', () => {
    const ld = JSON.parse(vi.querySelector('script[type="application/ld+json"]')!.text) as Record<string, unknown>;
    expect(ld['@type']).to.equal('Product');
    expect(ld.name).to.equal('Cà phê rang xay Robusta Krông Năng 500 g');
    expect(ld.gtin14).to.equal('08936123450021');
    expect(ld.brand).to.deep.equal({ '@type': 'Brand', name: 'BMT Roastery' });
    const offers = ld.offers as Array<Record<string, unknown>>;
    expect(offers.map((o) => [o.price, o.priceCurrency])).to.deep.include.members([[149_000, 'VND']]);
    expect(offers.every((o) => o.availability === 'https://schema.org/InStock')).to.equal(true);
    const og = (p: string) => vi.querySelector(`meta[property="${p}"]`)?.getAttribute('content');
    expect(og('og:type')).to.equal('product');
    expect(og('og:title')).to.contain('Cà phê rang xay Robusta Krông Năng 500 g');
    expect(og('og:image')).to.match(/^http:\/\/trace\.test\/media\/share\/[0-9A-Z]{10}-vi-[0-9a-f]{16}\.jpg$/);
    expect(ld.image).to.have.length(1);
    expect((ld.image as string[])[0], 'JSON-LD names the product photo itself').to.match(/^http:\/\/trace\.test\/media\/[0-9a-f]{64}\.webp$/);
    expect(og('og:url')).to.equal(`http://trace.test${PACK}`);
    expect(og('og:locale')).to.equal('vi_VN');
    expect(vi.querySelector('link[rel="canonical"]')!.getAttribute('href')).to.equal(`http://trace.test${PACK}`);
  });

  it('when the browser prefers English, or the switch is used, then the page is in English; the switch goes back to Vietnamese', async () => {
    const byHeader = parse((await request(h.app).get(PACK).set('Accept', BROWSER_ACCEPT).set('Accept-Language', 'en-GB,en;q=0.9,vi;q=0.5').expect(200)).text);
    expect(byHeader.querySelector('html')!.getAttribute('lang')).to.equal('en');
    expect(byHeader.querySelector('h1')!.text).to.equal('Krông Năng Robusta ground coffee 500 g');
    expect(section(byHeader, 'The journey of this lot')).to.contain('Roasting').and.contain('Robusta coffee');
    const switchLink = vi.querySelector('header.top a')!;
    expect(switchLink.getAttribute('href')).to.equal(`${PACK}?lang=en`);
    const bySwitch = parse((await request(h.app).get(switchLink.getAttribute('href')!).set('Accept', BROWSER_ACCEPT).set('Accept-Language', 'vi').expect(200)).text);
    expect(bySwitch.querySelector('html')!.getAttribute('lang')).to.equal('en');
    expect(bySwitch.querySelector('header.top a')!.getAttribute('href')).to.equal(`${PACK}?lang=vi`);
    const back = parse((await request(h.app).get(`${PACK}?lang=vi`).set('Accept-Language', 'en').expect(200)).text);
    expect(back.querySelector('html')!.getAttribute('lang')).to.equal('vi');
  });

  it('when the page is loaded on 3G, then its HTML, CSS and script weigh at most 60 KB and photos are sized, lazy renditions', async () => {
    const script = await request(h.app).get('/assets/origin-page.js').expect(200);
    const imports = [...String(script.text).matchAll(/from\s*"\.\/([\w-]+\.js)"/g)].map((m) => m[1]!);
    let total = Buffer.byteLength(html) + Buffer.byteLength(script.text);
    for (const file of imports) total += Buffer.byteLength((await request(h.app).get(`/assets/${file}`).expect(200)).text);
    expect(total).to.be.at.most(PAGE_BUDGET_BYTES);
    expect(html).to.not.match(/<link[^>]+rel="stylesheet"/);
    for (const img of vi.querySelectorAll('main img')) {
      expect(img.getAttribute('src'), 'a rendition').to.match(/\/media\/[0-9a-f]{64}\.webp$/);
      expect(img.getAttribute('width')).to.match(/^\d+$/);
      expect(img.getAttribute('height')).to.match(/^\d+$/);
    }
    expect(vi.querySelectorAll('main img[loading="lazy"]').length).to.equal(vi.querySelectorAll('main img').length - 1);
  });

  it('when the page is read without JavaScript or a screen, then it has a language, a skip link, alt text on every image and one h1', () => {
    expect(vi.querySelectorAll('h1')).to.have.length(1);
    expect(vi.querySelector('a.skip')!.getAttribute('href')).to.equal('#content');
    expect(vi.querySelector('main#content')).to.not.equal(null);
    for (const img of vi.querySelectorAll('img')) expect(img.getAttribute('alt'), img.toString()).to.be.a('string').and.not.equal('');
    expect(vi.querySelector('meta[name="viewport"]')!.getAttribute('content')).to.contain('width=device-width');
    expect(vi.querySelector('output#recheck-result')!.getAttribute('aria-live')).to.equal('polite');
  });

  it('when a product name, note or place contains markup, then the page shows it as text and the JSON-LD cannot close its script element', async () => {
    const coop = await h.login('coop@demo.test');
    const plot = await request(h.app).post('/api/v1/plots').set('Authorization', coop).send({ name: '<img src=x onerror=alert(1)>', crops: ['coffee'], geometry: squarePlot(0.5) }).expect(201);
    const lot = await request(h.app)
      .post('/api/v1/batches')
      .set('Authorization', coop)
      .send({ plotIds: [plot.body.id], product: '</script><script>alert("x")</script>', harvestedAt: '2025-11-20', quantity: { value: 10, unit: 'kg' } })
      .expect(201);
    await request(h.app)
      .post(`/api/v1/batches/${lot.body.id}/steps`)
      .set('Authorization', coop)
      .send({ type: 'drying', occurredAt: '2025-11-21T08:00:00+07:00', place: { name: '"><b>yard</b>' }, notes: '<a href="javascript:alert(1)">x</a>' })
      .expect(201);
    await request(h.app).post(`/api/v1/batches/${lot.body.id}/publish`).set('Authorization', coop).expect(200);
    const page = (await request(h.app).get(new URL(lot.body.digitalLink).pathname).set('Accept', BROWSER_ACCEPT).expect(200)).text;
    expect(page).to.not.contain('<script>alert').and.not.contain('<img src=x').and.not.contain('<b>yard').and.not.contain('<a href="javascript');
    const doc = parse(page);
    expect(doc.querySelector('h1')!.text).to.equal('</script><script>alert("x")</script>');
    expect(doc.querySelectorAll('script')).to.have.length(2);
    expect(JSON.parse(doc.querySelector('script[type="application/ld+json"]')!.text).name).to.equal('</script><script>alert("x")</script>');
    expect(doc.querySelector('ol.stages')!.text).to.contain('"><b>yard</b>').and.contain('<a href="javascript:alert(1)">x</a>');
  });

  it('when a GTIN alone is scanned, then the product page shows its master data and where to buy it', async () => {
    const page = parse((await request(h.app).get('/01/08936123450021').set('Accept', BROWSER_ACCEPT).expect(200)).text);
    expect(page.querySelector('h1')!.text).to.equal('Cà phê rang xay Robusta Krông Năng 500 g');
    expect(fact(page.querySelector('dl.facts')!, 'Khối lượng tịnh')).to.equal('500 g');
    expect(page.querySelectorAll('.buy a')).to.have.length(2);
    expect(JSON.parse(page.querySelector('script[type="application/ld+json"]')!.text).gtin14).to.equal('08936123450021');
  });

  it('when a GLN is scanned, then the page of the organization at that location shows its name, type, address and codes', async () => {
    const coop = await h.login('coop@demo.test');
    const orgs = (await request(h.app).get('/api/v1/organizations').set('Authorization', coop).expect(200)).body.items as Array<{ type: string; gln: string; name: string }>;
    const org = orgs.find((o) => o.type === 'cooperative')!;
    const page = parse((await request(h.app).get(`/414/${org.gln}`).set('Accept', BROWSER_ACCEPT).expect(200)).text);
    expect(page.querySelector('h1')!.text).to.equal(org.name);
    const facts = page.querySelector('dl.facts')!;
    expect(fact(facts, 'Tổ chức')).to.equal('Hợp tác xã');
    expect(fact(facts, 'GLN')).to.equal(org.gln);
    expect(fact(facts, 'Mã số vùng trồng')).to.match(/^VN-/);
  });
});

describe('the origin page of a lot with a long history', () => {
  it('when a warehouse logs the same storage check 60 times, then the page shows one entry with its count and time span, and stays within its size budget', async () => {
    const h = await startHarness({ seed: true });
    try {
      const coop = await h.login('coop@demo.test');
      const lots = await request(h.app).get('/api/v1/batches?limit=500').set('Authorization', coop).expect(200);
      const lot = (lots.body.items as Array<{ id: string; lotNumber: string }>).find((b) => b.lotNumber === 'EHO-2512-S1')!;
      for (let i = 0; i < 60; i++) {
        const occurredAt = new Date(Date.UTC(2026, 0, 5, 0, i)).toISOString();
        await request(h.app).post(`/api/v1/batches/${lot.id}/steps`).set('Authorization', coop).send({ type: 'storage', occurredAt, place: { name: 'Kho HTX' }, notes: 'Kiểm tra kho' }).expect(201);
      }
      const res = await request(h.app).get(`${SINGLE_ORIGIN}?lang=en`).set('Accept', BROWSER_ACCEPT).expect(200);
      expect(Buffer.byteLength(res.text)).to.be.below(PAGE_BUDGET_BYTES);
      const page = parse(res.text);
      const runs = page.querySelectorAll('ol.timeline > li').filter((li) => li.text.includes('recorded 60 times'));
      expect(runs).to.have.length(1);
      expect(runs[0]!.querySelectorAll('time').map((t) => t.getAttribute('datetime'))).to.deep.equal(['2026-01-05T00:00:00.000Z', '2026-01-05T00:59:00.000Z']);
      // The other steps still have their own entries.
      expect(page.querySelectorAll('ol.timeline > li h4').some((h) => h.text === 'Hulling')).to.equal(true);
    } finally {
      await h.close();
    }
  });
});
