import { expect } from 'chai';
import { DEMO_PUBLISHED_LOTS } from '../../seeds/demo.js';
import { chromiumMissingReason } from './support/chromium.js';
import { coopBrowserSuite, seriousViolations } from './support/coop-browser.js';

/** The landing page as a first-time visitor sees it on a phone and on an office PC, without JavaScript. */
describe('the landing page in a real browser', function () {
  this.timeout(60_000);
  const missing = chromiumMissingReason();
  const cb = coopBrowserSuite('firstrun');

  for (const width of [360, 1280]) {
    for (const lang of ['vi', 'en'] as const) {
      it(missing ? `when Chromium is missing, then the landing page's browser checks are skipped (${missing})` : `when / opens at ${width} px in ${lang} without JavaScript, then every demo QR code is drawn, nothing is wider than the screen, and axe finds nothing serious`, async function () {
        const context = await cb.browser.newContext({ viewport: { width, height: width === 360 ? 740 : 900 }, locale: lang === 'vi' ? 'vi-VN' : 'en-GB', javaScriptEnabled: false });
        const page = await context.newPage();
        await page.goto(`${cb.base}/`);
        expect(await page.getAttribute('html', 'lang')).to.equal(lang);
        const qr = page.locator('.demo-lots img');
        expect(await qr.count()).to.equal(DEMO_PUBLISHED_LOTS.length);
        for (let i = 0; i < DEMO_PUBLISHED_LOTS.length; i++) {
          await qr.nth(i).scrollIntoViewIfNeeded();
          expect(await qr.nth(i).evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0), `QR ${i}`).to.equal(true);
        }
        await page.evaluate(() => window.scrollTo(0, 0));
        expect(await page.evaluate(() => document.documentElement.scrollWidth)).to.be.at.most(width);
        await cb.screenshot(page, `landing-${lang}-${width}`);
        await context.close();

        // axe needs JavaScript and its own script past the CSP: a second context for it.
        const checking = await cb.browser.newContext({ viewport: { width, height: 900 }, bypassCSP: true, locale: lang === 'vi' ? 'vi-VN' : 'en-GB' });
        const axePage = await checking.newPage();
        await axePage.goto(`${cb.base}/?lang=${lang}`);
        expect(await seriousViolations(axePage)).to.deep.equal([]);
        await checking.close();
      });
    }
  }
});
