import { expect } from 'chai';
import type { BrowserContext, Page } from 'playwright-core';
import request from 'supertest';
import { withCheckDigit } from '../src/domain/gs1/keys.js';
import { chromiumMissingReason } from './support/chromium.js';
import { startCoopBrowser, type CoopBrowser } from './support/coop-browser.js';

const PHONE = { viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };
const FARMER_HOME = 'Hôm nay bạn muốn ghi gì?';

interface ApiBatch {
  id: string;
  lotNumber: string;
  quantity: { value: number; unit: string };
}
interface ApiProduct {
  id: string;
  gtin: string;
  stock: number;
  priceVnd: number | null;
  netWeight: { value: number; unit: string } | null;
}

/** Reads the API until `read` finds what it looks for (an outbox entry is sent in the background). */
async function eventually<T>(read: () => Promise<T | undefined>): Promise<T> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const found = await read();
    if (found !== undefined) return found;
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
  throw new Error('the API never answered what the screen sent');
}

describe('numbers typed the Vietnamese or the English way, in a real browser', function () {
  this.timeout(90_000);
  const missing = chromiumMissingReason();
  let cb: CoopBrowser;
  let farmerAuth: string;
  let coopAuth: string;
  let farmer: { context: BrowserContext; page: Page; errors: string[] };
  let office: { context: BrowserContext; page: Page; errors: string[] };

  const apiGet = async <T>(auth: string, path: string): Promise<T> => (await request(cb.h.app).get(path).set('Authorization', auth).expect(200)).body as T;
  const farmerLot = (lotNumber: string) => async () => (await apiGet<{ items: ApiBatch[] }>(farmerAuth, '/api/v1/batches?limit=500')).items.find((b) => b.lotNumber === lotNumber);
  const products = async () => (await apiGet<{ items: ApiProduct[] }>(coopAuth, '/api/v1/products?limit=500')).items;
  const readingOf = (page: Page, id: string) => page.textContent(`#${id}-reading`);

  /** The harvest wizard up to its second screen, in `lang`, with `typed` in the quantity field. */
  async function typeHarvest(page: Page, lang: 'vi' | 'en', typed: string, lot: string): Promise<void> {
    await page.goto(`${cb.base}/console?lang=${lang}#/harvest`);
    await page.waitForSelector('#harvest-product');
    await page.click('form button.primary[type=submit]');
    await page.waitForSelector('#harvest-quantity');
    await page.fill('#harvest-quantity', typed);
    await page.fill('#harvest-lot', lot);
  }

  /** Past the check screen to saving; answers the check screen's quantity as shown. */
  async function confirmAndSave(page: Page): Promise<string | null> {
    await page.click('form button.primary[type=submit]');
    const shown = await (await page.waitForSelector('#harvest-confirm-quantity')).textContent();
    await page.click('form button.primary[type=button]');
    await page.waitForSelector('#harvest-confirm-quantity', { state: 'detached' });
    return shown;
  }

  before(async function () {
    if (missing) return this.skip();
    cb = await startCoopBrowser('numbers');
    farmerAuth = await cb.h.login('farmer@demo.test');
    coopAuth = await cb.h.login('coop@demo.test');
    farmer = await cb.loggedIn({ ...PHONE, email: 'farmer@demo.test', landing: FARMER_HOME });
    office = await cb.loggedIn();
  });

  after(async () => {
    await farmer?.context.close();
    await office?.context.close();
    await cb?.close();
  });

  const farmerCases: Array<{ lang: 'vi' | 'en'; typed: string; lot: string; stored: number; reading: string }> = [
    { lang: 'vi', typed: '1.250', lot: 'NUM-VI-1250', stored: 1250, reading: '1.250 kg = một nghìn hai trăm năm mươi ki-lô-gam' },
    { lang: 'vi', typed: '1.250,5', lot: 'NUM-VI-12505', stored: 1250.5, reading: '1.250,5 kg = một nghìn hai trăm năm mươi phẩy năm ki-lô-gam' },
    { lang: 'vi', typed: '0,5', lot: 'NUM-VI-05', stored: 0.5, reading: '0,5 kg = không phẩy năm ki-lô-gam' },
    { lang: 'en', typed: '1,250.5', lot: 'NUM-EN-12505', stored: 1250.5, reading: '1,250.5 kg = one thousand two hundred and fifty point five kilograms' },
  ];
  for (const { lang, typed, lot, stored, reading } of farmerCases) {
    it(
      missing
        ? `when Chromium is missing, then the number checks are skipped (${missing})`
        : `when a farmer types “${typed}” kg in ${lang} on a 360 px phone, then it is read back in words before saving and ${stored} kg is stored`,
      async function () {
        const { page } = farmer;
        await typeHarvest(page, lang, typed, lot);
        expect(await readingOf(page, 'harvest-quantity')).to.equal(reading);
        expect(await page.getAttribute('#harvest-quantity', 'inputmode')).to.equal('decimal');
        expect(await page.getAttribute('#harvest-quantity', 'type')).to.equal('text');
        await cb.screenshot(page, `harvest-${lang}-${lot}-360`);
        expect(await confirmAndSave(page)).to.equal(reading);
        const batch = await eventually(farmerLot(lot));
        expect(batch.quantity).to.deep.equal({ value: stored, unit: 'kg' });
      },
    );
  }

  it('when a farmer types “1,250.5” in Vietnamese, then it is refused with the Vietnamese way to write it and nothing can be saved', async function () {
    const { page, errors } = farmer;
    await typeHarvest(page, 'vi', '1,250.5', 'NUM-VI-REFUSED');
    expect(await readingOf(page, 'harvest-quantity')).to.equal(
      'Số này viết theo kiểu tiếng Anh. Tiếng Việt dùng dấu chấm để nhóm hàng nghìn và dấu phẩy trước phần thập phân: nếu ý bạn là 1.250,5, hãy nhập “1.250,5”.',
    );
    expect(await page.getAttribute('#harvest-quantity', 'aria-invalid')).to.equal('true');
    expect(await page.$eval('#harvest-quantity', (input) => (input as HTMLInputElement).validity.valid)).to.equal(false);
    expect(await page.isDisabled('form button.primary[type=submit]')).to.equal(true);
    await cb.screenshot(page, 'harvest-vi-refused-360');
    await page.fill('#harvest-quantity', '1.25.0');
    expect(await readingOf(page, 'harvest-quantity')).to.equal('Dấu chưa đúng chỗ: dấu chấm (.) nhóm từng ba chữ số hàng nghìn (1.250), dấu phẩy (,) đứng trước phần thập phân (1.250,5).');
    await page.fill('#harvest-quantity', '12 kg');
    expect(await readingOf(page, 'harvest-quantity')).to.equal('Chỉ nhập chữ số, dấu chấm (.) để nhóm hàng nghìn và dấu phẩy (,) trước phần thập phân.');
    expect(await page.isDisabled('form button.primary[type=submit]')).to.equal(true);
    expect(await farmerLot('NUM-VI-REFUSED')()).to.equal(undefined);
    expect(errors).to.deep.equal([]);
  });

  it('when a farmer types “1.250,5” in English, then it is refused in English with the English way to write it', async function () {
    const { page } = farmer;
    await typeHarvest(page, 'en', '1.250,5', 'NUM-EN-REFUSED');
    expect(await readingOf(page, 'harvest-quantity')).to.equal(
      'This number is written the Vietnamese way. English uses a comma to group thousands and a point before the decimals: if you mean 1,250.5, type “1,250.5”.',
    );
    expect(await page.isDisabled('form button.primary[type=submit]')).to.equal(true);
    await cb.screenshot(page, 'harvest-en-refused-360');
  });

  it('when a farmer gives bags and a point plot in Vietnamese, then the bag size, coordinates and area are read the Vietnamese way', async function () {
    const { page } = farmer;
    await typeHarvest(page, 'vi', '20', 'NUM-VI-BAGS');
    await page.selectOption('#harvest-unit', 'bag');
    await page.fill('#harvest-bag-kg', '62,5');
    expect(await readingOf(page, 'harvest-quantity')).to.equal('20 bao = hai mươi bao');
    expect(await readingOf(page, 'harvest-bag-kg')).to.equal('62,5 kg = sáu mươi hai phẩy năm ki-lô-gam');
    expect(await confirmAndSave(page)).to.equal('20 bao = hai mươi baoMỗi bao nặng (kg): 62,5 kg = sáu mươi hai phẩy năm ki-lô-gam');
    expect((await eventually(farmerLot('NUM-VI-BAGS'))).quantity).to.deep.equal({ value: 20, unit: 'bag', bagKg: 62.5 });

    await page.goto(`${cb.base}/console?lang=vi#/plot`);
    await page.fill('#plot-name', 'Rẫy số Việt');
    await page.click('.tabs button:nth-child(2)');
    await page.fill('#plot-lat', '13,0412345');
    await page.fill('#plot-lon', '108,3734567');
    await page.fill('#plot-declared', '1.5');
    expect(await readingOf(page, 'plot-declared')).to.contain('nếu ý bạn là 1,5');
    expect(await page.isDisabled('form button.primary[type=submit]')).to.equal(true);
    await page.fill('#plot-declared', '1,5');
    expect(await readingOf(page, 'plot-declared')).to.equal('1,5 ha = một phẩy năm héc-ta');
    expect(await readingOf(page, 'plot-lat')).to.equal('13,0412345° = mười ba phẩy không bốn một hai ba bốn năm độ');
    await cb.screenshot(page, 'plot-point-vi-360');
    await page.click('form button.primary[type=submit]');
    const plot = await eventually(async () =>
      (await apiGet<{ items: Array<{ name: string; geometry: unknown; declaredAreaHa: number | null }> }>(farmerAuth, '/api/v1/plots?limit=500')).items.find((p) => p.name === 'Rẫy số Việt'),
    );
    expect(plot.geometry).to.deep.equal({ type: 'Point', coordinates: [108.3734567, 13.0412345] });
    expect(plot.declaredAreaHa).to.equal(1.5);
  });

  it('when the office creates a product at 1280 px with “85.000” ₫, “1.250” in stock and “0,5” kg, then the API stores 85000, 1250 and 0.5', async function () {
    const { page, errors } = office;
    await cb.open(page, 'products', 'Sản phẩm của hợp tác xã');
    const gtin = withCheckDigit('0893612345123');
    await page.fill('#new-gtin', gtin);
    await page.fill('#new-nameVi', 'Cà phê thử số');
    await page.fill('#new-descriptionVi', 'Sản phẩm để thử cách đọc số');
    await page.fill('#new-stock', '1.250');
    await page.fill('#new-priceVnd', '85.000');
    await page.selectOption('#new-netWeightUnit', 'kg');
    await page.fill('#new-netWeightValue', '0,5');
    expect(await readingOf(page, 'new-priceVnd')).to.equal('85.000 ₫ = tám mươi lăm nghìn đồng');
    expect(await readingOf(page, 'new-stock')).to.equal('1.250 = một nghìn hai trăm năm mươi');
    expect(await readingOf(page, 'new-netWeightValue')).to.equal('0,5 kg = không phẩy năm ki-lô-gam');
    expect(await page.getAttribute('#new-priceVnd', 'inputmode')).to.equal('numeric');
    await cb.screenshot(page, 'product-create-vi-1280');
    await page.click('#create-product button[type=submit]');
    await page.waitForSelector('#create-product [role=status] .ok');
    const created = (await products()).find((p) => p.gtin === gtin.padStart(14, '0'));
    expect(created).to.deep.include({ stock: 1250, priceVnd: 85000, netWeight: { value: 0.5, unit: 'kg' } });

    // The edit form shows the stored numbers the Vietnamese way, and a listing's price is read the same way.
    await page.goto(`${cb.base}/console#/coop/products/${created!.id}`);
    await page.waitForSelector('#edit-priceVnd');
    expect(await page.inputValue('#edit-priceVnd')).to.equal('85.000');
    expect(await page.inputValue('#edit-netWeightValue')).to.equal('0,5');
    await page.fill('#listing-url', 'https://shopee.vn/ca-phe-thu-so-i.1.2');
    await page.fill('#listing-price', '85.000');
    expect(await readingOf(page, 'listing-price')).to.equal('85.000 ₫ = tám mươi lăm nghìn đồng');
    await page.click('#add-listing button[type=submit]');
    await page.waitForSelector('#listings-table');
    const listings = (await apiGet<{ items: Array<{ productId: string; priceVnd: number | null }> }>(coopAuth, '/api/v1/listings?limit=500')).items;
    expect(listings.filter((l) => l.productId === created!.id).map((l) => l.priceVnd)).to.deep.equal([85000]);
    expect(errors).to.deep.equal([]);
  });

  it('when the office types “1,250.5” kg in Vietnamese, then the field says why and the form is not sent', async function () {
    const { page } = office;
    const before = (await products()).length;
    await cb.open(page, 'products', 'Sản phẩm của hợp tác xã');
    await page.fill('#new-gtin', withCheckDigit('0893612345124'));
    await page.fill('#new-nameVi', 'Cà phê bị từ chối');
    await page.fill('#new-descriptionVi', 'Không được tạo');
    await page.fill('#new-netWeightValue', '1,250.5');
    expect(await readingOf(page, 'new-netWeightValue')).to.contain('nếu ý bạn là 1.250,5, hãy nhập “1.250,5”');
    await page.fill('#new-priceVnd', '85.000,5');
    expect(await readingOf(page, 'new-priceVnd')).to.equal('Ở đây chỉ nhập số nguyên, không có phần thập phân.');
    await page.click('#create-product button[type=submit]');
    expect(await page.$eval('#create-product', (form) => (form as HTMLFormElement).checkValidity())).to.equal(false);
    await cb.screenshot(page, 'product-refused-vi-1280');
    expect((await products()).length).to.equal(before);
  });

  it('when the office records a step with “1.250,5” kg in, then the lot’s history stores 1250.5 kg', async function () {
    const { page } = office;
    const lots = (await apiGet<{ items: Array<{ id: string; lotNumber: string }> }>(coopAuth, '/api/v1/batches?limit=500')).items;
    const lot = lots.find((l) => l.lotNumber === 'ETO-2511-01')!;
    await cb.open(page, `lots/${lot.id}`, 'ETO-2511-01');
    await page.selectOption('#step-type', 'sorting');
    await page.fill('#step-input-value', '1.250,5');
    await page.fill('#step-output-value', '1.200');
    expect(await readingOf(page, 'step-input-value')).to.equal('1.250,5 kg = một nghìn hai trăm năm mươi phẩy năm ki-lô-gam');
    await page.click('#step-form button[type=submit]');
    await page.waitForSelector('#step-form .ok');
    const steps = (await apiGet<{ items: Array<{ type: string; event: { inputQuantityList?: Array<{ quantity: number }>; outputQuantityList?: Array<{ quantity: number }> } }> }>(coopAuth, `/api/v1/batches/${lot.id}/steps`)).items;
    const sorting = steps.filter((s) => s.type === 'sorting').at(-1)!;
    expect(sorting.event.inputQuantityList?.[0]?.quantity).to.equal(1250.5);
    expect(sorting.event.outputQuantityList?.[0]?.quantity).to.equal(1200);
  });

  it('when the office works in English, then “1,250.5” g is stored as 1250.5 and “1.250,5” is refused in English', async function () {
    const { page, errors } = office;
    await cb.open(page, 'products', 'Products', '?lang=en');
    const gtin = withCheckDigit('0893612345125');
    await page.fill('#new-gtin', gtin);
    await page.fill('#new-nameVi', 'Cà phê số kiểu Anh');
    await page.fill('#new-descriptionVi', 'Thử số kiểu tiếng Anh');
    await page.fill('#new-netWeightValue', '1.250,5');
    expect(await readingOf(page, 'new-netWeightValue')).to.contain('if you mean 1,250.5, type “1,250.5”');
    await page.fill('#new-netWeightValue', '1,250.5');
    await page.fill('#new-priceVnd', '85,000');
    expect(await readingOf(page, 'new-netWeightValue')).to.equal('1,250.5 g = one thousand two hundred and fifty point five grams');
    expect(await readingOf(page, 'new-priceVnd')).to.equal('85,000 ₫ = eighty-five thousand dong');
    await cb.screenshot(page, 'product-create-en-1280');
    await page.click('#create-product button[type=submit]');
    await page.waitForSelector('#create-product [role=status] .ok');
    const created = (await products()).find((p) => p.gtin === gtin.padStart(14, '0'));
    expect(created).to.deep.include({ priceVnd: 85000, netWeight: { value: 1250.5, unit: 'g' } });
    expect(errors).to.deep.equal([]);
  });
});
