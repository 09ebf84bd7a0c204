import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import request from 'supertest';
import { localDate } from '../../web/console/local-time.js';
import { chromiumMissingReason } from './support/chromium.js';
import { DESKTOP, startCoopBrowser, TABLET, type CoopBrowser } from './support/coop-browser.js';

interface ApiLot {
  id: string;
  orgId: string;
  custodianOrgId: string;
  pendingReceiverOrgId: string | null;
  lotNumber: string;
  product: string;
  published: boolean;
  derivedFrom: string[];
  digitalLink: string;
  quantity: { value: number; unit: string };
}

interface ApiStep {
  id: string;
  eventID: string;
  type: string;
  event: Record<string, unknown>;
}

const ANDROID = 'Mozilla/5.0 (Linux; Android 13; SM-A145F) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Mobile Safari/537.36';
const DESKTOP_UA = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36';

describe('the cooperative lots screens in a real browser', function () {
  const missing = chromiumMissingReason();
  let cb: CoopBrowser;
  let admin: string;
  /** One logged-in office PC for the flows (each opens its own screen); axe needs CSP bypassed. */
  let office: { page: Page; errors: string[] };

  before(async function () {
    if (missing) return this.skip();
    cb = await startCoopBrowser();
    admin = await cb.h.login('coop@demo.test');
    office = await cb.loggedIn({ bypassCSP: true, acceptDownloads: true });
  });

  afterEach(() => {
    if (office) expect(office.errors).to.deep.equal([]);
  });

  after(async () => {
    await cb?.close();
  });

  const api = (path: string) => request(cb.h.app).get(path).set('Authorization', admin).expect(200);
  const allLots = async (): Promise<ApiLot[]> => (await api('/api/v1/batches?limit=500')).body.items;
  const lotByNumber = async (lotNumber: string): Promise<ApiLot> => (await allLots()).find((l) => l.lotNumber === lotNumber)!;
  const stepsOf = async (id: string): Promise<ApiStep[]> => (await api(`/api/v1/batches/${id}/steps?limit=500`)).body.items;


  async function shownLotIds(page: Page): Promise<string[]> {
    return page.$$eval('#lots-table tbody tr', (rows) => rows.map((r) => r.getAttribute('data-lot-id')!).sort());
  }

  it(missing ? `when Chromium is missing, then the lots screens' browser checks are skipped (${missing})` : 'when the lots screen opens, then it lists exactly the API’s lots and its status, member and text filters narrow the table', async function () {
    const { page } = office;
    await cb.open(page, 'lots', 'Lô hàng');
    await page.waitForSelector('#lots-table');
    const lots = await allLots();
    expect(await shownLotIds(page)).to.deep.equal(lots.map((l) => l.id).sort());

    await page.selectOption('#lots-status', 'published');
    expect(await shownLotIds(page)).to.deep.equal(lots.filter((l) => l.published).map((l) => l.id).sort());
    await page.selectOption('#lots-status', 'derived');
    expect(await shownLotIds(page)).to.deep.equal(lots.filter((l) => l.derivedFrom.length).map((l) => l.id).sort());
    await page.selectOption('#lots-status', 'all');

    const household = lots.find((l) => l.lotNumber === 'EHO-2511-01')!;
    await page.selectOption('#lots-member', household.orgId);
    expect(await shownLotIds(page)).to.deep.equal(lots.filter((l) => l.orgId === household.orgId).map((l) => l.id).sort());
    await page.selectOption('#lots-member', '');

    await page.fill('#lots-search', 'kn25r');
    expect(await shownLotIds(page)).to.deep.equal(lots.filter((l) => l.lotNumber.startsWith('KN25R')).map((l) => l.id).sort());
    expect(await page.textContent('#lots-count')).to.include('2 / ');
    await page.fill('#lots-search', '');
    await page.click(`#lots-table tr[data-lot-id="${household.id}"] a`);
    await page.waitForSelector(`h1:has-text("EHO-2511-01")`);
  });

  it('when a step is recorded with a photo through the form, then the lot’s history holds the step with its quantities and the photo', async function () {
    const lot = await lotByNumber('ETO-2511-01');
    const photo = await sharp({ create: { width: 320, height: 240, channels: 3, background: { r: 120, g: 90, b: 40 } } }).jpeg().toBuffer();
    const { page } = office;
    await cb.open(page, `lots/${lot.id}`, 'ETO-2511-01');
    await page.selectOption('#step-type', 'sorting');
    await page.fill('#step-place', 'Xưởng phân loại HTX');
    await page.fill('#step-notes', 'Phân loại bằng máy, loại bỏ hạt đen');
    await page.fill('#step-input-value', '1000');
    await page.fill('#step-output-value', '950');
    await page.setInputFiles('#step-photo', { name: 'phan-loai.jpg', mimeType: 'image/jpeg', buffer: photo });
    await page.click('#step-form button[type=submit]');
    await page.waitForSelector('#step-form .ok');
    await page.waitForSelector('#lot-history li[data-step-type="sorting"] img');
    await cb.screenshot(page, 'lot-step-photo-1280');

    const steps = await stepsOf(lot.id);
    const sorting = steps.filter((s) => s.type === 'sorting').at(-1)!;
    expect(sorting.event['ft:notes']).to.equal('Phân loại bằng máy, loại bỏ hạt đen');
    expect(sorting.event['ft:placeName']).to.equal('Xưởng phân loại HTX');
    expect(sorting.event.inputQuantityList).to.deep.equal([{ epcClass: (sorting.event.inputQuantityList as Array<{ epcClass: string }>)[0]!.epcClass, quantity: 1000, uom: 'KGM' }]);
    expect((sorting.event.outputQuantityList as Array<{ quantity: number }>)[0]!.quantity).to.equal(950);
    const media = steps.find((s) => s.type === 'media' && s.event['ft:attachesTo'] === sorting.eventID);
    expect(media?.event['ft:media']).to.deep.equal([createHash('sha256').update(photo).digest('hex')]);
  });

  it('when a step in the future is submitted, then the server’s field error shows and nothing is written', async function () {
    const lot = await lotByNumber('ETO-2511-01');
    const before = (await stepsOf(lot.id)).length;
    const { page } = office;
    await cb.open(page, `lots/${lot.id}`, 'ETO-2511-01');
    // Chromium runs in this process's time zone, so a local date here is one in the page too.
    const tomorrow = `${localDate(new Date(Date.now() + 86_400_000))}T08:00`;
    await page.fill('#step-time', tomorrow);
    await page.click('#step-form button[type=submit]');
    const error = await page.waitForSelector('#step-form [role=alert]');
    expect(await error.textContent()).to.include('Thời gian: Thời gian không được ở tương lai.');
    expect((await stepsOf(lot.id)).length).to.equal(before);
  });

  it('when the admin publishes and then unpublishes a lot, then the API follows and the origin page link comes and goes', async function () {
    const lot = await lotByNumber('TGI-2511-01');
    expect(lot.published).to.equal(false);
    const { page } = office;
    await cb.open(page, `lots/${lot.id}`, 'TGI-2511-01');
    await page.click('#publish-toggle');
    const link = await page.waitForSelector('#origin-link');
    expect((await api(`/api/v1/batches/${lot.id}`)).body.published).to.equal(true);
    expect(await link.getAttribute('href')).to.equal(new URL(lot.digitalLink).pathname);
    const origin = await request(cb.h.app).get(new URL(lot.digitalLink).pathname).set('User-Agent', DESKTOP_UA).expect(200);
    expect(origin.text).to.include('TGI-2511-01');

    await page.click('#publish-toggle');
    await page.waitForSelector('#origin-link', { state: 'detached' });
    expect((await api(`/api/v1/batches/${lot.id}`)).body.published).to.equal(false);
  });

  it('when an operator tries to publish, then the server’s 403 shows and the lot stays unpublished', async function () {
    const lot = await lotByNumber('ETO-2511-01');
    await request(cb.h.app)
      .post('/api/v1/users')
      .set('Authorization', admin)
      .send({ email: 'operator-lots@demo.test', name: 'Phạm Văn Kho', password: 'demo-password', role: 'operator' })
      .expect(201);
    const operator = await cb.loggedIn({ email: 'operator-lots@demo.test' });
    await cb.open(operator.page, `lots/${lot.id}`, 'ETO-2511-01');
    await operator.page.click('#publish-toggle');
    const refusal = await operator.page.waitForSelector('[aria-labelledby="publishing-heading"] [role=alert]');
    expect(await refusal.textContent()).to.include('Vai trò của bạn không được làm việc này.');
    expect((await api(`/api/v1/batches/${lot.id}`)).body.published).to.equal(false);
    expect(operator.errors).to.deep.equal([]);
    await operator.context.close();
  });

  it('when the label sheet is downloaded for 30 labels, then a PDF of two A4 pages arrives', async function () {
    const lot = await lotByNumber('KN-2512-G1');
    const { page } = office;
    await cb.open(page, `lots/${lot.id}`, 'KN-2512-G1');
    await page.waitForSelector('#lot-qr');
    await page.fill('#label-count', '30');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#labels-form button[type=submit]')]);
    expect(download.suggestedFilename()).to.equal('labels-KN-2512-G1.pdf');
    const pdf = await readFile((await download.path())!);
    expect(pdf.subarray(0, 4).toString()).to.equal('%PDF');
    expect(pdf.toString('latin1').match(/\/Type \/Page\b(?!s)/g)).to.have.length(2);
    await page.waitForSelector('#labels-form ~ [role=status].ok');
  });

  it('when the lot’s Digital Link is resolved a few times, then the scan counts match GET /scans', async function () {
    const lot = await lotByNumber('EHO-2512-S1');
    const link = new URL(lot.digitalLink).pathname;
    for (const agent of [ANDROID, ANDROID, ANDROID, DESKTOP_UA]) await request(cb.h.app).get(link).set('User-Agent', agent).expect(200);
    const report = (await api(`/api/v1/batches/${lot.id}/scans`)).body as { total: number; byClientType: Record<string, number> };
    expect(report.byClientType.android).to.be.at.least(3);

    const { page } = office;
    await cb.open(page, `lots/${lot.id}`, 'EHO-2512-S1');
    const total = await page.waitForSelector('#scans-total');
    expect(await total.textContent()).to.match(new RegExp(`^${report.total} lượt quét`));
    expect(await page.textContent('#scans-by-client [data-client-type="android"] strong')).to.equal(String(report.byClientType.android));
    expect(await page.textContent('#scans-by-client [data-client-type="desktop"] strong')).to.equal(String(report.byClientType.desktop));
    expect(await page.$$eval('#scans-by-day tbody tr td:last-child', (cells) => cells.reduce((sum, c) => sum + Number(c.textContent), 0))).to.equal(report.total);
    expect(await page.getAttribute('.scan-chart', 'aria-label')).to.include(`${report.total} lượt quét trong 30 ngày`);
  });

  it('when a lot is split into two, then two new lots with those quantities exist and the first one opens', async function () {
    const lot = await lotByNumber('ETA-2511-01');
    const { page } = office;
    await cb.open(page, `lots/${lot.id}`, 'ETA-2511-01');
    await page.fill('#split-0-value', '1000');
    await page.fill('#split-0-lot', 'ETA-2511-01A');
    await page.fill('#split-1-value', '800');
    await page.fill('#split-1-lot', 'ETA-2511-01B');
    await page.click('#split-form button[type=submit]');
    await page.waitForSelector('h1:has-text("ETA-2511-01A")');

    const parts = (await allLots()).filter((l) => l.derivedFrom.includes(lot.id));
    expect(parts.map((p) => [p.lotNumber, p.quantity.value, p.quantity.unit]).sort()).to.deep.equal([
      ['ETA-2511-01A', 1000, 'kg'],
      ['ETA-2511-01B', 800, 'kg'],
    ]);
    expect(await page.evaluate(() => location.hash)).to.equal(`#/coop/lots/${parts.find((p) => p.lotNumber === 'ETA-2511-01A')!.id}`);
  });

  it('when two lots are merged through the merge screen, then one new lot names both in derivedFrom, and a new lot heavier than its inputs first shows the server’s field error', async function () {
    const [first, second] = [await lotByNumber('PLO-2511-01'), await lotByNumber('TGI-2511-01')];
    const { page } = office;
    await cb.open(page, 'merge', 'Gộp lô');
    await page.fill('#merge-filter', 'PLO-2511');
    await page.check(`#merge-lots input[value="${first.id}"]`);
    await page.fill('#merge-filter', 'TGI-2511');
    await page.check(`#merge-lots input[value="${second.id}"]`);
    await page.fill('#merge-filter', '');
    expect(await page.textContent('#merge-picked')).to.equal('Đã chọn 2 lô');
    await page.fill(`[id="merge-used-${first.id}-value"]`, '500');
    await page.fill('#merge-product', 'Cà phê quả tươi phối trộn');
    await page.fill('#merge-quantity-value', '99999');
    await page.fill('#merge-lot-number', 'MIX-2511-01');
    await page.click('#merge-form button[type=submit]');
    const error = await page.waitForSelector('#merge-form [role=alert]');
    expect(await error.textContent()).to.include('Khối lượng: Lô gộp');
    expect((await allLots()).some((l) => l.lotNumber === 'MIX-2511-01')).to.equal(false);

    await page.fill('#merge-quantity-value', '1200');
    await page.click('#merge-form button[type=submit]');
    await page.waitForSelector('h1:has-text("MIX-2511-01")');
    const merged = await lotByNumber('MIX-2511-01');
    expect([...merged.derivedFrom].sort()).to.deep.equal([first.id, second.id].sort());
    expect(merged.quantity).to.deep.equal({ value: 1200, unit: 'kg' });
  });

  it('when the three screens are checked with axe in Vietnamese (and one in English) at 1280 and 768 px, then there are no serious violations and no page-wide horizontal scroll', async function () {
    const lot = await lotByNumber('KN25R-A');
    const screens = [
      { route: 'lots', heading: 'Lô hàng', name: 'lots', ready: '#lots-table' },
      { route: `lots/${lot.id}`, heading: 'KN25R-A', name: 'lot', ready: '#scan-figures' },
      { route: 'merge', heading: 'Gộp lô', name: 'merge', ready: '#merge-lots' },
    ];
    const { page } = office;
    // The tablet's width on the same logged-in page: a second login would double the time for nothing the width changes.
    for (const [size, viewport] of [['1280', DESKTOP.viewport], ['768', TABLET.viewport]] as const) {
      await page.setViewportSize(viewport);
      for (const screen of screens) {
        await cb.open(page, screen.route, screen.heading);
        await page.waitForSelector(screen.ready);
        if (screen.name === 'lot') await page.waitForSelector('#lot-qr');
        expect(await cb.seriousViolations(page), `${screen.name} at ${size}`).to.deep.equal([]);
        expect(await page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth), `${screen.name} fits ${size} px`).to.equal(true);
        await cb.screenshot(page, `${screen.name}-${size}`);
      }
    }
    await page.setViewportSize(DESKTOP.viewport);

    await cb.open(page, `lots/${lot.id}`, 'KN25R-A', '?lang=en');
    await page.waitForSelector('#scan-figures');
    expect(await page.textContent('#publishing-heading')).to.equal('Publishing');
    expect(await cb.seriousViolations(page), 'lot in English').to.deep.equal([]);
    await cb.screenshot(page, 'lot-en-1280');
    await cb.open(page, 'lots', 'Lô hàng', '?lang=vi');
  });
});
