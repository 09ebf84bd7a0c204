import { createServer, type Server } from 'node:http';
import { gzipSync } from 'node:zlib';
import { expect } from 'chai';
import fc from 'fast-check';
import sharp from 'sharp';
import request from 'supertest';
import { canonicalDigitalLink, parseDigitalLink } from '../src/domain/gs1/digital-link.js';
import { startHarness, type Harness } from './support/harness.js';
import { withRawBody } from './support/raw-body.js';
import { bodyMutation, mutateBody } from './support/fuzz/body-mutation.js';
import { DatabaseFingerprint } from './support/fuzz/database-fingerprint.js';
import { digitalLinkTarget } from './support/fuzz/digital-links.js';
import { hostileJson, hostileString, jsonText, shortHostileString, type HostileJson } from './support/fuzz/hostile-values.js';
import { multipartBody } from './support/fuzz/multipart-bodies.js';
import { contractViolation, prototypeShape, type AnswerRules, type RawAnswer } from './support/fuzz/response-contract.js';
import { discoverKnownValues, fillTemplate, knownValuesFor, routesOf, type FuzzRoute, type KnownValues } from './support/fuzz/route-catalog.js';
import { percentEncoded } from './support/fuzz/url-parts.js';
import { validBodies, type BodyIngredients } from './support/fuzz/valid-bodies.js';

/**
 * Property-based fuzzing of the whole HTTP surface (issue 12). Whatever arrives, the service
 * answers 2xx or a problem+json 4xx, never 5xx; a 4xx leaves the database and the blob store as
 * they were; no request pollutes Object.prototype. `npm test` runs a few cases per property
 * (FUZZ_RUNS, default below); `npm run fuzz` runs many. A failure prints its seed: FUZZ_SEED=<seed>
 * replays it.
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 25);
/**
 * `npm test` replays the same cases every run, so `main` stays green or red for a reason;
 * `npm run fuzz` (which sets FUZZ_RUNS) draws new ones each time, to find what is still there.
 */
const NPM_TEST_SEED = 20261125;
const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : process.env.FUZZ_RUNS ? Math.floor(Math.random() * 2 ** 31) : NPM_TEST_SEED;

interface HttpCase {
  method: FuzzRoute['method'];
  target: string;
  headers: Record<string, string>;
  body?: Buffer;
}

/** Runs `property` with the suite's seed; a failure names the seed that replays it. */
async function check<T>(arbitrary: fc.Arbitrary<T>, predicate: (value: T) => Promise<void> | void, runs: number): Promise<void> {
  const property = fc.asyncProperty(arbitrary, async (value) => predicate(value));
  try {
    await fc.assert(property, { numRuns: runs, seed: SEED, endOnFailure: true });
  } catch (error) {
    (error as Error).message = `Replay with FUZZ_SEED=${SEED} FUZZ_RUNS=${runs}\n${(error as Error).message}`;
    throw error;
  }
}

const JSON_TYPES = ['application/json', 'application/json; charset=utf-8', 'application/ld+json', 'application/merge-patch+json'];
const OTHER_TYPES = ['application/json; charset=latin1', 'application/json; charset=utf-16', 'application/json; charset="', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data', 'application/xml', 'application/octet-stream', '*/*', 'garbage'];
const contentType = fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...JSON_TYPES) }, { weight: 2, arbitrary: fc.constantFrom(...OTHER_TYPES) }, { weight: 1, arbitrary: fc.constant(null) });

const RAW_TEXTS = ['', '{', '{"a":', 'NaN', '[1,]', "{'a':1}", '{"a":1}{"b":2}', '\uFEFF{}', 'null', '"text"', '1e999', '-', 'a=1&b=2', '<x/>', '{"__proto__":{"polluted":1}}', '{"constructor":{"prototype":{"polluted":1}}}'];
const rawBytes: fc.Arbitrary<Buffer> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...RAW_TEXTS).map((t) => Buffer.from(t, 'utf8')) },
  { weight: 2, arbitrary: fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b)) },
  { weight: 1, arbitrary: fc.constant(Buffer.from(`{"name":"${'x'.repeat(2_100_000)}"}`)) },
);

/** How a body is sent: its bytes, a Content-Type (maybe a wrong one) and sometimes a Content-Encoding. */
function encodedBody(json: fc.Arbitrary<HostileJson>): fc.Arbitrary<{ headers: Record<string, string>; body: Buffer }> {
  const bytes = fc.oneof({ weight: 4, arbitrary: json.map((value) => Buffer.from(jsonText(value), 'utf8')) }, { weight: 1, arbitrary: rawBytes });
  const encoding = fc.option(fc.constantFrom('gzip', 'gzip-garbage', 'deflate', 'br', 'x-unknown'), { freq: 12 });
  return fc.tuple(bytes, contentType, encoding).map(([raw, type, coding]) => {
    const headers: Record<string, string> = type === null ? {} : { 'Content-Type': type };
    if (coding === null) return { headers, body: raw };
    headers['Content-Encoding'] = coding === 'gzip-garbage' ? 'gzip' : coding;
    return { headers, body: coding === 'gzip' ? gzipSync(raw) : raw };
  });
}

const pathGarbage = fc.constantFrom('%', '%zz', '%C0%AF', '%ED%A0%80', '..', '%2F', 'x%00y', '%2e%2e');
const QUERY_VALUES = ['1', '0', '-1', '50', '500', '501', '1e3', 'abc', '', ' 1', '0x10', '9007199254740993', '2026-01-10', '2026-01-10T08:00:00+07:00', 'L', 'H', 'true'];
const ACCEPTS = ['application/json', 'text/html', '*/*', 'application/linkset+json', 'application/problem+json', 'image/png', 'text/plain;q=0', 'garbage'];
const headerText = fc.string({ unit: fc.constantFrom(...'abcXYZ019-_.~!#$%&*+^`| '), minLength: 1, maxLength: 40 }).map((s) => s.trim() || 'k');

describe('fuzzing: hostile input never gets a 5xx, a partial write or a polluted prototype', function () {
  this.timeout(0);
  let h: Harness;
  let server: Server;
  let routes: FuzzRoute[];
  let known: KnownValues;
  let ingredients: BodyIngredients;
  let images: Buffer[];
  let fingerprint: DatabaseFingerprint;
  let auths: string[];
  let coop: string;
  const cleanPrototypes = prototypeShape();

  before(async () => {
    h = await startHarness({
      seed: true,
      // Limits high enough that the fuzzer reaches the handlers instead of the rate limiters, and
      // small enough bodies and files that oversize cases stay cheap.
      env: { LOGIN_RATE_LIMIT: '1000000', VERIFY_RATE_LIMIT: '1000000', QR_RATE_LIMIT: '1000000', RESOLVER_RATE_LIMIT: '1000000', MEDIA_MAX_FILE_MB: '1', EPCIS_CAPTURE_MAX_BYTES: '2000000' },
    });
    server = createServer(h.app).listen(0);
    coop = await h.login('coop@demo.test');
    auths = [coop, coop, await h.login('farmer@demo.test'), await h.login('processor@demo.test'), await h.login('inspector@demo.test'), await h.login('other-coop@demo.test')];
    routes = routesOf((await request(server).get('/api/v1/openapi.json').expect(200)).body);
    known = await discoverKnownValues(routes, (url) => request(server).get(url).set('Authorization', coop));
    const batchIds = known.get('/api/v1/batches id') ?? [];
    let bundle: HostileJson = {};
    for (const id of batchIds) {
      const res = await request(server).get(`/api/v1/batches/${id}/provenance`);
      if (res.status === 200) {
        bundle = res.body as HostileJson;
        break;
      }
    }
    ingredients = { plotIds: known.get('/api/v1/plots id') ?? [], batchIds, productIds: known.get('/api/v1/products id') ?? [], bundle };
    const picture = (format: 'jpeg' | 'png' | 'webp') => sharp({ create: { width: 24, height: 16, channels: 3, background: { r: 90, g: 60, b: 30 } } })[format]().toBuffer();
    images = [await picture('jpeg'), await picture('png'), await picture('webp')];
    fingerprint = new DatabaseFingerprint(h.dir);
  });

  after(async () => {
    fingerprint?.close();
    await new Promise((resolve) => server?.close(resolve));
    await h?.close();
  });

  it('when the routes are read from the OpenAPI document, then every JSON and upload route is there to fuzz', () => {
    const keys = routes.map((r) => r.key);
    expect(keys).to.include.members(['POST /api/v1/plots', 'POST /epcis/capture', 'PUT /api/v1/organizations/{id}/logo']);
    expect(routes.filter((r) => r.body === 'multipart').map((r) => r.key)).to.have.members([
      'PUT /api/v1/organizations/{id}/logo',
      'POST /api/v1/plots/{id}/media',
      'POST /api/v1/batches/{id}/media',
      'POST /api/v1/batches/{id}/steps/{stepId}/media',
      'POST /api/v1/products/{id}/media',
    ]);
    expect(known.get('/api/v1/batches id'), 'lots to aim at').to.not.be.empty;
  });

  /** Sends `c`, waits for the work it started, and fails on any breach of the contract. */
  async function expectContractKept(c: HttpCase, rules: AnswerRules = {}): Promise<RawAnswer> {
    const before = fingerprint.current();
    let req = request(server)[c.method](c.target);
    for (const [name, value] of Object.entries(c.headers)) req = req.set(name, value);
    // The identity serializer sends the bytes as they are (superagent would JSON-encode a Buffer sent as JSON).
    if (c.body !== undefined) req = req.serialize((bytes: Buffer) => bytes as unknown as string).send(c.body);
    const res = await withRawBody(req);
    const answer: RawAnswer = { status: res.status, headers: res.headers, body: res.body as Buffer };
    await settle(answer, c.headers.Authorization);
    const summary = `${c.method.toUpperCase()} ${c.target.slice(0, 300)} ${JSON.stringify(c.headers)} body ${c.body ? JSON.stringify(c.body.subarray(0, 300).toString('utf8')) : '(none)'}`;
    const violation = contractViolation(answer, rules);
    if (violation) throw new Error(`${summary}\n→ ${violation}`);
    if (answer.status >= 400 && fingerprint.current() !== before) throw new Error(`${summary}\n→ a ${answer.status} changed the stored data`);
    if (prototypeShape() !== cleanPrototypes) throw new Error(`${summary}\n→ a built-in prototype was polluted`);
    return answer;
  }

  /** Waits for the background work a request started: an accepted EPCIS capture job, buffered scan counts. */
  async function settle(answer: RawAnswer, auth: string | undefined): Promise<void> {
    const location = answer.headers.location;
    if (answer.status === 202 && typeof location === 'string' && auth) {
      for (let i = 0; i < 200; i++) {
        const job = await request(server).get(location).set('Authorization', auth);
        if (job.status !== 200 || job.body.running === false) break;
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    }
    await h.services.scans.flush();
  }

  /** A path parameter: the id of a real resource `realWeight` times in five, else a made-up one. */
  function pathValue(route: FuzzRoute, param: FuzzRoute['pathParams'][number], realWeight = 3): fc.Arbitrary<string> {
    const real = knownValuesFor(route, param, known);
    const made = fc.oneof({ weight: 3, arbitrary: shortHostileString.map(percentEncoded) }, { weight: 1, arbitrary: pathGarbage });
    return real.length > 0 ? fc.oneof({ weight: realWeight, arbitrary: fc.constantFrom(...real).map(percentEncoded) }, { weight: 5 - realWeight, arbitrary: made }) : made;
  }

  function queryString(route: FuzzRoute): fc.Arbitrary<string> {
    const names = route.queryParams.map((p) => p.name);
    const value = fc.oneof(
      { weight: 3, arbitrary: fc.constantFrom(...QUERY_VALUES, ...route.queryParams.flatMap((p) => (p.schema.enum ?? []).map(String))).map(percentEncoded) },
      { weight: 2, arbitrary: shortHostileString.map(percentEncoded) },
      { weight: 1, arbitrary: pathGarbage },
    );
    const name = names.length > 0 ? fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...names) }, { weight: 1, arbitrary: fc.constantFrom('__proto__', 'constructor', 'limit[]', 'a[b]') }) : fc.constantFrom('__proto__', 'x', 'limit');
    // Repeated names are kept: the query parser turns them into arrays.
    return fc.array(fc.tuple(name, value).map(([n, v]) => `${n}=${v}`), { maxLength: 4 }).map((pairs) => (pairs.length > 0 ? `?${pairs.join('&')}` : ''));
  }

  function headersFor(): fc.Arbitrary<Record<string, string>> {
    const authorization = fc.oneof(
      { weight: 6, arbitrary: fc.constantFrom(...auths) },
      { weight: 1, arbitrary: fc.constantFrom('Bearer garbage', 'Bearer ftk_0000000000', 'Basic Zm9vOmJhcg==', 'Bearer', 'Bearer a b') },
      { weight: 1, arbitrary: fc.constant(null) },
    );
    return fc
      .record({ authorization, idempotency: fc.option(headerText, { freq: 5 }), accept: fc.option(fc.constantFrom(...ACCEPTS), { freq: 2 }) })
      .map(({ authorization: a, idempotency, accept }) => ({
        ...(a ? { Authorization: a } : {}),
        ...(idempotency ? { 'Idempotency-Key': idempotency } : {}),
        ...(accept ? { Accept: accept } : {}),
      }));
  }

  function validBodyOf(route: FuzzRoute, unique: number): HostileJson {
    return validBodies(ingredients, unique)[route.key] ?? {};
  }

  /** A request to `route` with hostile parameters, headers and a body of any kind. */
  function hostileRequest(route: FuzzRoute): fc.Arbitrary<HttpCase> {
    const mutated = fc.tuple(fc.nat(), fc.array(bodyMutation, { minLength: 1, maxLength: 3 })).map(([unique, mutations]) => mutateBody(validBodyOf(route, unique), mutations));
    const jsonBody = encodedBody(fc.oneof({ weight: 3, arbitrary: mutated }, { weight: 2, arbitrary: hostileJson }));
    const multipart = multipartBody('file', images, 1024 * 1024 + 1).map(({ contentType: type, body }) => ({ headers: { 'Content-Type': type }, body }));
    const body =
      route.body === 'json'
        ? fc.option(jsonBody, { freq: 12 })
        : route.body === 'multipart'
          ? fc.option(fc.oneof({ weight: 4, arbitrary: multipart }, { weight: 1, arbitrary: jsonBody }), { freq: 12 })
          : fc.option(jsonBody, { freq: 2 });
    return fc
      .tuple(fc.tuple(...route.pathParams.map((p) => pathValue(route, p))), queryString(route), headersFor(), body)
      .map(([values, query, headers, payload]) => ({
        method: route.method,
        target: fillTemplate(route.template, values) + query,
        headers: { ...headers, ...(payload?.headers ?? {}) },
        ...(payload ? { body: payload.body } : {}),
      }));
  }

  it('when each valid body is sent as it is, then its route accepts it (so mutations start from a body that passes)', async () => {
    const rejected: string[] = [];
    for (const route of routes.filter((r) => r.body === 'json')) {
      const body = validBodies(ingredients, 1_000_000 + rejected.length)[route.key];
      if (body === undefined) continue;
      const values = route.pathParams.map((p) => knownValuesFor(route, p, known)[0] ?? '');
      const res = await request(server)[route.method](fillTemplate(route.template, values.map(percentEncoded))).set('Authorization', coop).set('Content-Type', 'application/json').send(jsonText(body));
      if (res.status >= 300) rejected.push(`${route.key}: ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
    }
    expect(rejected).to.deep.equal([]);
  });

  it('when any API route gets hostile path parameters, query strings, headers and bodies, then it answers 2xx or a problem+json 4xx and a 4xx writes nothing', async () => {
    await check(fc.constantFrom(...routes).chain(hostileRequest), (c) => expectContractKept(c).then(() => undefined), RUNS * 8);
  });

  it('when a JSON route gets its valid body with fields replaced, dropped, added or wrapped, then it answers 2xx or a problem+json 4xx and a 4xx writes nothing', async () => {
    const jsonRoutes = routes.filter((r) => r.body === 'json');
    const mutatedRequest = (route: FuzzRoute) =>
      fc
        .tuple(fc.tuple(...route.pathParams.map((p) => pathValue(route, p))), fc.nat(), fc.array(bodyMutation, { minLength: 1, maxLength: 2 }), fc.constantFrom(...auths))
        .map(([values, unique, mutations, auth]): HttpCase => ({
          method: route.method,
          target: fillTemplate(route.template, values),
          headers: { Authorization: auth, 'Content-Type': 'application/json' },
          body: Buffer.from(jsonText(mutateBody(validBodyOf(route, unique), mutations)), 'utf8'),
        }));
    await check(fc.constantFrom(...jsonRoutes).chain(mutatedRequest), (c) => expectContractKept(c).then(() => undefined), RUNS * 8);
  });

  it('when an upload route gets a hostile multipart body, then it answers 2xx or a problem+json 4xx and a 4xx writes nothing', async () => {
    const uploadRoutes = routes.filter((r) => r.body === 'multipart');
    const upload = (route: FuzzRoute) =>
      fc
        .tuple(fc.tuple(...route.pathParams.map((p) => pathValue(route, p, 4))), fc.oneof({ weight: 3, arbitrary: fc.constant(coop) }, { weight: 1, arbitrary: fc.constantFrom(...auths) }), multipartBody('file', images, 1024 * 1024 + 1))
        .map(([values, auth, multipart]): HttpCase => ({
          method: route.method,
          target: fillTemplate(route.template, values),
          headers: { Authorization: auth, 'Content-Type': multipart.contentType },
          body: multipart.body,
        }));
    await check(fc.constantFrom(...uploadRoutes).chain(upload), (c) => expectContractKept(c).then(() => undefined), RUNS * 3);
  });

  it('when the resolver gets a hostile or broken GS1 Digital Link, then it answers 2xx, 307 or a 4xx (problem+json, or an HTML page for browsers) and a 4xx writes nothing', async () => {
    const resolverCase = fc
      .tuple(digitalLinkTarget, fc.option(fc.constantFrom(...ACCEPTS), { freq: 2 }), fc.option(fc.constantFrom('en', 'vi', 'fr;q=0.5', '*', 'garbage'), { freq: 3 }))
      .map(([target, accept, language]): HttpCase => ({ method: 'get', target, headers: { ...(accept ? { Accept: accept } : {}), ...(language ? { 'Accept-Language': language } : {}) } }));
    await check(resolverCase, (c) => expectContractKept(c, { alsoAllowed: [307], htmlErrorsAllowed: true }).then(() => undefined), RUNS * 8);
  });

  it('when any string is parsed as a Digital Link, then the parser answers a value or a named rule and never throws', () => {
    const input = fc.oneof(digitalLinkTarget, hostileString, hostileString.map((s) => `/01/${s}`));
    fc.assert(
      fc.property(input, (target) => {
        const parsed = parseDigitalLink(target);
        expect(parsed.ok || typeof parsed.error.rule === 'string').to.equal(true);
      }),
      { numRuns: RUNS * 50, seed: SEED },
    );
  });

  it('when a Digital Link parses, then its canonical form parses too and is its own canonical form', () => {
    fc.assert(
      fc.property(digitalLinkTarget, (target) => {
        const parsed = parseDigitalLink(target);
        if (!parsed.ok) return;
        const canonical = canonicalDigitalLink('', parsed.value);
        const again = parseDigitalLink(canonical);
        expect(again.ok, `${target} → ${canonical}`).to.equal(true);
        if (again.ok) expect(canonicalDigitalLink('', again.value)).to.equal(canonical);
      }),
      { numRuns: RUNS * 50, seed: SEED },
    );
  });

  it('when the whole run is over, then no built-in prototype has gained a property', () => {
    expect(prototypeShape()).to.equal(cleanPrototypes);
    expect(({} as Record<string, unknown>).polluted).to.equal(undefined);
  });
});
