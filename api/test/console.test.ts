import { gzipSync } from 'node:zlib';
import { expect } from 'chai';
import { parse } from 'node-html-parser';
import request from 'supertest';
import { startHarness, type Harness } from './support/harness.js';

/** The console's script and the chunks it imports, gzipped, must stay small enough for 3G. */
const CONSOLE_SCRIPT_BUDGET_GZIP_BYTES = 40 * 1024;

describe('the farmer console, served', () => {
  let h: Harness;

  before(async () => {
    h = await startHarness();
  });
  after(() => h.close());

  it('when /console is requested, then it answers an HTML shell in Vietnamese that loads the console script and nothing inline', async () => {
    const res = await request(h.app).get('/console').expect(200);
    expect(res.headers['content-type']).to.equal('text/html; charset=utf-8');
    expect(res.headers['cache-control']).to.equal('no-cache');
    const csp = new Map((res.headers['content-security-policy'] as string).split(';').map((d) => [d.trim().split(' ')[0], d.trim().split(' ').slice(1).join(' ')]));
    expect(csp.get('script-src')).to.equal("'self'");
    expect(csp.get('script-src-attr')).to.equal("'none'");
    // Served over plain http (a phone on the cooperative's LAN), so scripts must not be upgraded to https.
    expect(csp.has('upgrade-insecure-requests')).to.equal(false);
    const doc = parse(res.text);
    expect(doc.querySelector('html')!.getAttribute('lang')).to.equal('vi');
    expect(doc.querySelector('title')!.text).to.equal('Sổ tay nông hộ');
    expect(doc.querySelector('meta[name="viewport"]')!.getAttribute('content')).to.equal('width=device-width,initial-scale=1');
    const scripts = doc.querySelectorAll('script');
    expect(scripts.map((s) => [s.getAttribute('type'), s.getAttribute('src'), s.text])).to.deep.equal([['module', '/assets/console.js', '']]);
    expect(doc.querySelector('noscript')!.text).to.contain('JavaScript');
  });

  it('when /console?lang=en is requested, then the shell is in English', async () => {
    const res = await request(h.app).get('/console?lang=en').expect(200);
    expect(res.headers['content-language']).to.equal('en');
    expect(parse(res.text).querySelector('html')!.getAttribute('lang')).to.equal('en');
    expect(parse(res.text).querySelector('title')!.text).to.equal('Farm notebook');
  });

  it('when the console script is fetched, then it is JavaScript within its gzip budget, with its chunks', async () => {
    const res = await request(h.app).get('/assets/console.js').buffer(true).parse((r, done) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => done(null, Buffer.concat(chunks)));
    });
    expect(res.status).to.equal(200);
    expect(res.headers['content-type']).to.equal('text/javascript; charset=utf-8');
    const script = res.body as Buffer;
    const chunks = [...script.toString('utf8').matchAll(/from"\.\/(chunk-[A-Z0-9]+\.js)"/g)].map((m) => m[1]!);
    let gzipped = gzipSync(script).length;
    for (const chunk of chunks) {
      const part = await request(h.app).get(`/assets/${chunk}`).expect(200).expect('content-type', 'text/javascript; charset=utf-8');
      gzipped += gzipSync(part.text).length;
    }
    expect(gzipped).to.be.below(CONSOLE_SCRIPT_BUDGET_GZIP_BYTES);
  });

  it('when a script is fetched accepting gzip, then it comes gzipped, the same bytes as without, with Vary: Accept-Encoding', async () => {
    const raw = (r: request.Response, done: (e: Error | null, b: Buffer) => void) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => done(null, Buffer.concat(chunks)));
    };
    const plain = await request(h.app).get('/assets/console.js').set('Accept-Encoding', 'identity').buffer(true).parse(raw).expect(200);
    expect(plain.headers['content-encoding']).to.equal(undefined);
    const zipped = await request(h.app).get('/assets/console.js').set('Accept-Encoding', 'gzip').buffer(true).parse(raw).expect(200);
    expect(zipped.headers['content-encoding']).to.equal('gzip');
    expect(zipped.headers.vary).to.match(/Accept-Encoding/);
    expect(Number(zipped.headers['content-length'])).to.be.below((plain.body as Buffer).length / 2);
  });

  it('when the service worker is fetched, then it is JavaScript allowed to control /console and lists the shell and script to cache', async () => {
    const res = await request(h.app).get('/console/sw.js').expect(200);
    expect(res.headers['content-type']).to.equal('text/javascript; charset=utf-8');
    expect(res.headers['service-worker-allowed']).to.equal('/console');
    expect(res.headers['cache-control']).to.equal('no-cache');
    const precache = JSON.parse(/^const CONSOLE_PRECACHE=(.*);$/m.exec(res.text)![1]!) as { version: string; urls: string[] };
    expect(precache.version).to.match(/^[0-9a-f]{16}$/);
    expect(precache.urls).to.include.members(['/console', '/assets/console.js', '/console/manifest.webmanifest', '/console/icon.svg']);
    for (const url of precache.urls) await request(h.app).get(url).expect(200);
  });

  it('when the web app manifest and icon are fetched, then they have their own content types and keep the console’s scope', async () => {
    const manifest = await request(h.app).get('/console/manifest.webmanifest').expect(200);
    expect(manifest.headers['content-type']).to.equal('application/manifest+json; charset=utf-8');
    const body = JSON.parse(manifest.text) as { start_url: string; scope: string; lang: string };
    expect([body.start_url, body.scope, body.lang]).to.deep.equal(['/console', '/console', 'vi']);
    await request(h.app).get('/console/icon.svg').expect(200).expect('content-type', 'image/svg+xml; charset=utf-8');
  });

  it('when an unknown file under /console is requested, then the answer is a 404 problem', async () => {
    const res = await request(h.app).get('/console/nope.js').expect(404);
    expect(res.headers['content-type']).to.equal('application/problem+json; charset=utf-8');
    expect(res.body).to.include({ status: 404 });
  });
});
