import { generateKeyPairSync } from 'node:crypto';
import path from 'node:path';
import Database from 'better-sqlite3';
import { expect } from 'chai';
import { CompactSign, calculateJwkThumbprint } from 'jose';
import request from 'supertest';
import { canonicalJson } from '../src/domain/canonical-json.js';
import { BUNDLE_FORMAT, type PublishedKey } from '../src/verifier/bundle-format.js';
import { verifyBundle } from '../src/verifier/verify-bundle.js';
import { logSectionFor } from './support/log-fixture.js';
import { EVENT_PREFIXES } from '../src/domain/event-model.js';
import { eventHashId } from '../src/domain/epcis-event-hash.js';
import { startHarness, squarePlot, type Harness } from './support/harness.js';

const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000 + 7 * 3_600_000).toISOString().slice(0, 19) + '+07:00';
const daysAgo = (d: number) => new Date(Date.now() - d * 86_400_000).toISOString().slice(0, 10);

describe('isolation through merges, inspections and limits', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({ seed: true });
  });
  afterEach(() => h.close());

  const lot = async (auth: string, shift: number, lotNumber: string) => {
    const plot = await request(h.app).post('/api/v1/plots').set('Authorization', auth).send({ name: `P ${lotNumber}`, crops: ['coffee'], geometry: squarePlot(shift) }).expect(201);
    const batch = await request(h.app)
      .post('/api/v1/batches')
      .set('Authorization', auth)
      .send({ plotIds: [plot.body.id], product: 'Robusta', harvestedAt: daysAgo(10), quantity: { value: 500, unit: 'kg' }, lotNumber })
      .expect(201);
    return batch.body as { id: string };
  };
  const ship = (auth: string, id: string, receiver: string) =>
    request(h.app).post(`/api/v1/batches/${id}/steps`).set('Authorization', auth).send({ type: 'shipping', occurredAt: hoursAgo(5), receiver }).expect(201);
  const receive = (auth: string, id: string) => request(h.app).post(`/api/v1/batches/${id}/steps`).set('Authorization', auth).send({ type: 'receiving', occurredAt: hoursAgo(4) }).expect(201);
  const stepTypesOf = (bundle: { events: Array<{ jws: string }> }) =>
    bundle.events.map((e) => JSON.parse(Buffer.from(e.jws.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>);

  it('when lots of two cooperatives are merged by a roaster, then neither input lot’s history reaches into the other’s', async () => {
    const coffee = await h.login('coop@demo.test');
    const tea = await h.login('other-coop@demo.test');
    const roaster = await h.login('processor@demo.test');
    const a = await lot(coffee, 0.1, 'MIX-A');
    const b = await lot(tea, 0.2, 'MIX-B');
    await ship(coffee, a.id, 'bmt-roastery');
    await ship(tea, b.id, 'bmt-roastery');
    await receive(roaster, a.id);
    await receive(roaster, b.id);
    const merged = await request(h.app)
      .post('/api/v1/batches/merge')
      .set('Authorization', roaster)
      .send({ inputs: [{ batchId: a.id }, { batchId: b.id }], product: 'Blend', quantity: { value: 900, unit: 'kg' }, lotNumber: 'MIX-AB', occurredAt: hoursAgo(3) })
      .expect(201);
    // The coffee cooperative publishes its own input lot: its public bundle must not carry the tea lot's harvest.
    await request(h.app).post(`/api/v1/batches/${a.id}/publish`).set('Authorization', coffee).expect(200);
    const bundleA = (await request(h.app).get(`/api/v1/batches/${a.id}/provenance`).expect(200)).body;
    const lotsInA = stepTypesOf(bundleA).flatMap((e) => ((e.quantityList ?? []) as Array<{ epcClass: string }>).map((q) => q.epcClass));
    expect(lotsInA.some((uri) => uri.includes('MIX-B'))).to.equal(false);
    expect(stepTypesOf(bundleA).map((e) => e['ft:stepType'])).to.not.include('merge');
    // The blend's own bundle holds both inputs' histories, and the coffee cooperative cannot read the blend.
    const bundleAB = (await request(h.app).get(`/api/v1/batches/${merged.body.id}/provenance`).set('Authorization', roaster).expect(200)).body;
    expect(stepTypesOf(bundleAB).filter((e) => e['ft:stepType'] === 'harvest')).to.have.length(2);
    expect((await verifyBundle(bundleAB)).valid).to.equal(true);
    await request(h.app).get(`/api/v1/batches/${merged.body.id}`).set('Authorization', coffee).expect(404);
  });

  it('when an inspector inspects a published lot, then the inspection is recorded but the lot’s private ancestors stay hidden', async () => {
    const inspector = await h.login('inspector@demo.test');
    const tea = await h.login('other-coop@demo.test');
    const teaLots = (await request(h.app).get('/api/v1/batches').set('Authorization', tea)).body.items as Array<{ id: string; published: boolean; derivedFrom: string[] }>;
    const published = teaLots.find((l) => l.published && l.derivedFrom.length)!;
    const parent = published.derivedFrom[0]!;
    await request(h.app).get(`/api/v1/batches/${parent}`).set('Authorization', inspector).expect(404);
    await request(h.app).post(`/api/v1/batches/${published.id}/steps`).set('Authorization', inspector).send({ type: 'inspection', occurredAt: hoursAgo(1) }).expect(201);
    await request(h.app).get(`/api/v1/batches/${parent}`).set('Authorization', inspector).expect(404);
    await request(h.app).get(`/api/v1/batches/${parent}/steps`).set('Authorization', inspector).expect(404);
  });

  it('when an inspector inspects a private lot it was never given, then the answer is 404 and nothing is written', async () => {
    const inspector = await h.login('inspector@demo.test');
    const coffee = await h.login('coop@demo.test');
    const privateLot = await lot(coffee, 0.3, 'PRIV-1');
    await request(h.app).post(`/api/v1/batches/${privateLot.id}/steps`).set('Authorization', inspector).send({ type: 'inspection', occurredAt: hoursAgo(1) }).expect(404);
    const steps = (await request(h.app).get(`/api/v1/batches/${privateLot.id}/steps`).set('Authorization', coffee)).body.items;
    expect(steps).to.have.length(1);
  });

  it('when a plot ring has more positions than the limit, then the answer is 400 naming the limit, quickly', async () => {
    const coffee = await h.login('coop@demo.test');
    const n = 2001;
    const ring: Array<[number, number]> = [];
    for (let i = 0; i < n; i++) ring.push([108 + 0.01 * Math.cos((i * 997 * 2 * Math.PI) / n), 13 + 0.01 * Math.sin((i * 997 * 2 * Math.PI) / n)]);
    ring.push(ring[0]!);
    const res = await request(h.app).post('/api/v1/plots').set('Authorization', coffee).send({ name: 'Star', crops: ['coffee'], geometry: { type: 'Polygon', coordinates: [ring] } }).expect(400);
    expect(res.body.errors[0]).to.deep.equal({ path: 'geometry.coordinates[0]', code: 'plot-ring-too-many-positions', message: 'a ring has at most 2000 positions', params: { maximum: 2000 } });
  });

  it('when an API key is created with an Idempotency-Key, then its secret is not kept anywhere in the database', async () => {
    const coffee = await h.login('coop@demo.test');
    const res = await request(h.app).post('/api/v1/api-keys').set('Authorization', coffee).set('Idempotency-Key', 'key-1').send({ name: 'ERP' }).expect(201);
    const secret = (res.body.token as string).split('_').slice(2).join('_');
    await h.store.close();
    const db = new Database(path.join(h.dir, 'trace.db'), { readonly: true });
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as Array<{ name: string }>).map((t) => t.name);
    for (const table of tables) {
      const rows = JSON.stringify(db.prepare(`SELECT * FROM ${table}`).all());
      expect(rows.includes(secret), `table ${table}`).to.equal(false);
    }
    db.close();
  });

  it('when the created user and API key are fetched at their Location, then they are answered', async () => {
    const coffee = await h.login('coop@demo.test');
    const key = await request(h.app).post('/api/v1/api-keys').set('Authorization', coffee).send({ name: 'scale' }).expect(201);
    const fetched = await request(h.app).get(key.headers.location!).set('Authorization', coffee).expect(200);
    expect(fetched.body).to.include({ id: key.body.id, name: 'scale' });
    expect(fetched.body).to.not.have.property('token');
    const user = await request(h.app).post('/api/v1/users').set('Authorization', coffee).send({ email: 'new@coop.vn', name: 'New', password: 'a-long-passphrase', role: 'operator' }).expect(201);
    expect((await request(h.app).get(user.headers.location!).set('Authorization', coffee).expect(200)).body.email).to.equal('new@coop.vn');
    const tea = await h.login('other-coop@demo.test');
    await request(h.app).get(user.headers.location!).set('Authorization', tea).expect(404);
  });

  it('when a pending Idempotency-Key claim was abandoned by a dead request, then a retry takes it over', async () => {
    const coffee = await h.login('coop@demo.test');
    const me = await h.store.users.findByEmail('coop@demo.test');
    await h.store.idempotency.claim({
      scope: `${me!.orgId}:${me!.id}`,
      key: 'stuck',
      requestHash: 'x',
      state: 'pending',
      status: null,
      body: null,
      location: null,
      createdAt: new Date(Date.now() - 10 * 60_000).toISOString(),
    });
    await request(h.app).post('/api/v1/plots').set('Authorization', coffee).set('Idempotency-Key', 'stuck').send({ name: 'Retry', crops: ['coffee'], geometry: squarePlot(0.4) }).expect(201);
  });
});

describe('upload concurrency', () => {
  it('when MEDIA_MAX_CONCURRENT_UPLOADS uploads are still sending, then the next one gets 503 with Retry-After before its body is read, and the slot frees when one ends', async () => {
    const h = await startHarness({ seed: true, env: { MEDIA_MAX_CONCURRENT_UPLOADS: '1' } });
    const server = h.app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    try {
      const { port } = server.address() as import('node:net').AddressInfo;
      const coop = await h.login('coop@demo.test');
      const lots = (await request(h.app).get('/api/v1/batches').set('Authorization', coop)).body.items as Array<{ id: string; lotNumber: string }>;
      const lot = lots.find((l) => l.lotNumber === 'EHO-2512-S1')!;
      const { request: httpRequest } = await import('node:http');
      // A slow phone: headers and the start of a multipart body, then nothing for a while.
      const slow = httpRequest({
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: `/api/v1/batches/${lot.id}/media`,
        headers: { Authorization: coop, 'Content-Type': 'multipart/form-data; boundary=xyz', 'Content-Length': '100000' },
      });
      slow.on('error', () => undefined);
      slow.write('--xyz\r\nContent-Disposition: form-data; name="file"; filename="a.jpg"\r\nContent-Type: image/jpeg\r\n\r\n');
      await new Promise((resolve) => setTimeout(resolve, 200));
      const photo = Buffer.from('ffd8ffe000104a46494600', 'hex');
      const busy = await request(server).post(`/api/v1/batches/${lot.id}/media`).set('Authorization', coop).attach('file', photo, 'b.jpg').expect(503);
      expect(busy.headers['retry-after']).to.equal('5');
      expect(busy.headers['content-type']).to.match(/application\/problem\+json/);
      slow.destroy();
      await new Promise((resolve) => setTimeout(resolve, 200));
      // The slot is free again: this upload is processed (and rejected for its content, not for being busy).
      await request(server).post(`/api/v1/batches/${lot.id}/media`).set('Authorization', coop).attach('file', photo, 'b.jpg').expect(400);
    } finally {
      await new Promise((resolve) => server.close(resolve));
      await h.close();
    }
  });
});

describe('verification limits', () => {
  it('when a bundle holds a 6,000-event chain, then it verifies without exhausting the stack', async function () {
    this.timeout(60_000);
    const { publicKey, privateKey } = generateKeyPairSync('ed25519');
    const x = publicKey.export({ format: 'jwk' }).x as string;
    const kid = await calculateJwkThumbprint({ kty: 'OKP', crv: 'Ed25519', x });
    const org = 'urn:farm-trace:epcis:org:long-chain';
    const lotUri = 'urn:farm-trace:epcis:lot:LONG';
    const key: PublishedKey = { kty: 'OKP', crv: 'Ed25519', x, kid, alg: 'EdDSA', use: 'sig', org, validFrom: '2020-01-01T00:00:00Z', validTo: null, revokedAt: null, status: 'active' };
    const events: Array<{ hash: string; jws: string }> = [];
    let prev: string[] = [];
    const { createHash } = await import('node:crypto');
    for (let i = 0; i < 6000; i++) {
      const event = {
        type: 'ObjectEvent',
        eventID: `urn:uuid:00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
        eventTime: '2025-01-01T00:00:00+07:00',
        eventTimeZoneOffset: '+07:00',
        recordTime: '2025-01-01T00:00:00+07:00',
        action: 'OBSERVE',
        epcList: [],
        quantityList: [{ epcClass: lotUri }],
        'ft:recordedBy': org,
        'ft:prev': prev,
        'ft:media': [],
      };
      const canonical = canonicalJson(event);
      const hash = createHash('sha256').update(canonical).digest('hex');
      events.push({ hash, jws: await new CompactSign(new TextEncoder().encode(canonical)).setProtectedHeader({ alg: 'EdDSA', kid }).sign(privateKey) });
      prev = [hash];
    }
    const bundle = {
      format: BUNDLE_FORMAT,
      lot: { id: 'x', uri: lotUri, digitalLink: 'http://trace.test/l/LONG', product: 'Long', lotNumber: 'LONG', gtin: null },
      heads: prev,
      keys: [key],
      media: [],
      log: await logSectionFor(events.map((e) => e.hash)),
      events: events.reverse(),
      generatedAt: new Date().toISOString(),
    };
    const report = await verifyBundle(bundle);
    expect(report.errors).to.deep.equal([]);
    expect(report.valid).to.equal(true);
    expect(report.events).to.have.length(6000);
  });

  it('when a signed event’s eventID is a CBV hash ID that is not the hash of its content, then it fails the eventID check; the true ID passes', async () => {
    const { publicKey, privateKey } = generateKeyPairSync('ed25519');
    const x = publicKey.export({ format: 'jwk' }).x as string;
    const kid = await calculateJwkThumbprint({ kty: 'OKP', crv: 'Ed25519', x });
    const org = 'urn:farm-trace:epcis:org:id-check';
    const lotUri = 'urn:farm-trace:epcis:lot:IDCHECK';
    const key: PublishedKey = { kty: 'OKP', crv: 'Ed25519', x, kid, alg: 'EdDSA', use: 'sig', org, validFrom: '2020-01-01T00:00:00Z', validTo: null, revokedAt: null, status: 'active' };
    const { createHash } = await import('node:crypto');
    const bundleWith = async (eventID: (content: Record<string, unknown>) => string) => {
      const content = {
        type: 'ObjectEvent',
        eventTime: '2025-01-01T00:00:00+07:00',
        eventTimeZoneOffset: '+07:00',
        action: 'OBSERVE',
        epcList: [],
        quantityList: [{ epcClass: lotUri }],
        'ft:recordedBy': org,
        'ft:prev': [],
        'ft:media': [],
      };
      const canonical = canonicalJson({ ...content, eventID: eventID(content), recordTime: '2025-01-01T00:00:00+07:00' });
      const hash = createHash('sha256').update(canonical).digest('hex');
      const jws = await new CompactSign(new TextEncoder().encode(canonical)).setProtectedHeader({ alg: 'EdDSA', kid }).sign(privateKey);
      return {
        format: BUNDLE_FORMAT,
        lot: { id: 'x', uri: lotUri, digitalLink: 'http://trace.test/l/IDCHECK', product: 'Id', lotNumber: 'IDCHECK', gtin: null },
        heads: [hash],
        keys: [key],
        media: [],
        log: await logSectionFor([hash]),
        events: [{ hash, jws }],
        generatedAt: new Date().toISOString(),
      };
    };
    const forged = await verifyBundle(await bundleWith(() => `ni:///sha-256;${'0'.repeat(64)}?ver=CBV2.0`));
    expect(forged.valid).to.equal(false);
    expect(forged.events[0]!.failures.map((f) => f.check)).to.deep.equal(['eventID']);
    const honest = await verifyBundle(await bundleWith((content) => eventHashId(content, { ...EVENT_PREFIXES })));
    expect(honest.errors).to.deep.equal([]);
    expect(honest.valid).to.equal(true);
  });

  it('when a bundle’s GTIN and lot number do not match the identifier its events name, then it is invalid', async () => {
    const h = await startHarness({ seed: true });
    try {
      const roaster = await h.login('processor@demo.test');
      const lots = (await request(h.app).get('/api/v1/batches').set('Authorization', roaster)).body.items as Array<{ id: string; published: boolean }>;
      const bundle = (await request(h.app).get(`/api/v1/batches/${lots.find((l) => l.published)!.id}/provenance`).expect(200)).body;
      expect((await verifyBundle(bundle)).valid).to.equal(true);
      const relabelled = { ...bundle, lot: { ...bundle.lot, lotNumber: 'FAKE-1', product: 'Kopi Luwak' } };
      const report = await verifyBundle(relabelled);
      expect(report.valid).to.equal(false);
      expect(report.errors.join(' ')).to.contain('do not match');
    } finally {
      await h.close();
    }
  });

  it('when POST /api/v1/verify is called more often than VERIFY_RATE_LIMIT a minute, then it answers 429 with Retry-After', async () => {
    const h = await startHarness({ env: { VERIFY_RATE_LIMIT: '2' } });
    try {
      for (let i = 0; i < 2; i++) await request(h.app).post('/api/v1/verify').send({ format: 'x' }).expect(200);
      const res = await request(h.app).post('/api/v1/verify').send({ format: 'x' }).expect(429);
      expect(res.headers['retry-after']).to.match(/^\d+$/);
      expect(res.headers['content-type']).to.match(/application\/problem\+json/);
    } finally {
      await h.close();
    }
  });
});
