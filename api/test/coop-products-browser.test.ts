import { expect } from 'chai';
import type { BrowserContext, Page } from 'playwright-core';
import sharp from 'sharp';
import request from 'supertest';
import { withCheckDigit } from '../src/domain/gs1/keys.js';
import { chromiumMissingReason } from './support/chromium.js';
import { startCoopBrowser, TABLET, type CoopBrowser } from './support/coop-browser.js';

interface ApiProduct {
  id: string;
  gtin: string;
  stock: number;
  priceVnd: number | null;
  batchIds: string[];
  brand: string | null;
  images: Array<{ url: string }>;
}
interface ApiReadiness {
  marketplaces: Record<string, { ready: boolean; gaps: Array<{ code: string }> }>;
}

const NEW_GTIN = withCheckDigit('0893612345777');
const WRONG_GTIN = `${NEW_GTIN.slice(0, -1)}${(Number(NEW_GTIN.at(-1)) + 1) % 10}`;

describe('the cooperative’s products and listings in a real browser', function () {
  const missing = chromiumMissingReason();
  let cb: CoopBrowser;
  let admin: string;
  let context: BrowserContext;
  let page: Page;
  let errors: string[];
  let createdId: string;

  const api = async <T>(path: string): Promise<T> => (await request(cb.h.app).get(path).set('Authorization', admin).expect(200)).body as T;
  const products = async () => (await api<{ items: ApiProduct[] }>('/api/v1/products?limit=500')).items;
  const listingsOf = async (productId: string) =>
    (await api<{ items: Array<{ id: string; productId: string; marketplace: string }> }>('/api/v1/listings?limit=500')).items.filter((l) => l.productId === productId);
  const openProduct = async (p: Page, id: string) => {
    await p.goto(`${cb.base}/console#/coop/products/${id}`);
    await p.waitForSelector('#product-details');
    await p.waitForSelector('main p[aria-busy="true"]', { state: 'detached' });
  };
  /** Screenshots at 1280 and 768 px, checking the page itself never scrolls sideways. */
  const shoot = async (p: Page, name: string) => {
    for (const { width, height } of [{ width: 1280, height: 800 }, TABLET.viewport]) {
      await p.setViewportSize({ width, height });
      expect(await p.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth), `${name} at ${width} px fits`).to.equal(true);
      await cb.screenshot(p, `${name}-${width}`);
    }
    await p.setViewportSize({ width: 1280, height: 800 });
  };

  before(async function () {
    if (missing) return this.skip();
    cb = await startCoopBrowser();
    admin = await cb.h.login('coop@demo.test');
    ({ context, page, errors } = await cb.loggedIn());
  });

  after(async () => {
    await context?.close();
    await cb?.close();
  });

  it(missing ? `when Chromium is missing, then the products screens' browser checks are skipped (${missing})` : 'when the cooperative opens its products, then the table lists exactly the API’s products with their readiness', async function () {
    await cb.open(page, 'products', 'Sản phẩm của hợp tác xã');
    await page.waitForSelector('#products-table');
    const listed = await products();
    const rows = await page.$$eval('#products-table tbody tr', (trs) => trs.map((tr) => ({ id: tr.getAttribute('data-product-id'), readiness: tr.querySelector('.readiness')?.textContent })));
    expect(rows.map((r) => r.id)).to.deep.equal(listed.map((p) => p.id));
    for (const row of rows) {
      const readiness = await api<ApiReadiness>(`/api/v1/products/${row.id}/readiness`);
      const reports = Object.values(readiness.marketplaces);
      expect(row.readiness).to.equal(`Sẵn sàng cho ${reports.filter((r) => r.ready).length}/${reports.length} sàn`);
    }
    await shoot(page, 'products');
    expect(errors).to.deep.equal([]);
  });

  it('when the GTIN’s check digit is wrong, then the form shows the field error and creates nothing', async function () {
    const before = (await products()).length;
    await cb.open(page, 'products', 'Sản phẩm của hợp tác xã');
    await page.fill('#new-gtin', WRONG_GTIN);
    await page.fill('#new-nameVi', 'Cà phê thử nghiệm');
    await page.fill('#new-descriptionVi', 'Mô tả thử nghiệm');
    await page.click('#create-product button[type=submit]');
    const error = await page.waitForSelector('#new-gtin-error');
    expect(await error.textContent()).to.equal(`Số kiểm tra sai: chữ số cuối phải là ${NEW_GTIN.at(-1)}.`);
    expect(await page.getAttribute('#new-gtin', 'aria-invalid')).to.equal('true');
    expect(await page.evaluate(() => document.activeElement?.id)).to.equal('new-gtin');
    expect((await products()).length).to.equal(before);
  });

  it('when the form is filled in with two lots, then the product is created with them and joins the table', async function () {
    const lots = await page.$$eval('#create-product .lot-choices input[type=checkbox]', (inputs) => inputs.map((i) => (i as HTMLInputElement).value));
    const chosen = lots.slice(0, 2);
    expect(chosen).to.have.length(2);
    await page.fill('#new-gtin', NEW_GTIN);
    await page.fill('#new-nameEn', 'Trial ground coffee 250 g');
    await page.fill('#new-brand', 'HTX Krông Năng');
    await page.fill('#new-stock', '80');
    await page.fill('#new-priceVnd', '95000');
    await page.selectOption('#new-ocopStars', '3');
    await page.fill('#new-netWeightValue', '250');
    for (const id of chosen) await page.check(`#create-product input[value="${id}"]`);
    await page.click('#create-product button[type=submit]');
    await page.waitForSelector('[role=status] .ok:has-text("Đã tạo sản phẩm")');
    const created = (await products()).find((p) => p.gtin === NEW_GTIN.padStart(14, '0'));
    expect(created, 'the API lists the new product').to.not.equal(undefined);
    createdId = created!.id;
    expect(created!.batchIds).to.have.members(chosen);
    expect(created).to.include({ stock: 80, priceVnd: 95000 });
    await page.waitForSelector(`#products-table tr[data-product-id="${createdId}"]`);
    expect(await page.textContent(`#products-table tr[data-product-id="${createdId}"]`)).to.include('95.000').and.include('3 sao');
  });

  it('when stock and price are edited and the brand is emptied on the product, then the change persists and the brand is removed', async function () {
    await openProduct(page, createdId);
    expect(await page.inputValue('#edit-brand')).to.equal('HTX Krông Năng');
    await page.fill('#edit-stock', '64');
    await page.fill('#edit-priceVnd', '99000');
    await page.fill('#edit-brand', '');
    await page.click('#edit-product button[type=submit]');
    await page.waitForSelector('#edit-product [role=status] .ok');
    expect(await api<ApiProduct>(`/api/v1/products/${createdId}`)).to.include({ stock: 64, priceVnd: 99000, brand: null });
    await page.waitForSelector('#product-price:has-text("99.000")');
    expect(await page.textContent('#product-stock')).to.equal('64');
  });

  it('when a square photo is uploaded, then its rendition shows and the API lists the image', async function () {
    const photo = await sharp({ create: { width: 600, height: 600, channels: 3, background: { r: 120, g: 80, b: 40 } } }).png().toBuffer();
    await openProduct(page, createdId);
    await page.setInputFiles('#image-files', { name: 'goi-ca-phe.png', mimeType: 'image/png', buffer: photo });
    await page.click('#upload-images button[type=submit]');
    await page.waitForSelector('#product-images img');
    const [image] = (await api<ApiProduct>(`/api/v1/products/${createdId}`)).images;
    expect(image, 'the API lists the photo').to.not.equal(undefined);
    const shown = await page.$eval('#product-images img', (img) => new URL((img as HTMLImageElement).src).pathname);
    expect(shown).to.equal(new URL(image!.url).pathname);
    await page.waitForFunction(() => {
      const img = document.querySelector<HTMLImageElement>('#product-images img');
      return img?.complete && img.naturalWidth > 0;
    });
  });

  it('when a listing is added and then removed, then the API has it and then no longer', async function () {
    await openProduct(page, createdId);
    await page.selectOption('#listing-marketplace', 'lazada');
    await page.fill('#listing-url', 'https://www.lazada.vn/products/ca-phe-thu-nghiem-i100.html');
    await page.fill('#listing-category', '10001234');
    await page.fill('#listing-price', '99000');
    await page.click('#add-listing button[type=submit]');
    await page.waitForSelector('#listings-table th:has-text("Lazada")');
    const [listing] = await listingsOf(createdId);
    expect(listing).to.include({ marketplace: 'lazada' });
    await shoot(page, 'product');
    page.once('dialog', (dialog) => void dialog.accept());
    await page.click(`#listings-table tr[data-listing-id="${listing!.id}"] button`);
    await page.waitForSelector('text=Đã gỡ gian hàng Lazada.');
    await page.waitForSelector('#listings-table', { state: 'detached' });
    expect(await listingsOf(createdId)).to.deep.equal([]);
  });

  it('when a product is open, then its readiness checklist says what the API says, in Vietnamese', async function () {
    for (const product of await products()) {
      await openProduct(page, product.id);
      const readiness = await api<ApiReadiness>(`/api/v1/products/${product.id}/readiness`);
      const shown = await page.$$eval('#readiness > li', (items) =>
        items.map((li) => ({ marketplace: li.getAttribute('data-marketplace'), ready: li.getAttribute('data-ready') === 'true', gaps: Array.from(li.querySelectorAll('[data-gap]'), (g) => g.getAttribute('data-gap')) })),
      );
      expect(shown).to.deep.equal(Object.entries(readiness.marketplaces).map(([marketplace, r]) => ({ marketplace, ready: r.ready, gaps: r.gaps.map((g) => g.code) })));
    }
    await openProduct(page, createdId);
    expect(await page.textContent('#readiness')).to.include('gian hàng trên sàn này, kèm mã ngành hàng cấp cuối');
    expect(await page.getAttribute('#digital-link', 'href')).to.match(/\/01\/\d{14}$/);
    expect(errors).to.deep.equal([]);
  });

  it('when another cooperative opens its products, then it sees none of these', async function () {
    const other = await cb.loggedIn({ email: 'other-coop@demo.test' });
    await cb.open(other.page, 'products', 'Sản phẩm của hợp tác xã');
    await other.page.waitForSelector('#products-table, #create-product');
    const theirs = await other.page.$$eval('#products-table tbody tr', (trs) => trs.map((tr) => tr.getAttribute('data-product-id')));
    const ours = (await products()).map((p) => p.id);
    expect(theirs.filter((id) => ours.includes(id!))).to.deep.equal([]);
    await other.page.goto(`${cb.base}/console#/coop/products/${createdId}`);
    await other.page.waitForSelector('[role=alert]:has-text("Không tìm thấy.")');
    await other.context.close();
  });

  it('when axe checks both screens in Vietnamese and the catalog in English, then there are no serious or critical violations', async function () {
    const checked = await cb.loggedIn({ bypassCSP: true });
    const screens: Array<[string, string]> = [
      ['/console#/coop/products', '#products-table'],
      [`/console#/coop/products/${createdId}`, '#product-details'],
      [`/console?lang=en#/coop/products`, 'h1:has-text("The cooperative’s products")'],
    ];
    for (const [address, ready] of screens) {
      await checked.page.goto(`${cb.base}${address}`);
      await checked.page.waitForSelector(ready);
      expect(await cb.seriousViolations(checked.page), address).to.deep.equal([]);
    }
    expect(checked.errors).to.deep.equal([]);
    await checked.context.close();
  });
});
