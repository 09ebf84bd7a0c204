import { expect } from 'chai';
import { chromiumMissingReason } from './support/chromium.js';
import { coopBrowserSuite, seriousViolations } from './support/coop-browser.js';

const PACK = '/01/08936123450021/10/KN25R-A';

/** What the first screen must show, by selector: where, who, is it real, where to buy. */
const FIRST_SCREEN = { province: 'section.intro .province', cooperative: 'section.intro .producer', badge: '#badge', 'buy button': 'section.intro .buy a' };

describe('the origin page in a real browser', function () {
  const missing = chromiumMissingReason();
  const cb = coopBrowserSuite('buyer');

  it(missing ? `when Chromium is missing, then the browser checks of the origin page are skipped (${missing})` : 'when the re-check button is pressed on a 360 px phone, then the browser verifies the signed record and says so in Vietnamese', async function () {
    const context = await cb.browser.newContext({ viewport: { width: 360, height: 740 }, locale: 'vi-VN' });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${cb.base}${PACK}`);
    expect(await page.getAttribute('html', 'lang')).to.equal('vi');
    await page.click('#recheck');
    await page.waitForFunction(() => /khớp|Không tải/.test(document.getElementById('recheck-result')?.textContent ?? ''));
    expect(await page.textContent('#recheck-result')).to.match(/^Máy của bạn đã kiểm tra lại: khớp\. Cả \d+ bước đều có chữ ký hợp lệ\.$/);
    // Nothing is wider than the phone: no sideways scrolling.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).to.be.at.most(360);
    expect(errors).to.deep.equal([]);
    await context.close();
  });

  for (const [width, height] of [
    [360, 740],
    [1280, 800],
  ] as const) {
    for (const lang of ['vi', 'en'] as const) {
      it(`when the page opens at ${width}×${height} in ${lang}, then the first screen shows the province, the cooperative, the verification badge and a buy button`, async function () {
        if (missing) return this.skip();
        const context = await cb.browser.newContext({ viewport: { width, height }, locale: lang === 'vi' ? 'vi-VN' : 'en-GB' });
        const page = await context.newPage();
        await page.goto(`${cb.base}${PACK}?lang=${lang}`);
        for (const [what, selector] of Object.entries(FIRST_SCREEN)) {
          const box = await page.locator(selector).first().boundingBox();
          expect(box, `${what} (${selector}) is drawn`).to.not.equal(null);
          expect(box!.y, `${what} starts on the first screen`).to.be.at.least(0);
          expect(box!.y + box!.height, `${what} ends within the first ${height} px`).to.be.at.most(height);
        }
        expect(await page.locator('#badge strong').textContent()).to.equal(lang === 'vi' ? '✓ Hồ sơ đã được ký và kiểm tra: khớp' : '✓ Signed record checked: it matches');
        expect(await page.evaluate(() => document.documentElement.scrollWidth)).to.be.at.most(width);
        await cb.screenshot(page, `lot-${lang}-${width}`, false);
        await cb.screenshot(page, `lot-${lang}-${width}-full`);
        await context.close();
      });
    }
  }

  it('when axe-core checks the page, then it finds no serious or critical accessibility violation', async function () {
    if (missing) return this.skip();
    // The page's CSP forbids inline scripts, axe's own included; the test context lets it in.
    const context = await cb.browser.newContext({ viewport: { width: 360, height: 740 }, bypassCSP: true });
    const page = await context.newPage();
    await page.goto(`${cb.base}${PACK}`);
    expect(await seriousViolations(page)).to.deep.equal([]);
    await context.close();
  });

  it('when JavaScript is off, then the whole page still reads and the re-check button stays hidden', async function () {
    if (missing) return this.skip();
    const context = await cb.browser.newContext({ javaScriptEnabled: false, locale: 'vi-VN' });
    const page = await context.newPage();
    await page.goto(`${cb.base}${PACK}`);
    expect(await page.isVisible('#recheck')).to.equal(false);
    expect(await page.isVisible('ol.stages')).to.equal(true);
    expect(await page.isVisible('svg.map')).to.equal(true);
    // The technical details are folded, not lost.
    expect(await page.isVisible('details.technical summary')).to.equal(true);
    expect(await page.textContent('main')).to.contain('Thông tin truy xuất tối thiểu');
    await context.close();
  });
});
