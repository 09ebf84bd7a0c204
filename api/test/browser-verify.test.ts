import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import request from 'supertest';
import { chromiumMissingReason, launchChromium } from './support/chromium.js';
import { startHarness, type Harness } from './support/harness.js';

interface BrowserReport {
  valid: boolean;
  engine: string;
  failed: Array<{ hash: string; checks: string[] }>;
  events: number;
}

describe('provenance verification in the browser', function () {
  const missing = chromiumMissingReason();
  let h: Harness;
  let server: Server;
  let base: string;
  let browser: Browser;
  let page: Page;
  let bundle: Record<string, unknown>;

  before(async function () {
    if (missing) return this.skip();
    h = await startHarness({ seed: true });
    server = h.app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const processor = await h.login('processor@demo.test');
    const lots = (await request(h.app).get('/api/v1/batches').set('Authorization', processor)).body.items as Array<{ id: string; published: boolean }>;
    const published = lots.find((l) => l.published);
    bundle = (await request(h.app).get(`/api/v1/batches/${published!.id}/provenance`).expect(200)).body;
    browser = await launchChromium();
    page = await browser.newPage();
    // A page of the service's own origin: a secure context (loopback), so WebCrypto is there.
    await page.goto(`${base}/healthz`);
  });

  after(async () => {
    await browser?.close();
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
    await h?.close();
  });

  const verifyInPage = (input: unknown, engine: 'auto' | 'noble'): Promise<BrowserReport> =>
    page.evaluate(
      async ({ url, input, engine }) => {
        const { verifyBundle } = await import(url);
        const report = await verifyBundle(input, { engine });
        return {
          valid: report.valid,
          engine: report.engine,
          events: report.events.length,
          failed: report.events
            .filter((e: { valid: boolean }) => !e.valid)
            .map((e: { hash: string; failures: Array<{ check: string }> }) => ({ hash: e.hash, checks: e.failures.map((f) => f.check) })),
        };
      },
      { url: `${base}/assets/verify-bundle.js`, input, engine },
    );

  it(missing ? `when Chromium is missing, then browser verification is skipped (${missing})` : 'when a published bundle is verified in Chromium, then every event verifies with WebCrypto Ed25519', async function () {
    if (missing) return this.skip();
    const report = await verifyInPage(bundle, 'auto');
    expect(report.engine).to.equal('webcrypto');
    expect(report.valid).to.equal(true);
    expect(report.events).to.equal((bundle.events as unknown[]).length);
  });

  it('when the browser lacks WebCrypto Ed25519, then the pure-JS fallback loads on demand and verifies the same bundle', async function () {
    if (missing) return this.skip();
    const chunks: string[] = [];
    page.on('request', (r) => {
      if (r.url().includes('/assets/chunk-')) chunks.push(r.url());
    });
    const report = await verifyInPage(bundle, 'noble');
    expect(report.engine).to.equal('noble');
    expect(report.valid).to.equal(true);
    expect(chunks.length, 'the fallback chunks were fetched').to.be.greaterThan(0);
  });

  it('when a payload in the bundle is altered, then the browser reports that event as failing its hash and signature', async function () {
    if (missing) return this.skip();
    const tampered = structuredClone(bundle) as { events: Array<{ hash: string; jws: string }> };
    const target = tampered.events[1]!;
    const [header, payload, signature] = target.jws.split('.') as [string, string, string];
    const event = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
    event.eventTime = '2020-01-01T00:00:00+07:00';
    target.jws = [header, Buffer.from(JSON.stringify(event)).toString('base64url'), signature].join('.');
    for (const engine of ['auto', 'noble'] as const) {
      const report = await verifyInPage(tampered, engine);
      expect(report.valid).to.equal(false);
      const failed = report.failed.find((f) => f.hash === target.hash);
      expect(failed?.checks).to.include.members(['hash', 'signature']);
    }
  });
});
