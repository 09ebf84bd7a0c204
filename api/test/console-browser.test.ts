import { createHash } from 'node:crypto';
import { area as turfArea } from '@turf/area';
import { expect } from 'chai';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import sharp from 'sharp';
import request from 'supertest';
import { chromiumMissingReason } from './support/chromium.js';
import { coopBrowserSuite, PHONE, seriousViolations } from './support/coop-browser.js';

const ALL_SENT = 'Mọi thứ đã được gửi.';
/** The confirmation a saved form leaves on the home screen, whatever has become of the write since. */
const SAVED = '#saved-state[data-state]';
/** A 1.1 ha rectangle near Ea Tóh, Krông Năng. */
const PASTED_PLOT = {
  type: 'Feature',
  properties: {},
  geometry: {
    type: 'Polygon',
    coordinates: [[[108.380001, 13.050001], [108.381001, 13.050001], [108.381001, 13.051001], [108.380001, 13.051001], [108.380001, 13.050001]]],
  },
};

interface ApiBatch {
  id: string;
  lotNumber: string;
  plotIds: string[];
  product: string;
  digitalLink: string;
}

describe('the farmer console in a real browser', function () {
  // Each test waits up to 30 s for the outbox to empty (waitUntilAllSent); the test's own budget
  // must be longer than that, or a slow machine times the test out before its wait can answer.
  this.timeout(60_000);
  const missing = chromiumMissingReason();
  const cb = coopBrowserSuite('console', { clean: true });
  let farmer: string;
  let photo: Buffer;

  before(async function () {
    if (missing) return this.skip();
    farmer = await cb.h.login('farmer@demo.test');
    photo = await sharp({ create: { width: 320, height: 240, channels: 3, background: { r: 90, g: 140, b: 60 } } }).jpeg().toBuffer();
  });

  const screenshot = (page: Page, name: string) => cb.screenshot(page, name);

  /** A phone-sized context with the console open and the demo farmer logged in through the form. */
  function loggedIn(options: Parameters<Browser['newContext']>[0] = {}): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
    return cb.loggedIn({ ...PHONE, ...options, email: 'farmer@demo.test', landing: 'Hôm nay bạn muốn ghi gì?' });
  }

  async function waitUntilAllSent(page: Page): Promise<void> {
    await page.goto(`${cb.base}/console#/sync`);
    try {
      await page.waitForFunction((text) => document.getElementById('sync-state')?.textContent === text, ALL_SENT, { timeout: 30_000 });
    } catch (error) {
      throw new Error(`the outbox did not empty: ${await page.textContent('main')}`, { cause: error });
    }
  }

  async function recordHarvest(page: Page, input: { plot?: string; product: string; kg: string; lot: string; photo?: Buffer }): Promise<void> {
    await page.goto(`${cb.base}/console#/harvest`);
    await page.waitForSelector('text=Bước 1/3');
    if (input.plot) await page.getByLabel(input.plot).check();
    await page.fill('#harvest-product', input.product);
    await page.click('button:has-text("Tiếp")');
    await page.waitForSelector('text=Bước 2/3');
    await page.fill('#harvest-quantity', input.kg);
    await page.fill('#harvest-lot', input.lot);
    await page.click('button:has-text("Tiếp")');
    await page.waitForSelector('text=Bước 3/3');
    if (input.photo) await page.setInputFiles('#harvest-photo', { name: 'thu-hoach.jpg', mimeType: 'image/jpeg', buffer: input.photo });
    await page.click('button:has-text("Lưu lô thu hoạch")');
    await page.waitForSelector(SAVED);
  }

  async function farmerBatches(lotNumber: string): Promise<ApiBatch[]> {
    const res = await request(cb.h.app).get('/api/v1/batches?limit=500').set('Authorization', farmer).expect(200);
    return (res.body.items as ApiBatch[]).filter((b) => b.lotNumber === lotNumber);
  }

  async function farmerPlots(name: string): Promise<Array<{ id: string; areaHa: number; geometry: { type: string; coordinates: unknown } }>> {
    const res = await request(cb.h.app).get('/api/v1/plots?limit=500').set('Authorization', farmer).expect(200);
    return (res.body.items as Array<{ id: string; name: string; areaHa: number; geometry: { type: string; coordinates: unknown } }>).filter((p) => p.name === name);
  }

  it(missing ? `when Chromium is missing, then the console's browser checks are skipped (${missing})` : 'when a farmer logs in on a 360 px phone, then the console greets in Vietnamese and nothing is wider than the screen', async function () {
    const { context, page, errors } = await loggedIn();
    expect(await page.getAttribute('html', 'lang')).to.equal('vi');
    expect(await page.isVisible('a:has-text("Ghi thu hoạch")')).to.equal(true);
    expect(await page.textContent('#batches')).to.contain('Cà phê Robusta quả tươi');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).to.be.at.most(360);
    await screenshot(page, 'home');
    expect(errors).to.deep.equal([]);
    await context.close();
  });

  it('when a farmer pastes a GeoJSON polygon, then its area in hectares shows before saving and the plot reaches the server once', async function () {
    if (missing) return this.skip();
    const { context, page, errors } = await loggedIn();
    await page.click('a:has-text("Đăng ký thửa đất")');
    await page.fill('#plot-name', 'Rẫy dán GeoJSON');
    await page.click('button:has-text("Dán GeoJSON")');
    await page.fill('#plot-geojson', JSON.stringify(PASTED_PLOT));
    const expectedHa = turfArea(PASTED_PLOT.geometry as Parameters<typeof turfArea>[0]) / 10_000;
    expect(await page.textContent('#plot-area')).to.equal(`Diện tích: ${expectedHa.toLocaleString('vi-VN', { maximumFractionDigits: 2 })} ha`);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).to.be.at.most(360);
    await screenshot(page, 'plot-pasted');
    await page.click('button:has-text("Lưu thửa đất")');
    await page.waitForSelector(SAVED);
    await waitUntilAllSent(page);
    const plots = await farmerPlots('Rẫy dán GeoJSON');
    expect(plots).to.have.length(1);
    expect(plots[0]!.areaHa).to.be.closeTo(expectedHa, 1e-9);
    expect(errors).to.deep.equal([]);
    await context.close();
  });

  it('when a pasted ring crosses itself, then the server’s own rule is shown and the plot cannot be saved', async function () {
    if (missing) return this.skip();
    const { context, page } = await loggedIn();
    await page.goto(`${cb.base}/console#/plot`);
    await page.fill('#plot-name', 'Hình nơ');
    await page.click('button:has-text("Dán GeoJSON")');
    await page.fill('#plot-geojson', JSON.stringify({ type: 'Polygon', coordinates: [[[108.38, 13.05], [108.381, 13.051], [108.381, 13.05], [108.38, 13.051], [108.38, 13.05]]] }));
    expect(await page.textContent('#plot-area')).to.contain('Ranh giới tự cắt chính nó.');
    expect(await page.isDisabled('button:has-text("Lưu thửa đất")')).to.equal(true);
    await context.close();
  });

  it('when a farmer drops a point where the phone stands, then the plot is registered at those coordinates with its declared area', async function () {
    if (missing) return this.skip();
    const { context, page, errors } = await loggedIn({ geolocation: { latitude: 13.0412345, longitude: 108.3734567, accuracy: 5 }, permissions: ['geolocation'] });
    await page.goto(`${cb.base}/console#/plot`);
    await page.fill('#plot-name', 'Rẫy một điểm');
    await page.click('button:has-text("Một điểm")');
    await page.click('button:has-text("Lấy vị trí của tôi")');
    await page.waitForFunction(() => (document.getElementById('plot-lat') as HTMLInputElement).value !== '');
    await page.fill('#plot-declared', '1,5');
    expect(await page.textContent('#plot-area')).to.equal('Diện tích: 1,5 ha');
    await page.click('button:has-text("Lưu thửa đất")');
    await page.waitForSelector(SAVED);
    await waitUntilAllSent(page);
    const plots = await farmerPlots('Rẫy một điểm');
    expect(plots).to.have.length(1);
    expect(plots[0]!.geometry).to.deep.equal({ type: 'Point', coordinates: [108.3734567, 13.0412345] });
    expect(plots[0]!.areaHa).to.equal(1.5);
    expect(errors).to.deep.equal([]);
    await context.close();
  });

  it('when a farmer walks the boundary, then each GPS fix is a corner and closing the ring shows the area', async function () {
    if (missing) return this.skip();
    const { context, page } = await loggedIn({ geolocation: { latitude: 13.06, longitude: 108.39, accuracy: 4 }, permissions: ['geolocation'] });
    await page.goto(`${cb.base}/console#/plot`);
    await page.fill('#plot-name', 'Rẫy đi bộ');
    await page.click('button:has-text("Bắt đầu")');
    for (const [latitude, longitude] of [[13.06, 108.39], [13.06, 108.391], [13.061, 108.391], [13.061, 108.39]] as const) {
      await context.setGeolocation({ latitude, longitude, accuracy: 4 });
      await page.click('button:has-text("Ghi điểm tại đây")');
    }
    await page.waitForSelector('text=4 điểm đã ghi');
    await page.click('button:has-text("Khép vòng")');
    const ring = [[108.39, 13.06], [108.391, 13.06], [108.391, 13.061], [108.39, 13.061], [108.39, 13.06]];
    const expectedHa = turfArea({ type: 'Polygon', coordinates: [ring] }) / 10_000;
    expect(await page.textContent('#plot-area')).to.equal(`Diện tích: ${expectedHa.toLocaleString('vi-VN', { maximumFractionDigits: 2 })} ha`);
    await screenshot(page, 'plot-walked');
    await page.click('button:has-text("Lưu thửa đất")');
    await page.waitForSelector(SAVED);
    await waitUntilAllSent(page);
    const plots = await farmerPlots('Rẫy đi bộ');
    expect(plots.map((p) => p.geometry)).to.deep.equal([{ type: 'Polygon', coordinates: [ring] }]);
    await context.close();
  });

  it('when a farmer records a harvest with a photo in three screens and the cooperative publishes it, then its origin page shows the lot and the photo', async function () {
    if (missing) return this.skip();
    const { context, page, errors } = await loggedIn();
    await recordHarvest(page, { plot: 'Rẫy Ea Tóh 1', product: 'Cà phê Robusta quả tươi', kg: '1250', lot: 'CON-2611-01', photo });
    await screenshot(page, 'harvest-saved');
    await waitUntilAllSent(page);
    await screenshot(page, 'sync-all-sent');
    const [batch, ...others] = await farmerBatches('CON-2611-01');
    expect(others).to.deep.equal([]);
    expect(batch!.plotIds).to.deep.equal([(await farmerPlots('Rẫy Ea Tóh 1'))[0]!.id]);
    const steps = await request(cb.h.app).get(`/api/v1/batches/${batch!.id}/steps`).set('Authorization', farmer).expect(200);
    expect(JSON.stringify(steps.body)).to.contain(createHash('sha256').update(photo).digest('hex'));

    // Publishing is the cooperative admin's decision, not the farmer's.
    await request(cb.h.app).post(`/api/v1/batches/${batch!.id}/publish`).set('Authorization', await cb.h.login('coop@demo.test')).expect(200);
    await page.goto(`${cb.base}/console`);
    await page.click(`#batches li:has-text("CON-2611-01") a:has-text("Trang nguồn gốc")`);
    await page.waitForURL((url) => url.pathname === new URL(batch!.digitalLink).pathname);
    expect(await page.textContent('h1')).to.equal('Cà phê Robusta quả tươi');
    expect(await page.textContent('main')).to.contain('CON-2611-01');
    expect(await page.locator('main img').count()).to.be.at.least(1);
    await screenshot(page, 'origin-page');
    expect(errors).to.deep.equal([]);
    await context.close();
  });

  it('when a farmer adds a drying step with a camera photo, then the photo is attached to that step', async function () {
    if (missing) return this.skip();
    const { context, page, errors } = await loggedIn();
    await recordHarvest(page, { product: 'Cà phê Robusta quả tươi', kg: '300', lot: 'CON-2611-02' });
    await page.click('a:has-text("Thêm công đoạn và ảnh")');
    await page.selectOption('#step-batch', await page.$eval('#step-batch', (select) => Array.from((select as HTMLSelectElement).options).find((o) => o.text.endsWith(' · CON-2611-02'))!.value));
    await page.selectOption('#step-type', 'drying');
    await page.fill('#step-notes', 'phơi sân xi măng');
    await page.setInputFiles('#step-photo', { name: 'phoi.jpg', mimeType: 'image/jpeg', buffer: photo });
    await screenshot(page, 'step-form');
    await page.click('button:has-text("Lưu công đoạn")');
    await page.waitForSelector(SAVED);
    await waitUntilAllSent(page);
    const [batch] = await farmerBatches('CON-2611-02');
    const steps = (await request(cb.h.app).get(`/api/v1/batches/${batch!.id}/steps`).set('Authorization', farmer).expect(200)).body.items as Array<{ id: string; type: string; event: unknown }>;
    const drying = steps.find((s) => s.type === 'drying');
    expect(drying, 'a drying step').to.not.equal(undefined);
    const sha = createHash('sha256').update(photo).digest('hex');
    const mediaEvents = steps.filter((s) => JSON.stringify(s.event).includes(sha));
    expect(mediaEvents).to.have.length(1);
    expect(JSON.stringify(mediaEvents[0]!.event)).to.contain(drying!.id);
    expect(errors).to.deep.equal([]);
    await context.close();
  });

  it('when the phone is offline, then a new plot and a harvest on it wait in the outbox, and back online exactly one copy of each is synced with the real plot id', async function () {
    if (missing) return this.skip();
    const { context, page, errors } = await loggedIn();
    await context.setOffline(true);
    await page.goto(`${cb.base}/console#/plot`);
    await page.fill('#plot-name', 'Rẫy ngoại tuyến');
    await page.click('button:has-text("Một điểm")');
    await page.fill('#plot-lat', '13,0455555');
    await page.fill('#plot-lon', '108,3855555');
    await page.fill('#plot-declared', '0,8');
    await page.click('button:has-text("Lưu thửa đất")');
    await page.waitForSelector(SAVED);
    await recordHarvest(page, { plot: 'Rẫy ngoại tuyến', product: 'Cà phê Robusta quả tươi', kg: '410', lot: 'OFF-2611-01', photo });
    await page.click('a#sync-summary');
    await page.waitForSelector('#outbox');
    expect(await page.locator('#outbox li[data-status=queued]').count()).to.equal(3);
    expect(await page.textContent('#sync-state')).to.contain('3 mục đã lưu trên điện thoại, chưa gửi');
    expect(await page.isVisible('text=Đang ngoại tuyến')).to.equal(true);
    await screenshot(page, 'offline-queued');
    expect(await farmerBatches('OFF-2611-01')).to.deep.equal([]);

    await context.setOffline(false);
    await page.waitForFunction((text) => document.getElementById('sync-state')?.textContent === text, ALL_SENT, { timeout: 30_000 });
    expect(await page.locator('#outbox li[data-status=synced]').count()).to.equal(3);
    await screenshot(page, 'offline-synced');
    const plots = await farmerPlots('Rẫy ngoại tuyến');
    expect(plots).to.have.length(1);
    const batches = await farmerBatches('OFF-2611-01');
    expect(batches).to.have.length(1);
    expect(batches[0]!.plotIds).to.deep.equal([plots[0]!.id]);
    expect(errors).to.deep.equal([]);
    await context.close();
  });

  it('when the answer to a create is lost after the server stored it, then the retry with the same Idempotency-Key makes no second copy', async function () {
    if (missing) return this.skip();
    const { context, page } = await loggedIn();
    const keys: string[] = [];
    await page.route('**/api/v1/batches', async (route) => {
      if (route.request().method() !== 'POST') return route.continue();
      keys.push(route.request().headers()['idempotency-key'] ?? '');
      if (keys.length > 1) return route.continue();
      await route.fetch(); // the server records the lot…
      await route.abort('connectionreset'); // …and the phone never hears back
    });
    await recordHarvest(page, { product: 'Cà phê Robusta quả tươi', kg: '75', lot: 'RETRY-01' });
    await waitUntilAllSent(page);
    expect(keys).to.have.length(2);
    expect(keys[0]).to.match(/^[0-9a-f-]{36}$/).and.equal(keys[1]);
    expect(await farmerBatches('RETRY-01')).to.have.length(1);
    await context.close();
  });

  it('when the server no longer accepts the login token, then queued entries wait for the farmer to log in again and are sent once', async function () {
    if (missing) return this.skip();
    const { context, page } = await loggedIn();
    await page.evaluate(() => {
      const key = 'farm-trace-console-session';
      const session = JSON.parse(localStorage.getItem(key)!) as { token: string };
      localStorage.setItem(key, JSON.stringify({ ...session, token: `${session.token.split('.').slice(0, 2).join('.')}.revoked` }));
    });
    await page.reload();
    await recordHarvest(page, { product: 'Cà phê Robusta quả tươi', kg: '55', lot: 'AUTH-2611-01' });
    await page.waitForSelector('text=Phiên đăng nhập đã hết hạn');
    expect(await farmerBatches('AUTH-2611-01')).to.deep.equal([]);
    await page.click('main a:has-text("Đăng nhập")');
    expect(await page.inputValue('#email')).to.equal('farmer@demo.test');
    await page.fill('#password', 'demo-password');
    await page.click('button[type=submit]');
    await page.waitForSelector('h1:has-text("Hôm nay bạn muốn ghi gì?")');
    await waitUntilAllSent(page);
    expect(await farmerBatches('AUTH-2611-01')).to.have.length(1);
    await context.close();
  });

  it('when the console was opened once, then it opens again with no connection and keeps the farmer logged in', async function () {
    if (missing) return this.skip();
    const { context, page, errors } = await loggedIn();
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
    });
    await context.setOffline(true);
    await page.goto(`${cb.base}/console?lang=vi`);
    await page.waitForSelector('h1:has-text("Hôm nay bạn muốn ghi gì?")');
    expect(await page.isVisible('text=Đang ngoại tuyến')).to.equal(true);
    expect(await page.textContent('#plots')).to.contain('Rẫy Ea Tóh 1');
    await screenshot(page, 'offline-start');
    expect(errors).to.deep.equal([]);
    await context.close();
  });

  it('when the farmer switches to English, then the console speaks English and remembers it in the address', async function () {
    if (missing) return this.skip();
    const { context, page } = await loggedIn();
    await page.click('button:has-text("English")');
    await page.waitForSelector('h1:has-text("What would you like to record?")');
    expect(await page.getAttribute('html', 'lang')).to.equal('en');
    expect(new URL(page.url()).searchParams.get('lang')).to.equal('en');
    await page.reload();
    await page.waitForSelector('h1:has-text("What would you like to record?")');
    await screenshot(page, 'home-english');
    await context.close();
  });

  it('when axe-core checks each screen, then it finds no serious or critical accessibility violation', async function () {
    if (missing) return this.skip();
    // The console's CSP forbids inline scripts, axe's own included; the test context lets it in.
    const found: string[] = [];
    const check = async (page: Page, screen: string) => {
      await page.waitForSelector('h1');
      found.push(...(await seriousViolations(page)).map((v) => `${screen} ${v}`));
    };
    const anonymous = await cb.browser.newContext({ ...PHONE, bypassCSP: true });
    const loginPage = await anonymous.newPage();
    await loginPage.goto(`${cb.base}/console`);
    await check(loginPage, 'login');
    await screenshot(loginPage, 'login');
    await anonymous.close();
    const { context, page } = await loggedIn({ bypassCSP: true });
    for (const screen of ['#/', '#/plot', '#/harvest', '#/step', '#/sync']) {
      await page.goto(`${cb.base}/console${screen}`);
      await check(page, screen);
    }
    expect(found).to.deep.equal([]);
    await context.close();
  });
});
