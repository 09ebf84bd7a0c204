import { expect } from 'chai';
import type { Page } from 'playwright-core';
import request from 'supertest';
import { chromiumMissingReason } from './support/chromium.js';
import { startCoopBrowser, type CoopBrowser } from './support/coop-browser.js';

/** A class name only the office chunk writes (ASCII, so minification leaves it as it is). */
const OFFICE_MARK = 'coop-nav';

/** The bodies of the scripts a page has loaded. */
async function loadedScripts(page: Page): Promise<string[]> {
  const urls = await page.evaluate(() => performance.getEntriesByType('resource').map((r) => r.name).filter((n) => n.endsWith('.js')));
  return Promise.all(urls.map(async (url) => (await fetch(url)).text()));
}

describe('the cooperative office in a real browser', function () {
  const missing = chromiumMissingReason();
  let cb: CoopBrowser;

  before(async function () {
    if (missing) return this.skip();
    cb = await startCoopBrowser();
  });

  after(async () => {
    await cb?.close();
  });

  it(missing ? `when Chromium is missing, then the cooperative office's browser checks are skipped (${missing})` : 'when the cooperative admin logs in, then the office names itself in the header and title and counts what the API lists, and farmers never load its chunk', async function () {
    const { context, page, errors } = await cb.loggedIn();
    const figures = await page.waitForSelector('#overview-figures');
    const admin = await cb.h.login('coop@demo.test');
    const lots = await request(cb.h.app).get('/api/v1/batches?limit=500').set('Authorization', admin).expect(200);
    expect(await figures.textContent()).to.include(`${lots.body.items.length} lô hàng`);
    expect(await page.title()).to.equal('Văn phòng hợp tác xã');
    expect(await page.textContent('header.top .brand')).to.equal('Văn phòng hợp tác xã');
    await cb.screenshot(page, 'overview');
    expect(errors).to.deep.equal([]);
    const officeScripts = await loadedScripts(page);
    expect(officeScripts.some((body) => body.includes(OFFICE_MARK)), 'the office chunk carries its navigation').to.equal(true);
    await context.close();

    const farmer = await cb.loggedIn({ email: 'farmer@demo.test', landing: 'Hôm nay bạn muốn ghi gì?' });
    expect(await farmer.page.locator('.coop-nav').count()).to.equal(0);
    expect(await farmer.page.title()).to.equal('Sổ tay nông hộ');
    for (const body of await loadedScripts(farmer.page)) expect(body).not.to.include(OFFICE_MARK);
    await farmer.context.close();
  });
});
