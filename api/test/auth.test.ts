import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { SignJWT, decodeJwt } from 'jose';
import request from 'supertest';
import { startHarness, type Harness } from './support/harness.js';

type Res = request.Response;

function expectProblem(res: Res, status: number): void {
  expect(res.status, JSON.stringify(res.body)).to.equal(status);
  expect(res.headers['content-type']).to.match(/^application\/problem\+json/);
  expect(res.body).to.include({ status });
  expect(res.body.type).to.be.a('string');
  expect(res.body.title).to.be.a('string');
  expect(res.body.detail).to.be.a('string');
}

function expectUnauthorized(res: Res): void {
  expectProblem(res, 401);
  expect(res.headers['www-authenticate']).to.match(/^Bearer\b/);
}

function errorPaths(res: Res): string[] {
  return ((res.body.errors ?? []) as Array<{ path: string }>).map((e) => e.path);
}

/** A lot that processor@ sees as published (the demo's retail packs). */
async function publishedLotId(h: Harness): Promise<string> {
  const processor = await h.login('processor@demo.test');
  const res = await request(h.app).get('/api/v1/batches?limit=500').set('Authorization', processor).expect(200);
  const lot = (res.body.items as Array<{ id: string; published: boolean }>).find((b) => b.published);
  expect(lot, 'a published demo lot').to.not.equal(undefined);
  return lot!.id;
}

async function householdId(h: Harness, coop: string, slug: string): Promise<string> {
  const res = await request(h.app).get('/api/v1/organizations?limit=500').set('Authorization', coop).expect(200);
  const org = (res.body.items as Array<{ id: string; slug: string }>).find((o) => o.slug === slug);
  expect(org, slug).to.not.equal(undefined);
  return org!.id;
}

describe('authentication and roles', function () {
  let h: Harness | undefined;

  afterEach(async function () {
    await h?.close();
    h = undefined;
  });

  describe('login', function () {
    beforeEach(async function () {
      h = await startHarness({ seed: true });
    });

    it('when the password is right, then the answer is {token, expiresIn} and the token opens private routes', async function () {
      const res = await request(h!.app).post('/api/v1/auth/login').send({ email: 'coop@demo.test', password: 'demo-password' });
      expect(res.status).to.equal(200);
      expect(res.body).to.have.all.keys('token', 'expiresIn');
      expect(res.body.token).to.be.a('string').and.match(/^[\w-]+\.[\w-]+\.[\w-]+$/);
      expect(res.body.expiresIn).to.equal(h!.config.tokenTtlSeconds);
      const claims = decodeJwt(res.body.token as string);
      expect(claims.exp! - claims.iat!).to.equal(h!.config.tokenTtlSeconds);
      await request(h!.app).get('/api/v1/plots').set('Authorization', `Bearer ${res.body.token as string}`).expect(200);
    });

    it('when the email has other letter case and spaces, then login still succeeds', async function () {
      const res = await request(h!.app).post('/api/v1/auth/login').send({ email: '  Coop@Demo.Test ', password: 'demo-password' });
      expect(res.status).to.equal(200);
      expect(res.body.token).to.be.a('string');
    });

    it('when the password is wrong or the email unknown, then both are 401 problem+json with the same detail', async function () {
      const wrong = await request(h!.app).post('/api/v1/auth/login').send({ email: 'coop@demo.test', password: 'not-the-password' });
      const unknown = await request(h!.app).post('/api/v1/auth/login').send({ email: 'nobody@demo.test', password: 'not-the-password' });
      expectProblem(wrong, 401);
      expectProblem(unknown, 401);
      expect(wrong.body.detail).to.equal(unknown.body.detail);
      expect(wrong.body.type).to.equal(unknown.body.type);
      expect(wrong.body.title).to.equal(unknown.body.title);
      expect(wrong.body).to.not.have.property('token');
    });
  });

  describe('bearer tokens', function () {
    it('when no token is sent, then 401 with WWW-Authenticate: Bearer', async function () {
      h = await startHarness({ seed: true });
      expectUnauthorized(await request(h.app).get('/api/v1/plots'));
    });

    it('when the token is garbled or the scheme is not Bearer, then 401 with WWW-Authenticate: Bearer', async function () {
      h = await startHarness({ seed: true });
      const good = await h.login('coop@demo.test');
      expectUnauthorized(await request(h.app).get('/api/v1/plots').set('Authorization', 'Bearer not.a.token'));
      expectUnauthorized(await request(h.app).get('/api/v1/plots').set('Authorization', `${good}x`));
      expectUnauthorized(await request(h.app).get('/api/v1/plots').set('Authorization', good.replace(/^Bearer /, 'Basic ')));
      expectUnauthorized(await request(h.app).get('/api/v1/plots').set('Authorization', 'Bearer'));
    });

    it('when a token is signed with the right secret but has expired, then 401 with WWW-Authenticate: Bearer', async function () {
      h = await startHarness({ seed: true, env: { TOKEN_TTL_SECONDS: '60' } });
      const login = await request(h.app).post('/api/v1/auth/login').send({ email: 'coop@demo.test', password: 'demo-password' }).expect(200);
      expect(login.body.expiresIn).to.equal(60);
      const { sub, org, role } = decodeJwt(login.body.token as string);
      const key = new TextEncoder().encode(h.config.secrets.JWT_SECRET);
      const now = Math.floor(Date.now() / 1000);
      const sign = (exp: number) =>
        new SignJWT({ org, role })
          .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
          .setSubject(sub!)
          .setAudience('farm-trace-api')
          .setIssuedAt(now - 600)
          .setExpirationTime(exp)
          .sign(key);

      // The same token with a future expiry works: only the expiry differs.
      await request(h.app).get('/api/v1/plots').set('Authorization', `Bearer ${await sign(now + 60)}`).expect(200);
      expectUnauthorized(await request(h.app).get('/api/v1/plots').set('Authorization', `Bearer ${await sign(now - 120)}`));
    });

    it('when a token is signed with another secret or for another audience, then 401', async function () {
      h = await startHarness({ seed: true });
      const login = await request(h.app).post('/api/v1/auth/login').send({ email: 'coop@demo.test', password: 'demo-password' }).expect(200);
      const { sub, org, role } = decodeJwt(login.body.token as string);
      const token = (secret: string, audience: string) =>
        new SignJWT({ org, role })
          .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
          .setSubject(sub!)
          .setAudience(audience)
          .setIssuedAt()
          .setExpirationTime('10m')
          .sign(new TextEncoder().encode(secret));
      expectUnauthorized(
        await request(h.app).get('/api/v1/plots').set('Authorization', `Bearer ${await token('another-secret-of-at-least-32-characters!', 'farm-trace-api')}`),
      );
      expectUnauthorized(
        await request(h.app).get('/api/v1/plots').set('Authorization', `Bearer ${await token(h.config.secrets.JWT_SECRET, 'someone-else')}`),
      );
    });
  });

  describe('login rate limit', function () {
    it('when LOGIN_RATE_LIMIT=3 and a 4th attempt comes, then 429 problem+json with Retry-After', async function () {
      h = await startHarness({ seed: true, env: { LOGIN_RATE_LIMIT: '3' } });
      for (let i = 0; i < 3; i++) {
        const res = await request(h.app).post('/api/v1/auth/login').send({ email: 'coop@demo.test', password: `wrong-password-${i}` });
        expect(res.status, `attempt ${i + 1}`).to.equal(401);
      }
      const fourth = await request(h.app).post('/api/v1/auth/login').send({ email: 'coop@demo.test', password: 'demo-password' });
      expectProblem(fourth, 429);
      expect(fourth.headers['retry-after']).to.match(/^\d+$/);
      expect(Number(fourth.headers['retry-after'])).to.be.within(1, h.config.rateLimits.login.windowSeconds);
      expect(fourth.body).to.not.have.property('token');
    });
  });

  describe('API keys', function () {
    beforeEach(async function () {
      h = await startHarness({ seed: true });
    });

    it('when an admin creates an API key, then 201 with an ftk_ token shown once, and the list never shows it', async function () {
      const coop = await h!.login('coop@demo.test');
      const created = await request(h!.app).post('/api/v1/api-keys').set('Authorization', coop).send({ name: 'ERP sync' });
      expect(created.status).to.equal(201);
      expect(created.body.token).to.be.a('string').and.match(/^ftk_/);
      expect(created.body).to.include({ name: 'ERP sync', revokedAt: null });
      expect(created.headers.location).to.equal(`/api/v1/api-keys/${created.body.id as string}`);
      expect(created.body).to.not.have.property('secretHash');

      const list = await request(h!.app).get('/api/v1/api-keys').set('Authorization', coop).expect(200);
      const items = list.body.items as Array<Record<string, unknown>>;
      expect(items.map((k) => k.id)).to.include(created.body.id);
      for (const item of items) {
        expect(item).to.not.have.property('token');
        expect(item).to.not.have.property('secretHash');
      }
      const secret = (created.body.token as string).split('_').slice(2).join('_');
      expect(JSON.stringify(list.body)).to.not.include(created.body.token as string);
      expect(JSON.stringify(list.body)).to.not.include(secret);
    });

    it('when an API key is used as Bearer, then it works until it is revoked, and then it gets 401', async function () {
      const coop = await h!.login('coop@demo.test');
      const created = await request(h!.app).post('/api/v1/api-keys').set('Authorization', coop).send({ name: 'ERP sync' }).expect(201);
      const bearer = `Bearer ${created.body.token as string}`;
      const plots = await request(h!.app).get('/api/v1/plots').set('Authorization', bearer).expect(200);
      expect(plots.body.items).to.not.be.empty;

      const revoked = await request(h!.app).delete(`/api/v1/api-keys/${created.body.id as string}`).set('Authorization', coop);
      expect(revoked.status).to.equal(200);
      expect(revoked.body.revokedAt).to.be.a('string');
      expectUnauthorized(await request(h!.app).get('/api/v1/plots').set('Authorization', bearer));
    });

    it('when an API key has the right id but a wrong secret, then 401', async function () {
      const coop = await h!.login('coop@demo.test');
      const created = await request(h!.app).post('/api/v1/api-keys').set('Authorization', coop).send({ name: 'ERP sync' }).expect(201);
      const forged = `ftk_${created.body.id as string}_${'A'.repeat(43)}`;
      expectUnauthorized(await request(h!.app).get('/api/v1/plots').set('Authorization', `Bearer ${forged}`));
    });
  });

  describe('role matrix', function () {
    beforeEach(async function () {
      h = await startHarness({ seed: true });
    });

    it('when a farmer creates an API key or a user, then 403 and nothing is created', async function () {
      const farmer = await h!.login('farmer@demo.test');
      const coop = await h!.login('coop@demo.test');
      expectProblem(await request(h!.app).post('/api/v1/api-keys').set('Authorization', farmer).send({ name: 'mine' }), 403);
      const user = await request(h!.app)
        .post('/api/v1/users')
        .set('Authorization', farmer)
        .send({ email: 'new-farmer@demo.test', name: 'Người mới', password: 'a-long-enough-password', role: 'farmer' });
      expectProblem(user, 403);
      const keys = await request(h!.app).get('/api/v1/api-keys').set('Authorization', coop).expect(200);
      expect(keys.body.items).to.deep.equal([]);
      await request(h!.app).post('/api/v1/auth/login').send({ email: 'new-farmer@demo.test', password: 'a-long-enough-password' }).expect(401);
    });

    it('when a farmer merges lots, then 403', async function () {
      const farmer = await h!.login('farmer@demo.test');
      const before = await request(h!.app).get('/api/v1/batches?limit=500').set('Authorization', farmer).expect(200);
      const res = await request(h!.app)
        .post('/api/v1/batches/merge')
        .set('Authorization', farmer)
        .send({
          inputs: [{ batchId: randomUUID() }, { batchId: randomUUID() }],
          product: 'Phối trộn',
          quantity: { value: 1, unit: 'kg' },
          occurredAt: '2025-12-01T08:00:00+07:00',
        });
      expectProblem(res, 403);
      const after = await request(h!.app).get('/api/v1/batches?limit=500').set('Authorization', farmer).expect(200);
      expect(after.body.items).to.have.length((before.body.items as unknown[]).length);
    });

    it('when an inspector records a drying step, then 403; an inspection step on a published lot, then 201', async function () {
      const lotId = await publishedLotId(h!);
      const inspector = await h!.login('inspector@demo.test');
      const stepsBefore = await request(h!.app).get(`/api/v1/batches/${lotId}/steps?limit=500`).set('Authorization', inspector).expect(200);

      const drying = await request(h!.app)
        .post(`/api/v1/batches/${lotId}/steps`)
        .set('Authorization', inspector)
        .send({ type: 'drying', occurredAt: '2026-01-10T08:00:00+07:00' });
      expectProblem(drying, 403);

      const inspection = await request(h!.app)
        .post(`/api/v1/batches/${lotId}/steps`)
        .set('Authorization', inspector)
        .send({ type: 'inspection', occurredAt: '2026-01-10T08:00:00+07:00', notes: 'Kiểm tra nhãn: đạt' });
      expect(inspection.status, JSON.stringify(inspection.body)).to.equal(201);
      expect(inspection.body).to.include({ type: 'inspection', batchId: lotId });
      expect(inspection.headers.location).to.equal(`/api/v1/batches/${lotId}/steps/${inspection.body.id as string}`);

      const stepsAfter = await request(h!.app).get(`/api/v1/batches/${lotId}/steps?limit=500`).set('Authorization', inspector).expect(200);
      expect(stepsAfter.body.items).to.have.length((stepsBefore.body.items as unknown[]).length + 1);
      expect((stepsAfter.body.items as Array<{ type: string }>).filter((s) => s.type === 'drying')).to.have.length(
        (stepsBefore.body.items as Array<{ type: string }>).filter((s) => s.type === 'drying').length,
      );
    });
  });

  describe('users', function () {
    beforeEach(async function () {
      h = await startHarness({ seed: true });
    });

    it('when an admin creates a user in a member household, then 201 without any password hash, and the user can log in', async function () {
      const coop = await h!.login('coop@demo.test');
      const orgId = await householdId(h!, coop, 'ho-tran-thi-lan');
      const res = await request(h!.app)
        .post('/api/v1/users')
        .set('Authorization', coop)
        .send({ email: 'Lan.Tran@Demo.Test', name: 'Trần Thị Lan', password: 'ca-phe-tam-giang-2025', role: 'farmer', orgId });
      expect(res.status, JSON.stringify(res.body)).to.equal(201);
      expect(res.body).to.include({ orgId, email: 'lan.tran@demo.test', role: 'farmer', name: 'Trần Thị Lan' });
      expect(res.headers.location).to.equal(`/api/v1/users/${res.body.id as string}`);
      expect(res.body).to.not.have.property('passwordHash');
      expect(res.body).to.not.have.property('password');
      expect(res.text).to.not.match(/scrypt\$/);
      expect(res.text).to.not.include('ca-phe-tam-giang-2025');

      const users = await request(h!.app).get('/api/v1/users?limit=500').set('Authorization', coop).expect(200);
      expect(users.text).to.not.match(/scrypt\$/);
      expect((users.body.items as Array<{ id: string }>).map((u) => u.id)).to.include(res.body.id);

      const token = await h!.login('lan.tran@demo.test', 'ca-phe-tam-giang-2025');
      const plots = await request(h!.app).get('/api/v1/plots').set('Authorization', token).expect(200);
      expect((plots.body.items as Array<{ orgId: string }>).every((p) => p.orgId === orgId)).to.equal(true);
    });

    it('when the email is already taken (in any letter case), then 409 naming email', async function () {
      const coop = await h!.login('coop@demo.test');
      const res = await request(h!.app)
        .post('/api/v1/users')
        .set('Authorization', coop)
        .send({ email: 'Farmer@Demo.Test', name: 'Trùng email', password: 'a-long-enough-password', role: 'operator' });
      expectProblem(res, 409);
      expect(errorPaths(res)).to.deep.equal(['email']);
      // The existing account is untouched.
      await h!.login('farmer@demo.test');
    });

    it('when the password is shorter than 12 characters, then 400 naming password and no user is created', async function () {
      const coop = await h!.login('coop@demo.test');
      const res = await request(h!.app)
        .post('/api/v1/users')
        .set('Authorization', coop)
        .send({ email: 'short@demo.test', name: 'Mật khẩu ngắn', password: '12345678901', role: 'operator' });
      expectProblem(res, 400);
      expect(errorPaths(res)).to.deep.equal(['password']);
      await request(h!.app).post('/api/v1/auth/login').send({ email: 'short@demo.test', password: '12345678901' }).expect(401);
    });
  });
});
