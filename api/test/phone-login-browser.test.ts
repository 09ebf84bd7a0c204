import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import request from 'supertest';
import { DEMO_FARMER_PIN } from '../../seeds/demo.js';
import { chromiumMissingReason } from './support/chromium.js';
import { DESKTOP, startCoopBrowser, type CoopBrowser } from './support/coop-browser.js';

const ARTIFACTS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../test-artifacts/phone');
const PHONE = { viewport: { width: 360, height: 740 }, locale: 'vi-VN', deviceScaleFactor: 2, isMobile: true, hasTouch: true };
const HOME_HEADING = 'Hôm nay bạn muốn ghi gì?';
const MEMBERS_HEADING = 'Thành viên và bản đồ thửa đất';

interface User {
  id: string;
  name: string;
  phone: string | null;
  orgId: string;
}

const hasNoHorizontalScroll = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth);

describe('phone and PIN logins in a real browser', function () {
  this.timeout(60_000);
  const missing = chromiumMissingReason();
  let cb: CoopBrowser;

  before(async function () {
    if (missing) return this.skip();
    cb = await startCoopBrowser();
    mkdirSync(ARTIFACTS, { recursive: true });
  });
  after(async () => {
    await cb?.close();
  });

  const shot = (page: Page, name: string) => page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
  const phoneLogin = (phone: string, pin: string) => request(cb.h.app).post('/api/v1/auth/phone-login').send({ phone, pin });

  it(missing ? 'when Chromium is missing, then the farmer’s phone login is skipped' : 'when a farmer on a 360 px phone logs in with a phone number and PIN, then phone and PIN are the first choice on a numeric keypad, a wrong PIN is told in Vietnamese, the right one opens the home screen, and an ended session offers the phone again', async function () {
    const context = await cb.browser.newContext({ ...PHONE, bypassCSP: true });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${cb.base}/console`);
    await page.waitForSelector('#phone');
    expect(await page.isChecked('#login-method-phone')).to.equal(true);
    expect(await page.$('#email')).to.equal(null);
    const pin = await page.$eval('#pin', (input) => ({
      type: input.getAttribute('type'),
      inputMode: input.getAttribute('inputmode'),
      autocomplete: input.getAttribute('autocomplete'),
    }));
    expect(pin).to.deep.equal({ type: 'password', inputMode: 'numeric', autocomplete: 'current-password' });
    expect(await page.getAttribute('#phone', 'type')).to.equal('tel');
    expect(await page.textContent('main')).to.include('Số điện thoại').and.include('Mã PIN');
    expect(await hasNoHorizontalScroll(page)).to.equal(true);
    expect(await cb.seriousViolations(page)).to.deep.equal([]);
    await shot(page, 'login-360');

    await page.fill('#phone', '0912.345.678');
    // A PIN pasted with a space and a stray letter keeps its first six digits.
    await page.fill('#pin', '135 79a24');
    expect(await page.inputValue('#pin')).to.equal('135792');
    await page.click('button[type=submit]');
    const alert = await page.waitForSelector('[role=alert]');
    expect(await alert.textContent()).to.equal('Số điện thoại hoặc mã PIN không đúng.');
    await shot(page, 'login-wrong-pin-360');

    await page.fill('#pin', DEMO_FARMER_PIN);
    await page.click('button[type=submit]');
    await page.waitForSelector(`h1:has-text("${HOME_HEADING}")`);
    expect(await hasNoHorizontalScroll(page)).to.equal(true);
    await shot(page, 'home-after-phone-login-360');

    // When the session runs out, the login screen offers the phone again, filled in.
    await page.evaluate(() => {
      const key = 'farm-trace-console-session';
      localStorage.setItem(key, JSON.stringify({ ...JSON.parse(localStorage.getItem(key)!), expiresAt: 0 }));
    });
    await page.goto(`${cb.base}/console#/login`);
    await page.waitForSelector('#phone');
    expect(await page.isChecked('#login-method-phone')).to.equal(true);
    expect(await page.inputValue('#phone')).to.equal('0912.345.678');
    expect(await page.inputValue('#pin')).to.equal('');
    expect(errors).to.deep.equal([]);
    await context.close();
  });

  it(missing ? 'when Chromium is missing, then the English login is skipped' : 'when the login screen is in English at 1280 px and email is chosen, then it says so in English and an email login still works', async function () {
    const context = await cb.browser.newContext(DESKTOP);
    const page = await context.newPage();
    await page.goto(`${cb.base}/console?lang=en`);
    await page.waitForSelector('#phone');
    expect(await page.textContent('main')).to.include('Phone number and PIN').and.include('Email and password');
    await page.fill('#phone', '0912 345 678');
    await page.fill('#pin', '135792');
    await page.click('button[type=submit]');
    expect(await (await page.waitForSelector('[role=alert]')).textContent()).to.equal('The phone number or the PIN is wrong.');
    await shot(page, 'login-en-1280');
    await page.check('#login-method-email');
    await page.fill('#email', 'farmer@demo.test');
    await page.fill('#password', 'demo-password');
    await page.click('button[type=submit]');
    await page.waitForSelector('h1:has-text("What would you like to record?")');
    await context.close();
  });

  it(missing ? 'when Chromium is missing, then the admin’s farmer logins are skipped' : 'when the admin at 1280 px adds a farmer with a phone and PIN and later resets the PIN, then an easy PIN is refused in Vietnamese before sending, the phone shows as 0912 345 678, and only the new PIN works', async function () {
    const { context, page, errors } = await cb.loggedIn({ bypassCSP: true });
    await cb.open(page, 'members', MEMBERS_HEADING);
    const demoRow = await page.waitForSelector('#farmers-table tr:has-text("Y Bhim Êban")');
    expect(await demoRow.textContent()).to.include('0912 345 678');

    await page.fill('#login-name', 'Hà Thị Nga');
    expect(await page.isChecked('#farmer-login-phone')).to.equal(true);
    await page.fill('#login-phone', '+84 905 123 456');
    await page.fill('#login-pin', '123456');
    await page.click('#farmer-login button[type=submit]');
    expect(await (await page.waitForSelector('#login-pin-refused')).textContent()).to.equal('Mã PIN quá dễ đoán: các chữ số liền nhau.');
    await page.fill('#login-pin', '456456');
    await page.click('#farmer-login button[type=submit]');
    expect(await page.textContent('#login-pin-refused')).to.equal('Mã PIN quá dễ đoán: một chữ số hay một nhóm số lặp lại.');
    const users = async (): Promise<User[]> => (await request(cb.h.app).get('/api/v1/users?limit=500').set('Authorization', await cb.h.login('coop@demo.test')).expect(200)).body.items;
    expect((await users()).filter((u) => u.phone === '+84905123456')).to.deep.equal([]);

    await page.fill('#login-pin', '739164');
    await page.click('#farmer-login button[type=submit]');
    await page.waitForSelector('#farmer-login [role=status]:has-text("0905 123 456")');
    const row = await page.waitForSelector('#farmers-table tr:has-text("Hà Thị Nga")');
    expect(await row.textContent()).to.include('0905 123 456');
    const nga = (await users()).find((u) => u.phone === '+84905123456')!;
    expect(nga.name).to.equal('Hà Thị Nga');
    await phoneLogin('0905 123 456', '739164').expect(200);
    expect(await cb.seriousViolations(page)).to.deep.equal([]);
    await shot(page, 'members-farmer-added-1280');

    await page.click(`#farmers-table tr[data-user-id="${nga.id}"] button`);
    await page.waitForSelector('#pin-reset h3:has-text("Hà Thị Nga")');
    await page.fill('#new-pin', '583291');
    await page.click('#pin-reset button[type=submit]');
    await page.waitForSelector('#pin-reset [role=status]:has-text("Đã đặt mã PIN mới cho Hà Thị Nga")');
    expect(await page.inputValue('#new-pin')).to.equal('');
    await shot(page, 'members-pin-reset-1280');
    await phoneLogin('0905 123 456', '739164').expect(401);
    await phoneLogin('0905 123 456', '583291').expect(200);
    expect(errors).to.deep.equal([]);
    await context.close();
  });
});
