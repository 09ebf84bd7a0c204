import { createHash } from 'node:crypto';
import { expect } from 'chai';
import type { Browser, BrowserContext, Page, Route } from 'playwright-core';
import sharp from 'sharp';
import request from 'supertest';
import { chromiumMissingReason } from './support/chromium.js';
import { coopBrowserSuite, DESKTOP, PHONE, seriousViolations } from './support/coop-browser.js';

/**
 * The farmer console's outbox, as the farmer sees it: what the banners say while a write is on
 * the phone, sent or refused; a refused write reopened in its form with the server's reason under
 * the field it names, corrected and sent again as a new request, or discarded; the writes held on
 * it; and transient failures retried under the same Idempotency-Key.
 */
const ALL_SENT = 'Mọi thứ đã được gửi.';
const SAVED = '#saved-state[data-state]';
/** The demo household already has a lot of this product with this number: the server refuses a second one (409, naming `lotNumber`). */
const TAKEN_LOT = 'ETO-2511-01';
const PRODUCT = 'Cà phê Robusta quả tươi';

interface ApiBatch {
  id: string;
  lotNumber: string;
  plotIds: string[];
  quantity: { value: number; unit: string };
  harvestedAt: string | null;
}

describe('the farmer console’s outbox in a real browser', function () {
  this.timeout(60_000);
  const missing = chromiumMissingReason();
  const cb = coopBrowserSuite('outbox', { clean: true });
  let farmer: string;
  let photo: Buffer;

  before(async function () {
    if (missing) return this.skip();
    farmer = await cb.h.login('farmer@demo.test');
    photo = await sharp({ create: { width: 320, height: 240, channels: 3, background: { r: 120, g: 90, b: 60 } } }).jpeg().toBuffer();
  });

  const screenshots = (page: Page, name: string) => cb.screenshots(page, name);

  /** A phone-sized context with the console open and the demo farmer logged in through the form. */
  function loggedIn(options: Parameters<Browser['newContext']>[0] = {}, setUp?: (context: BrowserContext) => Promise<void>): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
    return cb.loggedIn({ ...PHONE, ...options, email: 'farmer@demo.test', ready: '#content h1:not(:has-text("Đăng nhập")):not(:has-text("Log in"))', setUp });
  }

  async function recordHarvest(page: Page, input: { plot?: string; kg: string; lot: string; photo?: Buffer; next?: string; save?: string }): Promise<void> {
    const next = input.next ?? 'Tiếp';
    await page.goto(`${cb.base}/console#/harvest`);
    await page.waitForSelector('#harvest-product');
    if (input.plot) await page.getByLabel(input.plot).check();
    await page.fill('#harvest-product', PRODUCT);
    await page.click(`button:has-text("${next}")`);
    await page.fill('#harvest-quantity', input.kg);
    await page.fill('#harvest-lot', input.lot);
    await page.click(`button:has-text("${next}")`);
    if (input.photo) await page.setInputFiles('#harvest-photo', { name: 'thu-hoach.jpg', mimeType: 'image/jpeg', buffer: input.photo });
    await page.click(`button:has-text("${input.save ?? 'Lưu lô thu hoạch'}")`);
    await page.waitForSelector(SAVED);
  }

  async function syncStateIs(page: Page, text: string): Promise<void> {
    if (!page.url().endsWith('#/sync')) await page.goto(`${cb.base}/console#/sync`);
    try {
      await page.waitForFunction((t) => document.getElementById('sync-state')?.textContent === t, text, { timeout: 30_000 });
    } catch (error) {
      throw new Error(`the sync screen never said "${text}": ${await page.textContent('main')}`, { cause: error });
    }
  }

  /** Records the Idempotency-Key of every POST to `pattern`, passing the requests on (or answering some itself). */
  async function keysOf(page: Page, pattern: string, answer?: (attempt: number, route: Route) => Promise<boolean>): Promise<string[]> {
    const keys: string[] = [];
    await page.route(pattern, async (route) => {
      if (route.request().method() !== 'POST') return route.continue();
      keys.push(route.request().headers()['idempotency-key'] ?? '');
      if (answer && (await answer(keys.length, route))) return;
      await route.continue();
    });
    return keys;
  }

  async function farmerBatches(lotNumber: string): Promise<ApiBatch[]> {
    const res = await request(cb.h.app).get('/api/v1/batches?limit=500').set('Authorization', farmer).expect(200);
    return (res.body.items as ApiBatch[]).filter((b) => b.lotNumber === lotNumber);
  }

  async function stepsOf(batchId: string): Promise<string> {
    return JSON.stringify((await request(cb.h.app).get(`/api/v1/batches/${batchId}/steps`).set('Authorization', farmer).expect(200)).body);
  }

  it(missing ? `when Chromium is missing, then the outbox's browser checks are skipped (${missing})` : 'when the server refuses a harvest’s lot number, then the home is not green, the lot opens in its form with the reason under the lot number, and the corrected lot is stored under a new Idempotency-Key with its photo', async function () {
    if (missing) return this.skip();
    const { context, page, errors } = await loggedIn();
    const keys = await keysOf(page, '**/api/v1/batches');
    await recordHarvest(page, { kg: '640', lot: TAKEN_LOT, photo });
    await page.waitForSelector('#saved-state[data-state=refused]');
    expect(await page.textContent('#saved-state')).to.contain('Lô thu hoạch — Bị từ chối: cần bạn xem lại');
    expect(await page.getAttribute('#saved-state', 'class')).to.equal('error');
    expect(await page.locator('main .ok').count(), 'no green banner').to.equal(0);
    // The confirmation already says it and links to the form: no second banner repeats it.
    expect(await page.locator('#refused-banner').count()).to.equal(0);
    await screenshots(page, 'home-just-refused');
    // Opened later, the home counts what is refused.
    await page.reload();
    await page.waitForSelector('#refused-banner');
    expect(await page.textContent('#refused-banner')).to.equal('1 mục bị từ chối: cần bạn xem lại. Xem lại và sửa');
    expect(await page.locator('main .ok').count(), 'no green banner').to.equal(0);
    expect(await page.textContent('#sync-summary')).to.contain('1 mục bị từ chối: cần bạn xem lại; 1 mục chờ sửa mục bị từ chối.');
    expect(await page.textContent('#batches li:has-text("640 kg")')).to.contain('Bị từ chối: cần bạn xem lại');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).to.be.at.most(360);
    await screenshots(page, 'home-refused');

    await page.click('#refused-banner a');
    await page.waitForSelector('#outbox li[data-status=refused]');
    expect(await page.textContent('#outbox li[data-status=refused]')).to.contain('Số lô (không bắt buộc): Giá trị này đã được dùng.');
    expect(await page.textContent('#outbox li[data-status=held]')).to.contain('Sẽ được gửi khi mục “Lô thu hoạch” bị từ chối được sửa và gửi đi.');
    await screenshots(page, 'sync-refused');

    await page.click('#outbox li[data-status=refused] a:has-text("Sửa và gửi lại")');
    await page.waitForSelector('#harvest-lot-reason');
    expect(await page.textContent('main')).to.contain('Bước 2/3');
    expect(await page.inputValue('#harvest-lot')).to.equal(TAKEN_LOT);
    expect(await page.inputValue('#harvest-quantity')).to.equal('640');
    expect(await page.textContent('#harvest-lot-reason')).to.equal('Giá trị này đã được dùng.');
    expect(await page.getAttribute('#harvest-lot', 'aria-describedby')).to.equal('harvest-lot-reason');
    expect(await page.textContent('#refusal')).to.contain('Lý do ghi ngay dưới ô cần sửa.').and.contain('Đang chờ mục này và sẽ được gửi sau nó: Ảnh.');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).to.be.at.most(360);
    await screenshots(page, 'harvest-fix');

    await page.fill('#harvest-lot', 'FIX-2611-01');
    await page.click('button:has-text("Tiếp")');
    expect(await page.isVisible('#harvest-photo')).to.equal(false);
    await page.click('button:has-text("Gửi lại")');
    await page.waitForSelector(SAVED);
    await page.waitForSelector('#saved-state[data-state=synced]');
    expect(await page.textContent('#saved-state')).to.equal('Lô thu hoạch — Đã gửi');
    expect(await page.getAttribute('#saved-state', 'class')).to.equal('ok');
    expect(await page.locator('#refused-banner').count()).to.equal(0);
    await screenshots(page, 'home-corrected');
    await syncStateIs(page, ALL_SENT);

    const [batch, ...others] = await farmerBatches('FIX-2611-01');
    expect(others).to.deep.equal([]);
    expect(batch!.quantity).to.deep.equal({ value: 640, unit: 'kg' });
    expect(await farmerBatches(TAKEN_LOT)).to.have.length(1);
    expect(await stepsOf(batch!.id)).to.contain(createHash('sha256').update(photo).digest('hex'));
    // The refused request was never sent again under its key; the correction was a new request.
    expect(keys).to.have.length(2);
    expect(keys[0]).to.match(/^[0-9a-f-]{36}$/);
    expect(keys[1]).to.match(/^[0-9a-f-]{36}$/).and.not.equal(keys[0]);
    expect(errors).to.deep.equal([]);
    await context.close();
  });

  it('when the phone’s clock runs days ahead, then the server’s refusal of the harvest date shows under the date in English, and the corrected date is stored', async function () {
    if (missing) return this.skip();
    const today = new Date().toISOString().slice(0, 10);
    const { context, page, errors } = await loggedIn({ viewport: DESKTOP.viewport, isMobile: false, locale: 'en-GB' }, (c) => c.clock.install({ time: Date.now() + 3 * 86_400_000 }));
    await page.click('button:has-text("English")');
    await page.waitForSelector('h1:has-text("What would you like to record?")');
    const keys = await keysOf(page, '**/api/v1/batches');
    await recordHarvest(page, { kg: '75', lot: 'CLK-2611-01', next: 'Next', save: 'Save the harvest lot' });
    await page.waitForSelector('#saved-state[data-state=refused]');
    expect(await page.textContent('#saved-state')).to.contain('Harvest lot — Refused: needs your attention');
    expect(await page.getAttribute('#saved-state', 'class')).to.equal('error');
    expect(await page.textContent('#saved-state a')).to.equal('Fix and send again');
    await page.reload();
    await page.waitForSelector('#refused-banner');
    expect(await page.textContent('#refused-banner')).to.equal('1 entry refused: needs your attention. Review and fix');
    await page.click('#refused-banner a');
    expect(await page.textContent('#outbox li[data-status=refused]')).to.contain('Harvest date: The time cannot be in the future.');
    await page.click('#outbox li[data-status=refused] a:has-text("Fix and send again")');
    await page.waitForSelector('#harvest-date-reason');
    expect(await page.textContent('#harvest-date-reason')).to.equal('The time cannot be in the future.');
    await cb.screenshot(page, 'harvest-fix-date-en-1280');
    await page.fill('#harvest-date', today);
    await page.click('button:has-text("Next")');
    await page.click('button:has-text("Send again")');
    await page.waitForSelector('#saved-state[data-state=synced]');
    expect(await page.textContent('#saved-state')).to.equal('Harvest lot — Sent');
    const [batch, ...others] = await farmerBatches('CLK-2611-01');
    expect(others).to.deep.equal([]);
    expect(batch!.harvestedAt).to.equal(today);
    expect(keys).to.have.length(2);
    expect(keys[1]).to.not.equal(keys[0]);
    expect(errors).to.deep.equal([]);
    await context.close();
  });

  it('when a refused lot is discarded after the confirmation, then nothing is written and the outbox is empty', async function () {
    if (missing) return this.skip();
    const { context, page, errors } = await loggedIn();
    await recordHarvest(page, { kg: '12', lot: TAKEN_LOT, photo });
    await page.waitForSelector('#saved-state[data-state=refused]');
    await page.click('#saved-state a');
    await page.waitForSelector('#refusal');
    await page.click('button:has-text("Bỏ mục này")');
    expect(await page.textContent('.confirm')).to.contain('Bỏ mục này? Nó sẽ không được gửi, cả 1 mục đang chờ nó cũng vậy. Không thể hoàn tác.');
    expect(await page.evaluate(() => document.activeElement?.textContent)).to.equal('Giữ lại');
    await screenshots(page, 'discard-confirm');
    // "Keep it" keeps it.
    await page.click('button:has-text("Giữ lại")');
    expect(await page.isVisible('#refusal')).to.equal(true);
    await page.click('button:has-text("Bỏ mục này")');
    await page.click('button:has-text("Bỏ hẳn")');
    await page.waitForSelector('text=Chưa có mục nào.');
    expect(await page.textContent('#sync-state')).to.equal(ALL_SENT);
    await page.goto(`${cb.base}/console`);
    await page.waitForSelector('#sync-summary');
    expect(await page.locator('#refused-banner').count()).to.equal(0);
    const [only, ...others] = await farmerBatches(TAKEN_LOT);
    expect(others).to.deep.equal([]);
    expect(await stepsOf(only!.id)).to.not.contain(createHash('sha256').update(photo).digest('hex'));
    expect(errors).to.deep.equal([]);
    await context.close();
  });

  it('when a plot registered offline is refused, then the lot recorded on it waits, and once the corrected plot is sent the lot follows with the plot’s real id', async function () {
    if (missing) return this.skip();
    const { context, page, errors } = await loggedIn();
    // Stands in for a refusal the phone cannot foresee, naming the plot's name; the second attempt reaches the server.
    const keys = await keysOf(page, '**/api/v1/plots', async (attempt, route) => {
      if (attempt > 1) return false;
      const problem = { type: '/problems/validation-error', title: 'The request is not valid', status: 400, detail: 'name: already used by another plot of this household', code: 'validation-failed', errors: [{ path: 'name', code: 'duplicate', message: 'already used by another plot of this household' }] };
      await route.fulfill({ status: 400, contentType: 'application/problem+json', body: JSON.stringify(problem) });
      return true;
    });
    await context.setOffline(true);
    await page.goto(`${cb.base}/console#/plot`);
    await page.fill('#plot-name', 'Rẫy trùng tên');
    await page.click('button:has-text("Một điểm")');
    await page.fill('#plot-lat', '13,0477777');
    await page.fill('#plot-lon', '108,3877777');
    await page.fill('#plot-declared', '0,6');
    await page.click('button:has-text("Lưu thửa đất")');
    await page.waitForSelector(SAVED);
    await recordHarvest(page, { plot: 'Rẫy trùng tên', kg: '33', lot: 'DEP-2611-02' });
    expect(await page.textContent('#saved-state')).to.equal('Lô thu hoạch — Đã lưu trên điện thoại, chưa gửi');
    await context.setOffline(false);
    await syncStateIs(page, '1 mục bị từ chối: cần bạn xem lại; 1 mục chờ sửa mục bị từ chối.');
    expect(await farmerBatches('DEP-2611-02')).to.deep.equal([]);

    await page.click('#outbox li[data-status=refused] a');
    await page.waitForSelector('#plot-name-reason');
    expect(await page.inputValue('#plot-name')).to.equal('Rẫy trùng tên');
    expect(await page.textContent('#plot-area')).to.contain('Diện tích: 0,6 ha');
    expect(await page.textContent('#plot-name-reason')).to.equal('Giá trị này đã được dùng.');
    await screenshots(page, 'plot-fix');
    await page.fill('#plot-name', 'Rẫy đã đổi tên');
    await page.click('button:has-text("Gửi lại")');
    await page.waitForSelector('#saved-state[data-state=synced]');
    expect(await page.textContent('#saved-state')).to.equal('Thửa đất — Đã gửi');
    await syncStateIs(page, ALL_SENT);

    const plots = ((await request(cb.h.app).get('/api/v1/plots?limit=500').set('Authorization', farmer).expect(200)).body.items as Array<{ id: string; name: string }>).filter((p) => p.name.startsWith('Rẫy') && p.name.includes('tên'));
    expect(plots.map((p) => p.name)).to.deep.equal(['Rẫy đã đổi tên']);
    const batches = await farmerBatches('DEP-2611-02');
    expect(batches.map((b) => b.plotIds)).to.deep.equal([[plots[0]!.id]]);
    expect(keys).to.have.length(2);
    expect(keys[1]).to.not.equal(keys[0]);
    expect(errors).to.deep.equal([]);
    await context.close();
  });

  it('when the server refuses a step’s photo as not an image, then the photo opens on its own with the reason, and another photo is attached to that step', async function () {
    if (missing) return this.skip();
    const { context, page, errors } = await loggedIn();
    await recordHarvest(page, { kg: '90', lot: 'PIC-2611-01' });
    const keys = await keysOf(page, '**/api/v1/batches/*/steps/*/media');
    await page.goto(`${cb.base}/console#/step`);
    await page.selectOption('#step-batch', await page.$eval('#step-batch', (select) => Array.from((select as HTMLSelectElement).options).find((o) => o.text.endsWith(' · PIC-2611-01'))!.value));
    await page.fill('#step-notes', 'phơi giàn');
    // A file the camera app saved under a .jpg name that is no image at all.
    await page.setInputFiles('#step-photo', { name: 'phoi.jpg', mimeType: 'image/jpeg', buffer: Buffer.from('not an image, whatever its name says') });
    await page.click('button:has-text("Lưu công đoạn")');
    await page.waitForSelector('#saved-state[data-state=refused]');
    expect(await page.textContent('#saved-state')).to.contain('Ảnh — Bị từ chối: cần bạn xem lại');
    await page.click('#saved-state a');
    await page.waitForSelector('#fix-photo-reason');
    expect(await page.textContent('h1')).to.equal('Gửi lại ảnh');
    expect(await page.textContent('#fix-photo-reason')).to.equal('Loại tệp này không được nhận. Hãy dùng ảnh JPEG, PNG hoặc WebP.');
    expect(await page.textContent('main')).to.contain('Ảnh đã chọn: phoi.jpg');
    await screenshots(page, 'photo-fix');
    await page.setInputFiles('#fix-photo', { name: 'phoi-2.jpg', mimeType: 'image/jpeg', buffer: photo });
    await page.click('button:has-text("Gửi lại")');
    await page.waitForSelector('#saved-state[data-state=synced]');
    expect(await page.textContent('#saved-state')).to.equal('Ảnh — Đã gửi');

    const [batch] = await farmerBatches('PIC-2611-01');
    const steps = (await request(cb.h.app).get(`/api/v1/batches/${batch!.id}/steps`).set('Authorization', farmer).expect(200)).body.items as Array<{ id: string; type: string; event: unknown }>;
    const drying = steps.find((step) => step.type === 'drying');
    const withPhoto = steps.filter((step) => JSON.stringify(step.event).includes(createHash('sha256').update(photo).digest('hex')));
    expect(withPhoto).to.have.length(1);
    expect(JSON.stringify(withPhoto[0]!.event)).to.contain(drying!.id);
    expect(keys).to.have.length(2);
    expect(keys[1]).to.not.equal(keys[0]);
    expect(errors).to.deep.equal([]);
    await context.close();
  });

  it('when the phone is offline, then the confirmation says saved on this phone, not sent yet, and back online it says sent', async function () {
    if (missing) return this.skip();
    const { context, page, errors } = await loggedIn();
    await context.setOffline(true);
    await recordHarvest(page, { kg: '210', lot: 'OFF-2611-09' });
    expect(await page.textContent('#saved-state')).to.equal('Lô thu hoạch — Đã lưu trên điện thoại, chưa gửi');
    expect(await page.getAttribute('#saved-state', 'class')).to.equal('note');
    expect(await page.textContent('#batches li:has-text("OFF-2611-09")')).to.contain('Đã lưu trên điện thoại, chưa gửi');
    expect(await page.textContent('#sync-summary')).to.contain('1 mục đã lưu trên điện thoại, chưa gửi.');
    await screenshots(page, 'home-offline');
    expect(await farmerBatches('OFF-2611-09')).to.deep.equal([]);

    await context.setOffline(false);
    await page.waitForSelector('#saved-state[data-state=synced]', { timeout: 30_000 });
    expect(await page.textContent('#saved-state')).to.equal('Lô thu hoạch — Đã gửi');
    expect(await page.getAttribute('#saved-state', 'class')).to.equal('ok');
    await screenshots(page, 'home-sent');
    expect(await farmerBatches('OFF-2611-09')).to.have.length(1);
    expect(errors).to.deep.equal([]);
    await context.close();
  });

  for (const status of [408, 429, 503]) {
    it(`when the server answers ${status} once, then the lot stays queued rather than refused, and the retry carries the same Idempotency-Key`, async function () {
      if (missing) return this.skip();
      const { context, page } = await loggedIn();
      const keys = await keysOf(page, '**/api/v1/batches', async (attempt, route) => {
        if (attempt > 1) return false;
        await route.fulfill({ status, contentType: 'application/problem+json', body: JSON.stringify({ type: 'about:blank', title: 'Try later', status, detail: '' }) });
        return true;
      });
      await recordHarvest(page, { kg: '5', lot: `TMP-${status}` });
      await syncStateIs(page, ALL_SENT);
      expect(await page.locator('#outbox li').evaluateAll((items) => items.map((li) => li.getAttribute('data-status')))).to.deep.equal(['synced']);
      expect(await farmerBatches(`TMP-${status}`)).to.have.length(1);
      expect(keys).to.have.length(2);
      expect(keys[1]).to.equal(keys[0]);
      await context.close();
    });
  }

  it('when the console opens on a phone whose outbox was kept by the previous version, then its failed entries come back as refused and held, and can be discarded from the sync list', async function () {
    if (missing) return this.skip();
    const context = await cb.browser.newContext(PHONE);
    const page = await context.newPage();
    const userId = JSON.parse(Buffer.from(farmer.replace(/^Bearer /, '').split('.')[1]!, 'base64url').toString('utf8')).sub as string;
    // The previous version's database (version 1): a plot the server refused, and a lot on it marked failed because of it.
    await page.goto(`${cb.base}/console/manifest.webmanifest`);
    await page.evaluate(async (owner) => {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const open = indexedDB.open('farm-trace-console', 1);
        open.onupgradeneeded = () => {
          open.result.createObjectStore('outbox', { keyPath: 'seq', autoIncrement: true });
          open.result.createObjectStore('lists');
        };
        open.onsuccess = () => resolve(open.result);
        open.onerror = () => reject(open.error);
      });
      const plotId = 'local:11111111-1111-4111-8111-111111111111';
      const common = { owner, serverId: null, attempts: 1, recordedAt: new Date().toISOString() };
      const problem = { type: '/problems/validation-error', title: 'The request is not valid', status: 400, detail: 'name: too long', code: 'validation-failed', errors: [{ path: 'name', code: 'too-big', params: { origin: 'string', maximum: 100 }, message: 'too long' }] };
      const store = db.transaction('outbox', 'readwrite').objectStore('outbox');
      store.put({ ...common, kind: 'plot', path: '/api/v1/plots', json: { name: 'Rẫy cũ', crops: ['coffee-robusta'], geometry: { type: 'Point', coordinates: [108.39, 13.05] }, declaredAreaHa: 0.4 }, idempotencyKey: '22222222-2222-4222-8222-222222222222', localId: plotId, status: 'failed', lastError: { kind: 'problem', problem } });
      store.put({ ...common, kind: 'batch', path: '/api/v1/batches', json: { plotIds: [plotId], product: 'Hồ tiêu', harvestedAt: '2026-11-20', quantity: { value: 8, unit: 'kg' } }, idempotencyKey: '33333333-3333-4333-8333-333333333333', localId: 'local:44444444-4444-4444-8444-444444444444', status: 'failed', lastError: { kind: 'dependency' } });
      await new Promise((resolve) => (store.transaction.oncomplete = resolve));
      db.close();
    }, userId);
    await page.goto(`${cb.base}/console`);
    await page.check('#login-method-email');
    await page.fill('#email', 'farmer@demo.test');
    await page.fill('#password', 'demo-password');
    await page.click('button[type=submit]');
    await page.waitForSelector('#refused-banner');
    await syncStateIs(page, '1 mục bị từ chối: cần bạn xem lại; 1 mục chờ sửa mục bị từ chối.');
    await page.click('#outbox li[data-status=refused] a');
    expect(await page.textContent('#plot-name-reason')).to.equal('Tối đa 100 ký tự.');
    // Discarded from the sync list, the plot takes the lot held on it along.
    await page.goto(`${cb.base}/console#/sync`);
    await page.click('#outbox li[data-status=refused] button:has-text("Bỏ mục này")');
    expect(await page.textContent('#outbox .confirm')).to.contain('cả 1 mục đang chờ nó cũng vậy');
    await page.click('#outbox button:has-text("Bỏ hẳn")');
    await page.waitForSelector('text=Chưa có mục nào.');
    expect(await page.textContent('#sync-state')).to.equal(ALL_SENT);
    await context.close();
  });

  it('when axe-core checks the refused states, then it finds no serious or critical accessibility violation', async function () {
    if (missing) return this.skip();
    const found: string[] = [];
    const check = async (page: Page, screen: string) => {
      found.push(...(await seriousViolations(page)).map((v) => `${screen} ${v}`));
    };
    const { context, page } = await loggedIn({ bypassCSP: true });
    await recordHarvest(page, { kg: '7', lot: TAKEN_LOT, photo });
    await page.waitForSelector('#saved-state[data-state=refused]');
    await check(page, 'home just refused');
    await page.reload();
    await page.waitForSelector('#refused-banner');
    await check(page, 'home');
    await page.click('#refused-banner a');
    await page.waitForSelector('#outbox li[data-status=held]');
    await check(page, 'sync');
    await page.click('#outbox li[data-status=refused] a');
    await page.waitForSelector('#harvest-lot-reason');
    await check(page, 'harvest form');
    await page.click('button:has-text("Bỏ mục này")');
    await check(page, 'discard question');
    expect(found).to.deep.equal([]);
    await context.close();
  });
});
