import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { chromiumMissingReason, launchChromium } from './chromium.js';
import { startHarness, type Harness } from './harness.js';

const ARTIFACTS_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../test-artifacts');
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
/** An office PC; the screens must also fit a tablet (`TABLET`). */
export const DESKTOP = { viewport: { width: 1280, height: 800 }, locale: 'vi-VN' };
export const TABLET = { viewport: { width: 768, height: 1024 }, locale: 'vi-VN', hasTouch: true };
/** The farmer's phone. */
export const PHONE = { viewport: { width: 360, height: 740 }, locale: 'vi-VN', deviceScaleFactor: 2, isMobile: true, hasTouch: true };
export const OVERVIEW_HEADING = 'Hôm nay ở hợp tác xã';

interface AxeViolation {
  id: string;
  impact: string | null;
  nodes: Array<{ target: string[] }>;
}

/** How `loggedIn` opens its context and logs in; the rest are the context's own options. */
type LoginOptions = Parameters<Browser['newContext']>[0] & {
  /** Who logs in (default the cooperative admin). */
  email?: string;
  /** An h1's text that shows the login went through (default the cooperative overview). */
  landing?: string;
  /** A selector to wait for instead of `landing`'s h1. */
  ready?: string;
  /** Runs on the new context before its page opens (routes, init scripts). */
  setUp?: (context: BrowserContext) => Promise<void>;
};

/**
 * The seeded demo service on a real port and Chromium, for every browser suite: the console's
 * form login, screenshots into test-artifacts/<area>/ and axe-core's verdict on a page.
 */
export interface CoopBrowser {
  h: Harness;
  base: string;
  browser: Browser;
  /** A new browser context with the console open and `email` logged in through the form, once `landing` (or `ready`) shows. */
  loggedIn(options?: LoginOptions): Promise<{ context: BrowserContext; page: Page; errors: string[] }>;
  /**
   * Opens `#/coop/<path>` (after `query`, e.g. `?lang=en`) in a logged-in page and waits for its
   * heading and for every part of it to have loaded (no "loading" left), so what a test reads next
   * is the data, not the moment before it.
   */
  open(page: Page, path: string, heading: string, query?: string): Promise<void>;
  /** Saves a screenshot (full-page unless told) to test-artifacts/<area>/<name>.png (area `coop` unless the suite names its own). */
  screenshot(page: Page, name: string, fullPage?: boolean): Promise<void>;
  /** Full-page screenshots `<name>-360.png` at the page's phone width, then `<name>-1280.png` at an office PC's, then back to the phone. */
  screenshots(page: Page, name: string): Promise<void>;
  /** axe-core's serious and critical violations on the page (the context must bypass CSP to inject axe). */
  seriousViolations(page: Page): Promise<string[]>;
  close(): Promise<void>;
}

/** axe-core's serious and critical violations on the page, as `rule: targets` (the context must bypass CSP to inject axe). */
export async function seriousViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ content: AXE_SOURCE });
  const violations = (await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: Document, opts: unknown) => Promise<{ violations: unknown[] }> } }).axe;
    return (await axe.run(document, { resultTypes: ['violations'] })).violations;
  })) as AxeViolation[];
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/** Starts it all; `clean` empties test-artifacts/<area>/ first, so only this run's screenshots are left there. */
export async function startCoopBrowser(area = 'coop', { clean = false } = {}): Promise<CoopBrowser> {
  const ARTIFACTS = path.join(ARTIFACTS_ROOT, area);
  // Each test logs in through the form; the default limit of 10 a window would cut a suite short.
  const h = await startHarness({ seed: true, env: { LOGIN_RATE_LIMIT: '100' } });
  const server: Server = h.app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const browser = await launchChromium();
  if (clean) rmSync(ARTIFACTS, { recursive: true, force: true });
  mkdirSync(ARTIFACTS, { recursive: true });

  return {
    h,
    base,
    browser,
    async loggedIn({ email = 'coop@demo.test', landing = OVERVIEW_HEADING, ready = `h1:has-text("${landing}")`, setUp, ...options } = {}) {
      const context = await browser.newContext({ ...DESKTOP, ...options });
      await setUp?.(context);
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(`${base}/console`);
      await page.check('#login-method-email');
      await page.fill('#email', email);
      await page.fill('#password', 'demo-password');
      await page.click('button[type=submit]');
      await page.waitForSelector(ready);
      return { context, page, errors };
    },
    async open(page, path, heading, query = '') {
      await page.goto(`${base}/console${query}#/coop/${path}`);
      await page.waitForSelector(`h1:has-text("${heading}")`);
      await page.waitForSelector('main p[aria-busy="true"]', { state: 'detached' });
    },
    async screenshot(page, name, fullPage = true) {
      await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage });
    },
    async screenshots(page, name) {
      const phone = page.viewportSize()!;
      await page.screenshot({ path: path.join(ARTIFACTS, `${name}-360.png`), fullPage: true });
      await page.setViewportSize(DESKTOP.viewport);
      await page.screenshot({ path: path.join(ARTIFACTS, `${name}-1280.png`), fullPage: true });
      await page.setViewportSize(phone);
    },
    seriousViolations,
    async close() {
      await browser.close();
      await new Promise((resolve) => server.close(resolve));
      await h.close();
    },
  };
}

/**
 * A browser suite's setup in one call: registers hooks that start everything before the suite's
 * tests (skipping them when Chromium is missing) and close it after. The object returned is filled
 * in once that first `before` hook has run, so the suite's own hooks and tests can use it.
 */
export function coopBrowserSuite(area = 'coop', options: { clean?: boolean } = {}): CoopBrowser {
  const suite = {} as CoopBrowser;
  let started: CoopBrowser | undefined;
  before(async function () {
    if (chromiumMissingReason()) return this.skip();
    started = await startCoopBrowser(area, options);
    Object.assign(suite, started);
  });
  after(async () => {
    await started?.close();
  });
  return suite;
}
