import { PassThrough } from 'node:stream';
import { expect } from 'chai';
import request from 'supertest';
import { DEMO_FARMER_PIN } from '../../seeds/demo.js';
import { buildApp } from '../src/app.js';
import { createLogger } from '../src/core/logger.js';
import { startHarness, type Harness } from './support/harness.js';

const PROBLEM = /application\/problem\+json/;

interface User {
  id: string;
  orgId: string;
  email: string | null;
  phone: string | null;
  name: string;
  role: string;
}

const claimsOf = (token: string) => JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')) as { sub: string; org: string; role: string };
const errorPaths = (res: request.Response) => (res.body.errors as Array<{ path: string }>).map((e) => e.path);

describe('phone and PIN logins for farmers', function () {
  this.timeout(60_000);
  let h: Harness;
  let coop: string;
  /** Every answer of these tests, searched at the end for the PINs that were set. */
  const answers: string[] = [];
  const pinsSet = new Set<string>([DEMO_FARMER_PIN]);
  const keep = (res: request.Response) => {
    answers.push(JSON.stringify(res.headers), res.text);
    return res;
  };
  const phoneLogin = async (phone: unknown, pin: unknown) => keep(await request(h.app).post('/api/v1/auth/phone-login').send({ phone, pin }));
  const createUser = async (body: Record<string, unknown>, auth = coop) => {
    const res = keep(await request(h.app).post('/api/v1/users').set('Authorization', auth).send(body));
    if (res.status === 201) pinsSet.add(body.pin as string);
    return res;
  };
  const resetPin = async (id: string, pin: string, auth = coop) => {
    const res = keep(await request(h.app).put(`/api/v1/users/${id}/pin`).set('Authorization', auth).send({ pin }));
    if (res.status === 200) pinsSet.add(pin);
    return res;
  };
  const users = async (): Promise<User[]> => (await request(h.app).get('/api/v1/users?limit=500').set('Authorization', coop).expect(200)).body.items;
  let householdId: string;

  before(async () => {
    h = await startHarness({ seed: true, env: { LOGIN_RATE_LIMIT: '1000', LOGIN_ACCOUNT_FAILURE_LIMIT: '1000' } });
    coop = await h.login('coop@demo.test');
    const organizations = (await request(h.app).get('/api/v1/organizations?limit=500').set('Authorization', coop).expect(200)).body.items as Array<{ id: string; slug: string }>;
    householdId = organizations.find((o) => o.slug === 'ho-nguyen-van-thanh')!.id;
  });
  after(() => h?.close());

  it('when the demo farmer’s phone is typed as people type it, then every form logs in as the same farmer as the email login', async () => {
    const byEmail = claimsOf((await request(h.app).post('/api/v1/auth/login').send({ email: 'farmer@demo.test', password: 'demo-password' }).expect(200)).body.token);
    for (const phone of ['0912 345 678', '0912.345.678', '+84 912 345 678', '84912345678', '0912-345-678', '+84 (0) 912 345 678', ' 0912345678 ']) {
      const res = await phoneLogin(phone, DEMO_FARMER_PIN);
      expect(res.status, `${phone}: ${res.text}`).to.equal(200);
      expect(res.body.expiresIn).to.be.a('number');
      expect(claimsOf(res.body.token)).to.include({ sub: byEmail.sub, org: byEmail.org, role: 'farmer' });
      await request(h.app).get('/api/v1/plots').set('Authorization', `Bearer ${res.body.token as string}`).expect(200);
    }
  });

  it('when the PIN is wrong or the phone belongs to nobody, then both are the same 401 problem, saying nothing of whether the phone exists', async () => {
    const wrongPin = await phoneLogin('0912 345 678', '135792');
    const unknown = await phoneLogin('0987 654 321', '135792');
    for (const res of [wrongPin, unknown]) {
      expect(res.status).to.equal(401);
      expect(res.headers['content-type']).to.match(PROBLEM);
      expect(res.body).to.not.have.property('errors');
    }
    expect(unknown.body).to.deep.equal(wrongPin.body);
    expect(wrongPin.body.detail).to.equal('Phone number or PIN is wrong.');
  });

  it('when a phone is not a Vietnamese mobile number, then the login and the new user are 400 naming phone, and no user is created', async () => {
    for (const phone of ['0212 345 678', '0912 345 67', '09123456789', '+1 912 345 678', '0912 abc 678', '']) {
      const login = await phoneLogin(phone, DEMO_FARMER_PIN);
      expect(login.status, phone).to.equal(400);
      expect(errorPaths(login)).to.deep.equal(['phone']);
      const created = await createUser({ name: 'Nông dân', phone, pin: '739164', role: 'farmer', orgId: householdId });
      expect(created.status, phone).to.equal(400);
      expect(errorPaths(created)).to.deep.equal(['phone']);
    }
    expect((await users()).filter((u) => u.name === 'Nông dân')).to.deep.equal([]);
  });

  it('when an admin creates a farmer with a phone and a PIN only, then 201 with the phone in E.164 and no email, no PIN and no hash in the answer; the farmer logs in, and the phone cannot be taken again in another form', async () => {
    const res = await createUser({ name: 'Hồ Thị Mai', phone: '0905 111 222', pin: '739164', role: 'farmer', orgId: householdId });
    expect(res.status, res.text).to.equal(201);
    expect(res.body).to.deep.include({ orgId: householdId, email: null, phone: '+84905111222', role: 'farmer' });
    expect(Object.keys(res.body).sort()).to.deep.equal(['createdAt', 'email', 'id', 'name', 'orgId', 'phone', 'role']);
    expect((await phoneLogin('0905.111.222', '739164')).status).to.equal(200);

    const again = await createUser({ name: 'Người khác', phone: '+84 905 111 222', pin: '264819', role: 'farmer', orgId: householdId });
    expect(again.status).to.equal(409);
    expect(again.headers['content-type']).to.match(PROBLEM);
    expect(errorPaths(again)).to.deep.equal(['phone']);
    expect((await users()).filter((u) => u.phone === '+84905111222')).to.have.length(1);
  });

  it('when the PIN is trivial (one digit repeated, a short group repeated, a straight run, the phone’s last digits) or not six digits, then 400 naming pin and no user is created', async () => {
    for (const pin of ['000000', '777777', '121212', '123123', '123456', '987654', '890123', '827461', '12345', '1234567', '12a456', '']) {
      const res = await createUser({ name: 'Nông dân PIN dễ', phone: '0905 827 461', pin, role: 'farmer', orgId: householdId });
      expect(res.status, `${pin}: ${res.text}`).to.equal(400);
      expect(errorPaths(res), pin).to.deep.equal(['pin']);
    }
    expect((await users()).filter((u) => u.phone === '+84905827461')).to.deep.equal([]);
  });

  it('when a phone login is asked for another role, or a phone comes without its PIN, or a user has no login at all, then 400 naming the field', async () => {
    const operator = await createUser({ name: 'Nhân viên', phone: '0905 222 333', pin: '739164', role: 'operator' });
    expect(errorPaths(operator)).to.deep.equal(['phone']);
    const noPin = await createUser({ name: 'Nông dân', phone: '0905 222 333', role: 'farmer', orgId: householdId });
    expect(errorPaths(noPin)).to.deep.equal(['pin']);
    const nothing = await createUser({ name: 'Nông dân', role: 'farmer', orgId: householdId });
    expect(errorPaths(nothing)).to.deep.equal(['email']);
    for (const res of [operator, noPin, nothing]) expect(res.status).to.equal(400);
  });

  it('when an admin resets a farmer’s PIN, then the answer holds no PIN, the old PIN stops working, the new one works, and the audit trail records who reset whose PIN without the PIN', async () => {
    const created = await createUser({ name: 'Y Moan Niê', phone: '0906 333 444', pin: '739164', role: 'farmer', orgId: householdId });
    expect(created.status).to.equal(201);
    const id = created.body.id as string;
    expect((await phoneLogin('0906 333 444', '739164')).status).to.equal(200);

    const trivial = await resetPin(id, '333444');
    expect(trivial.status).to.equal(400);
    expect(errorPaths(trivial)).to.deep.equal(['pin']);

    const reset = await resetPin(id, '508317');
    expect(reset.status, reset.text).to.equal(200);
    expect(reset.body).to.deep.equal(created.body);
    expect((await phoneLogin('0906 333 444', '739164')).status).to.equal(401);
    expect((await phoneLogin('0906 333 444', '508317')).status).to.equal(200);

    const audit = (await request(h.app).get('/api/v1/audit?limit=500').set('Authorization', coop).expect(200)).body.items as Array<{ action: string; targetId: string; actorUserId: string; details: unknown }>;
    const entries = audit.filter((e) => e.action === 'user.pin_reset' && e.targetId === id);
    expect(entries).to.have.length(1);
    expect(entries[0]!.actorUserId).to.equal(claimsOf(coop.slice('Bearer '.length)).sub);
    expect(entries[0]!.details).to.deep.equal({ orgId: householdId, phone: '+84906333444' });
  });

  it('when an admin of another cooperative resets the PIN, then 404 and the PIN still works; a farmer gets 403; a user without a phone gets 409 naming pin', async () => {
    const farmer = (await users()).find((u) => u.email === 'farmer@demo.test')!;
    const other = await resetPin(farmer.id, '508317', await h.login('other-coop@demo.test'));
    expect(other.status).to.equal(404);
    expect(other.headers['content-type']).to.match(PROBLEM);
    const self = await resetPin(farmer.id, '508317', await h.login('farmer@demo.test'));
    expect(self.status).to.equal(403);
    expect((await phoneLogin('0912 345 678', DEMO_FARMER_PIN)).status).to.equal(200);

    const admin = (await users()).find((u) => u.email === 'coop@demo.test')!;
    const noPhone = await resetPin(admin.id, '508317');
    expect(noPhone.status).to.equal(409);
    expect(errorPaths(noPhone)).to.deep.equal(['pin']);
  });

  it('when the OpenAPI document is read, then it describes the phone login and the PIN reset', async () => {
    const spec = (await request(h.app).get('/api/v1/openapi.json').expect(200)).body;
    expect(spec.paths['/api/v1/auth/phone-login'].post.requestBody.content['application/json'].schema.required).to.include.members(['phone', 'pin']);
    expect(spec.paths['/api/v1/users/{id}/pin']).to.have.property('put');
    expect(spec.paths['/api/v1/auth/login'].post.requestBody.content['application/json'].schema.required).to.deep.equal(['email', 'password']);
  });

  it('when all of the above has run, then no PIN that was set appears in any answer', () => {
    expect(answers.length).to.be.greaterThan(40);
    expect([...pinsSet]).to.include.members([DEMO_FARMER_PIN, '739164', '508317']);
    const all = answers.join('\n');
    for (const pin of pinsSet) expect(all, pin).to.not.include(pin);
  });
});

describe('abuse limits on phone logins', function () {
  this.timeout(60_000);

  it('when a phone gets LOGIN_ACCOUNT_FAILURE_LIMIT wrong PINs, however it is written, then even the right PIN gets 429 with Retry-After, while another farmer on the same address still logs in', async () => {
    const h = await startHarness({ seed: true, env: { LOGIN_RATE_LIMIT: '100', LOGIN_ACCOUNT_FAILURE_LIMIT: '3' } });
    try {
      const coop = await h.login('coop@demo.test');
      const organizations = (await request(h.app).get('/api/v1/organizations?limit=500').set('Authorization', coop).expect(200)).body.items as Array<{ id: string; slug: string }>;
      const farm = organizations.find((o) => o.slug === 'ho-h-hen-nie')!.id;
      await request(h.app).post('/api/v1/users').set('Authorization', coop).send({ name: 'Hộ khác', phone: '0905 444 555', pin: '739164', role: 'farmer', orgId: farm }).expect(201);
      const phoneLogin = (phone: string, pin: string) => request(h.app).post('/api/v1/auth/phone-login').send({ phone, pin });
      for (const phone of ['0912 345 678', '+84912345678', '84 912 345 678']) await phoneLogin(phone, '135792').expect(401);
      const limited = await phoneLogin('0912.345.678', DEMO_FARMER_PIN);
      expect(limited.status).to.equal(429);
      expect(limited.headers['content-type']).to.match(PROBLEM);
      expect(Number(limited.headers['retry-after'])).to.be.greaterThan(0);
      await phoneLogin('0905 444 555', '739164').expect(200);
    } finally {
      await h.close();
    }
  });

  it('when one address spends LOGIN_RATE_LIMIT attempts across the email and the phone logins, then the next of either gets 429', async () => {
    const h = await startHarness({ seed: true, env: { LOGIN_RATE_LIMIT: '3' } });
    try {
      await request(h.app).post('/api/v1/auth/login').send({ email: 'farmer@demo.test', password: 'demo-password' }).expect(200);
      await request(h.app).post('/api/v1/auth/phone-login').send({ phone: '0912 345 678', pin: DEMO_FARMER_PIN }).expect(200);
      await request(h.app).post('/api/v1/auth/login').send({ email: 'coop@demo.test', password: 'demo-password' }).expect(200);
      const phone = await request(h.app).post('/api/v1/auth/phone-login').send({ phone: '0912 345 678', pin: DEMO_FARMER_PIN });
      expect(phone.status).to.equal(429);
      expect((await request(h.app).post('/api/v1/auth/login').send({ email: 'coop@demo.test', password: 'demo-password' })).status).to.equal(429);
    } finally {
      await h.close();
    }
  });
});

describe('PINs in the logs', function () {
  this.timeout(60_000);

  it('when phone logins (right and wrong PIN), a new phone user and a PIN reset run at log level trace, then no PIN appears in any log line', async () => {
    const h = await startHarness({ seed: true });
    const lines: string[] = [];
    const out = new PassThrough();
    out.on('data', (chunk: Buffer) => lines.push(chunk.toString('utf8')));
    try {
      const app = buildApp({ config: h.config, store: h.store, logger: createLogger('trace', out) });
      const coop = `Bearer ${(await request(app).post('/api/v1/auth/login').send({ email: 'coop@demo.test', password: 'demo-password' }).expect(200)).body.token as string}`;
      await request(app).post('/api/v1/auth/phone-login').send({ phone: '0912 345 678', pin: DEMO_FARMER_PIN }).expect(200);
      await request(app).post('/api/v1/auth/phone-login').send({ phone: '0912 345 678', pin: '640297' }).expect(401);
      const created = await request(app).post('/api/v1/users').set('Authorization', coop).send({ name: 'Nông dân nhật ký', phone: '0905 777 888', pin: '739164', role: 'farmer' });
      expect(created.status).to.equal(400); // the cooperative itself has no farmers: refused, and still not logged
      const farmer = (await request(app).get('/api/v1/users?limit=500').set('Authorization', coop).expect(200)).body.items.find((u: { email: string | null }) => u.email === 'farmer@demo.test');
      await request(app).put(`/api/v1/users/${farmer.id as string}/pin`).set('Authorization', coop).send({ pin: '508317' }).expect(200);
      await request(app).put(`/api/v1/users/${farmer.id as string}/pin`).set('Authorization', coop).send({ pin: '111111' }).expect(400);
      await new Promise((resolve) => setImmediate(resolve));
      expect(lines.length).to.be.greaterThan(6);
      const log = lines.join('');
      expect(log).to.include('/api/v1/auth/phone-login').and.include('/pin');
      for (const pin of [DEMO_FARMER_PIN, '640297', '739164', '508317', '111111']) expect(log, pin).to.not.match(new RegExp(`(?<!\\d)${pin}(?!\\d)`));
    } finally {
      await h.close();
    }
  });
});
