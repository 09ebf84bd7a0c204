import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { eventHashId, preHashString } from '../src/domain/epcis-event-hash.js';
import request from 'supertest';
import { EVENT_PREFIXES } from '../src/domain/event-model.js';
import type { ProvenanceBundle } from '../src/verifier/bundle-format.js';
import { startHarness } from './support/harness.js';

/**
 * The CBV 2.0 event hash ID against the reference examples published with the algorithm
 * (RalphTro/epcis-event-hash-generator; sources and commits in fixtures/epcis-event-hash/README.md).
 */

const dir = fileURLToPath(new URL('./fixtures/epcis-event-hash/', import.meta.url));

type Event = Record<string, unknown>;

interface Fixture {
  name: string;
  events: Event[];
  context: Record<string, string>;
  hashes: string[];
  prehashes: string[] | null;
}

function lines(path: string): string[] {
  return readFileSync(path, 'utf8').split('\n').filter((l) => l !== '');
}

function loadFixtures(): Fixture[] {
  return readdirSync(dir)
    .filter((f) => /\.(json|jsonld)$/.test(f))
    .sort()
    .map((file) => {
      const name = file.replace(/\.(json|jsonld)$/, '');
      const doc = JSON.parse(readFileSync(dir + file, 'utf8')) as {
        '@context': unknown;
        epcisBody: { eventList: Event[] };
      };
      const context: Record<string, string> = {};
      for (const c of ([] as unknown[]).concat(doc['@context'])) if (c && typeof c === 'object') Object.assign(context, c);
      return {
        name,
        events: doc.epcisBody.eventList,
        context,
        hashes: lines(`${dir}${name}.hashes`),
        prehashes: existsSync(`${dir}${name}.prehashes`) ? lines(`${dir}${name}.prehashes`) : null,
      };
    });
}

const fixtures = loadFixtures();

/** The same JSON with every object's keys in reverse order. */
function reverseKeys<T>(value: T): T {
  if (Array.isArray(value)) return value.map(reverseKeys) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).reverse().map(([k, v]) => [k, reverseKeys(v)])) as T;
  }
  return value;
}

function clone<T>(value: T): T {
  return structuredClone(value);
}

describe('CBV 2.0 event hash ID', () => {
  it('when the fixtures are loaded, then there are reference documents with one expected hash per event', () => {
    expect(fixtures.length).to.be.greaterThanOrEqual(10);
    for (const f of fixtures) {
      expect(f.hashes.length, f.name).to.equal(f.events.length);
      if (f.prehashes) expect(f.prehashes.length, f.name).to.equal(f.events.length);
    }
  });

  for (const f of fixtures) {
    describe(`reference document ${f.name}`, () => {
      f.events.forEach((event, i) => {
        it(`when event ${i + 1} of ${f.events.length} is hashed, then its ID is the published one`, () => {
          expect(eventHashId(event, f.context)).to.equal(f.hashes[i]);
        });
        if (f.prehashes) {
          it(`when event ${i + 1} of ${f.events.length} is pre-hashed, then the string is the published one`, () => {
            expect(preHashString(event, f.context)).to.equal(f.prehashes![i]);
          });
        }
      });
    });
  }

  describe('invariance and sensitivity', () => {
    const all = fixtures.flatMap((f) => f.events.map((event, i) => ({ name: `${f.name}#${i + 1}`, event, context: f.context })));

    it('when an event is hashed, then the ID has the ni:///sha-256;…?ver=CBV2.0 form', () => {
      for (const { event, context } of all) expect(eventHashId(event, context)).to.match(/^ni:\/\/\/sha-256;[0-9a-f]{64}\?ver=CBV2\.0$/);
    });

    it('when the keys of an event (at every level) come in another order, then the ID is the same', () => {
      for (const { name, event, context } of all) {
        const reordered = reverseKeys(event);
        expect(JSON.stringify(reordered), name).to.not.equal(JSON.stringify(event));
        expect(eventHashId(reordered, context), name).to.equal(eventHashId(event, context));
      }
    });

    it('when eventID, recordTime or errorDeclaration are added, changed or removed, then the ID is the same', () => {
      for (const { name, event, context } of all) {
        const id = eventHashId(event, context);
        const without = clone(event);
        delete without.eventID;
        delete without.recordTime;
        delete without.errorDeclaration;
        expect(eventHashId(without, context), name).to.equal(id);
        const withOthers = {
          ...clone(event),
          eventID: 'urn:uuid:2b0b4f1e-7b57-4a1e-9df6-6a8d4b0c2f11',
          recordTime: '2030-01-01T00:00:00.000Z',
          errorDeclaration: { declarationTime: '2030-01-02T00:00:00.000Z', reason: 'incorrect_data' },
        };
        expect(eventHashId(withOthers, context), name).to.equal(id);
        expect(eventHashId({ ...withOthers, eventID: id }, context), name).to.equal(id);
      }
    });

    it('when the event time changes by one millisecond, then the ID changes', () => {
      // (events with sub-millisecond digits are left out: Date.parse truncates where the ID rounds)
      for (const { name, event, context } of all.filter((e) => !/\.\d{4}/.test(String(e.event.eventTime)))) {
        const later = { ...clone(event), eventTime: new Date(Date.parse(String(event.eventTime)) + 1).toISOString() };
        expect(eventHashId(later, context), name).to.not.equal(eventHashId(event, context));
      }
    });

    it('when the same instant is written with another offset or precision, then the ID is the same', () => {
      const base = fixtures.find((f) => f.name === 'ReferenceEventHashAlgorithm3')!;
      const event = base.events[0]!; // eventTime 2020-03-04T11:00:30+01:00
      for (const eventTime of ['2020-03-04T10:00:30Z', '2020-03-04T10:00:30.000Z', '2020-03-04T05:00:30.0000-05:00']) {
        expect(eventHashId({ ...clone(event), eventTime }, base.context), eventTime).to.equal(base.hashes[0]);
      }
    });

    it('when an EPC is written as its Digital Link URI instead of its EPC URI, then the ID is the same', () => {
      const base = fixtures.find((f) => f.name === 'ReferenceEventHashAlgorithm3')!;
      const event = { ...clone(base.events[0]!), epcList: ['https://example.com/01/00614141111114/21/987?17=250101'] };
      expect(eventHashId(event, base.context)).to.equal(base.hashes[0]);
    });

    it('when an EPC, the business step, the action, a list item or a user extension changes, then the ID changes', () => {
      const base = fixtures.find((f) => f.name === 'ReferenceEventHashAlgorithm3')!;
      const event = base.events[0]!;
      const id = eventHashId(event, base.context);
      const variants: Event[] = [
        { ...clone(event), epcList: ['urn:epc:id:sgtin:0614141.011111.988'] },
        { ...clone(event), epcList: ['urn:epc:id:sgtin:0614141.011111.987', 'urn:epc:id:sgtin:0614141.011111.988'] },
        { ...clone(event), bizStep: 'shipping' },
        { ...clone(event), action: 'ADD' },
        { ...clone(event), eventTimeZoneOffset: '+02:00' },
        { ...clone(event), sourceList: [{ type: 'owning_party', source: 'urn:epc:id:pgln:4012345.00001' }] },
        { ...clone(event), readPoint: { id: 'urn:epc:id:sgln:4012345.00011.0', 'example:myField1': 'AB-13' } },
        { ...clone(event), 'example:userExt': 'CD-35' },
        { ...clone(event), 'example:another': 'x' },
      ];
      const ids = variants.map((v) => eventHashId(v, base.context));
      for (const [i, other] of ids.entries()) expect(other, `variant ${i}`).to.not.equal(id);
      expect(new Set(ids).size).to.equal(ids.length);
    });

    it('when an extension uses a prefix its context does not declare, then hashing fails rather than guessing', () => {
      const base = fixtures.find((f) => f.name === 'ReferenceEventHashAlgorithm3')!;
      expect(() => eventHashId({ ...clone(base.events[0]!), 'undeclared:x': '1' }, base.context)).to.throw(/undeclared/);
    });
  });
});

describe('event IDs of recorded events', () => {
  it('when the service records an event, then its eventID is the CBV 2.0 event hash ID of its signed content, which anyone can recompute', async () => {
    const h = await startHarness({ seed: true });
    try {
      const roaster = await h.login('processor@demo.test');
      const lot = ((await request(h.app).get('/api/v1/batches').set('Authorization', roaster)).body.items as Array<{ id: string; published: boolean }>).find((l) => l.published)!;
      const bundle = (await request(h.app).get(`/api/v1/batches/${lot.id}/provenance`).expect(200)).body as ProvenanceBundle;
      expect(bundle.events.length).to.be.greaterThan(10);
      for (const { jws } of bundle.events) {
        const payload = JSON.parse(Buffer.from(jws.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;
        expect(payload.eventID).to.match(/^ni:\/\/\/sha-256;[0-9a-f]{64}\?ver=CBV2\.0$/);
        expect(eventHashId(payload, { ...EVENT_PREFIXES })).to.equal(payload.eventID);
      }
    } finally {
      await h.close();
    }
  });
});
