import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import request from 'supertest';
import { eventHashId } from '../src/domain/epcis-event-hash.js';
import { validateEpcisDocument } from '../src/epcis/epcis-schema.js';
import { verifyBundle } from '../src/verifier/verify-bundle.js';
import { startHarness, type Harness } from './support/harness.js';

const EXAMPLES = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures/epcis-examples');
const PROBLEM = /application\/problem\+json/;
const VALIDATION_EXCEPTION = 'epcisException:ValidationException';
const CONTEXT = 'https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld';
const HASH_ID = /^ni:\/\/\/sha-256;[0-9a-f]{64}\?ver=CBV2\.0$/;
/** The cooperative's single-origin green lot (GTIN 08936123450038, published, in its custody). */
const SINGLE_ORIGIN = { gtin: '08936123450038', lotNumber: 'EHO-2512-S1' };
const SINGLE_ORIGIN_DL = `https://id.gs1.org/01/${SINGLE_ORIGIN.gtin}/10/${SINGLE_ORIGIN.lotNumber}`;
/** The roaster's published retail lot. */
const ROASTED_PACK_DL = 'https://id.gs1.org/01/08936123450021/10/KN25R-A';

type Json = Record<string, unknown>;

interface CaptureJob {
  captureID: string;
  running: boolean;
  success: boolean;
  captureErrorBehaviour: string;
  eventCount: number;
  eventIDs: string[];
  errors: Array<{ type: string; status: number; detail: string; errors?: Array<{ path: string; message: string }> }>;
}

function exampleDocuments(): Array<{ name: string; doc: Json }> {
  return readdirSync(EXAMPLES)
    .filter((f) => f.endsWith('.jsonld'))
    .sort()
    .map((name) => ({ name, doc: JSON.parse(readFileSync(path.join(EXAMPLES, name), 'utf8')) as Json }));
}

function eventsOf(doc: Json): Json[] {
  return (doc.epcisBody as { eventList: Json[] }).eventList;
}

/** Prefixes the document's @context objects declare. */
function prefixesOf(doc: Json): Record<string, string> {
  const context = doc['@context'];
  return Object.assign({}, ...(Array.isArray(context) ? context : [context]).filter((c) => c && typeof c === 'object')) as Record<string, string>;
}

function document(events: Json[], context: unknown[] = [CONTEXT]): Json {
  return { '@context': context, type: 'EPCISDocument', schemaVersion: '2.0', creationDate: '2026-01-10T08:00:00+07:00', epcisBody: { eventList: events } };
}

function observe(epcs: { epcList?: string[]; quantityList?: Json[] }, extra: Json = {}): Json {
  return {
    type: 'ObjectEvent',
    eventTime: '2026-01-10T07:30:00+07:00',
    eventTimeZoneOffset: '+07:00',
    action: 'OBSERVE',
    bizStep: 'storing',
    disposition: 'in_progress',
    epcList: [],
    ...epcs,
    ...extra,
  };
}

async function capture(h: Harness, auth: string, doc: unknown): Promise<CaptureJob> {
  const res = await request(h.app).post('/epcis/capture').set('Authorization', auth).set('Content-Type', 'application/ld+json').send(JSON.stringify(doc));
  expect(res.status, JSON.stringify(res.body)).to.equal(202);
  expect(res.headers.location).to.equal(`/epcis/capture/${res.body.captureID as string}`);
  return finished(h, auth, res.headers.location as string);
}

async function finished(h: Harness, auth: string, location: string): Promise<CaptureJob> {
  for (let attempt = 0; attempt < 500; attempt++) {
    const res = await request(h.app).get(location).set('Authorization', auth).expect(200);
    if (!res.body.running) return res.body as CaptureJob;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`capture job ${location} did not finish`);
}

async function eventCount(h: Harness): Promise<number> {
  return (await h.services.log.checkpoint()).treeSize;
}

async function readEvent(h: Harness, auth: string, eventId: string): Promise<Json> {
  const res = await request(h.app).get(`/epcis/events/${encodeURIComponent(eventId)}`).set('Authorization', auth);
  expect(res.status, JSON.stringify(res.body)).to.equal(200);
  return JSON.parse(res.text) as Json;
}

async function batchIdOf(h: Harness, auth: string, lotNumber: string): Promise<string> {
  const res = await request(h.app).get('/api/v1/batches?limit=500').set('Authorization', auth).expect(200);
  const lot = (res.body.items as Array<{ id: string; lotNumber: string }>).find((b) => b.lotNumber === lotNumber);
  if (!lot) throw new Error(`no lot ${lotNumber}`);
  return lot.id;
}

async function lotHistory(h: Harness, batchId: string): Promise<Json> {
  const res = await request(h.app).get(`/api/v1/batches/${batchId}/provenance`).expect(200);
  return res.body as Json;
}

/** The bundle's events as signed (each JWS's payload), with their hashes. */
function signedEvents(bundle: Json): Array<{ hash: string; event: Json }> {
  return (bundle.events as Array<{ hash: string; jws: string }>).map(({ hash, jws }) => ({
    hash,
    event: JSON.parse(Buffer.from(jws.split('.')[1]!, 'base64url').toString('utf8')) as Json,
  }));
}

describe('EPCIS 2.0 capture interface (REST binding)', () => {
  let h: Harness;
  let coop: string;

  beforeEach(async () => {
    h = await startHarness({ seed: true });
    coop = await h.login('coop@demo.test');
  });

  afterEach(async () => {
    await h.close();
  });

  describe('the standard’s example documents', () => {
    for (const { name, doc } of exampleDocuments()) {
      it(`when ${name} is captured, then its job succeeds and every event reads back as sent, under the eventID it was given or its CBV 2.0 hash ID`, async () => {
        const job = await capture(h, coop, doc);
        expect(job.errors).to.deep.equal([]);
        expect(job.success).to.equal(true);
        expect(job.captureErrorBehaviour).to.equal('rollback');
        const sent = eventsOf(doc);
        expect(job.eventIDs).to.have.length(sent.length);
        for (const [i, original] of sent.entries()) {
          const id = job.eventIDs[i]!;
          if (typeof original.eventID === 'string') expect(id).to.equal(original.eventID);
          // Without an eventID, the ID is the one the sending system computes over what it sent.
          else expect(id).to.match(HASH_ID).and.equal(eventHashId(original, prefixesOf(doc)));
          const stored = await readEvent(h, coop, id);
          for (const [key, value] of Object.entries(original)) {
            if (key === 'recordTime') continue;
            expect(stored[key], `${name} event ${i} ${key}`).to.deep.equal(value);
          }
          expect(stored['ft:captured']).to.deep.equal({ captureID: job.captureID, eventIdGiven: typeof original.eventID === 'string' });
        }
        // Read back through the query interface, the events make a document that follows the schema.
        const query = await request(h.app).get(`/epcis/events?perPage=500&GE_eventTime=1970-01-01T00:00:00Z`).set('Authorization', coop).expect(200);
        const result = validateEpcisDocument(JSON.parse(query.text));
        expect(result, JSON.stringify(result)).to.deep.equal({ valid: true });
      });
    }
  });

  describe('joining the lots events name', () => {
    it('when events name a held lot by Digital Link and by EPC URN, then they join its history, each follows the one before, and the bundle verifies', async () => {
      const batchId = await batchIdOf(h, coop, SINGLE_ORIGIN.lotNumber);
      const before = await lotHistory(h, batchId);
      const job = await capture(
        h,
        coop,
        document([
          observe({ quantityList: [{ epcClass: SINGLE_ORIGIN_DL, quantity: 120, uom: 'KGM' }] }, { eventTime: '2026-01-10T07:30:00+07:00' }),
          observe({ quantityList: [{ epcClass: 'urn:epc:class:lgtin:893612345.0003.EHO-2512-S1' }] }, { eventTime: '2026-01-11T07:30:00+07:00', bizStep: 'shipping', disposition: 'in_transit' }),
        ]),
      );
      expect(job.success, JSON.stringify(job.errors)).to.equal(true);
      const bundle = await lotHistory(h, batchId);
      const signed = signedEvents(bundle);
      const first = signed.find((e) => e.event.eventID === job.eventIDs[0])?.event;
      const second = signed.find((e) => e.event.eventID === job.eventIDs[1])?.event;
      expect(first, 'first captured event in the lot’s history').to.exist;
      expect(second, 'second captured event in the lot’s history').to.exist;
      const beforeHeads = before.heads as string[];
      expect(first!['ft:prev']).to.deep.equal(beforeHeads);
      expect(second!['ft:prev']).to.deep.equal([signed.find((e) => e.event.eventID === job.eventIDs[0])!.hash]);
      const report = await verifyBundle(bundle);
      expect(report.errors, JSON.stringify(report.errors)).to.deep.equal([]);
      expect(report.valid, JSON.stringify(report.events.filter((e) => e.failures.length))).to.equal(true);
    });

    it('when a commissioning event puts serialised items into a held lot, then a later event naming only an item’s serial joins that lot', async () => {
      const batchId = await batchIdOf(h, coop, SINGLE_ORIGIN.lotNumber);
      const item = `https://id.gs1.org/01/${SINGLE_ORIGIN.gtin}/21/SACK-0007`;
      const job = await capture(
        h,
        coop,
        document(
          [
            {
              type: 'ObjectEvent',
              eventTime: '2026-01-10T07:00:00+07:00',
              eventTimeZoneOffset: '+07:00',
              action: 'ADD',
              bizStep: 'commissioning',
              disposition: 'active',
              epcList: [item, `https://id.gs1.org/01/${SINGLE_ORIGIN.gtin}/21/SACK-0008`],
              ilmd: { 'cbvmda:lotNumber': SINGLE_ORIGIN.lotNumber },
            },
            observe({ epcList: ['urn:epc:id:sgtin:893612345.0003.SACK-0007'] }, { eventTime: '2026-01-12T07:00:00+07:00' }),
          ],
          [CONTEXT, { cbvmda: 'urn:epcglobal:cbv:mda:' }],
        ),
      );
      expect(job.success, JSON.stringify(job.errors)).to.equal(true);
      const bundle = await lotHistory(h, batchId);
      expect(signedEvents(bundle).map((e) => e.event.eventID)).to.include.members(job.eventIDs);
      // The bundle alone shows that the serial is the lot's: the commissioning event in it says so.
      const report = await verifyBundle(bundle);
      expect(report.valid, JSON.stringify(report.events.filter((e) => e.failures.length))).to.equal(true);
    });

    it('when an event names a published lot another organization holds, then the job fails naming the path, and nothing is written', async () => {
      const before = await eventCount(h);
      const job = await capture(h, coop, document([observe({}), observe({ quantityList: [{ epcClass: ROASTED_PACK_DL }] })]));
      expect(job.success).to.equal(false);
      expect(job.eventIDs).to.deep.equal([]);
      expect(job.errors[0]!.type).to.equal('/problems/validation-error');
      expect(job.errors[0]!.errors).to.deep.equal([
        { path: '/epcisBody/eventList/1/quantityList/0/epcClass', code: 'not-lot-custodian', message: 'names lot KN25R-A, which your organization does not hold; only its custodian may add events to it', params: { lotNumber: 'KN25R-A' } },
      ]);
      expect(await eventCount(h)).to.equal(before);
    });

    it('when an event names another cooperative’s private lot, then it is stored without joining it, and the answer says nothing of that lot', async () => {
      const other = await h.login('other-coop@demo.test');
      const privateLot = await batchIdOf(h, coop, 'EHO-2512-S2');
      const lotRes = await request(h.app).get(`/api/v1/batches/${privateLot}`).set('Authorization', coop).expect(200);
      const job = await capture(h, other, document([observe({ quantityList: [{ epcClass: `urn:farm-trace:epcis:lot:${lotRes.body.code as string}` }] })]));
      expect(job.success, JSON.stringify(job.errors)).to.equal(true);
      expect((await readEvent(h, other, job.eventIDs[0]!))['ft:prev']).to.deep.equal([]);
      const steps = await request(h.app).get(`/api/v1/batches/${privateLot}/steps?limit=500`).set('Authorization', coop).expect(200);
      expect((steps.body.items as Array<{ eventId?: string; id: string }>).map((s) => JSON.stringify(s))).to.not.satisfy((items: string[]) =>
        items.some((s) => s.includes(job.eventIDs[0]!)),
      );
    });
  });

  describe('eventIDs', () => {
    it('when an eventID already recorded is captured again, then the second job fails naming that eventID, and nothing is written', async () => {
      const doc = document([observe({}, { eventID: 'urn:uuid:7b1e6f4c-0a8e-4c1b-9d36-5b0f0d3f9a11' })]);
      expect((await capture(h, coop, doc)).success).to.equal(true);
      const before = await eventCount(h);
      const again = await capture(h, coop, doc);
      expect(again.success).to.equal(false);
      expect(again.errors[0]!.errors).to.deep.equal([
        { path: '/epcisBody/eventList/0/eventID', code: 'duplicate', message: 'an event with the eventID urn:uuid:7b1e6f4c-0a8e-4c1b-9d36-5b0f0d3f9a11 is already recorded' },
      ]);
      expect(await eventCount(h)).to.equal(before);
    });

    it('when two events without eventIDs say the same thing, then the job fails on the second (same hash ID), and nothing is written', async () => {
      const before = await eventCount(h);
      const job = await capture(h, coop, document([observe({}), observe({})]));
      expect(job.success).to.equal(false);
      expect(job.errors[0]!.errors).to.have.length(1);
      expect(job.errors[0]!.errors![0]!.path).to.equal('/epcisBody/eventList/1');
      expect(job.errors[0]!.errors![0]!.message).to.match(/^has the same content, hence the same event hash ID, as an earlier event of this document \(ni:/);
      expect(await eventCount(h)).to.equal(before);
    });

    it('when two identical steps are recorded on a lot through the API, then both are kept: our own events’ IDs cover their place in the chain', async () => {
      const batchId = await batchIdOf(h, coop, SINGLE_ORIGIN.lotNumber);
      const step = { type: 'storage', occurredAt: '2026-01-10T07:00:00+07:00', notes: 'same' };
      const first = await request(h.app).post(`/api/v1/batches/${batchId}/steps`).set('Authorization', coop).send(step).expect(201);
      const second = await request(h.app).post(`/api/v1/batches/${batchId}/steps`).set('Authorization', coop).send(step).expect(201);
      expect(second.body.event.eventID).to.match(HASH_ID).and.not.equal(first.body.event.eventID);
    });

    it('when a document gives one eventID to two events, then it answers 400 naming the second, before any job', async () => {
      const id = 'urn:uuid:0c4b2b8e-5d7e-4e0f-8a55-0a1c3d2e9f10';
      const res = await request(h.app)
        .post('/epcis/capture')
        .set('Authorization', coop)
        .send(document([observe({}, { eventID: id }), observe({}, { eventID: id, eventTime: '2026-01-10T09:00:00+07:00' })]))
        .expect(400)
        .expect('Content-Type', PROBLEM);
      expect(res.body.type).to.equal(VALIDATION_EXCEPTION);
      expect(res.body.errors).to.deep.equal([{ path: '/epcisBody/eventList/1/eventID', code: 'epcis-duplicate-event', message: 'repeats the eventID of event 0' }]);
    });

    it('when a captured event keeps a given hash-form eventID that is not its content’s hash, then the lot’s bundle still verifies', async () => {
      const batchId = await batchIdOf(h, coop, SINGLE_ORIGIN.lotNumber);
      const given = `ni:///sha-256;${'ab'.repeat(32)}?ver=CBV2.0`;
      const job = await capture(h, coop, document([observe({ quantityList: [{ epcClass: SINGLE_ORIGIN_DL }] }, { eventID: given })]));
      expect(job.eventIDs).to.deep.equal([given]);
      const report = await verifyBundle(await lotHistory(h, batchId));
      expect(report.valid, JSON.stringify(report.errors)).to.equal(true);
    });
  });

  describe('refusals', () => {
    it('when a document fails the EPCIS 2.0 schema, then it answers 400 ValidationException naming every failing path, and nothing is written', async () => {
      const before = await eventCount(h);
      const { eventTime: _dropped, ...noTime } = observe({});
      const res = await request(h.app)
        .post('/epcis/capture')
        .set('Authorization', coop)
        .send(document([observe({}), noTime, observe({}, { action: 'SHAKE' })]))
        .expect(400)
        .expect('Content-Type', PROBLEM);
      expect(res.body.type).to.equal(VALIDATION_EXCEPTION);
      expect(res.headers['gs1-epcis-version']).to.equal('2.0.0');
      const paths = (res.body.errors as Array<{ path: string }>).map((e) => e.path);
      expect(paths).to.include('/epcisBody/eventList/1/eventTime');
      expect(paths).to.include('/epcisBody/eventList/2/action');
      expect(await eventCount(h)).to.equal(before);
      const jobs = await request(h.app).get('/epcis/capture').set('Authorization', coop).expect(200);
      expect(jobs.body.items).to.deep.equal([]);
    });

    it('when the body is not JSON, then it answers 400 ValidationException', async () => {
      const res = await request(h.app).post('/epcis/capture').set('Authorization', coop).set('Content-Type', 'application/ld+json').send('{"type":').expect(400);
      expect(res.body.type).to.equal(VALIDATION_EXCEPTION);
      expect(res.body.errors).to.deep.equal([{ path: '(body)', code: 'invalid-json', message: 'the body is not valid JSON' }]);
    });

    it('when a document uses this service’s ft namespace anywhere (envelope, page fields, ILMD, a prefix bound to it), then it answers 400 naming each path', async () => {
      const before = await eventCount(h);
      const res = await request(h.app)
        .post('/epcis/capture')
        .set('Authorization', coop)
        .send(
          document(
            [
              observe({}, { 'ft:prev': ['00'] }),
              observe({ quantityList: [{ epcClass: SINGLE_ORIGIN_DL }] }, { 'ft:plot': { name: 'FORGED ESTATE' }, eventTime: '2026-01-10T08:00:00+07:00' }),
              { ...observe({}, { eventTime: '2026-01-10T09:00:00+07:00', action: 'ADD' }), ilmd: { 'ft:product': 'x' } },
              observe({}, { 'mine:stepType': 'harvest', eventTime: '2026-01-10T10:00:00+07:00' }),
            ],
            [CONTEXT, { ft: 'urn:farm-trace:epcis:', mine: 'urn:farm-trace:epcis:' }],
          ),
        )
        .expect(400);
      const own = 'the "ft" namespace (urn:farm-trace:epcis:) is this service\'s own; captured events may not use it';
      expect(res.body.type).to.equal(VALIDATION_EXCEPTION);
      expect(res.body.errors).to.deep.include.members([
        { path: '/@context/1/ft', code: 'epcis-context', message: own },
        { path: '/@context/1/mine', code: 'epcis-context', message: own },
        { path: '/epcisBody/eventList/0/ft:prev', code: 'epcis-context', message: own },
        { path: '/epcisBody/eventList/1/ft:plot', code: 'epcis-context', message: own },
        { path: '/epcisBody/eventList/2/ilmd/ft:product', code: 'epcis-context', message: own },
      ]);
      expect(await eventCount(h)).to.equal(before);
    });

    it('when a @context holds a remote context, a keyword or a term definition, then it answers 400 naming it; only prefixes are kept', async () => {
      const res = await request(h.app)
        .post('/epcis/capture')
        .set('Authorization', coop)
        .send(document([observe({})], [CONTEXT, 'https://evil.example/context.jsonld', { '@vocab': 'https://evil.example/', 'ex:term': 'https://evil.example/t', ft2: { '@id': 'x' } }]))
        .expect(400);
      expect(res.body.errors.map((e: { path: string }) => e.path)).to.have.members(['/@context/1', '/@context/2/@vocab', '/@context/2/ex:term', '/@context/2/ft2']);
    });

    it('when an extension nests deeper than 32 levels, then it answers 400 naming where, without walking further', async () => {
      let deep: unknown = 'bottom';
      for (let i = 0; i < 40; i++) deep = { 'ex:n': deep };
      const res = await request(h.app)
        .post('/epcis/capture')
        .set('Authorization', coop)
        .send(document([observe({}, { 'ex:deep': deep })], [CONTEXT, { ex: 'https://example.com/' }]))
        .expect(400);
      expect(res.body.errors).to.have.length(1);
      expect(res.body.errors[0].message).to.equal('nests deeper than 32 levels');
    });

    it('when a captured event uses an extension prefix, then it is stored with just that declaration as its own @context', async () => {
      const job = await capture(h, coop, document([observe({}, { 'ex:temperature': 21 })], [CONTEXT, { ex: 'https://example.com/ns/', unused: 'https://example.com/unused/' }]));
      const stored = await readEvent(h, coop, job.eventIDs[0]!);
      expect(stored['@context']).to.deep.equal([{ ex: 'https://example.com/ns/' }]);
    });

    it('when GS1-Capture-Error-Behaviour asks to proceed past errors, then it answers 400 naming the header', async () => {
      const res = await request(h.app).post('/epcis/capture').set('Authorization', coop).set('GS1-Capture-Error-Behaviour', 'proceed').send(document([observe({})])).expect(400);
      expect(res.body.type).to.equal(VALIDATION_EXCEPTION);
      expect(res.body.errors[0].path).to.equal('GS1-Capture-Error-Behaviour');
    });

    it('when a farmer captures, then it answers 403; when another organization reads the job, then 404 NoSuchResourceException', async () => {
      const farmer = await h.login('farmer@demo.test');
      const refused = await request(h.app).post('/epcis/capture').set('Authorization', farmer).send(document([observe({})])).expect(403).expect('Content-Type', PROBLEM);
      expect(refused.headers['gs1-epcis-version']).to.equal('2.0.0');
      const job = await capture(h, coop, document([observe({})]));
      const other = await h.login('other-coop@demo.test');
      const res = await request(h.app).get(`/epcis/capture/${job.captureID}`).set('Authorization', other).expect(404);
      expect(res.body.type).to.equal('epcisException:NoSuchResourceException');
      const unknown = await request(h.app).get('/epcis/capture/not-a-capture-id').set('Authorization', coop).expect(404);
      expect(unknown.body.type).to.equal('epcisException:NoSuchResourceException');
    });

    it('when one organization submits three documents at once, then the third is refused with 503 and Retry-After while two are open', async () => {
      const user = (await h.store.users.findByEmail('coop@demo.test'))!;
      const actor = { orgId: user.orgId, userId: user.id, apiKeyId: null, role: 'admin' as const, scopeOrgIds: [user.orgId] };
      const submits = [0, 1, 2].map((i) => h.services.capture.submit(actor, document([observe({}, { eventTime: `2026-01-1${i}T07:00:00+07:00` })])));
      const settled = await Promise.allSettled(submits);
      expect(settled.map((r) => r.status)).to.deep.equal(['fulfilled', 'fulfilled', 'rejected']);
      const refusal = (settled[2] as PromiseRejectedResult).reason as { status: number; headers: Record<string, string> };
      expect(refusal.status).to.equal(503);
      expect(refusal.headers['Retry-After']).to.equal('10');
    });

    it('when a job is retried with the same Idempotency-Key, then the same job answers and nothing is captured twice', async () => {
      const doc = document([observe({})]);
      const first = await request(h.app).post('/epcis/capture').set('Authorization', coop).set('Idempotency-Key', 'capture-1').send(doc).expect(202);
      await finished(h, coop, first.headers.location as string);
      const again = await request(h.app).post('/epcis/capture').set('Authorization', coop).set('Idempotency-Key', 'capture-1').send(doc).expect(202);
      expect(again.headers.location).to.equal(first.headers.location);
      const jobs = await request(h.app).get('/epcis/capture').set('Authorization', coop).expect(200);
      expect(jobs.body.items).to.have.length(1);
    });
  });

  describe('limits', () => {
    let limited: Harness;

    beforeEach(async () => {
      limited = await startHarness({ seed: true, env: { EPCIS_CAPTURE_MAX_EVENTS: '2', EPCIS_CAPTURE_MAX_BYTES: '20000' } });
    });

    afterEach(async () => {
      await limited.close();
    });

    it('when a document holds more events than the capture limit, then it answers 413 CaptureLimitExceededException with the limit in GS1-EPCIS-Capture-Limit', async () => {
      const auth = await limited.login('coop@demo.test');
      const res = await request(limited.app).post('/epcis/capture').set('Authorization', auth).send(document([observe({}), observe({}), observe({})])).expect(413);
      expect(res.body.type).to.equal('epcisException:CaptureLimitExceededException');
      expect(res.headers['gs1-epcis-capture-limit']).to.equal('2');
    });

    it('when a document is larger than the file size limit, then it answers 413 CaptureLimitExceededException', async () => {
      const auth = await limited.login('coop@demo.test');
      const res = await request(limited.app)
        .post('/epcis/capture')
        .set('Authorization', auth)
        .send(document([observe({}, { 'example:note': 'x'.repeat(25_000) })], [CONTEXT, { example: 'https://example.com/' }]))
        .expect(413);
      expect(res.body.type).to.equal('epcisException:CaptureLimitExceededException');
      expect(res.headers['gs1-epcis-capture-file-size-limit']).to.equal('20000');
    });
  });

  it('when the service starts with a job a stopped process left running, then that job reads as failed and asks to send the document again', async () => {
    await h.store.captureJobs.insert({
      id: '01900000-0000-7000-8000-000000000001',
      orgId: (await h.store.users.findByEmail('coop@demo.test'))!.orgId,
      submittedBy: 'test',
      createdAt: new Date().toISOString(),
      finishedAt: null,
      running: true,
      success: false,
      eventCount: 1,
      eventIds: [],
      errors: [],
    });
    expect(await h.services.capture.failInterrupted()).to.equal(1);
    const res = await request(h.app).get('/epcis/capture/01900000-0000-7000-8000-000000000001').set('Authorization', coop).expect(200);
    expect(res.body.running).to.equal(false);
    expect(res.body.success).to.equal(false);
    expect(res.body.errors[0].detail).to.match(/nothing of it was written/);
  });
});
