import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import request from 'supertest';
import { EXPORT_FORMATS } from '../src/modules/exports/service.js';
import { chromiumMissingReason } from './support/chromium.js';
import { startCoopBrowser, TABLET, type CoopBrowser } from './support/coop-browser.js';

const MEMBERS_HEADING = 'Thành viên và bản đồ thửa đất';
const EXPORTS_HEADING = 'Xuất dữ liệu';

interface ApiPlot {
  id: string;
  orgId: string;
  name: string;
  areaHa: number | null;
}

const vietnameseHa = (ha: number) => `${ha.toLocaleString('vi-VN', { maximumFractionDigits: 2 })} ha`;

async function hasNoHorizontalScroll(page: Page): Promise<boolean> {
  return page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth);
}

describe('the cooperative members map and exports in a real browser', function () {
  const missing = chromiumMissingReason();
  let cb: CoopBrowser;
  let admin: string;

  before(async function () {
    if (missing) return this.skip();
    cb = await startCoopBrowser();
    admin = await cb.h.login('coop@demo.test');
  });

  after(async () => {
    await cb?.close();
  });

  const get = async (path: string, auth = admin) => (await request(cb.h.app).get(path).set('Authorization', auth).expect(200)).body;

  it(missing ? `when Chromium is missing, then the members and exports browser checks are skipped (${missing})` : 'when the admin opens the members screen, then every plot of the members is drawn, a member zooms and highlights, and a plot shows its details by click or keyboard', async function () {
    const { context, page, errors } = await cb.loggedIn();
    await cb.open(page, 'members', MEMBERS_HEADING);
    const plots = (await get('/api/v1/plots?limit=500')).items as ApiPlot[];
    const drawn = await page.$$eval('.plot-map [data-plot-id]', (nodes) => nodes.map((n) => n.getAttribute('data-plot-id')));
    expect(drawn.sort()).to.deep.equal(plots.map((p) => p.id).sort());
    const members = (await get('/api/v1/organizations?limit=500')).items.filter((o: { type: string }) => o.type === 'farm_household');
    expect(await page.locator('#members-table tbody tr').count()).to.equal(members.length);
    expect(await hasNoHorizontalScroll(page)).to.equal(true);
    await cb.screenshot(page, 'members-map-1280');

    const hill = plots.find((p) => p.name === 'Rẫy Phú Lộc (đồi)')!;
    const width = () => page.locator(`[data-plot-id="${hill.id}"] .shape`).evaluate((e) => e.getBoundingClientRect().width);
    const before = await width();
    await page.click(`.map-legend button[data-org-id="${hill.orgId}"]`);
    await page.waitForSelector(`.map-legend button[data-org-id="${hill.orgId}"][aria-pressed="true"]`);
    expect(await width()).to.be.greaterThan(before * 2);
    const others = plots.filter((p) => p.orgId !== hill.orgId);
    for (const p of others) expect(await page.getAttribute(`[data-plot-id="${p.id}"]`, 'opacity')).to.equal('0.35');
    expect(await page.getAttribute(`[data-plot-id="${hill.id}"]`, 'opacity')).to.equal('1');

    await page.click(`[data-plot-id="${hill.id}"] .shape`);
    await page.waitForSelector(`#plot-details-heading:has-text("${hill.name}")`);
    expect(await page.textContent('#plot-area')).to.include(vietnameseHa(hill.areaHa!));
    expect(await page.textContent('.plot-details')).to.include('RA-VN-2025-8841');
    await cb.screenshot(page, 'members-map-zoomed-1280');

    await page.click('.map-legend button:has-text("Tất cả các hộ")');
    const garden = plots.find((p) => p.name === 'Vườn Ea Hồ')!;
    await page.focus(`[data-plot-id="${garden.id}"]`);
    await page.keyboard.press('Enter');
    await page.waitForSelector(`#plot-details-heading:has-text("${garden.name}")`);
    expect(await page.textContent('#plot-area')).to.include(vietnameseHa(garden.areaHa!));
    expect(await page.textContent('.plot-details')).to.include('hết hạn');
    const osm = page.locator('.plot-details a[href^="https://www.openstreetmap.org/"]');
    expect(await osm.getAttribute('target')).to.equal('_blank');
    expect(await osm.getAttribute('href')).to.include('mlat=12.953384&mlon=108.351207');
    await cb.screenshot(page, 'members-map-plot-1280');
    await page.setViewportSize(TABLET.viewport);
    expect(await hasNoHorizontalScroll(page)).to.equal(true);
    await cb.screenshot(page, 'members-map-768');
    expect(errors).to.deep.equal([]);
    await context.close();
  });

  it(missing ? 'when Chromium is missing, then the isolation check is skipped' : 'when another cooperative opens the members screen, then only its own plots are drawn', async function () {
    const { context, page } = await cb.loggedIn({ email: 'other-coop@demo.test' });
    await cb.open(page, 'members', MEMBERS_HEADING);
    await page.waitForSelector('.plot-map');
    const own = (await get('/api/v1/plots?limit=500', await cb.h.login('other-coop@demo.test'))).items as ApiPlot[];
    const coopPlots = (await get('/api/v1/plots?limit=500')).items as ApiPlot[];
    const drawn = await page.$$eval('.plot-map [data-plot-id]', (nodes) => nodes.map((n) => n.getAttribute('data-plot-id')));
    expect(own.length).to.be.greaterThan(0);
    expect(drawn.sort()).to.deep.equal(own.map((p) => p.id).sort());
    const text = (await page.textContent('main')) ?? '';
    for (const p of coopPlots) expect(text).not.to.include(p.name);
    await context.close();
  });

  it(missing ? 'when Chromium is missing, then the member forms are skipped' : 'when the admin registers a household and its farmer login through the forms, then both exist, a short password is refused with the server’s field error, the farmer can log in, and an operator sees no forms', async function () {
    const { context, page, errors } = await cb.loggedIn();
    await cb.open(page, 'members', MEMBERS_HEADING);
    await page.fill('#member-name', 'Hộ bà Đinh Thị Hoà');
    expect(await page.inputValue('#member-slug')).to.equal('ho-ba-dinh-thi-hoa');
    expect(await page.inputValue('#member-province')).to.equal('Đắk Lắk');
    await page.fill('#member-commune', 'Xã Ea Kar');
    await page.click('#register-member button[type=submit]');
    await page.waitForSelector('#register-member [role=status]:has-text("Hộ bà Đinh Thị Hoà")');
    const organizations = (await get('/api/v1/organizations?limit=500')).items as Array<{ id: string; slug: string; address: { commune: string } }>;
    const household = organizations.find((o) => o.slug === 'ho-ba-dinh-thi-hoa')!;
    expect(household.address.commune).to.equal('Xã Ea Kar');
    await page.waitForSelector(`#members-table tr[data-org-id="${household.id}"]`);

    await page.selectOption('#login-member', household.id);
    await page.fill('#login-name', 'Đinh Thị Hoà');
    await page.check('#farmer-login-email');
    await page.fill('#login-email', 'hoa@demo.test');
    await page.fill('#login-password', 'short');
    await page.click('#farmer-login button[type=submit]');
    const alert = await page.waitForSelector('#farmer-login [role=alert]');
    expect(await alert.textContent()).to.contain('Mật khẩu: Cần ít nhất 12 ký tự.');
    const usersBefore = (await get('/api/v1/users?limit=500')).items as Array<{ email: string }>;
    expect(usersBefore.map((u) => u.email)).not.to.include('hoa@demo.test');

    await page.fill('#login-password', 'ca-phe-ea-kar-2026');
    await page.click('#farmer-login button[type=submit]');
    await page.waitForSelector('#farmer-login [role=status]:has-text("hoa@demo.test")');
    const users = (await get('/api/v1/users?limit=500')).items as Array<{ email: string; role: string; orgId: string }>;
    expect(users.find((u) => u.email === 'hoa@demo.test')).to.include({ role: 'farmer', orgId: household.id });
    await request(cb.h.app).post('/api/v1/auth/login').send({ email: 'hoa@demo.test', password: 'ca-phe-ea-kar-2026' }).expect(200);
    expect(errors).to.deep.equal([]);
    await context.close();

    await request(cb.h.app)
      .post('/api/v1/users')
      .set('Authorization', admin)
      .send({ email: 'operator@demo.test', name: 'Nhân viên văn phòng', password: 'demo-password', role: 'operator' })
      .expect(201);
    const operator = await cb.loggedIn({ email: 'operator@demo.test' });
    await cb.open(operator.page, 'members', MEMBERS_HEADING);
    await operator.page.waitForSelector('#members-table');
    expect(await operator.page.locator('#register-member, #farmer-login').count()).to.equal(0);
    await operator.context.close();
  });

  it(missing ? 'when Chromium is missing, then the exports checks are skipped' : 'when the admin checks and downloads each export, then the report matches the API’s and the file begins as its format does', async function () {
    const { context, page, errors } = await cb.loggedIn({ acceptDownloads: true });
    await cb.open(page, 'exports', EXPORTS_HEADING);
    await page.waitForSelector('section.export');
    expect(await page.locator('section.export').count()).to.equal(EXPORT_FORMATS.length);
    const beginnings: Record<(typeof EXPORT_FORMATS)[number], RegExp> = {
      'google-merchant.xml': /^<\?xml[^>]*>\s*<rss/,
      'google-merchant.tsv': /^id\t/,
      'meta-catalog.csv': /^id,/,
      'listings.csv': /^Listing ID,/,
      'eudr.geojson': /^\{"type":"FeatureCollection"/,
    };
    for (const format of EXPORT_FORMATS) {
      const section = page.locator(`#export-${format.replace('.', '-')}`);
      const report = await get(`/api/v1/exports/${format}/report`);
      await section.locator('button.check').click();
      await section.locator('.report').waitFor();
      expect(await section.locator('.written strong').textContent()).to.include(`${report.written}`);
      expect(await section.locator('table.skipped tbody tr').count()).to.equal(report.skipped.length);
      for (const skipped of report.skipped) expect(await section.locator(`tr[data-id="${skipped.id}"] li`).first().getAttribute('data-code')).to.equal(skipped.problems[0].code);
      const [download] = await Promise.all([page.waitForEvent('download'), section.locator('button.download').click()]);
      expect(download.suggestedFilename()).to.match(new RegExp(`^${format.split('.')[0]}-\\d{4}-\\d{2}-\\d{2}\\.${format.split('.')[1]}$`));
      const body = readFileSync((await download.path())!, 'utf8');
      expect(body.replace(/^\uFEFF/, '')).to.match(beginnings[format]);
    }
    const lots = (await get('/api/v1/batches?limit=500')).items as Array<{ id: string; lotNumber: string; plotIds: string[] }>;
    const lot = lots.find((l) => l.lotNumber === 'PLO-2511-01')!;
    const eudr = page.locator('#export-eudr-geojson');
    await eudr.locator('select').selectOption(lot.id);
    await eudr.locator('button.check').click();
    await eudr.locator('.report').waitFor();
    const lotReport = await get(`/api/v1/exports/eudr.geojson/report?batchId=${lot.id}`);
    expect(await eudr.locator('.written strong').textContent()).to.include(`${lotReport.written}`);
    const [download] = await Promise.all([page.waitForEvent('download'), eudr.locator('button.download').click()]);
    expect(download.suggestedFilename()).to.match(/^eudr-PLO-2511-01-/);
    const geojson = JSON.parse(readFileSync((await download.path())!, 'utf8')) as { features: unknown[] };
    expect(geojson.features).to.have.length(lotReport.written);
    expect(await hasNoHorizontalScroll(page)).to.equal(true);
    await cb.screenshot(page, 'exports-report-1280');
    await page.setViewportSize(TABLET.viewport);
    expect(await hasNoHorizontalScroll(page)).to.equal(true);
    await cb.screenshot(page, 'exports-report-768');
    expect(errors).to.deep.equal([]);
    await context.close();
  });

  it(missing ? 'when Chromium is missing, then the accessibility checks are skipped' : 'when axe checks the members and exports screens in Vietnamese and the members screen in English, then there is no serious or critical violation', async function () {
    const { context, page } = await cb.loggedIn({ bypassCSP: true });
    await cb.open(page, 'members', MEMBERS_HEADING);
    await page.locator('.map-legend button[data-org-id]').first().click();
    await page.locator('.plot-map [data-plot-id][opacity="1"] .shape').first().click();
    await page.waitForSelector('.plot-details');
    expect(await cb.seriousViolations(page)).to.deep.equal([]);
    await cb.open(page, 'exports', EXPORTS_HEADING);
    await page.locator('#export-google-merchant-xml button.check').click();
    await page.locator('#export-google-merchant-xml .report').waitFor();
    expect(await cb.seriousViolations(page)).to.deep.equal([]);
    await cb.open(page, 'members', 'Members and plot map', '?lang=en');
    await page.waitForSelector('.plot-map');
    expect(await cb.seriousViolations(page)).to.deep.equal([]);
    await context.close();
  });
});
