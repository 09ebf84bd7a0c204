import { expect } from 'chai';
import request from 'supertest';
import { startHarness, squarePlot, type Harness } from './support/harness.js';

const PROBLEM = /application\/problem\+json/;
const BASE = 'http://trace.test';

interface FieldError {
  path: string;
  message: string;
}

interface Lot {
  id: string;
  orgId: string;
  custodianOrgId: string;
  pendingReceiverOrgId: string | null;
  plotIds: string[];
  derivedFrom: string[];
  product: string;
  quantity: { value: number; unit: string; bagKg?: number };
  lotNumber: string;
  gtin: string | null;
  code: string;
  digitalLink: string;
  published: boolean;
}

interface StepView {
  id: string;
  eventID: string;
  type: string;
  occurredAt: string;
  orgId: string;
  corrects: string | null;
  event: Record<string, unknown>;
}

const DAY_MS = 86_400_000;
const pad = (n: number) => String(Math.floor(n)).padStart(2, '0');

/** ISO date `days` days before today (UTC). */
const daysAgo = (days: number): string => new Date(Date.now() - days * DAY_MS).toISOString().slice(0, 10);

/** Wall-clock time `hoursAgo` hours before now as written at UTC offset `offsetMinutes`, without the offset. */
const localTime = (hoursAgo: number, offsetMinutes = 7 * 60): string =>
  new Date(Date.now() - hoursAgo * 3_600_000 + offsetMinutes * 60_000).toISOString().slice(0, 19);

/** `hoursAgo` hours before now, ISO 8601 with the offset `offsetMinutes` (default Vietnam, +07:00). */
function at(hoursAgo: number, offsetMinutes = 7 * 60): string {
  const abs = Math.abs(offsetMinutes);
  return `${localTime(hoursAgo, offsetMinutes)}${offsetMinutes >= 0 ? '+' : '-'}${pad(abs / 60)}:${pad(abs % 60)}`;
}

function expectProblem(res: request.Response, status: number): void {
  expect(res.status, JSON.stringify(res.body)).to.equal(status);
  expect(res.headers['content-type']).to.match(PROBLEM);
  expect(res.body.status).to.equal(status);
}

/** A problem with `status` and a field error at exactly `path`. */
function expectFieldError(res: request.Response, status: number, path: string, message?: RegExp): void {
  expectProblem(res, status);
  const errors = (res.body.errors ?? []) as FieldError[];
  const match = errors.find((e) => e.path === path);
  expect(match, `no error at ${path}: ${JSON.stringify(res.body)}`).to.not.equal(undefined);
  if (message) expect(match!.message).to.match(message);
}

describe('Batches API', () => {
  let h: Harness;
  let coop: string;
  let shift = 0;

  beforeEach(async () => {
    h = await startHarness({ seed: true });
    coop = await h.login('coop@demo.test');
  });
  afterEach(() => h.close());

  const api = (auth: string) => ({
    get: (url: string) => request(h.app).get(url).set('Authorization', auth),
    post: (url: string, body: unknown) => request(h.app).post(url).set('Authorization', auth).send(body as object),
  });

  /** A fresh plot of the caller's organization (each call a distinct square). */
  const newPlot = async (auth: string = coop): Promise<string> => {
    shift += 0.002;
    const res = await api(auth).post('/api/v1/plots', { name: `Rẫy ${shift.toFixed(3)}`, crops: ['coffee-robusta'], geometry: squarePlot(shift) });
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    return res.body.id as string;
  };

  const lotBody = (plotIds: string[], extra: Record<string, unknown> = {}) => ({
    plotIds,
    product: 'Cà phê Robusta quả tươi',
    harvestedAt: daysAgo(10),
    quantity: { value: 1000, unit: 'kg' },
    ...extra,
  });

  /** A new lot on a new plot of the caller (or on `plotIds`), asserted created. */
  const newLot = async (auth: string = coop, extra: Record<string, unknown> = {}, plotIds?: string[]): Promise<Lot> => {
    const res = await api(auth).post('/api/v1/batches', lotBody(plotIds ?? [await newPlot(auth)], extra));
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    return res.body as Lot;
  };

  const lotIds = async (auth: string = coop): Promise<string[]> => {
    const res = await api(auth).get('/api/v1/batches?limit=500').expect(200);
    expect(res.body.nextCursor).to.equal(null);
    return (res.body.items as Lot[]).map((b) => b.id);
  };

  const steps = async (lotId: string, auth: string = coop): Promise<StepView[]> => {
    const res = await api(auth).get(`/api/v1/batches/${lotId}/steps?limit=500`).expect(200);
    return res.body.items as StepView[];
  };

  const addStep = (lotId: string, body: Record<string, unknown>, auth: string = coop) => api(auth).post(`/api/v1/batches/${lotId}/steps`, body);

  const orgIdOf = async (auth: string, slug: string): Promise<string> => {
    const res = await api(auth).get('/api/v1/organizations?limit=500').expect(200);
    const org = (res.body.items as Array<{ id: string; slug: string }>).find((o) => o.slug === slug);
    expect(org, `organization ${slug}`).to.not.equal(undefined);
    return org!.id;
  };

  describe('creating a lot', () => {
    it('when no lot number and no GTIN are given, then it answers 201 with a generated lot number and a /l/{code} Digital Link', async () => {
      const plotId = await newPlot();
      const harvestedAt = daysAgo(10);
      const res = await api(coop).post('/api/v1/batches', lotBody([plotId], { variety: 'TR4', harvestedAt }));
      expect(res.status, JSON.stringify(res.body)).to.equal(201);
      const lot = res.body as Lot & { harvestedAt: string; harvestPeriod: unknown; variety: string };
      expect(res.headers.location).to.equal(`/api/v1/batches/${lot.id}`);
      expect(lot).to.include({ product: 'Cà phê Robusta quả tươi', variety: 'TR4', harvestedAt, gtin: null, published: false });
      expect(lot.harvestPeriod).to.equal(null);
      expect(lot.plotIds).to.deep.equal([plotId]);
      expect(lot.derivedFrom).to.deep.equal([]);
      expect(lot.quantity).to.deep.equal({ value: 1000, unit: 'kg' });
      expect(lot.custodianOrgId).to.equal(lot.orgId);
      expect(lot.pendingReceiverOrgId).to.equal(null);
      expect(lot.lotNumber).to.be.a('string').and.match(/^[!"%&'()*+,\-./0-9:;<=>?A-Z_a-z]{1,20}$/);
      expect(lot.code).to.be.a('string').and.not.empty;
      expect(lot.digitalLink).to.equal(`${BASE}/l/${lot.code}`);
      const read = await api(coop).get(res.headers.location as string).expect(200);
      expect(read.body).to.deep.equal(res.body);
    });

    it('when a GTIN-13 and a lot number are given, then the GTIN is stored as GTIN-14 and the Digital Link is /01/{gtin14}/10/{lot}', async () => {
      const lot = await newLot(coop, { gtin: '8931234567897', lotNumber: 'KN-2611-A1' });
      expect(lot.gtin).to.equal('08931234567897');
      expect(lot.lotNumber).to.equal('KN-2611-A1');
      expect(lot.digitalLink).to.equal(`${BASE}/01/08931234567897/10/KN-2611-A1`);
    });

    it('when a harvest period is given, then it is kept and harvestedAt is null', async () => {
      const period = { from: daysAgo(20), to: daysAgo(12) };
      const lot = (await newLot(coop, { harvestedAt: undefined, harvestPeriod: period })) as Lot & { harvestedAt: unknown; harvestPeriod: unknown };
      expect(lot.harvestPeriod).to.deep.equal(period);
      expect(lot.harvestedAt).to.equal(null);
    });

    it('when the lot number has 20 characters of GS1 set 82, then it is accepted as given', async () => {
      const lotNumber = `AZaz09!"%&'()*+,-./:`;
      expect(lotNumber).to.have.length(20);
      const lot = await newLot(coop, { lotNumber });
      expect(lot.lotNumber).to.equal(lotNumber);
    });

    it('when the GTIN check digit is wrong, then it answers 400 at gtin and no lot is written', async () => {
      const plotId = await newPlot();
      const before = await lotIds();
      const res = await api(coop).post('/api/v1/batches', lotBody([plotId], { gtin: '8931234567890' }));
      expectFieldError(res, 400, 'gtin', /check digit/);
      expect(await lotIds()).to.deep.equal(before);
    });

    for (const [what, lotNumber] of [
      ['21 characters', 'A'.repeat(21)],
      ['a "#"', 'LOT#1'],
      ['a space', 'LOT 1'],
      ['a Vietnamese letter "ư"', 'LÔ-ư1'],
      ['no characters', ''],
    ] as const) {
      it(`when the lot number has ${what}, then it answers 400 at lotNumber and no lot is written`, async () => {
        const plotId = await newPlot();
        const before = await lotIds();
        const res = await api(coop).post('/api/v1/batches', lotBody([plotId], { lotNumber }));
        expectFieldError(res, 400, 'lotNumber', /lot number/);
        expect(await lotIds()).to.deep.equal(before);
      });
    }

    it('when a (GTIN, lot number) pair is used twice, then the second answers 409 at lotNumber, even for another product', async () => {
      const plotId = await newPlot();
      await newLot(coop, { gtin: '8939876543217', lotNumber: 'DUP-1' }, [plotId]);
      const before = await lotIds();
      const res = await api(coop).post('/api/v1/batches', lotBody([plotId], { gtin: '08939876543217', lotNumber: 'DUP-1', product: 'Cà phê nhân' }));
      expectFieldError(res, 409, 'lotNumber');
      expect(await lotIds()).to.deep.equal(before);
    });

    it('when an organization reuses a lot number for the same product, then it answers 409 at lotNumber', async () => {
      const plotId = await newPlot();
      await newLot(coop, { lotNumber: 'SAME-1' }, [plotId]);
      const before = await lotIds();
      const res = await api(coop).post('/api/v1/batches', lotBody([plotId], { lotNumber: 'SAME-1' }));
      expectFieldError(res, 409, 'lotNumber');
      expect(await lotIds()).to.deep.equal(before);
    });

    it('when the same lot number is used for another product, then it is accepted', async () => {
      const plotId = await newPlot();
      await newLot(coop, { lotNumber: 'SAME-2' }, [plotId]);
      const other = await newLot(coop, { lotNumber: 'SAME-2', product: 'Hồ tiêu' }, [plotId]);
      expect(other.lotNumber).to.equal('SAME-2');
    });

    it('when both harvestedAt and harvestPeriod are given, then it answers 400 at harvestedAt and no lot is written', async () => {
      const plotId = await newPlot();
      const before = await lotIds();
      const res = await api(coop).post('/api/v1/batches', lotBody([plotId], { harvestPeriod: { from: daysAgo(20), to: daysAgo(12) } }));
      expectFieldError(res, 400, 'harvestedAt', /harvestedAt or harvestPeriod/);
      expect(await lotIds()).to.deep.equal(before);
    });

    it('when neither harvestedAt nor harvestPeriod is given, then it answers 400 at harvestedAt', async () => {
      const plotId = await newPlot();
      const before = await lotIds();
      const res = await api(coop).post('/api/v1/batches', lotBody([plotId], { harvestedAt: undefined }));
      expectFieldError(res, 400, 'harvestedAt', /harvestedAt or harvestPeriod/);
      expect(await lotIds()).to.deep.equal(before);
    });

    it('when the harvest period ends before it starts, then it answers 400 at harvestPeriod.to', async () => {
      const plotId = await newPlot();
      const before = await lotIds();
      const res = await api(coop).post('/api/v1/batches', lotBody([plotId], { harvestedAt: undefined, harvestPeriod: { from: daysAgo(5), to: daysAgo(9) } }));
      expectFieldError(res, 400, 'harvestPeriod.to', /before it starts/);
      expect(await lotIds()).to.deep.equal(before);
    });

    it('when the unit is bag without bagKg, then it answers 400 at quantity.bagKg', async () => {
      const plotId = await newPlot();
      const before = await lotIds();
      const res = await api(coop).post('/api/v1/batches', lotBody([plotId], { quantity: { value: 20, unit: 'bag' } }));
      expectFieldError(res, 400, 'quantity.bagKg', /bagKg/);
      expect(await lotIds()).to.deep.equal(before);
    });

    it('when plotIds names another organization’s plot, then it answers 400 at plotIds[0] and no lot is written', async () => {
      const tea = await h.login('other-coop@demo.test');
      const teaPlots = await api(tea).get('/api/v1/plots').expect(200);
      const teaPlotId = (teaPlots.body.items as Array<{ id: string }>)[0]?.id;
      expect(teaPlotId).to.be.a('string');
      const before = await lotIds();
      const res = await api(coop).post('/api/v1/batches', lotBody([teaPlotId!]));
      expectFieldError(res, 400, 'plotIds[0]', /no such plot/);
      expect(await lotIds()).to.deep.equal(before);
    });
  });

  describe('steps', () => {
    it('when a drying step is recorded with offset +05:30, then it answers 201 with an EPCIS TransformationEvent (commissioning) at that offset', async () => {
      const lot = await newLot();
      const occurredAt = at(30, 5 * 60 + 30);
      const res = await addStep(lot.id, { type: 'drying', occurredAt, notes: 'Phơi sân', place: { name: 'Sân phơi', lat: 12.99, lon: 108.4 } });
      expect(res.status, JSON.stringify(res.body)).to.equal(201);
      expect(res.headers.location).to.equal(`/api/v1/batches/${lot.id}/steps/${res.body.id}`);
      expect(res.body.id).to.match(/^[0-9a-f]{64}$/);
      expect(res.body.type).to.equal('drying');
      expect(res.body.event).to.include({
        type: 'TransformationEvent',
        bizStep: 'commissioning',
        eventTime: occurredAt,
        eventTimeZoneOffset: '+05:30',
        'ft:stepType': 'drying',
        'ft:notes': 'Phơi sân',
      });
      expect(res.body.event.eventID).to.equal(res.body.eventID);
      const read = await api(coop).get(res.headers.location as string).expect(200);
      expect(read.body).to.deep.equal(res.body);
    });

    it('when occurredAt has no offset, then it is taken as Vietnam time (+07:00)', async () => {
      const lot = await newLot();
      const local = localTime(6);
      const res = await addStep(lot.id, { type: 'hulling', occurredAt: local });
      expect(res.status, JSON.stringify(res.body)).to.equal(201);
      expect(res.body.event.eventTime).to.equal(`${local}+07:00`);
      expect(res.body.event.eventTimeZoneOffset).to.equal('+07:00');
      expect(res.body.occurredAt).to.equal(`${local}+07:00`);
    });

    it('when occurredAt has an offset but no seconds, then it answers 400 at occurredAt', async () => {
      const lot = await newLot();
      const res = await addStep(lot.id, { type: 'drying', occurredAt: `${localTime(6).slice(0, 16)}+07:00` });
      expectFieldError(res, 400, 'occurredAt');
      expect(await steps(lot.id)).to.have.length(1);
    });

    it('when occurredAt has neither offset nor seconds, then no event is recorded with a time lacking seconds', async () => {
      const lot = await newLot();
      const local = localTime(6).slice(0, 16);
      const res = await addStep(lot.id, { type: 'drying', occurredAt: local });
      expect([201, 400]).to.include(res.status);
      if (res.status === 201) {
        expect(res.body.event.eventTime).to.equal(`${local}:00+07:00`);
      } else {
        expectFieldError(res, 400, 'occurredAt');
      }
    });

    it('when the step type is unknown, then it answers 400 at type and no step is written', async () => {
      const lot = await newLot();
      const res = await addStep(lot.id, { type: 'baking', occurredAt: at(2) });
      expectFieldError(res, 400, 'type');
      expect(await steps(lot.id)).to.have.length(1);
    });

    it('when the step is in the future, then it answers 400 at occurredAt and no step is written', async () => {
      const lot = await newLot();
      const res = await addStep(lot.id, { type: 'drying', occurredAt: at(-24) });
      expectFieldError(res, 400, 'occurredAt', /future/);
      expect(await steps(lot.id)).to.have.length(1);
    });

    it('when a shipping step names no receiver, then it answers 400 at receiver and the lot stays put', async () => {
      const lot = await newLot();
      const res = await addStep(lot.id, { type: 'shipping', occurredAt: at(2) });
      expectFieldError(res, 400, 'receiver', /receiv/);
      expect(await steps(lot.id)).to.have.length(1);
      const read = await api(coop).get(`/api/v1/batches/${lot.id}`).expect(200);
      expect(read.body.pendingReceiverOrgId).to.equal(null);
    });

    it('when steps follow the harvest, then each step’s ft:prev holds the hash of the lot’s previous event, oldest first', async () => {
      const lot = await newLot();
      const drying = await addStep(lot.id, { type: 'drying', occurredAt: at(48) });
      expect(drying.status).to.equal(201);
      const hulling = await addStep(lot.id, { type: 'hulling', occurredAt: at(24) });
      expect(hulling.status).to.equal(201);

      const list = await steps(lot.id);
      expect(list.map((s) => s.type)).to.deep.equal(['harvest', 'drying', 'hulling']);
      const [harvest, first, second] = list as [StepView, StepView, StepView];
      expect(harvest.event).to.include({ type: 'ObjectEvent', action: 'ADD', bizStep: 'creating_class_instance' });
      expect(first.id).to.equal(drying.body.id);
      expect(second.id).to.equal(hulling.body.id);
      expect(first.event['ft:prev']).to.deep.equal([harvest.id]);
      expect(second.event['ft:prev']).to.deep.equal([first.id]);
    });
    it('when two lots are harvested from one plot, then the second harvest follows the plot, not the first lot’s harvest', async () => {
      const plotId = await newPlot();
      const a = await newLot(coop, { lotNumber: 'SIB-A' }, [plotId]);
      const b = await newLot(coop, { lotNumber: 'SIB-B' }, [plotId]);
      const harvestA = (await steps(a.id))[0]!;
      const harvestB = (await steps(b.id))[0]!;
      expect(harvestB.event['ft:prev']).to.not.include(harvestA.id);
      expect(harvestB.event['ft:prev']).to.deep.equal(harvestA.event['ft:prev']);
    });
  });

  describe('custody', () => {
    it('when the cooperative ships a lot to the roaster, then custody moves only when the roaster records receiving', async () => {
      const processor = await h.login('processor@demo.test');
      const roasterId = await orgIdOf(processor, 'bmt-roastery');
      const lot = await newLot();

      const shipped = await addStep(lot.id, { type: 'shipping', occurredAt: at(10), receiver: 'bmt-roastery' });
      expect(shipped.status, JSON.stringify(shipped.body)).to.equal(201);
      expect(shipped.body.event).to.include({ type: 'ObjectEvent', bizStep: 'shipping', disposition: 'in_transit' });
      const inTransit = await api(coop).get(`/api/v1/batches/${lot.id}`).expect(200);
      expect(inTransit.body.pendingReceiverOrgId).to.equal(roasterId);
      expect(inTransit.body.custodianOrgId).to.equal(lot.orgId);

      // In transit: the sender may not keep processing the goods it has sent.
      const early = await addStep(lot.id, { type: 'drying', occurredAt: at(9) });
      expectFieldError(early, 409, 'type', /in transit/);

      await api(processor).get(`/api/v1/batches/${lot.id}`).expect(200);
      const received = await addStep(lot.id, { type: 'receiving', occurredAt: at(8) }, processor);
      expect(received.status, JSON.stringify(received.body)).to.equal(201);
      expect(received.body.orgId).to.equal(roasterId);
      expect(received.body.event).to.include({ bizStep: 'receiving' });

      const held = await api(processor).get(`/api/v1/batches/${lot.id}`).expect(200);
      expect(held.body.custodianOrgId).to.equal(roasterId);
      expect(held.body.pendingReceiverOrgId).to.equal(null);

      const roasting = await addStep(lot.id, { type: 'roasting', occurredAt: at(4) }, processor);
      expect(roasting.status, JSON.stringify(roasting.body)).to.equal(201);
      expect(roasting.body.event['ft:prev']).to.deep.equal([received.body.id]);

      const late = await addStep(lot.id, { type: 'drying', occurredAt: at(3) });
      expectProblem(late, 403);
      expect((await steps(lot.id)).map((s) => s.type)).to.deep.equal(['harvest', 'shipping', 'receiving', 'roasting']);
    });

    it('when the roaster receives a merged lot, then it can read the lots it was made from, and not before it was shipped', async () => {
      const processor = await h.login('processor@demo.test');
      const a = await newLot();
      const b = await newLot();
      const merged = await api(coop).post('/api/v1/batches/merge', {
        inputs: [{ batchId: a.id }, { batchId: b.id }],
        product: 'Cà phê nhân Robusta',
        quantity: { value: 1500, unit: 'kg' },
        occurredAt: at(20),
      });
      expect(merged.status, JSON.stringify(merged.body)).to.equal(201);

      await api(processor).get(`/api/v1/batches/${a.id}`).expect(404);
      await api(processor).get(`/api/v1/batches/${merged.body.id}`).expect(404);

      expect((await addStep(merged.body.id, { type: 'shipping', occurredAt: at(10), receiver: 'bmt-roastery' })).status).to.equal(201);
      expect((await addStep(merged.body.id, { type: 'receiving', occurredAt: at(8) }, processor)).status).to.equal(201);

      for (const input of [a, b]) {
        const read = await api(processor).get(`/api/v1/batches/${input.id}`).expect(200);
        expect(read.body.id).to.equal(input.id);
        const history = await steps(input.id, processor);
        expect(history[0]?.type).to.equal('harvest');
      }
      const visible = await lotIds(processor);
      expect(visible).to.include.members([merged.body.id, a.id, b.id]);
    });

    it('when the sender itself records receiving of a lot it shipped to the roaster, then it answers 409 (not shipped to it)', async () => {
      const lot = await newLot();
      expect((await addStep(lot.id, { type: 'shipping', occurredAt: at(10), receiver: 'bmt-roastery' })).status).to.equal(201);
      const res = await addStep(lot.id, { type: 'receiving', occurredAt: at(8) });
      // The cooperative can see the lot, so the honest answer is a state conflict, not 404.
      expectFieldError(res, 409, 'type', /receiving/);
      expect(res.body.type).to.equal('/problems/not-shipped-to-you');
      expect((await steps(lot.id)).map((s) => s.type)).to.deep.equal(['harvest', 'shipping']);
    });

    it('when another cooperative records receiving of a lot shipped to the roaster, then it answers 404 (it cannot see the lot)', async () => {
      const tea = await h.login('other-coop@demo.test');
      const lot = await newLot();
      expect((await addStep(lot.id, { type: 'shipping', occurredAt: at(10), receiver: 'bmt-roastery' })).status).to.equal(201);
      // A private lot of another organization is 404 (docs/api.md), so its existence does not leak.
      const res = await addStep(lot.id, { type: 'receiving', occurredAt: at(8) }, tea);
      expectProblem(res, 404);
      const read = await api(coop).get(`/api/v1/batches/${lot.id}`).expect(200);
      expect(read.body.custodianOrgId).to.equal(lot.orgId);
    });

    it('when the roaster records receiving of a published lot nobody shipped to it, then it answers 409', async () => {
      const processor = await h.login('processor@demo.test');
      const lot = await newLot();
      await api(coop).post(`/api/v1/batches/${lot.id}/publish`, undefined).expect(200);
      // Published lots are readable by anyone, so the roaster sees it; receiving still needs a shipment.
      await api(processor).get(`/api/v1/batches/${lot.id}`).expect(200);
      const res = await addStep(lot.id, { type: 'receiving', occurredAt: at(8) }, processor);
      expectProblem(res, 409);
      expect(res.body.type).to.equal('/problems/not-shipped-to-you');
      const read = await api(coop).get(`/api/v1/batches/${lot.id}`).expect(200);
      expect(read.body.custodianOrgId).to.equal(lot.orgId);
    });
  });

  describe('corrections', () => {
    it('when a step corrects an earlier step of the same lot, then it answers 201 with ft:corrects set to that eventID', async () => {
      const lot = await newLot();
      const wrong = await addStep(lot.id, { type: 'drying', occurredAt: at(48), notes: 'độ ẩm 15%' });
      expect(wrong.status).to.equal(201);
      const fix = await addStep(lot.id, { type: 'drying', occurredAt: at(48), notes: 'độ ẩm 12,5%', corrects: wrong.body.eventID });
      expect(fix.status, JSON.stringify(fix.body)).to.equal(201);
      expect(fix.body.corrects).to.equal(wrong.body.eventID);
      expect(fix.body.event['ft:corrects']).to.equal(wrong.body.eventID);
      // The corrected step is kept (append-only).
      expect((await steps(lot.id)).map((s) => s.eventID)).to.include(wrong.body.eventID);
    });

    it('when corrects names an unknown event, then it answers 400 at corrects and no step is written', async () => {
      const lot = await newLot();
      const res = await addStep(lot.id, { type: 'drying', occurredAt: at(2), corrects: 'urn:uuid:00000000-0000-7000-8000-000000000000' });
      expectFieldError(res, 400, 'corrects', /no such step/);
      expect(await steps(lot.id)).to.have.length(1);
    });

    it('when corrects names a step of another lot, then it answers 400 at corrects', async () => {
      const lot = await newLot();
      const other = await newLot();
      const foreign = await addStep(other.id, { type: 'drying', occurredAt: at(5) });
      expect(foreign.status).to.equal(201);
      const res = await addStep(lot.id, { type: 'drying', occurredAt: at(2), corrects: foreign.body.eventID });
      expectFieldError(res, 400, 'corrects');
      expect(await steps(lot.id)).to.have.length(1);
    });
  });

  describe('merge', () => {
    it('when two lots are merged, then a new lot derives from both, unites their plots and starts with a TransformationEvent after both heads', async () => {
      const a = await newLot();
      const b = await newLot(coop, { quantity: { value: 10, unit: 'bag', bagKg: 60 } });
      expect((await addStep(a.id, { type: 'drying', occurredAt: at(30) })).status).to.equal(201);
      const headA = (await steps(a.id)).at(-1)!;
      const headB = (await steps(b.id)).at(-1)!;
      expect(headA.type).to.equal('drying');
      expect(headB.type).to.equal('harvest');
      const harvestClass = async (id: string) => ((await steps(id))[0]!.event.quantityList as Array<{ epcClass: string }>)[0]!.epcClass;
      const classes = [await harvestClass(a.id), await harvestClass(b.id)];
      const before = await lotIds();

      const res = await api(coop).post('/api/v1/batches/merge', {
        inputs: [{ batchId: a.id }, { batchId: b.id }],
        product: 'Cà phê nhân Robusta',
        quantity: { value: 1.6, unit: 't' },
        lotNumber: 'MRG-1',
        occurredAt: at(20),
      });
      expect(res.status, JSON.stringify(res.body)).to.equal(201);
      const merged = res.body as Lot;
      expect(res.headers.location).to.equal(`/api/v1/batches/${merged.id}`);
      expect(merged.derivedFrom).to.have.members([a.id, b.id]).and.have.length(2);
      expect(merged.plotIds).to.have.members([...a.plotIds, ...b.plotIds]).and.have.length(2);
      expect(merged.lotNumber).to.equal('MRG-1');
      expect(await lotIds()).to.have.length(before.length + 1);

      const history = await steps(merged.id);
      const first = history[0]!;
      expect(first.event).to.include({ type: 'TransformationEvent', bizStep: 'commissioning', 'ft:stepType': 'merge' });
      const inputs = first.event.inputQuantityList as Array<{ epcClass: string }>;
      expect(inputs.map((i) => i.epcClass)).to.have.members(classes).and.have.length(2);
      expect(first.event['ft:prev']).to.have.members([headA.id, headB.id]).and.have.length(2);
    });

    it('when the merged lot is heavier than its inputs, then it answers 400 at quantity and no lot is written', async () => {
      const a = await newLot();
      const b = await newLot();
      const before = await lotIds();
      const res = await api(coop).post('/api/v1/batches/merge', {
        inputs: [{ batchId: a.id }, { batchId: b.id }],
        product: 'Cà phê nhân Robusta',
        quantity: { value: 2001, unit: 'kg' },
        occurredAt: at(20),
      });
      expectFieldError(res, 400, 'quantity', /heavier/);
      expect(await lotIds()).to.deep.equal(before);
    });

    it('when a farmer merges lots, then it answers 403 and no lot is written', async () => {
      const farmer = await h.login('farmer@demo.test');
      const a = await newLot(farmer);
      const b = await newLot(farmer);
      const before = await lotIds(farmer);
      const res = await api(farmer).post('/api/v1/batches/merge', {
        inputs: [{ batchId: a.id }, { batchId: b.id }],
        product: 'Cà phê nhân Robusta',
        quantity: { value: 1500, unit: 'kg' },
        occurredAt: at(20),
      });
      expectProblem(res, 403);
      expect(await lotIds(farmer)).to.deep.equal(before);
    });

    it('when a lot is listed twice, then it answers 400 at inputs and no lot is written', async () => {
      const a = await newLot();
      const before = await lotIds();
      const res = await api(coop).post('/api/v1/batches/merge', {
        inputs: [{ batchId: a.id }, { batchId: a.id }],
        product: 'Cà phê nhân Robusta',
        quantity: { value: 500, unit: 'kg' },
        occurredAt: at(20),
      });
      expectFieldError(res, 400, 'inputs', /twice/);
      expect(await lotIds()).to.deep.equal(before);
    });
  });

  describe('split', () => {
    it('when a lot is split in two, then it answers 201 with two new lots derived from it', async () => {
      const source = await newLot();
      const before = await lotIds();
      const res = await api(coop).post(`/api/v1/batches/${source.id}/split`, {
        outputs: [
          { quantity: { value: 600, unit: 'kg' }, lotNumber: 'SPL-A' },
          { quantity: { value: 800, unit: 'bag', bagKg: 0.5 }, lotNumber: 'SPL-B', product: 'Cà phê rang 500 g', gtin: '8935550002223' },
        ],
        occurredAt: at(5),
      });
      expect(res.status, JSON.stringify(res.body)).to.equal(201);
      const parts = res.body.items as Lot[];
      expect(parts).to.have.length(2);
      expect(parts.map((p) => p.lotNumber)).to.deep.equal(['SPL-A', 'SPL-B']);
      for (const part of parts) {
        expect(part.id).to.not.equal(source.id);
        expect(part.derivedFrom).to.deep.equal([source.id]);
        expect(part.plotIds).to.deep.equal(source.plotIds);
      }
      expect(parts[0]!.product).to.equal(source.product);
      expect(parts[1]!.digitalLink).to.equal(`${BASE}/01/08935550002223/10/SPL-B`);
      const after = await lotIds();
      expect(after).to.have.length(before.length + 2);
      expect(after).to.include.members(parts.map((p) => p.id));
    });

    it('when the parts weigh more than the lot, then it answers 400 at outputs and no lot is written', async () => {
      const source = await newLot();
      const before = await lotIds();
      const res = await api(coop).post(`/api/v1/batches/${source.id}/split`, {
        outputs: [{ quantity: { value: 600, unit: 'kg' } }, { quantity: { value: 0.401, unit: 't' } }],
        occurredAt: at(5),
      });
      expectFieldError(res, 400, 'outputs', /weigh more/);
      expect(await lotIds()).to.deep.equal(before);
    });

    it('when two parts have the same lot number, then it answers 400 and no lot is written', async () => {
      const source = await newLot();
      const before = await lotIds();
      const res = await api(coop).post(`/api/v1/batches/${source.id}/split`, {
        outputs: [
          { quantity: { value: 300, unit: 'kg' }, lotNumber: 'TWIN' },
          { quantity: { value: 300, unit: 'kg' }, lotNumber: 'TWIN' },
        ],
        occurredAt: at(5),
      });
      expectFieldError(res, 400, 'outputs[1].lotNumber', /same lot number/);
      expect(await lotIds()).to.deep.equal(before);
    });
  });

  describe('split: lot identity inside one request', () => {
    it('when two parts of one product share a lot number and only one has a GTIN, then it answers 400 at outputs[1].lotNumber', async () => {
      const source = await newLot();
      const before = await lotIds();
      const res = await api(coop).post(`/api/v1/batches/${source.id}/split`, {
        outputs: [
          { quantity: { value: 300, unit: 'kg' }, lotNumber: 'TWIN-G', gtin: '8935550002223' },
          { quantity: { value: 300, unit: 'kg' }, lotNumber: 'TWIN-G' },
        ],
        occurredAt: at(5),
      });
      expectFieldError(res, 400, 'outputs[1].lotNumber', /same lot number/);
      expect(await lotIds()).to.deep.equal(before);
    });

    it('when two parts share a GTIN and lot number but name different products, then it answers 400 at outputs[1].lotNumber', async () => {
      const source = await newLot();
      const before = await lotIds();
      const res = await api(coop).post(`/api/v1/batches/${source.id}/split`, {
        outputs: [
          { quantity: { value: 300, unit: 'kg' }, lotNumber: 'TWIN-P', gtin: '8935550002223' },
          { quantity: { value: 300, unit: 'kg' }, lotNumber: 'TWIN-P', gtin: '8935550002223', product: 'Cà phê rang' },
        ],
        occurredAt: at(5),
      });
      expectFieldError(res, 400, 'outputs[1].lotNumber', /same lot number/);
      expect(await lotIds()).to.deep.equal(before);
    });

    it('when parts of one request clash on lot identity, then nothing is written whatever the answer', async () => {
      const source = await newLot();
      const before = await lotIds();
      const res = await api(coop).post(`/api/v1/batches/${source.id}/split`, {
        outputs: [
          { quantity: { value: 300, unit: 'kg' }, lotNumber: 'TWIN-N', gtin: '8935550002223' },
          { quantity: { value: 300, unit: 'kg' }, lotNumber: 'TWIN-N' },
        ],
        occurredAt: at(5),
      });
      expect(res.status).to.be.within(400, 409);
      expect(res.headers['content-type']).to.match(PROBLEM);
      expect(await lotIds()).to.deep.equal(before);
      expect((await steps(source.id)).map((s) => s.type)).to.deep.equal(['harvest']);
    });
  });

  describe('publish', () => {
    it('when the cooperative admin publishes its lot, then it answers 200 with published true', async () => {
      const lot = await newLot();
      const res = await api(coop).post(`/api/v1/batches/${lot.id}/publish`, undefined);
      expect(res.status, JSON.stringify(res.body)).to.equal(200);
      expect(res.body.published).to.equal(true);
      expect(res.body.publishedAt).to.be.a('string');
      const read = await api(coop).get(`/api/v1/batches/${lot.id}`).expect(200);
      expect(read.body.published).to.equal(true);
    });

    it('when a farmer publishes its own lot, then it answers 403 and the lot stays private', async () => {
      const farmer = await h.login('farmer@demo.test');
      const lot = await newLot(farmer);
      const res = await api(farmer).post(`/api/v1/batches/${lot.id}/publish`, undefined);
      expectProblem(res, 403);
      const read = await api(farmer).get(`/api/v1/batches/${lot.id}`).expect(200);
      expect(read.body.published).to.equal(false);
    });
  });

  describe('Idempotency-Key', () => {
    it('when the same create is sent twice with one key, then the second replays the first and only one lot exists', async () => {
      const body = lotBody([await newPlot()], { lotNumber: 'IDEM-1' });
      const before = await lotIds();
      const first = await api(coop).post('/api/v1/batches', body).set('Idempotency-Key', 'harvest-2611-idem-1');
      const second = await api(coop).post('/api/v1/batches', body).set('Idempotency-Key', 'harvest-2611-idem-1');
      expect(first.status, JSON.stringify(first.body)).to.equal(201);
      expect(second.status).to.equal(first.status);
      expect(second.body.id).to.equal(first.body.id);
      expect(second.body).to.deep.equal(first.body);
      expect(second.headers.location).to.equal(first.headers.location);
      expect(first.headers['idempotent-replayed']).to.equal(undefined);
      expect(second.headers['idempotent-replayed']).to.equal('true');
      const after = await lotIds();
      expect(after).to.have.length(before.length + 1);
      expect(after).to.include(first.body.id);
    });

    it('when a key is reused with a different body, then it answers 422 and nothing more is written', async () => {
      const plotId = await newPlot();
      const first = await api(coop).post('/api/v1/batches', lotBody([plotId], { lotNumber: 'IDEM-2' })).set('Idempotency-Key', 'harvest-2611-idem-2');
      expect(first.status).to.equal(201);
      const before = await lotIds();
      const res = await api(coop).post('/api/v1/batches', lotBody([plotId], { lotNumber: 'IDEM-3' })).set('Idempotency-Key', 'harvest-2611-idem-2');
      expectFieldError(res, 422, 'Idempotency-Key');
      expect(await lotIds()).to.deep.equal(before);
    });
  });
});
