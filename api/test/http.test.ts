import { expect } from 'chai';
import request from 'supertest';
import { MAX_JSON_DEPTH } from '../src/core/api-router.js';
import { startHarness, squarePlot, type Harness } from './support/harness.js';

const PROBLEM = /^application\/problem\+json/;

describe('HTTP contract', () => {
  let h: Harness;
  let coop: string;
  beforeEach(async () => {
    h = await startHarness({ seed: true });
    coop = await h.login('coop@demo.test');
  });
  afterEach(() => h.close());

  const plotCount = async () => (await request(h.app).get('/api/v1/plots?limit=500').set('Authorization', coop)).body.items.length as number;

  it('when /healthz is called, then it answers {"status":"ok"}', async () => {
    const res = await request(h.app).get('/healthz').expect(200);
    expect(res.body).to.deep.equal({ status: 'ok' });
  });

  it('when /readyz is called, then it checks the database and answers ok', async () => {
    const res = await request(h.app).get('/readyz').expect(200);
    expect(res.body).to.include({ status: 'ok', database: 'sqlite' });
  });

  it('when the database is closed, then /readyz answers 503 problem+json', async () => {
    await h.store.close();
    const res = await request(h.app).get('/readyz').expect(503);
    expect(res.headers['content-type']).to.match(PROBLEM);
  });

  it('when a route does not exist, then the answer is a 404 problem with type, title, status and detail', async () => {
    const res = await request(h.app).get('/api/v1/nothing-here').expect(404);
    expect(res.headers['content-type']).to.match(PROBLEM);
    expect(res.body).to.include({ status: 404, title: 'Not found' });
    expect(res.body.type).to.be.a('string');
    expect(res.body.detail).to.be.a('string');
  });

  it('when no token is sent to a private route, then the answer is 401 with WWW-Authenticate', async () => {
    const res = await request(h.app).get('/api/v1/plots').expect(401);
    expect(res.headers['www-authenticate']).to.equal('Bearer');
    expect(res.headers['content-type']).to.match(PROBLEM);
  });

  it('when a JSON body is over 1 MB, then the answer is 413 problem+json and nothing is written', async () => {
    const before = await plotCount();
    const res = await request(h.app)
      .post('/api/v1/plots')
      .set('Authorization', coop)
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ name: 'x'.repeat(1_100_000), crops: ['coffee'], geometry: squarePlot() }))
      .expect(413);
    expect(res.headers['content-type']).to.match(PROBLEM);
    expect(await plotCount()).to.equal(before);
  });

  it('when the body is not valid JSON, then the answer is 400 naming the body', async () => {
    const res = await request(h.app).post('/api/v1/plots').set('Authorization', coop).set('Content-Type', 'application/json').send('{"name": ').expect(400);
    expect(res.headers['content-type']).to.match(PROBLEM);
    expect(res.body.errors[0].path).to.equal('(body)');
  });

  it('when a JSON body nests thousands of levels deep, then the answer is 400 naming the body instead of a 500, and no capture is accepted', async () => {
    // Found by the fuzz suite: a schema that takes any object let such a body through to the
    // Idempotency-Key hash, whose recursion overflowed the stack.
    const deep = '{"a":'.repeat(100_000) + '1' + '}'.repeat(100_000);
    const jobs = async () => (await request(h.app).get('/epcis/capture').set('Authorization', coop).expect(200)).body;
    const before = await jobs();
    const res = await request(h.app).post('/epcis/capture').set('Authorization', coop).set('Idempotency-Key', 'deep-1').set('Content-Type', 'application/json').send(deep).expect(400);
    expect(res.headers['content-type']).to.match(PROBLEM);
    expect(res.body.errors[0]).to.deep.equal({ path: '(body)', code: 'body-too-deep', message: `the body nests deeper than ${MAX_JSON_DEPTH} levels`, params: { maximum: MAX_JSON_DEPTH } });
    expect(await jobs()).to.deep.equal(before);
    // A body just within the limit still reaches its route's own validation.
    const within = await request(h.app).post('/api/v1/plots').set('Authorization', coop).send({ crops: ['coffee'], geometry: squarePlot(), name: JSON.parse('['.repeat(MAX_JSON_DEPTH - 1) + ']'.repeat(MAX_JSON_DEPTH - 1)) }).expect(400);
    expect(within.body.errors[0].path).to.equal('name');
  });

  it('when a JSON string or key holds a lone UTF-16 surrogate, then the answer is 400 naming where, instead of a 500, and nothing is written; astral characters pass', async () => {
    // Found by the fuzz suite: "\ud800" is valid JSON syntax but not text, and the canonical
    // JSON of the Idempotency-Key hash refused it with an exception.
    const plots = async () => (await request(h.app).get('/api/v1/plots?limit=500').set('Authorization', coop).expect(200)).body.items.length;
    const before = await plots();
    const send = (json: string, key: string) => request(h.app).post('/api/v1/plots').set('Authorization', coop).set('Idempotency-Key', key).set('Content-Type', 'application/json').send(json);
    const geometry = JSON.stringify(squarePlot(0.07));
    const inValue = await send(`{"name":"R\\ud800y","crops":["coffee-robusta"],"geometry":${geometry}}`, 'lone-1').expect(400);
    expect(inValue.headers['content-type']).to.match(PROBLEM);
    expect(inValue.body.errors[0].path).to.equal('name');
    const inKey = await send(`{"name":"Rẫy","crops":["coffee-robusta"],"geometry":${geometry},"x\\udc00":1}`, 'lone-2').expect(400);
    expect(inKey.body.errors[0].path).to.equal('(body)');
    expect(await plots()).to.equal(before);
    await send(`{"name":"Rẫy 𒒖 \\ud83c\\udf31","crops":["coffee-robusta"],"geometry":${geometry}}`, 'astral-1').expect(201);
  });

  it('when the body is not JSON at all, then the answer is 415', async () => {
    const res = await request(h.app).post('/api/v1/plots').set('Authorization', coop).set('Content-Type', 'text/plain').send('name=x').expect(415);
    expect(res.headers['content-type']).to.match(PROBLEM);
  });

  it('when a body has an unknown field, then the answer is 400 naming it and nothing is written', async () => {
    const before = await plotCount();
    const res = await request(h.app)
      .post('/api/v1/plots')
      .set('Authorization', coop)
      .send({ name: 'Rẫy thử', crops: ['coffee-robusta'], geometry: squarePlot(0.01), colour: 'green' })
      .expect(400);
    expect(res.body.errors).to.deep.include({ path: '(body)', code: 'unknown-field', message: 'unknown field: colour', params: { fields: 'colour' } });
    expect(await plotCount()).to.equal(before);
  });

  it('when a body carries __proto__, then it is rejected as an unknown field', async () => {
    const res = await request(h.app)
      .post('/api/v1/plots')
      .set('Authorization', coop)
      .set('Content-Type', 'application/json')
      .send('{"name":"x","crops":["coffee"],"geometry":{"type":"Point","coordinates":[108.4,12.9]},"declaredAreaHa":1,"__proto__":{"admin":true}}')
      .expect(400);
    expect(JSON.stringify(res.body.errors)).to.contain('__proto__');
    expect(({} as Record<string, unknown>).admin).to.equal(undefined);
  });

  it('when a list is asked for more than 500 items, then the answer is 400 naming limit', async () => {
    const res = await request(h.app).get('/api/v1/batches?limit=501').set('Authorization', coop).expect(400);
    expect(res.body.errors[0].path).to.equal('limit');
  });

  it('when a list is walked page by page with nextCursor, then every item is seen exactly once', async () => {
    const seen = new Set<string>();
    let cursor: string | null = null;
    let pages = 0;
    do {
      const url: string = `/api/v1/batches?limit=3${cursor ? `&cursor=${cursor}` : ''}`;
      const res = await request(h.app).get(url).set('Authorization', coop).expect(200);
      for (const item of res.body.items as Array<{ id: string }>) {
        expect(seen.has(item.id), 'no item twice').to.equal(false);
        seen.add(item.id);
      }
      cursor = res.body.nextCursor;
      pages++;
    } while (cursor);
    const all = await request(h.app).get('/api/v1/batches').set('Authorization', coop).expect(200);
    expect(all.body.items.length).to.equal(seen.size);
    expect(pages).to.be.greaterThan(1);
  });

  it('when a POST is repeated with the same Idempotency-Key and body, then the first response is replayed and one plot exists', async () => {
    const body = { name: 'Rẫy idempotent', crops: ['coffee-robusta'], geometry: squarePlot(0.02) };
    const first = await request(h.app).post('/api/v1/plots').set('Authorization', coop).set('Idempotency-Key', 'plot-abc-1').send(body).expect(201);
    const before = await plotCount();
    const second = await request(h.app).post('/api/v1/plots').set('Authorization', coop).set('Idempotency-Key', 'plot-abc-1').send(body).expect(201);
    expect(second.body.id).to.equal(first.body.id);
    expect(second.headers.location).to.equal(first.headers.location);
    expect(second.headers['idempotent-replayed']).to.equal('true');
    expect(await plotCount()).to.equal(before);
  });

  it('when an Idempotency-Key is reused with a different body, then the answer is 422 and nothing is written', async () => {
    await request(h.app).post('/api/v1/plots').set('Authorization', coop).set('Idempotency-Key', 'k-2').send({ name: 'A', crops: ['tea'], geometry: squarePlot(0.03) }).expect(201);
    const before = await plotCount();
    const res = await request(h.app).post('/api/v1/plots').set('Authorization', coop).set('Idempotency-Key', 'k-2').send({ name: 'B', crops: ['tea'], geometry: squarePlot(0.04) }).expect(422);
    expect(res.headers['content-type']).to.match(PROBLEM);
    expect(res.body.errors[0].path).to.equal('Idempotency-Key');
    expect(await plotCount()).to.equal(before);
  });

  it('when a request with an Idempotency-Key fails validation, then the key stays free for the corrected request', async () => {
    await request(h.app).post('/api/v1/plots').set('Authorization', coop).set('Idempotency-Key', 'k-3').send({ name: 'A', crops: [], geometry: squarePlot(0.05) }).expect(400);
    await request(h.app).post('/api/v1/plots').set('Authorization', coop).set('Idempotency-Key', 'k-3').send({ name: 'A', crops: ['tea'], geometry: squarePlot(0.05) }).expect(201);
  });

  it('when two users send the same Idempotency-Key, then each gets its own resource', async () => {
    const other = await h.login('other-coop@demo.test');
    const a = await request(h.app).post('/api/v1/plots').set('Authorization', coop).set('Idempotency-Key', 'same').send({ name: 'A', crops: ['coffee'], geometry: squarePlot(0.06) }).expect(201);
    const b = await request(h.app).post('/api/v1/plots').set('Authorization', other).set('Idempotency-Key', 'same').send({ name: 'A', crops: ['coffee'], geometry: squarePlot(0.06) }).expect(201);
    expect(a.body.id).to.not.equal(b.body.id);
  });

  it('when the OpenAPI document is fetched, then it is OpenAPI 3.1 and describes the resources with their schemas', async () => {
    const res = await request(h.app).get('/api/v1/openapi.json').expect(200);
    expect(res.body.openapi).to.equal('3.1.0');
    for (const path of ['/api/v1/plots', '/api/v1/batches', '/api/v1/batches/{id}/steps', '/api/v1/auth/login']) {
      expect(res.body.paths, path).to.have.property(path);
    }
    const plotBody = res.body.paths['/api/v1/plots'].post.requestBody.content['application/json'].schema;
    expect(plotBody.required).to.include.members(['name', 'crops']);
    expect(plotBody.additionalProperties).to.equal(false);
  });

  it('when any response is sent, then helmet headers and a request id are present', async () => {
    const res = await request(h.app).get('/healthz').set('X-Request-Id', 'abc-123');
    expect(res.headers['x-content-type-options']).to.equal('nosniff');
    expect(res.headers['x-request-id']).to.equal('abc-123');
    expect(res.headers).to.not.have.property('x-powered-by');
  });
});
