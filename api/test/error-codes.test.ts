import { readdirSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import request from 'supertest';
import { answerClientErrorsAsProblems } from '../src/core/problem-middleware.js';
import { EXPORT_PROBLEM_CODES, FIELD_ERROR_CODES, PROBLEM_CODES } from '../src/domain/problem-codes.js';
import { startHarness, type Harness } from './support/harness.js';
import { rawExchange } from './support/raw-http.js';

/** The tables of docs/errors.md: code → documented status, per section. */
function documentedCodes(): Record<'problem' | 'field' | 'export', Map<string, number>> {
  const text = readFileSync(new URL('../../docs/errors.md', import.meta.url), 'utf8');
  const section = (heading: string): Map<string, number> => {
    const start = text.indexOf(`\n## ${heading}\n`);
    expect(start, `docs/errors.md has a "## ${heading}" section`).to.be.greaterThan(-1);
    const end = text.indexOf('\n## ', start + 1);
    const rows = new Map<string, number>();
    for (const line of text.slice(start, end === -1 ? undefined : end).split('\n')) {
      const match = /^\| `([a-z0-9-]+)` \| (\d{3}) \|/.exec(line);
      if (match) {
        expect(rows.has(match[1]!), `${match[1]} is documented once in "${heading}"`).to.equal(false);
        rows.set(match[1]!, Number(match[2]));
      }
    }
    return rows;
  };
  return { problem: section('Problem codes'), field: section('Field-error codes'), export: section('Export problem codes') };
}

const DOCUMENTED = documentedCodes();

/** Every code in a problem body (its own and its field errors') is documented, with the status the doc gives it. */
function expectDocumented(body: { status: number; code: unknown; errors?: Array<{ code: unknown }> }): void {
  expect(DOCUMENTED.problem.get(String(body.code)), `problem code ${String(body.code)} is documented with status ${body.status}`).to.equal(body.status);
  for (const error of body.errors ?? []) expect(DOCUMENTED.field.has(String(error.code)), `field-error code ${String(error.code)} is documented`).to.equal(true);
}

describe('error codes', function () {
  this.timeout(60_000);

  describe('the documented list', () => {
    const compare = (documented: Map<string, number>, union: readonly string[], what: string) => {
      const missingFromDoc = union.filter((code) => !documented.has(code));
      const missingFromUnion = [...documented.keys()].filter((code) => !union.includes(code));
      expect(missingFromDoc, `${what} codes the union has but docs/errors.md does not document`).to.deep.equal([]);
      expect(missingFromUnion, `${what} codes docs/errors.md documents but the union lacks`).to.deep.equal([]);
    };

    it('when docs/errors.md is compared with the problem-code union, then each lists exactly the codes of the other', () => {
      compare(DOCUMENTED.problem, PROBLEM_CODES, 'problem');
    });

    it('when docs/errors.md is compared with the field-error-code union, then each lists exactly the codes of the other', () => {
      compare(DOCUMENTED.field, FIELD_ERROR_CODES, 'field-error');
    });

    it('when docs/errors.md is compared with the export-problem-code union, then each lists exactly the codes of the other', () => {
      compare(DOCUMENTED.export, EXPORT_PROBLEM_CODES, 'export problem');
    });

    it('when the source names a code anywhere (a problem, a field error, a refinement, an export reason), then it is in the documented list', () => {
      // The unions make an unknown literal a type error; this also catches a code written where the type is a plain string.
      const documented = new Set([...DOCUMENTED.problem.keys(), ...DOCUMENTED.field.keys(), ...DOCUMENTED.export.keys()]);
      const uses = [
        /\bcode: '([a-z0-9-]+)'/g,
        /\b(?:refinement|problem)\('([a-z0-9-]+)'/g,
        /\bnew (?:ForbiddenError|UnauthorizedError)\('([a-z0-9-]+)'/g,
        /\bValidationError\.field\([^,]+, '([a-z0-9-]+)'/g,
      ];
      const sourceDir = new URL('../src/', import.meta.url);
      let seen = 0;
      for (const file of readdirSync(sourceDir, { recursive: true }) as string[]) {
        // Marketplace readiness gaps and zod's own issue kinds are not error codes.
        if (!file.endsWith('.ts') || file.endsWith('marketplace-rules.ts')) continue;
        const text = readFileSync(new URL(file, sourceDir), 'utf8');
        for (const pattern of uses) {
          for (const [, code] of text.matchAll(pattern)) {
            if (code === 'custom') continue;
            seen++;
            expect(documented.has(code!), `${file}: code ${code} is documented in docs/errors.md`).to.equal(true);
          }
        }
      }
      expect(seen, 'code literals found in the source').to.be.greaterThan(100);
    });
  });

  describe('through HTTP', () => {
    let h: Harness;
    let coop: string;
    before(async () => {
      h = await startHarness({ seed: true, env: { LOGIN_RATE_LIMIT: '3' } });
      coop = await h.login('coop@demo.test');
    });
    after(() => h?.close());

    const post = (url: string, body: unknown, auth = coop) => request(h.app).post(url).set('Authorization', auth).send(body as object);
    const square = (lon: number) => ({ type: 'Polygon', coordinates: [[[lon, 13], [lon + 0.001, 13], [lon + 0.001, 13.001], [lon, 13.001], [lon, 13]]] });

    it('when a product’s GTIN has a wrong check digit, then the field error is gtin-check-digit with the expected digit', async () => {
      const res = await post('/api/v1/products', { gtin: '08936123450046', name: { vi: 'Cà phê' }, description: { vi: 'Rang vừa' } });
      expect(res.status).to.equal(400);
      expect(res.body).to.include({ code: 'validation-failed', type: '/problems/validation-error' });
      expect(res.body.errors).to.deep.include({ path: 'gtin', code: 'gtin-check-digit', message: 'check digit is wrong (expected 5)', params: { expected: 5 } });
      expectDocumented(res.body);
    });

    it('when a lot number has a letter outside GS1 character set 82, then the field error is gs1-charset-82; when it is too long, lot-number-length with its bounds', async () => {
      const plot = await post('/api/v1/plots', { name: 'Rẫy mã lỗi', crops: ['coffee-robusta'], geometry: square(108.1) });
      expect(plot.status).to.equal(201);
      const lot = (lotNumber: string) =>
        post('/api/v1/batches', { plotIds: [plot.body.id], product: 'Cà phê', harvestedAt: new Date(Date.now() - 86_400_000).toISOString().slice(0, 10), quantity: { value: 10, unit: 'kg' }, lotNumber });
      const accented = await lot('LÔ-01');
      expect(accented.status).to.equal(400);
      expect(accented.body.errors, JSON.stringify(accented.body.errors)).to.have.length(1);
      expect(accented.body.errors[0]).to.include({ path: 'lotNumber', code: 'gs1-charset-82' });
      expectDocumented(accented.body);
      const long = await lot('A'.repeat(21));
      expect(long.body.errors[0]).to.deep.include({ path: 'lotNumber', code: 'lot-number-length', params: { minimum: 1, maximum: 20 } });
    });

    it('when a plot’s outline crosses itself, then the field error is plot-self-intersecting naming the crossing edges', async () => {
      const bowtie = { type: 'Polygon', coordinates: [[[108.2, 13], [108.201, 13.001], [108.201, 13], [108.2, 13.001], [108.2, 13]]] };
      const res = await post('/api/v1/plots', { name: 'Rẫy chéo', crops: ['coffee-robusta'], geometry: bowtie });
      expect(res.status).to.equal(400);
      expect(res.body.errors).to.deep.equal([
        { path: 'geometry.coordinates[0]', code: 'plot-self-intersecting', message: 'the ring intersects itself (edges 0 and 2 cross)', params: { edgeA: 0, edgeB: 2 } },
      ]);
      expectDocumented(res.body);
    });

    it('when a point plot is declared larger than the EUDR limit, then the field error is point-plot-too-large with the limit', async () => {
      const res = await post('/api/v1/plots', { name: 'Rẫy lớn', crops: ['coffee-robusta'], geometry: { type: 'Point', coordinates: [108.3, 13] }, declaredAreaHa: 5 });
      expect(res.status).to.equal(400);
      expect(res.body.errors).to.deep.include({ path: 'geometry', code: 'point-plot-too-large', message: 'a plot over 4 ha must be a polygon, not a point (EUDR)', params: { maximumHa: 4 } });
    });

    it('when a body has a field the schema does not know, or lacks a required one, then the codes are unknown-field (naming it) and required', async () => {
      const res = await post('/api/v1/plots', { crops: ['coffee-robusta'], geometry: square(108.4), colour: 'green' });
      expect(res.status).to.equal(400);
      expect(res.body.errors).to.deep.include({ path: '(body)', code: 'unknown-field', message: 'unknown field: colour', params: { fields: 'colour' } });
      expect(res.body.errors.find((e: { path: string }) => e.path === 'name')).to.include({ code: 'required' });
      expectDocumented(res.body);
    });

    it('when a value is out of range, then the code is too-small or too-big with the bound', async () => {
      const res = await post('/api/v1/products', { gtin: '08936123450045', name: { vi: 'Cà phê' }, description: { vi: 'Rang' }, priceVnd: -1 });
      expect(res.status).to.equal(400);
      expect(res.body.errors.find((e: { path: string }) => e.path === 'priceVnd')).to.deep.include({ code: 'too-small' });
      expectDocumented(res.body);
    });

    it('when a record with the same value exists, then the problem is conflict and the field error duplicate on that field', async () => {
      const body = { gtin: '08936123450045', name: { vi: 'Cà phê rang xay' }, description: { vi: 'Rang vừa' } };
      const first = await post('/api/v1/products', body);
      expect(first.status, JSON.stringify(first.body)).to.equal(201);
      const again = await post('/api/v1/products', body);
      expect(again.status).to.equal(409);
      expect(again.body).to.include({ type: '/problems/conflict', code: 'conflict' });
      expect(again.body.errors).to.deep.equal([{ path: 'gtin', code: 'duplicate', message: 'a product with this GTIN already exists' }]);
      expectDocumented(again.body);
    });

    it('when an export skips a product without image or price, then its report gives each reason a code beside the English text', async () => {
      const created = await post('/api/v1/products', { gtin: '08936123450052', name: { vi: 'Cà phê chưa có ảnh' }, description: { vi: 'Chưa có ảnh và giá' } });
      expect(created.status, JSON.stringify(created.body)).to.equal(201);
      const report = await request(h.app).get('/api/v1/exports/google-merchant.xml/report').set('Authorization', coop).expect(200);
      const skipped = (report.body.skipped as Array<{ id: string; reasons: string[]; problems: Array<{ code: string }> }>).find((s) => s.id === created.body.id)!;
      expect(skipped.problems.map((p) => p.code)).to.include.members(['no-image', 'no-price']);
      expect(skipped.reasons).to.include.members(['no image', 'no price']);
      expect(skipped.problems).to.have.length(skipped.reasons.length);
      for (const problem of skipped.problems) expect(DOCUMENTED.export.has(problem.code), problem.code).to.equal(true);
    });

    it('when a JSON body is over the limit, then the problem is payload-too-large with the limit', async () => {
      const res = await post('/api/v1/plots', { name: 'x'.repeat(1_100_000) });
      expect(res.status).to.equal(413);
      expect(res.body).to.include({ type: '/problems/payload-too-large', code: 'payload-too-large' });
      expect(res.body.params).to.deep.equal({ limit: '1mb' });
      expectDocumented(res.body);
    });

    it('when a request has no token, a malformed header or an invalid token, then the 401s say which', async () => {
      const none = await request(h.app).get('/api/v1/plots');
      expect(none.body).to.include({ status: 401, code: 'unauthorized' });
      const malformed = await request(h.app).get('/api/v1/plots').set('Authorization', 'Token abc');
      expect(malformed.body).to.include({ status: 401, code: 'authorization-malformed' });
      const invalid = await request(h.app).get('/api/v1/plots').set('Authorization', 'Bearer not-a-token');
      expect(invalid.body).to.include({ status: 401, code: 'token-invalid' });
      for (const res of [none, malformed, invalid]) expectDocumented(res.body);
    });

    it('when a farmer does what only an admin may, then the 403 is role-not-allowed naming the role', async () => {
      const farmer = await h.login('farmer@demo.test');
      const res = await post('/api/v1/api-keys', { name: 'x' }, farmer);
      expect(res.status).to.equal(403);
      expect(res.body).to.include({ type: '/problems/forbidden', code: 'role-not-allowed' });
      expect(res.body.params).to.include({ role: 'farmer' });
      expectDocumented(res.body);
    });

    it('when an EPCIS route answers 404 under the binding’s exception type, then the code is still not-found', async () => {
      const res = await request(h.app).get('/epcis/events/urn%3Auuid%3Anone').set('Authorization', coop);
      expect(res.status).to.equal(404);
      expect(res.body).to.include({ type: 'epcisException:NoSuchResourceException', code: 'not-found' });
      expectDocumented(res.body);
    });

    it('when the password is wrong, then the 401 is wrong-credentials; past the login limit, rate-limited with the seconds to wait', async () => {
      const wrong = await request(h.app).post('/api/v1/auth/login').send({ email: 'coop@demo.test', password: 'not-the-password' });
      expect(wrong.status).to.equal(401);
      expect(wrong.body).to.include({ type: '/problems/unauthorized', code: 'wrong-credentials', detail: 'Email or password is wrong.' });
      expectDocumented(wrong.body);
      let limited: request.Response = wrong;
      for (let i = 0; i < 5 && limited.status !== 429; i++) limited = await request(h.app).post('/api/v1/auth/login').send({ email: 'coop@demo.test', password: 'not-the-password' });
      expect(limited.status).to.equal(429);
      expect(limited.body).to.include({ type: '/problems/rate-limited', code: 'rate-limited' });
      expect(limited.body.params.retryAfterSeconds).to.equal(Number(limited.headers['retry-after']));
      expectDocumented(limited.body);
    });

    it('when Node’s HTTP parser refuses a request, then its problem carries a code too', async () => {
      const server = h.app.listen(0, '127.0.0.1');
      answerClientErrorsAsProblems(server);
      await new Promise((resolve) => server.once('listening', resolve));
      try {
        const { port } = server.address() as AddressInfo;
        const answer = await rawExchange(port, `GET /healthz HTTP/1.1\r\nHost: x\r\nX-Padding: ${'a'.repeat(20_000)}\r\n\r\n`);
        const body = JSON.parse(answer.split('\r\n\r\n')[1]!);
        expect(body).to.include({ status: 431, code: 'headers-too-large' });
        expectDocumented(body);
      } finally {
        await new Promise((resolve) => server.close(resolve));
      }
    });
  });
});
