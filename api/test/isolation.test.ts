import { randomBytes, randomUUID } from 'node:crypto';
import { expect } from 'chai';
import request from 'supertest';
import { squarePlot, startHarness, type Harness } from './support/harness.js';

/** Organization isolation: another organization's private resources are 404, lists never leak them, and refused writes write nothing. */

type Res = request.Response;

function expectProblem(res: Res, status: number): void {
  expect(res.status, JSON.stringify(res.body)).to.equal(status);
  expect(res.headers['content-type']).to.match(/^application\/problem\+json/);
  expect(res.body).to.include({ status });
  expect(res.body.type).to.be.a('string');
  expect(res.body.title).to.be.a('string');
  expect(res.body.detail).to.be.a('string');
}

interface CoffeeFixture {
  coop: string;
  other: string;
  coopOrgId: string;
  plotId: string;
  lotId: string;
  stepId: string;
}

/** coop@ registers a plot, records an unpublished lot on it and a drying step on the lot. */
async function coffeeFixture(h: Harness): Promise<CoffeeFixture> {
  const coop = await h.login('coop@demo.test');
  const other = await h.login('other-coop@demo.test');
  const plot = await request(h.app)
    .post('/api/v1/plots')
    .set('Authorization', coop)
    .send({ name: 'Rẫy thử nghiệm cô lập', crops: ['coffee-robusta'], geometry: squarePlot(0.02) })
    .expect(201);
  const lot = await request(h.app)
    .post('/api/v1/batches')
    .set('Authorization', coop)
    .send({
      plotIds: [plot.body.id],
      product: 'Cà phê Robusta quả tươi (cô lập)',
      harvestedAt: '2025-11-10',
      quantity: { value: 500, unit: 'kg' },
      lotNumber: 'ISO-2511-01',
    })
    .expect(201);
  expect(lot.body.published).to.equal(false);
  const step = await request(h.app)
    .post(`/api/v1/batches/${lot.body.id as string}/steps`)
    .set('Authorization', coop)
    .send({ type: 'drying', occurredAt: '2025-11-12T07:00:00+07:00', notes: 'Phơi sân' })
    .expect(201);
  return { coop, other, coopOrgId: plot.body.orgId as string, plotId: plot.body.id as string, lotId: lot.body.id as string, stepId: step.body.id as string };
}

async function stepCount(h: Harness, auth: string, lotId: string): Promise<number> {
  const res = await request(h.app).get(`/api/v1/batches/${lotId}/steps?limit=500`).set('Authorization', auth).expect(200);
  expect(res.body.nextCursor).to.equal(null);
  return (res.body.items as unknown[]).length;
}

async function listIds(h: Harness, auth: string, path: string): Promise<string[]> {
  const res = await request(h.app).get(`${path}?limit=500`).set('Authorization', auth).expect(200);
  expect(res.body.nextCursor, `${path} has more than one page`).to.equal(null);
  return (res.body.items as Array<{ id: string }>).map((i) => i.id);
}

async function batchCount(h: Harness, auth: string): Promise<number> {
  return (await listIds(h, auth, '/api/v1/batches')).length;
}

interface Ids {
  plotId: string;
  lotId: string;
  stepId: string;
  coopOrgId: string;
}

interface ForeignCase {
  what: string;
  method: 'get' | 'post';
  path: (ids: Ids) => string;
  body?: unknown;
}

const splitBody = {
  outputs: [{ quantity: { value: 200, unit: 'kg' } }, { quantity: { value: 200, unit: 'kg' } }],
  occurredAt: '2025-11-20T08:00:00+07:00',
};

const CASES: ForeignCase[] = [
  { what: 'GET /api/v1/plots/{id}', method: 'get', path: (i) => `/api/v1/plots/${i.plotId}` },
  { what: 'GET /api/v1/batches/{id}', method: 'get', path: (i) => `/api/v1/batches/${i.lotId}` },
  { what: 'GET /api/v1/batches/{id}/steps', method: 'get', path: (i) => `/api/v1/batches/${i.lotId}/steps` },
  { what: 'GET /api/v1/batches/{id}/steps/{stepId}', method: 'get', path: (i) => `/api/v1/batches/${i.lotId}/steps/${i.stepId}` },
  {
    what: 'POST /api/v1/batches/{id}/steps',
    method: 'post',
    path: (i) => `/api/v1/batches/${i.lotId}/steps`,
    body: { type: 'hulling', occurredAt: '2025-11-20T08:00:00+07:00' },
  },
  { what: 'POST /api/v1/batches/{id}/split', method: 'post', path: (i) => `/api/v1/batches/${i.lotId}/split`, body: splitBody },
  { what: 'POST /api/v1/batches/{id}/publish', method: 'post', path: (i) => `/api/v1/batches/${i.lotId}/publish` },
  { what: 'GET /api/v1/organizations/{coopOrgId}', method: 'get', path: (i) => `/api/v1/organizations/${i.coopOrgId}` },
];

function send(h: Harness, c: ForeignCase, ids: Ids, auth: string): Promise<Res> {
  const req = request(h.app)[c.method](c.path(ids)).set('Authorization', auth);
  return c.body === undefined ? req : req.send(c.body as object);
}

describe('organization isolation', function () {
  let h: Harness;
  let f: CoffeeFixture;

  beforeEach(async function () {
    h = await startHarness({ seed: true });
    f = await coffeeFixture(h);
  });

  afterEach(async function () {
    await h?.close();
  });

  for (const c of CASES) {
    it(`when other-coop calls ${c.what} on the coffee coop's resource, then 404 problem+json like an unknown id, and nothing is written`, async function () {
      const stepsBefore = await stepCount(h, f.coop, f.lotId);
      const batchesBefore = await batchCount(h, f.coop);

      const res = await send(h, c, f, f.other);
      expectProblem(res, 404);

      // Same answer as for an id that does not exist at all: the 404 reveals nothing.
      const unknown: Ids = { plotId: randomUUID(), lotId: randomUUID(), stepId: randomBytes(32).toString('hex'), coopOrgId: randomUUID() };
      const control = await send(h, c, unknown, f.other);
      expectProblem(control, 404);
      expect(res.body.detail).to.equal(control.body.detail);
      expect(res.body.type).to.equal(control.body.type);

      // The owner still sees its data exactly as before.
      if (c.method === 'get') expect((await send(h, c, f, f.coop)).status).to.equal(200);
      expect(await stepCount(h, f.coop, f.lotId)).to.equal(stepsBefore);
      expect(await batchCount(h, f.coop)).to.equal(batchesBefore);
      const lot = await request(h.app).get(`/api/v1/batches/${f.lotId}`).set('Authorization', f.coop).expect(200);
      expect(lot.body.published).to.equal(false);
      expect(lot.body.publishedAt).to.equal(null);
    });
  }

  it("when other-coop lists plots, batches, users and organizations, then none of the coffee coop's ids appear", async function () {
    for (const path of ['/api/v1/plots', '/api/v1/batches', '/api/v1/users', '/api/v1/organizations']) {
      const coffeeIds = await listIds(h, f.coop, path);
      expect(coffeeIds, `${path} as coop@`).to.not.be.empty;
      const teaIds = await listIds(h, f.other, path);
      expect(teaIds, `${path} as other-coop@`).to.not.be.empty;
      const leaked = teaIds.filter((id) => coffeeIds.includes(id));
      expect(leaked, `${path} leaks coffee ids`).to.deep.equal([]);
    }
    const all = [
      ...(await listIds(h, f.other, '/api/v1/plots')),
      ...(await listIds(h, f.other, '/api/v1/batches')),
      ...(await listIds(h, f.other, '/api/v1/organizations')),
    ];
    expect(all).to.not.include(f.plotId);
    expect(all).to.not.include(f.lotId);
    expect(all).to.not.include(f.coopOrgId);
  });

  it("when other-coop records a harvest on the coffee plot, then 400 naming plotIds[0] and no lot is written", async function () {
    const teaBefore = await batchCount(h, f.other);
    const coffeeBefore = await batchCount(h, f.coop);
    const plotLotsBefore = await lotsOnPlot(h, f);
    const res = await request(h.app)
      .post('/api/v1/batches')
      .set('Authorization', f.other)
      .send({ plotIds: [f.plotId], product: 'Chè búp tươi', harvestedAt: '2025-11-11', quantity: { value: 10, unit: 'kg' } });
    expectProblem(res, 400);
    expect(res.body.errors).to.be.an('array');
    expect((res.body.errors as Array<{ path: string }>).map((e) => e.path)).to.deep.equal(['plotIds[0]']);
    expect(await batchCount(h, f.other)).to.equal(teaBefore);
    expect(await batchCount(h, f.coop)).to.equal(coffeeBefore);
    expect(await lotsOnPlot(h, f)).to.equal(plotLotsBefore);
  });

  it('when other-coop merges a coffee lot with one of its own, then 400 naming that input and nothing is written', async function () {
    const teaLots = await request(h.app).get('/api/v1/batches?limit=500').set('Authorization', f.other).expect(200);
    const teaLot = (teaLots.body.items as Array<{ id: string; pendingReceiverOrgId: string | null }>).find((b) => b.pendingReceiverOrgId === null);
    expect(teaLot, 'a tea lot in custody').to.not.equal(undefined);
    const teaStepsBefore = await stepCount(h, f.other, teaLot!.id);
    const coffeeStepsBefore = await stepCount(h, f.coop, f.lotId);
    const teaBefore = await batchCount(h, f.other);

    const res = await request(h.app)
      .post('/api/v1/batches/merge')
      .set('Authorization', f.other)
      .send({
        inputs: [{ batchId: teaLot!.id }, { batchId: f.lotId }],
        product: 'Phối trộn',
        quantity: { value: 1, unit: 'kg' },
        occurredAt: '2025-11-20T08:00:00+07:00',
      });
    expectProblem(res, 400);
    expect((res.body.errors as Array<{ path: string }>).map((e) => e.path)).to.deep.equal(['inputs[1].batchId']);
    expect(await stepCount(h, f.coop, f.lotId)).to.equal(coffeeStepsBefore);
    expect(await stepCount(h, f.other, teaLot!.id)).to.equal(teaStepsBefore);
    expect(await batchCount(h, f.other)).to.equal(teaBefore);
  });

  it("when other-coop revokes the coffee coop's API key, then 404 and the key keeps working", async function () {
    const created = await request(h.app).post('/api/v1/api-keys').set('Authorization', f.coop).send({ name: 'ERP sync' }).expect(201);
    const res = await request(h.app).delete(`/api/v1/api-keys/${created.body.id as string}`).set('Authorization', f.other);
    expectProblem(res, 404);
    const keys = await request(h.app).get('/api/v1/api-keys').set('Authorization', f.coop).expect(200);
    const key = (keys.body.items as Array<{ id: string; revokedAt: string | null }>).find((k) => k.id === created.body.id);
    expect(key?.revokedAt).to.equal(null);
    await request(h.app).get('/api/v1/plots').set('Authorization', `Bearer ${created.body.token as string}`).expect(200);
    // Nor does the other coop see the key in its own list.
    const otherKeys = await listIds(h, f.other, '/api/v1/api-keys');
    expect(otherKeys).to.not.include(created.body.id);
  });

  it("when a farmer asks for another household's plot, then 404, while the coop admin sees both households' plots", async function () {
    const orgs = await request(h.app).get('/api/v1/organizations?limit=500').set('Authorization', f.coop).expect(200);
    const households = orgs.body.items as Array<{ id: string; slug: string; type: string }>;
    const farmerHousehold = households.find((o) => o.slug === 'ho-y-bhim-eban');
    const otherHousehold = households.find((o) => o.slug === 'ho-nguyen-van-thanh');
    expect(farmerHousehold?.type).to.equal('farm_household');
    expect(otherHousehold?.type).to.equal('farm_household');

    const farmer = await h.login('farmer@demo.test');
    const own = await request(h.app)
      .post('/api/v1/plots')
      .set('Authorization', farmer)
      .send({ name: 'Rẫy nhà', crops: ['coffee-robusta'], geometry: squarePlot(0.04) })
      .expect(201);
    expect(own.body.orgId).to.equal(farmerHousehold!.id);
    const neighbour = await request(h.app)
      .post('/api/v1/plots')
      .set('Authorization', f.coop)
      .send({ name: 'Rẫy hàng xóm', crops: ['coffee-robusta'], geometry: squarePlot(0.06), farmerId: otherHousehold!.id })
      .expect(201);
    expect(neighbour.body.orgId).to.equal(otherHousehold!.id);

    await request(h.app).get(`/api/v1/plots/${own.body.id as string}`).set('Authorization', farmer).expect(200);
    expectProblem(await request(h.app).get(`/api/v1/plots/${neighbour.body.id as string}`).set('Authorization', farmer), 404);
    const farmerList = await listIds(h, farmer, '/api/v1/plots');
    expect(farmerList).to.include(own.body.id);
    expect(farmerList).to.not.include(neighbour.body.id);

    await request(h.app).get(`/api/v1/plots/${own.body.id as string}`).set('Authorization', f.coop).expect(200);
    await request(h.app).get(`/api/v1/plots/${neighbour.body.id as string}`).set('Authorization', f.coop).expect(200);
    const coopList = await listIds(h, f.coop, '/api/v1/plots');
    expect(coopList).to.include.members([own.body.id, neighbour.body.id]);
  });

  it('when a lot is published, then other-coop can read it, but not its unpublished parent and sibling', async function () {
    const split = await request(h.app)
      .post(`/api/v1/batches/${f.lotId}/split`)
      .set('Authorization', f.coop)
      .send({
        outputs: [
          { quantity: { value: 200, unit: 'kg' }, lotNumber: 'ISO-2511-P1' },
          { quantity: { value: 200, unit: 'kg' }, lotNumber: 'ISO-2511-P2' },
        ],
        occurredAt: '2025-11-20T08:00:00+07:00',
      })
      .expect(201);
    const [published, sibling] = split.body.items as Array<{ id: string }>;
    await request(h.app).post(`/api/v1/batches/${published!.id}/publish`).set('Authorization', f.coop).expect(200);

    const read = await request(h.app).get(`/api/v1/batches/${published!.id}`).set('Authorization', f.other);
    expect(read.status).to.equal(200);
    expect(read.body).to.include({ id: published!.id, published: true, lotNumber: 'ISO-2511-P1' });
    expectProblem(await request(h.app).get(`/api/v1/batches/${sibling!.id}`).set('Authorization', f.other), 404);
    expectProblem(await request(h.app).get(`/api/v1/batches/${f.lotId}`).set('Authorization', f.other), 404);
    // Public does not mean writable or listed.
    expect(await listIds(h, f.other, '/api/v1/batches')).to.not.include(published!.id);
    const write = await request(h.app)
      .post(`/api/v1/batches/${published!.id}/unpublish`)
      .set('Authorization', f.other);
    expect(write.status).to.be.oneOf([403, 404]);
    const after = await request(h.app).get(`/api/v1/batches/${published!.id}`).set('Authorization', f.coop).expect(200);
    expect(after.body.published).to.equal(true);
  });
});

/** How many lots the coffee coop has on the fixture's plot. */
async function lotsOnPlot(h: Harness, f: CoffeeFixture): Promise<number> {
  const res = await request(h.app).get('/api/v1/batches?limit=500').set('Authorization', f.coop).expect(200);
  return (res.body.items as Array<{ plotIds: string[] }>).filter((b) => b.plotIds.includes(f.plotId)).length;
}
