import { expect } from 'chai';
import type { Page } from 'playwright-core';
import request from 'supertest';
import { chromiumMissingReason } from './support/chromium.js';
import { startCoopBrowser, type CoopBrowser } from './support/coop-browser.js';

const VIETNAM = 'Asia/Ho_Chi_Minh';
const PHONE = { viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, timezoneId: VIETNAM };
const DAY = /^\d{2}\/\d{2}\/\d{4}$/;
const DAY_OR_PERIOD = /^\d{2}\/\d{2}\/\d{4}( – \d{2}\/\d{2}\/\d{4})?$/;
const DAY_AND_TIME = /^\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}$/;

interface ApiLot {
  id: string;
  lotNumber: string;
  product: string;
  plotIds: string[];
  quantity: { value: number; unit: string };
  harvestedAt: string | null;
  harvestPeriod: { from: string; to: string } | null;
  createdAt: string;
  custodianOrgId: string;
  pendingReceiverOrgId: string | null;
}

/** dd/mm/yyyy of a YYYY-MM-DD day. */
const vietnameseDay = (day: string) => day.split('-').reverse().join('/');
/** dd/mm/yyyy HH:mm of an instant on Vietnam's clock (UTC+7, no daylight saving). */
function vietnameseTime(iso: string): string {
  const local = new Date(Date.parse(iso) + 7 * 3600_000).toISOString();
  return `${vietnameseDay(local.slice(0, 10))} ${local.slice(11, 16)}`;
}

/**
 * How many lines each element's text sits on: the distinct tops of the line boxes its content
 * makes (a Range's client rects are one per line fragment).
 */
function linesOf(page: Page, selector: string): Promise<Array<{ text: string; lines: number }>> {
  return page.$$eval(selector, (elements) =>
    elements.map((element) => {
      const range = document.createRange();
      range.selectNodeContents(element);
      const tops = new Set(Array.from(range.getClientRects()).filter((r) => r.width > 0).map((r) => Math.round(r.top)));
      return { text: element.textContent ?? '', lines: tops.size };
    }),
  );
}

describe('the office’s lot numbers and dates, and the farmer’s lot chooser, in a real browser', function () {
  this.timeout(60_000);
  const missing = chromiumMissingReason();
  let cb: CoopBrowser;
  let coopAuth: string;

  const apiGet = async <T>(auth: string, path: string): Promise<T> => (await request(cb.h.app).get(path).set('Authorization', auth).expect(200)).body as T;

  before(async function () {
    if (missing) return this.skip();
    cb = await startCoopBrowser('office-polish');
    coopAuth = await cb.h.login('coop@demo.test');
  });

  after(async () => {
    await cb?.close();
  });

  it(
    missing
      ? `when Chromium is missing, then the office polish checks are skipped (${missing})`
      : 'when the lots list, a lot and the products are shown at 768 and 1280 px, then no lot number, code or date breaks across lines',
    async function () {
      const { context, page, errors } = await cb.loggedIn({ timezoneId: VIETNAM });
      const lots = (await apiGet<{ items: ApiLot[] }>(coopAuth, '/api/v1/batches?limit=500')).items;
      const lot = lots.find((l) => l.lotNumber === 'ETO-2511-01')!;
      const screens: Array<[string, string, string, string]> = [
        ['lots', 'Lô hàng', '#lots-table td.code, #lots-table td.date', 'lots'],
        [`lots/${lot.id}`, 'ETO-2511-01', '#lot-summary .code, #lot-summary .date, #lot-history time', 'lot'],
        ['products', 'Sản phẩm của hợp tác xã', '#products-table td.nowrap', 'products'],
      ];
      for (const width of [768, 1280]) {
        await page.setViewportSize({ width, height: 900 });
        for (const [path, heading, selector, name] of screens) {
          await cb.open(page, path, heading);
          const cells = await linesOf(page, selector);
          expect(cells.length, `${selector} on ${path}`).to.be.greaterThan(0);
          expect(cells.filter((c) => c.lines !== 1), `broken at ${width} px on ${path}`).to.deep.equal([]);
          await cb.screenshot(page, `${name}-${width}`);
        }
      }
      expect(errors).to.deep.equal([]);
      await context.close();
    },
  );

  it('when the office is in Vietnamese, then every date reads dd/mm/yyyy and every time dd/mm/yyyy HH:mm on Vietnam’s clock', async function () {
    const { context, page } = await cb.loggedIn({ timezoneId: VIETNAM });
    const lots = (await apiGet<{ items: ApiLot[] }>(coopAuth, '/api/v1/batches?limit=500')).items;
    await cb.open(page, 'lots', 'Lô hàng');
    const rows = await page.$$eval('#lots-table tbody tr', (trs) => trs.map((tr) => ({ id: tr.getAttribute('data-lot-id'), date: tr.querySelector('td.date')?.textContent ?? '' })));
    for (const row of rows) {
      const lot = lots.find((l) => l.id === row.id)!;
      const expected = lot.harvestPeriod ? `${vietnameseDay(lot.harvestPeriod.from)} – ${vietnameseDay(lot.harvestPeriod.to)}` : lot.harvestedAt ? vietnameseDay(lot.harvestedAt) : '';
      expect(row.date, lot.lotNumber).to.equal(expected);
      if (expected) expect(row.date).to.match(DAY_OR_PERIOD);
    }

    const lot = lots.find((l) => l.lotNumber === 'ETO-2511-01')!;
    await cb.open(page, `lots/${lot.id}`, 'ETO-2511-01');
    const created = await page.$$eval('#lot-summary .date', (spans) => spans.map((s) => s.textContent ?? ''));
    expect(created).to.include(vietnameseTime(lot.createdAt));
    const steps = (await apiGet<{ items: Array<{ type: string; occurredAt: string }> }>(coopAuth, `/api/v1/batches/${lot.id}/steps`)).items.filter((s) => s.type !== 'media');
    const times = await page.$$eval('#lot-history time', (ts) => ts.map((t) => t.textContent ?? ''));
    expect(times).to.deep.equal(steps.map((s) => vietnameseTime(s.occurredAt)));
    for (const time of times) expect(time).to.match(DAY_AND_TIME);
    await context.close();
  });

  /** Two lots of the same product the demo household still holds (its demo lot was shipped to the cooperative), recorded once. */
  let heldLots: Promise<void> | null = null;
  const recordHeldLots = (farmerAuth: string) =>
    (heldLots ??= (async () => {
      const plot = (await apiGet<{ items: Array<{ id: string }> }>(farmerAuth, '/api/v1/plots?limit=200')).items[0]!;
      for (const [lotNumber, harvestedAt, value] of [['POL-2611-01', '2026-11-20', 1250], ['POL-2611-02', '2026-11-24', 640]] as const) {
        await request(cb.h.app).post('/api/v1/batches').set('Authorization', farmerAuth).send({ plotIds: [plot.id], product: 'Cà phê Robusta quả tươi', harvestedAt, quantity: { value, unit: 'kg' }, lotNumber }).expect(201);
      }
    })());

  for (const lang of ['vi', 'en'] as const) {
    it(`when a farmer chooses a lot for a step on a 360 px phone in ${lang}, then each lot the household holds is offered with its harvest date, plot and quantity, and lots handed on are not`, async function () {
      const farmerAuth = await cb.h.login('farmer@demo.test');
      const { context, page, errors } = await cb.loggedIn({ ...PHONE, email: 'farmer@demo.test', landing: 'Hôm nay bạn muốn ghi gì?' });
      await recordHeldLots(farmerAuth);
      const household = (JSON.parse(Buffer.from(farmerAuth.split('.')[1]!, 'base64url').toString()) as { org: string }).org;
      const all = (await apiGet<{ items: ApiLot[] }>(farmerAuth, '/api/v1/batches?limit=50')).items;
      // The server refuses a step on a lot handed on (the demo household shipped ETO-2511-01 to its cooperative): it is not offered.
      const lots = all.filter((l) => l.custodianOrgId === household && !l.pendingReceiverOrgId);
      expect(all.filter((l) => !lots.includes(l)).map((l) => l.lotNumber)).to.include('ETO-2511-01');
      expect(lots.map((l) => l.lotNumber)).to.include.members(['POL-2611-01', 'POL-2611-02']);
      const plots = new Map((await apiGet<{ items: Array<{ id: string; name: string }> }>(farmerAuth, '/api/v1/plots?limit=200')).items.map((p) => [p.id, p.name]));
      await page.goto(`${cb.base}/console?lang=${lang}#/step`);
      await page.waitForFunction((count) => document.querySelectorAll('#step-batch option').length === count, lots.length);
      const options = await page.$$eval('#step-batch option', (os) => os.map((o) => ({ value: (o as HTMLOptionElement).value, text: o.textContent ?? '' })));
      expect(options.map((o) => o.value)).to.deep.equal(lots.map((l) => l.id));
      const units = lang === 'vi' ? { kg: 'kg', t: 'tấn', bag: 'bao' } : { kg: 'kg', t: 't', bag: 'bag' };
      const number = (n: number) => n.toLocaleString(lang === 'vi' ? 'vi-VN' : 'en-GB', { maximumFractionDigits: 15 });
      for (const [i, lot] of lots.entries()) {
        const harvested = lot.harvestPeriod ? `${vietnameseDay(lot.harvestPeriod.from)} – ${vietnameseDay(lot.harvestPeriod.to)}` : vietnameseDay(lot.harvestedAt!);
        const parts = [lot.product, harvested, lot.plotIds.map((id) => plots.get(id)).join(', '), `${number(lot.quantity.value)} ${units[lot.quantity.unit as 'kg']}`, lot.lotNumber];
        expect(options[i]!.text).to.equal(parts.join(' · '));
        expect(harvested).to.match(DAY_OR_PERIOD);
        expect(harvested.slice(0, 10)).to.match(DAY);
      }
      // A phone's closed select cuts its label short: the chosen lot's day, plot, quantity and number show under it in full.
      expect(await page.textContent('#step-batch-details')).to.equal(options[0]!.text.slice(`${lots[0]!.product} · `.length));
      // Two lots of the same product are told apart by their day, plot or quantity, not only by name.
      expect(new Set(options.map((o) => o.text)).size).to.equal(options.length);
      await cb.screenshot(page, `step-chooser-${lang}-360`);
      expect(errors).to.deep.equal([]);
      await context.close();
    });
  }
});
