import path from 'node:path';
import { expect } from 'chai';
import type { BrowserContext, Page } from 'playwright-core';
import sharp from 'sharp';
import request from 'supertest';
import { DEMO_FARMER_PIN, DEMO_PUBLISHED_LOTS } from '../../seeds/demo.js';
import { withCheckDigit } from '../src/domain/gs1/keys.js';
import { chromiumMissingReason } from './support/chromium.js';
import { coopBrowserSuite } from './support/coop-browser.js';
import type { Harness } from './support/harness.js';
import { seededStrings, TextChecker, vietnameseCatalogue, visibleTexts } from './support/vietnamese-catalogue.js';

/**
 * The catalogue walk: every screen of the farmer console, the cooperative office and the public
 * pages, in Vietnamese, at 360 px and 1280 px, error states included, must show only words from
 * the Vietnamese message tables (plus codes, numbers, dates and the seeded records' own data).
 *
 * To walk a new screen, add a step to FARMER, OFFICE or PUBLIC: a name and how to get there
 * (the page is already logged in for the console areas); the walk checks and photographs it.
 */
const WIDTHS = [360, 1280] as const;
const DEMO_PASSWORD = 'demo-password';
/** The demo household already has a lot of this product with this number: the server refuses a second one (409, naming `lotNumber`). */
const TAKEN_LOT = 'ETO-2511-01';
const PRODUCT = 'Cà phê Robusta quả tươi';
/** A member farmer's name the office types into the walk's new login: user data, like the seeded records'. */
const NEW_FARMER = 'Y Khiêm Niê';
const BOWTIE = { type: 'Polygon', coordinates: [[[108.38, 13.05], [108.381, 13.051], [108.381, 13.05], [108.38, 13.051], [108.38, 13.05]]] };

interface Walk {
  base: string;
  h: Harness;
  context: BrowserContext;
  /** The demo data a step needs (a published lot, a product), looked up once. */
  demo: { lotId: string; gtin: string; productId: string; photo: Buffer };
}

interface Screen {
  name: string;
  /** Brings `page` to the screen and waits until what it shows has loaded. */
  open(page: Page, walk: Walk): Promise<void>;
}

const settled = async (page: Page) => {
  await page.waitForLoadState('networkidle');
  await page.waitForFunction(() => !document.querySelector('[aria-busy="true"]'), undefined, { timeout: 15_000 }).catch(() => undefined);
};

/** All <details> opened, so what they fold away is walked too. */
const unfolded = async (page: Page) => {
  await page.evaluate(() => document.querySelectorAll('details').forEach((d) => (d.open = true)));
};

const consoleAt = (hash: string, heading?: string): Screen['open'] => async (page, { base }) => {
  // The same address again would keep the screen as it was left (a wizard's later step): reload it.
  if (page.url() === `${base}/console#${hash}`) await page.reload();
  else await page.goto(`${base}/console#${hash}`);
  if (heading) await page.waitForSelector(`h1:has-text("${heading}")`);
  await settled(page);
};

/** The harvest wizard's second step (quantity and lot number) with `quantity` typed and its reading shown under the field. */
const harvestQuantity = (quantity: string, refused: boolean): Screen['open'] => async (page, walk) => {
  await consoleAt('/harvest', 'Ghi thu hoạch')(page, walk);
  await page.fill('#harvest-product', PRODUCT);
  await page.click('button:has-text("Tiếp")');
  await page.fill('#harvest-quantity', quantity);
  await page.waitForSelector(refused ? '#harvest-quantity-reading.error:not(:empty)' : '#harvest-quantity-reading:not(.error):not(:empty)');
};

/** The farmer's phone: every screen, refused input, a plot that crosses itself, a refused write with its fix, an offline write. */
const FARMER: Screen[] = [
  { name: 'farmer-home', open: consoleAt('/', 'Hôm nay bạn muốn ghi gì?') },
  { name: 'farmer-plot-walk', open: consoleAt('/plot', 'Đăng ký thửa đất') },
  {
    name: 'farmer-plot-point-too-large',
    async open(page, walk) {
      await consoleAt('/plot', 'Đăng ký thửa đất')(page, walk);
      await page.click('button:has-text("Một điểm")');
      await page.fill('#plot-lat', '13.0466');
      await page.fill('#plot-lon', '108.3866');
      await page.fill('#plot-declared', '9');
    },
  },
  {
    name: 'farmer-plot-crosses-itself',
    async open(page, walk) {
      await consoleAt('/plot', 'Đăng ký thửa đất')(page, walk);
      await page.click('button:has-text("Dán GeoJSON")');
      await page.fill('#plot-geojson', JSON.stringify(BOWTIE));
      await page.waitForSelector('#plot-area .error');
    },
  },
  {
    name: 'farmer-harvest-lot-number-refused',
    async open(page, walk) {
      await consoleAt('/harvest', 'Ghi thu hoạch')(page, walk);
      await page.fill('#harvest-product', 'Cà phê Robusta quả tươi');
      await page.click('button:has-text("Tiếp")');
      await page.fill('#harvest-quantity', '12');
      await page.fill('#harvest-lot', 'LÔ MỘT');
      await page.waitForSelector('#harvest-lot ~ p.error');
    },
  },
  // `1.250` is one thousand two hundred and fifty in Vietnamese: read back in words under the field.
  { name: 'farmer-harvest-quantity-words', open: harvestQuantity('1.250', false) },
  // `1,250.5` is the English way: refused, with the reason under the field.
  { name: 'farmer-harvest-quantity-refused', open: harvestQuantity('1,250.5', true) },
  {
    name: 'farmer-harvest-confirm',
    async open(page, walk) {
      await harvestQuantity('1.250', false)(page, walk);
      await page.fill('#harvest-lot', 'CAT-2611-01');
      await page.click('button:has-text("Tiếp")');
      await page.waitForSelector('button:has-text("Lưu lô thu hoạch")');
    },
  },
  { name: 'farmer-step', open: consoleAt('/step', 'Thêm công đoạn') },
  {
    name: 'farmer-harvest-just-refused',
    async open(page, walk) {
      // The household's demo lot number again, with a photo: the server refuses the lot (409), the photo waits on it.
      await recordHarvest(page, walk, TAKEN_LOT, walk.demo.photo);
      await page.waitForSelector('#saved-state[data-state=refused]');
    },
  },
  {
    name: 'farmer-home-refused',
    async open(page, walk) {
      await page.goto(`${walk.base}/console`);
      await page.waitForSelector('#refused-banner');
      await settled(page);
    },
  },
  {
    name: 'farmer-sync-refused',
    async open(page) {
      await page.click('#refused-banner a');
      await page.waitForSelector('#outbox li[data-status=refused]');
      await page.waitForSelector('#outbox li[data-status=held]');
    },
  },
  {
    name: 'farmer-fix-refused',
    async open(page) {
      await page.click('#outbox li[data-status=refused] a:has-text("Sửa và gửi lại")');
      await page.waitForSelector('#harvest-lot-reason');
    },
  },
  {
    name: 'farmer-fix-discard-confirm',
    async open(page) {
      await page.click('button:has-text("Bỏ mục này")');
      await page.waitForSelector('.confirm');
    },
  },
  {
    name: 'farmer-step-fix-refused',
    async open(page, walk) {
      await page.click('button:has-text("Bỏ hẳn")');
      await page.waitForSelector('text=Chưa có mục nào.');
      // The phone offers only lots the household holds; a lot the cooperative took over while the phone
      // was offline is refused when the step is sent. That answer (the server's own problem for a step
      // on a lot handed on) stands in here for the hand-over.
      const steps = '**/api/v1/batches/*/steps';
      await page.route(steps, (route) =>
        route.request().method() === 'POST'
          ? route.fulfill({
              status: 403,
              contentType: 'application/problem+json',
              body: JSON.stringify({ type: '/problems/forbidden', title: 'Not allowed', status: 403, detail: 'Only the organization holding this lot records steps on it.', code: 'not-lot-custodian' }),
            })
          : route.continue(),
      );
      await recordHarvest(page, walk, 'PIC-2611-01');
      await page.waitForSelector('#saved-state[data-state=synced]');
      await page.goto(`${walk.base}/console#/step`);
      const lot = await page.locator('#step-batch option', { hasText: 'PIC-2611-01' }).getAttribute('value');
      await page.selectOption('#step-batch', lot!);
      await page.fill('#step-notes', 'phơi giàn');
      await page.click('button:has-text("Lưu công đoạn")');
      await page.waitForSelector('#saved-state[data-state=refused]');
      await page.unroute(steps);
      await page.click('#saved-state a');
      await page.waitForSelector('#refusal');
    },
  },
  {
    name: 'farmer-photo-fix',
    async open(page, walk) {
      await page.click('button:has-text("Bỏ mục này")');
      await page.click('button:has-text("Bỏ hẳn")');
      // The sync list keeps the lot sent before the step; the discarded step is gone from it.
      await page.waitForSelector('#outbox');
      await page.waitForFunction(() => !document.querySelector('#outbox li[data-status=refused]'));
      // A file saved under a .jpg name that is no image, on a step of the household's own new lot: the server refuses the photo, which reopens on its own.
      await page.goto(`${walk.base}/console#/step`);
      const lot = await page.locator('#step-batch option', { hasText: 'PIC-2611-01' }).getAttribute('value');
      await page.selectOption('#step-batch', lot!);
      await page.fill('#step-notes', 'phơi giàn');
      await page.setInputFiles('#step-photo', { name: 'phoi.jpg', mimeType: 'image/jpeg', buffer: Buffer.from('not an image') });
      await page.click('button:has-text("Lưu công đoạn")');
      await page.waitForSelector('#saved-state[data-state=refused]');
      await page.click('#saved-state a');
      await page.waitForSelector('#fix-photo-reason');
    },
  },
  {
    name: 'farmer-sync-offline',
    async open(page, walk) {
      await walk.context.setOffline(true);
      await recordHarvest(page, walk, 'OFF-2611-01');
      await page.goto(`${walk.base}/console#/step`);
      await page.selectOption('#step-type', 'drying');
      await page.fill('#step-notes', 'phơi trên sân xi măng');
      await page.click('button:has-text("Lưu công đoạn")');
      await page.waitForSelector('#saved-state[data-state]');
      await page.goto(`${walk.base}/console#/sync`);
      await page.waitForSelector('#outbox li[data-status=queued]');
    },
  },
];

/** The cooperative office: every section, a lot and a product in detail, a refused form, an export with skipped items. */
const OFFICE: Screen[] = [
  { name: 'office-overview', open: consoleAt('/coop', 'Hôm nay ở hợp tác xã') },
  { name: 'office-members', open: consoleAt('/coop/members') },
  {
    name: 'office-farmer-login-easy-pin',
    async open(page, walk) {
      await consoleAt('/coop/members')(page, walk);
      await page.fill('#login-name', NEW_FARMER);
      await page.fill('#login-phone', '0987 654 321');
      await page.fill('#login-pin', '123456');
      await page.click('#farmer-login button[type=submit]');
      await page.waitForSelector('#login-pin-refused');
    },
  },
  {
    name: 'office-farmer-login-created',
    async open(page) {
      await page.fill('#login-pin', '730518');
      await page.click('#farmer-login button[type=submit]');
      await page.waitForSelector('#farmer-login .ok');
      await settled(page);
    },
  },
  {
    name: 'office-pin-reset-refused',
    async open(page) {
      await page.click(`#farmers-table tr:has-text("${NEW_FARMER}") button`);
      await page.fill('#new-pin', '111111');
      await page.click('#pin-reset button[type=submit]');
      await page.waitForSelector('#new-pin-refused');
    },
  },
  {
    name: 'office-pin-reset-done',
    async open(page) {
      await page.fill('#new-pin', '640279');
      await page.click('#pin-reset button[type=submit]');
      await page.waitForSelector('#pin-reset .ok');
    },
  },
  { name: 'office-lots', open: consoleAt('/coop/lots') },
  { name: 'office-lot', open: async (page, walk) => consoleAt(`/coop/lots/${encodeURIComponent(walk.demo.lotId)}`)(page, walk) },
  { name: 'office-merge', open: consoleAt('/coop/merge') },
  { name: 'office-products', open: consoleAt('/coop/products') },
  { name: 'office-product', open: async (page, walk) => consoleAt(`/coop/products/${encodeURIComponent(walk.demo.productId)}`)(page, walk) },
  {
    name: 'office-product-refused',
    async open(page, walk) {
      await consoleAt('/coop/products')(page, walk);
      await page.fill('#new-gtin', walk.demo.gtin);
      await page.fill('#new-nameVi', 'Cà phê trùng mã');
      await page.fill('#new-descriptionVi', 'Cùng mã GTIN với một sản phẩm đã có.');
      await page.click('#create-product button[type=submit]');
      await page.waitForSelector('#create-product .error[role=alert]');
    },
  },
  {
    name: 'office-exports-skipped',
    async open(page, walk) {
      await consoleAt('/coop/exports')(page, walk);
      const checks = page.locator('button:has-text("Kiểm tra")');
      for (let i = 0; i < (await checks.count()); i++) await checks.nth(i).click();
      await page.waitForSelector('table.skipped');
      await settled(page);
    },
  },
];

/** The public pages a buyer reaches by scanning: a lot, its product, its plots and places, and codes that lead nowhere. */
const PUBLIC: Screen[] = [
  { name: 'public-landing', open: async (page, { base }) => void (await page.goto(`${base}/`)) },
  // Each demo lot's page: the first screen, the journey, and the technical details unfolded.
  ...DEMO_PUBLISHED_LOTS.map(({ gtin, lotNumber }): Screen => ({
    name: `public-lot-${lotNumber}`,
    async open(page, { base }) {
      await page.goto(`${base}/01/${gtin}/10/${encodeURIComponent(lotNumber)}`);
      await page.waitForSelector('details.technical');
      await unfolded(page);
    },
  })),
  { name: 'public-product', open: async (page, { base, demo }) => void (await page.goto(`${base}/01/${demo.gtin}`)) },
  // The demo's GLNs (seeds/demo.ts): the cooperative's location, a growing area with its plot page.
  { name: 'public-location', open: async (page, { base }) => void (await page.goto(`${base}/414/${withCheckDigit('893612340001')}`)) },
  { name: 'public-plot', open: async (page, { base }) => void (await page.goto(`${base}/414/${withCheckDigit('893612340101')}`)) },
  { name: 'public-not-registered', open: async (page, { base, demo }) => void (await page.goto(`${base}/01/${demo.gtin}/10/KHONG-CO-404`)) },
  { name: 'public-not-found', open: async (page, { base }) => void (await page.goto(`${base}/l/ZZZZZZZZZZ`)) },
  { name: 'public-bad-code', open: async (page, { base }) => void (await page.goto(`${base}/01/12345670`)) },
];

async function recordHarvest(page: Page, walk: Walk, lot: string, photo?: Buffer): Promise<void> {
  await page.goto(`${walk.base}/console#/harvest`);
  await page.waitForSelector('text=Bước 1/3');
  await page.fill('#harvest-product', PRODUCT);
  await page.click('button:has-text("Tiếp")');
  await page.fill('#harvest-quantity', '10');
  await page.fill('#harvest-lot', lot);
  await page.click('button:has-text("Tiếp")');
  if (photo) await page.setInputFiles('#harvest-photo', { name: 'thu-hoach.jpg', mimeType: 'image/jpeg', buffer: photo });
  await page.click('button:has-text("Lưu lô thu hoạch")');
  await page.waitForSelector('#saved-state[data-state]');
}

describe('the Vietnamese catalogue checker', () => {
  it('when a screen shows English server text, a raw vocabulary code or a number read in other words, then the checker refuses it; catalogue text, sentences with values, readings of numbers and seeded data (holding separators too) pass', async () => {
    const checker = new TextChecker(await vietnameseCatalogue(), new Set(['Hộ ông Y Bhim Êban', 'Rẫy Phú Lộc (đồi)', '128 Phan Bội Châu, Buôn Ma Thuột', 'Đắk Lắk']));
    const english = ['Email or password is wrong.', '409 Conflict: a lot with this GTIN and lot number already exists', 'no image', 'coffee-robusta', 'drying'];
    // A number's reading counts only when its words are the Vietnamese reading of its digits.
    const wrongReadings = ['1.250 kg = one thousand two hundred and fifty kilograms', '1.250 kg = một trăm hai mươi lăm ki-lô-gam', 'Rẫy Phú Lộc (núi)', '128 Phan Bội Châu, Hà Nội'];
    for (const text of [...english, ...wrongReadings]) {
      expect(checker.allowed(text), text).to.equal(false);
    }
    const readings = ['1.250 kg = một nghìn hai trăm năm mươi ki-lô-gam', '1,05 kg = một phẩy không năm ki-lô-gam', '0 = không', '24 nhãn = hai mươi bốn nhãn'];
    const joined = ['2. Rẫy Phú Lộc (đồi)', 'Cấp bởi Hộ ông Y Bhim Êban · Rẫy Phú Lộc (đồi)', '128 Phan Bội Châu, Buôn Ma Thuột, Đắk Lắk'];
    for (const vietnamese of [...readings, ...joined, 'Email hoặc mật khẩu không đúng.', 'Quá nhiều lần thử. Hãy thử lại sau 42 giây.', 'Hộ ông Y Bhim Êban', 'Lô KN-2611-A1', 'Cà phê Robusta · 1.250 kg', '12/07/2026', 'Mật khẩu: Cần ít nhất 12 ký tự.']) {
      expect(checker.allowed(vietnamese), vietnamese).to.equal(true);
    }
  });
});

describe('the Vietnamese catalogue walk', function () {
  this.timeout(300_000);
  const missing = chromiumMissingReason();
  const cb = coopBrowserSuite('catalogue', { clean: true });
  let checker: TextChecker;
  let demo: Walk['demo'];
  /** Text not from the catalogue, by screen and width. */
  const offending: string[] = [];
  const walked: string[] = [];

  before(async function () {
    if (missing) return this.skip();

    const coop = await cb.h.login('coop@demo.test');
    // A product without an image or a price: the exports skip it, and the report says why.
    await request(cb.h.app).post('/api/v1/products').set('Authorization', coop).send({ gtin: '08936123450991', name: { vi: 'Cà phê chưa có ảnh' }, description: { vi: 'Chưa có ảnh và giá.' } }).expect(201);
    const lots = (await request(cb.h.app).get('/api/v1/batches?limit=500').set('Authorization', coop).expect(200)).body.items as Array<{ id: string; published: boolean; digitalLink: string }>;
    const products = (await request(cb.h.app).get('/api/v1/products?limit=500').set('Authorization', coop).expect(200)).body.items as Array<{ id: string; gtin: string }>;
    const published = lots.find((l) => l.published)!;
    const gtin = /\/01\/(\d{14})\//.exec(new URL(published.digitalLink).pathname)![1]!;
    const product = products.find((p) => p.gtin === gtin)!;
    const photo = await sharp({ create: { width: 320, height: 240, channels: 3, background: { r: 120, g: 90, b: 60 } } }).jpeg().toBuffer();
    demo = { lotId: published.id, gtin, productId: product.id, photo };
    const catalogue = await vietnameseCatalogue();
    expect(catalogue.tables.length, catalogue.tables.join(', ')).to.be.greaterThan(5);
    checker = new TextChecker(catalogue, new Set([...seededStrings(path.join(cb.h.dir, 'trace.db')), NEW_FARMER]));
  });

  /** Checks what `page` shows at each width, photographs it, and notes any text not from the catalogue. */
  async function check(page: Page, name: string): Promise<void> {
    for (const width of WIDTHS) {
      await page.setViewportSize({ width, height: width === 360 ? 740 : 800 });
      await cb.screenshot(page, `${name}-${width}`);
      const texts = await visibleTexts(page);
      for (const text of new Set(texts)) if (!checker.allowed(text)) offending.push(`${name} @${width}px: ${JSON.stringify(text)}`);
    }
    walked.push(name);
  }

  /** Logs in with a wrong secret first (its error walked as `<name>-login-refused`), then the right one. */
  async function logIn(page: Page, name: string, how: { phone: string; pin: string } | { email: string; password: string }): Promise<void> {
    await page.goto(`${cb.base}/console`);
    await page.waitForSelector('#login-method-phone');
    const [user, secret, wrong, right] = 'phone' in how ? ['#phone', '#pin', '582047', how.pin] : ['#email', '#password', 'not-the-password', how.password];
    if ('email' in how) await page.check('#login-method-email');
    await page.fill(user, 'phone' in how ? how.phone : how.email);
    await page.fill(secret, wrong);
    await page.click('button[type=submit]');
    await page.waitForSelector('form .error[role=alert]');
    await check(page, `${name}-login-refused`);
    await page.fill(secret, right);
    await page.click('button[type=submit]');
    await page.waitForSelector('#content h1:not(:has-text("Đăng nhập"))');
    await settled(page);
  }

  async function walkArea(screens: Screen[], login: { name: string; how: Parameters<typeof logIn>[2] } | null): Promise<void> {
    const context = await cb.browser.newContext({ viewport: { width: 360, height: 740 }, locale: 'vi-VN', hasTouch: true });
    const page = await context.newPage();
    if (login) await logIn(page, login.name, login.how);
    const walk: Walk = { base: cb.base, h: cb.h, context, demo };
    for (const screen of screens) {
      await screen.open(page, walk);
      await check(page, screen.name);
    }
    await context.close();
  }

  it(missing ? `when Chromium is missing, then the catalogue walk is skipped (${missing})` : 'when the farmer’s phone walks every console screen in Vietnamese (phone and PIN login, number readings, refusals and their fixes), errors included, then every text is from the catalogue', async function () {
    if (missing) return this.skip();
    const context = await cb.browser.newContext({ viewport: { width: 360, height: 740 }, locale: 'vi-VN' });
    const page = await context.newPage();
    await page.goto(`${cb.base}/console`);
    // Phone and PIN is the farmer's first way in; email is the other choice.
    await page.waitForSelector('#phone');
    await check(page, 'farmer-login');
    await page.check('#login-method-email');
    await page.waitForSelector('#email');
    await check(page, 'farmer-login-email');
    await context.close();
    await walkArea(FARMER, { name: 'farmer', how: { phone: '0912 345 678', pin: DEMO_FARMER_PIN } });
    expect(offending, `text not from the Vietnamese catalogue:\n${offending.join('\n')}`).to.deep.equal([]);
  });

  it('when the cooperative office walks every section in Vietnamese, a refused form and an export with skipped items included, then every text is from the catalogue', async function () {
    if (missing) return this.skip();
    offending.length = 0;
    await walkArea(OFFICE, { name: 'coop', how: { email: 'coop@demo.test', password: DEMO_PASSWORD } });
    expect(offending, `text not from the Vietnamese catalogue:\n${offending.join('\n')}`).to.deep.equal([]);
  });

  it('when a buyer opens the landing page and the public pages in Vietnamese, each demo lot with its details unfolded, codes that lead nowhere included, then every text is from the catalogue', async function () {
    if (missing) return this.skip();
    offending.length = 0;
    await walkArea(PUBLIC, null);
    expect(offending, `text not from the Vietnamese catalogue:\n${offending.join('\n')}`).to.deep.equal([]);
    console.log(`      walked: ${walked.join(', ')}`);
  });
});
