import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import sharp from 'sharp';
import request from 'supertest';
import { answerClientErrorsAsProblems } from '../src/core/problem-middleware.js';
import { startHarness, type Harness } from './support/harness.js';
import { rawExchange } from './support/raw-http.js';

const PROBLEM = /application\/problem\+json/;
const BROWSER_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';

interface Lot {
  id: string;
  published: boolean;
  digitalLink: string;
  lotNumber: string;
}

function expectRetryLater(res: request.Response): void {
  expect(res.status).to.equal(429);
  expect(res.headers['content-type']).to.match(PROBLEM);
  expect(Number(res.headers['retry-after'])).to.be.greaterThan(0);
}

describe('abuse limits', function () {
  this.timeout(60_000);

  describe('logins', () => {
    let h: Harness;
    before(async () => {
      h = await startHarness({ seed: true, env: { LOGIN_RATE_LIMIT: '100', LOGIN_ACCOUNT_FAILURE_LIMIT: '3' } });
    });
    after(() => h?.close());

    const login = (email: string, password: string) => request(h.app).post('/api/v1/auth/login').send({ email, password });

    it('when an account gets LOGIN_ACCOUNT_FAILURE_LIMIT wrong passwords, then even the right one gets 429 with Retry-After, while other accounts on the same address still log in', async () => {
      for (let i = 0; i < 3; i++) await login('Farmer@demo.test ', 'wrong-password').expect(401);
      expectRetryLater(await login('farmer@demo.test', 'demo-password'));
      await login('coop@demo.test', 'demo-password').expect(200);
    });

    it('when an account logs in successfully again and again, then its successes are not counted against it', async () => {
      for (let i = 0; i < 5; i++) await login('processor@demo.test', 'demo-password').expect(200);
      await login('processor@demo.test', 'wrong-password').expect(401);
      await login('processor@demo.test', 'demo-password').expect(200);
    });
  });

  describe('uploads', () => {
    let h: Harness;
    let photo: Buffer;
    before(async () => {
      h = await startHarness({ seed: true, env: { UPLOAD_RATE_LIMIT: '2' } });
      photo = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#6b8e23' } }).jpeg().toBuffer();
    });
    after(() => h?.close());

    it('when a caller sends more uploads a minute than UPLOAD_RATE_LIMIT, then 429 with Retry-After before the body is stored, while another user and an API key on the same address have their own count', async () => {
      const coop = await h.login('coop@demo.test');
      const lots = (await request(h.app).get('/api/v1/batches?limit=500').set('Authorization', coop).expect(200)).body.items as Lot[];
      const lot = lots[0]!;
      const upload = (auth: string) => request(h.app).post(`/api/v1/batches/${lot.id}/media`).set('Authorization', auth).attach('file', photo, 'a.jpg');
      await upload(coop).expect(201);
      await upload(coop).expect(201);
      expectRetryLater(await upload(coop));
      const listed = await request(h.app).get(`/api/v1/batches/${lot.id}/media`).set('Authorization', coop).expect(200);
      expect(listed.body.items).to.have.length(2);

      const key = await request(h.app).post('/api/v1/api-keys').set('Authorization', coop).send({ name: 'scanner' }).expect(201);
      await upload(`Bearer ${key.body.token as string}`).expect(201);
      const plots = (await request(h.app).get('/api/v1/plots').set('Authorization', await h.login('farmer@demo.test')).expect(200)).body.items as Array<{ id: string }>;
      await request(h.app).post(`/api/v1/plots/${plots[0]!.id}/media`).set('Authorization', await h.login('farmer@demo.test')).attach('file', photo, 'b.jpg').expect(201);
    });
  });

  describe('slow bodies, CORS and the content security policy', () => {
    let h: Harness;
    before(async () => {
      h = await startHarness({ seed: true, env: { BODY_TIMEOUT_SECONDS: '1' } });
    });
    after(() => h?.close());

    it('when a JSON body trickles in slower than BODY_TIMEOUT_SECONDS, then 408 problem+json naming the body, the connection is closed and nothing is written', async () => {
      const coop = await h.login('coop@demo.test');
      const before = (await request(h.app).get('/api/v1/plots?limit=500').set('Authorization', coop).expect(200)).body.items.length;
      const server = h.app.listen(0, '127.0.0.1');
      await new Promise((resolve) => server.once('listening', resolve));
      try {
        const { port } = server.address() as AddressInfo;
        const answer = await rawExchange(
          port,
          `POST /api/v1/plots HTTP/1.1\r\nHost: x\r\nAuthorization: ${coop}\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n{"name": "Rẫy chậm",`,
          10_000,
        );
        expect(answer).to.match(/^HTTP\/1\.1 408 /);
        expect(answer).to.match(/content-type: application\/problem\+json/i);
        expect(answer).to.match(/connection: close/i);
        expect(answer).to.include('"path":"(body)"');
      } finally {
        server.close();
      }
      const after = (await request(h.app).get('/api/v1/plots?limit=500').set('Authorization', coop).expect(200)).body.items.length;
      expect(after).to.equal(before);
    });

    it('when Node’s HTTP parser refuses a request (headers over 16 KB, a broken request line), then the answer is still problem+json and the connection closes', async () => {
      const server = h.app.listen(0, '127.0.0.1');
      answerClientErrorsAsProblems(server);
      await new Promise((resolve) => server.once('listening', resolve));
      try {
        const { port } = server.address() as AddressInfo;
        const exchange = (raw: string) => rawExchange(port, raw);
        const tooLarge = await exchange(`GET /healthz HTTP/1.1\r\nHost: x\r\nX-Padding: ${'a'.repeat(20_000)}\r\n\r\n`);
        expect(tooLarge).to.match(/^HTTP\/1\.1 431 /);
        expect(tooLarge).to.match(/content-type: application\/problem\+json/i);
        expect(JSON.parse(tooLarge.split('\r\n\r\n')[1]!)).to.include({ status: 431, title: 'Request headers too large' });
        const broken = await exchange('HELLO THERE\r\n\r\n');
        expect(broken).to.match(/^HTTP\/1\.1 400 /);
        expect(JSON.parse(broken.split('\r\n\r\n')[1]!)).to.include({ status: 400 });
      } finally {
        server.close();
      }
    });

    it('when another site reads keys, bundles, the log, EPCIS documents or images, then CORS allows any origin without credentials; the private API sends no CORS headers', async () => {
      const coop = await h.login('coop@demo.test');
      const lots = (await request(h.app).get('/api/v1/batches?limit=500').set('Authorization', coop).expect(200)).body.items as Lot[];
      const lot = lots.find((l) => l.published)!;
      const bundle = await request(h.app).get(`/api/v1/batches/${lot.id}/provenance`).expect(200);
      const rendition = (bundle.body.media as Array<{ url: string }>)[0];
      const publicReads = [
        '/.well-known/jwks.json',
        `/api/v1/batches/${lot.id}/provenance`,
        `/api/v1/batches/${lot.id}/epcis`,
        '/api/v1/log/checkpoint',
        '/api/v1/log/vkey',
        ...(rendition ? [new URL(rendition.url).pathname] : []),
      ];
      for (const url of publicReads) {
        const res = await request(h.app).get(url).set('Origin', 'https://importer.example');
        expect(res.headers['access-control-allow-origin'], url).to.equal('*');
        expect(res.headers['access-control-allow-credentials'], url).to.equal(undefined);
      }
      for (const [method, url] of [['get', '/api/v1/batches'], ['get', `/api/v1/batches/${lot.id}`], ['post', '/api/v1/auth/login'], ['get', '/api/v1/audit']] as const) {
        const res = await request(h.app)[method](url).set('Origin', 'https://evil.example').set('Authorization', coop);
        expect(res.headers['access-control-allow-origin'], url).to.equal(undefined);
      }
    });

    it('when any HTML page is served, then its Content-Security-Policy allows scripts from the service only, and the page has no inline script or event handler', async () => {
      const coop = await h.login('coop@demo.test');
      const lot = ((await request(h.app).get('/api/v1/batches?limit=500').set('Authorization', coop).expect(200)).body.items as Lot[]).find((l) => l.published)!;
      const pages = ['/console', '/console?lang=en', new URL(lot.digitalLink).pathname, `${new URL(lot.digitalLink).pathname}?lang=en`, '/01/08936123450021', '/01/08936123450021/10/NO-SUCH-LOT', '/l/0000000000'];
      for (const url of pages) {
        const res = await request(h.app).get(url).set('Accept', BROWSER_ACCEPT);
        expect(res.headers['content-type'], url).to.match(/text\/html/);
        const csp = String(res.headers['content-security-policy']);
        const scriptSrc = /(?:^|;)\s*script-src ([^;]*)/.exec(csp)?.[1];
        expect(scriptSrc, `${url}: ${csp}`).to.equal("'self'");
        expect(csp, url).to.match(/script-src-attr 'none'/);
        expect(csp, url).to.match(/object-src 'none'/);
        const inlineScripts = [...res.text.matchAll(/<script\b([^>]*)>/gi)].filter(([, attributes]) => !/\bsrc=/.test(attributes!) && !/type="application\/ld\+json"/.test(attributes!));
        expect(inlineScripts.map(([tag]) => tag), url).to.deep.equal([]);
        expect(res.text, url).not.to.match(/<[^>]+\son[a-z]+=/i);
      }
    });
  });
});
