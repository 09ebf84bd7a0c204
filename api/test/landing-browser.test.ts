import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import type { Browser } from 'playwright-core';
import { DEMO_PUBLISHED_LOTS } from '../../seeds/demo.js';
import { chromiumMissingReason, launchChromium } from './support/chromium.js';
import { startHarness, type Harness } from './support/harness.js';

const ARTIFACTS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../test-artifacts/firstrun');
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** The landing page as a first-time visitor sees it on a phone and on an office PC, without JavaScript. */
describe('the landing page in a real browser', function () {
  this.timeout(60_000);
  const missing = chromiumMissingReason();
  let h: Harness;
  let server: Server;
  let base: string;
  let browser: Browser;

  before(async function () {
    if (missing) return this.skip();
    mkdirSync(ARTIFACTS, { recursive: true });
    h = await startHarness({ seed: true });
    server = h.app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
    await h?.close();
  });

  for (const width of [360, 1280]) {
    for (const lang of ['vi', 'en'] as const) {
      it(missing ? `when Chromium is missing, then the landing page's browser checks are skipped (${missing})` : `when / opens at ${width} px in ${lang} without JavaScript, then every demo QR code is drawn, nothing is wider than the screen, and axe finds nothing serious`, async function () {
        const context = await browser.newContext({ viewport: { width, height: width === 360 ? 740 : 900 }, locale: lang === 'vi' ? 'vi-VN' : 'en-GB', javaScriptEnabled: false });
        const page = await context.newPage();
        await page.goto(`${base}/`);
        expect(await page.getAttribute('html', 'lang')).to.equal(lang);
        const qr = page.locator('.demo-lots img');
        expect(await qr.count()).to.equal(DEMO_PUBLISHED_LOTS.length);
        for (let i = 0; i < DEMO_PUBLISHED_LOTS.length; i++) {
          await qr.nth(i).scrollIntoViewIfNeeded();
          expect(await qr.nth(i).evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0), `QR ${i}`).to.equal(true);
        }
        await page.evaluate(() => window.scrollTo(0, 0));
        expect(await page.evaluate(() => document.documentElement.scrollWidth)).to.be.at.most(width);
        await page.screenshot({ path: path.join(ARTIFACTS, `landing-${lang}-${width}.png`), fullPage: true });
        await context.close();

        // axe needs JavaScript and its own script past the CSP: a second context for it.
        const checking = await browser.newContext({ viewport: { width, height: 900 }, bypassCSP: true, locale: lang === 'vi' ? 'vi-VN' : 'en-GB' });
        const axePage = await checking.newPage();
        await axePage.goto(`${base}/?lang=${lang}`);
        await axePage.addScriptTag({ content: AXE_SOURCE });
        const violations = (await axePage.evaluate(async () => {
          const axe = (window as unknown as { axe: { run: (ctx: Document, opts: unknown) => Promise<{ violations: Array<{ id: string; impact: string | null }> }> } }).axe;
          return (await axe.run(document, { resultTypes: ['violations'] })).violations;
        })) as Array<{ id: string; impact: string | null }>;
        expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).to.deep.equal([]);
        await checking.close();
      });
    }
  }
});
