import { mkdirSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import request from 'supertest';
import { withCheckDigit } from '../src/domain/gs1/keys.js';
import { chromiumMissingReason, launchChromium } from './support/chromium.js';
import { startHarness, type Harness } from './support/harness.js';
import { seededStrings, TextChecker, vietnameseCatalogue, visibleTexts } from './support/vietnamese-catalogue.js';

/**
 * The catalogue walk: every screen of the farmer console, the cooperative office and the public
 * pages, in Vietnamese, at 360 px and 1280 px, error states included, must show only words from
 * the Vietnamese message tables (plus codes, numbers, dates and the seeded records' own data).
 *
 * To walk a new screen, add a step to FARMER, OFFICE or PUBLIC: a name and how to get there
 * (the page is already logged in for the console areas); the walk checks and photographs it.
 */
const ARTIFACTS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../test-artifacts/catalogue');
const WIDTHS = [360, 1280] as const;
const DEMO_PASSWORD = 'demo-password';
const BOWTIE = { type: 'Polygon', coordinates: [[[108.38, 13.05], [108.381, 13.051], [108.381, 13.05], [108.38, 13.051], [108.38, 13.05]]] };

interface Walk {
  base: string;
  h: Harness;
  context: BrowserContext;
  /** The demo data a step needs (a published lot, a product), looked up once. */
  demo: { lotLink: string; lotId: string; gtin: string; productId: string };
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

const consoleAt = (hash: string, heading?: string): Screen['open'] => async (page, { base }) => {
  await page.goto(`${base}/console#${hash}`);
  if (heading) await page.waitForSelector(`h1:has-text("${heading}")`);
  await settled(page);
};

/** The farmer's phone: every screen, a refused lot number, a plot that crosses itself, a refused and an offline write. */
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
  { name: 'farmer-step', open: consoleAt('/step', 'Thêm công đoạn') },
  {
    name: 'farmer-sync-refused',
    async open(page, walk) {
      // The household's demo lot number again: the server refuses it (409, a duplicate lot number).
      await recordHarvest(page, walk, 'ETO-2511-01');
      await page.goto(`${walk.base}/console#/sync`);
      await page.waitForSelector('#outbox li[data-status=failed] p.error');
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
      await page.waitForSelector('text=Đã lưu công đoạn');
      await page.goto(`${walk.base}/console#/sync`);
      await page.waitForSelector('#outbox li[data-status=queued]');
    },
  },
];

/** The cooperative office: every section, a lot and a product in detail, a refused form, an export with skipped items. */
const OFFICE: Screen[] = [
  { name: 'office-overview', open: consoleAt('/coop', 'Hôm nay ở hợp tác xã') },
  { name: 'office-members', open: consoleAt('/coop/members') },
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
  { name: 'public-lot', open: async (page, { demo }) => void (await page.goto(demo.lotLink)) },
  { name: 'public-product', open: async (page, { base, demo }) => void (await page.goto(`${base}/01/${demo.gtin}`)) },
  // The demo's GLNs (seeds/demo.ts): the cooperative's location, a growing area with its plot page.
  { name: 'public-location', open: async (page, { base }) => void (await page.goto(`${base}/414/${withCheckDigit('893612340001')}`)) },
  { name: 'public-plot', open: async (page, { base }) => void (await page.goto(`${base}/414/${withCheckDigit('893612340101')}`)) },
  { name: 'public-not-registered', open: async (page, { base, demo }) => void (await page.goto(`${base}/01/${demo.gtin}/10/KHONG-CO-404`)) },
  { name: 'public-not-found', open: async (page, { base }) => void (await page.goto(`${base}/l/ZZZZZZZZZZ`)) },
  { name: 'public-bad-code', open: async (page, { base }) => void (await page.goto(`${base}/01/12345670`)) },
];

async function recordHarvest(page: Page, walk: Walk, lot: string): Promise<void> {
  await page.goto(`${walk.base}/console#/harvest`);
  await page.waitForSelector('text=Bước 1/3');
  await page.fill('#harvest-product', 'Cà phê Robusta quả tươi');
  await page.click('button:has-text("Tiếp")');
  await page.fill('#harvest-quantity', '10');
  await page.fill('#harvest-lot', lot);
  await page.click('button:has-text("Tiếp")');
  await page.click('button:has-text("Lưu lô thu hoạch")');
  await page.waitForSelector('text=Đã lưu lô thu hoạch');
}

describe('the Vietnamese catalogue checker', () => {
  it('when a screen shows English server text or a raw vocabulary code, then the checker refuses it; catalogue text, sentences with values and seeded data pass', async () => {
    const checker = new TextChecker(await vietnameseCatalogue(), new Set(['Hộ ông Y Bhim Êban']));
    for (const english of ['Email or password is wrong.', '409 Conflict: a lot with this GTIN and lot number already exists', 'no image', 'coffee-robusta', 'drying']) {
      expect(checker.allowed(english), english).to.equal(false);
    }
    for (const vietnamese of ['Email hoặc mật khẩu không đúng.', 'Quá nhiều lần thử. Hãy thử lại sau 42 giây.', 'Hộ ông Y Bhim Êban', 'Lô KN-2611-A1', 'Cà phê Robusta · 1.250 kg', '12/07/2026', 'Mật khẩu: Cần ít nhất 12 ký tự.']) {
      expect(checker.allowed(vietnamese), vietnamese).to.equal(true);
    }
  });
});

describe('the Vietnamese catalogue walk', function () {
  this.timeout(300_000);
  const missing = chromiumMissingReason();
  let h: Harness;
  let server: Server;
  let browser: Browser;
  let base: string;
  let checker: TextChecker;
  let demo: Walk['demo'];
  /** Text not from the catalogue, by screen and width. */
  const offending: string[] = [];
  const walked: string[] = [];

  before(async function () {
    if (missing) return this.skip();
    h = await startHarness({ seed: true, env: { LOGIN_RATE_LIMIT: '100' } });
    server = h.app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await launchChromium();
    rmSync(ARTIFACTS, { recursive: true, force: true });
    mkdirSync(ARTIFACTS, { recursive: true });

    const coop = await h.login('coop@demo.test');
    // A product without an image or a price: the exports skip it, and the report says why.
    await request(h.app).post('/api/v1/products').set('Authorization', coop).send({ gtin: '08936123450991', name: { vi: 'Cà phê chưa có ảnh' }, description: { vi: 'Chưa có ảnh và giá.' } }).expect(201);
    const lots = (await request(h.app).get('/api/v1/batches?limit=500').set('Authorization', coop).expect(200)).body.items as Array<{ id: string; published: boolean; digitalLink: string }>;
    const products = (await request(h.app).get('/api/v1/products?limit=500').set('Authorization', coop).expect(200)).body.items as Array<{ id: string; gtin: string }>;
    const published = lots.find((l) => l.published)!;
    const lotPath = new URL(published.digitalLink).pathname;
    const gtin = /^\/01\/(\d{14})\//.exec(lotPath)![1]!;
    const product = products.find((p) => p.gtin === gtin)!;
    demo = { lotLink: `${base}${lotPath}`, lotId: published.id, gtin, productId: product.id };
    const catalogue = await vietnameseCatalogue();
    expect(catalogue.tables.length, catalogue.tables.join(', ')).to.be.greaterThan(5);
    checker = new TextChecker(catalogue, seededStrings(path.join(h.dir, 'trace.db')));
  });

  after(async () => {
    await browser?.close();
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
    await h?.close();
  });

  /** Checks what `page` shows at each width, photographs it, and notes any text not from the catalogue. */
  async function check(page: Page, name: string): Promise<void> {
    for (const width of WIDTHS) {
      await page.setViewportSize({ width, height: width === 360 ? 740 : 800 });
      await page.screenshot({ path: path.join(ARTIFACTS, `${name}-${width}.png`), fullPage: true });
      const texts = await visibleTexts(page);
      for (const text of new Set(texts)) if (!checker.allowed(text)) offending.push(`${name} @${width}px: ${JSON.stringify(text)}`);
    }
    walked.push(name);
  }

  async function walkArea(screens: Screen[], login: string | null): Promise<void> {
    const context = await browser.newContext({ viewport: { width: 360, height: 740 }, locale: 'vi-VN', hasTouch: true });
    const page = await context.newPage();
    if (login) {
      await page.goto(`${base}/console`);
      await page.fill('#email', login);
      await page.fill('#password', 'not-the-password');
      await page.click('button[type=submit]');
      await page.waitForSelector('form .error[role=alert]');
      await check(page, `${login.split('@')[0]}-login-refused`);
      await page.fill('#password', DEMO_PASSWORD);
      await page.click('button[type=submit]');
      await page.waitForSelector('h1');
      await settled(page);
    }
    const walk: Walk = { base, h, context, demo };
    for (const screen of screens) {
      await screen.open(page, walk);
      await check(page, screen.name);
    }
    await context.close();
  }

  it(missing ? `when Chromium is missing, then the catalogue walk is skipped (${missing})` : 'when the farmer’s phone walks every console screen in Vietnamese, errors included, then every text is from the catalogue', async function () {
    if (missing) return this.skip();
    const context = await browser.newContext({ viewport: { width: 360, height: 740 }, locale: 'vi-VN' });
    const page = await context.newPage();
    await page.goto(`${base}/console`);
    await page.waitForSelector('#email');
    await check(page, 'farmer-login');
    await context.close();
    await walkArea(FARMER, 'farmer@demo.test');
    expect(offending, `text not from the Vietnamese catalogue:\n${offending.join('\n')}`).to.deep.equal([]);
  });

  it('when the cooperative office walks every section in Vietnamese, a refused form and an export with skipped items included, then every text is from the catalogue', async function () {
    if (missing) return this.skip();
    offending.length = 0;
    await walkArea(OFFICE, 'coop@demo.test');
    expect(offending, `text not from the Vietnamese catalogue:\n${offending.join('\n')}`).to.deep.equal([]);
  });

  it('when a buyer opens the public pages in Vietnamese, codes that lead nowhere included, then every text is from the catalogue', async function () {
    if (missing) return this.skip();
    offending.length = 0;
    await walkArea(PUBLIC, null);
    expect(offending, `text not from the Vietnamese catalogue:\n${offending.join('\n')}`).to.deep.equal([]);
    console.log(`      walked: ${walked.join(', ')}`);
  });
});
