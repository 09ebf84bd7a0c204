/** The store contract for events: append-only storage, links, heads and the EPCIS query. */
import { expect } from 'chai';
import { uuidv7 } from 'uuidv7';
import type { EventLink, EventRecord, Store } from '../../../src/store/port.js';
import { sha256, plot, batch, event, expectConflict, pagesOf, ids, type StoreSuite } from './fixtures.js';

export function eventsContract(suite: StoreSuite): void {
  let store: Store;
  const { oneOrganization } = suite;

  describe('events', function () {
    beforeEach(function () {
      store = suite.store;
    });

    it('when events are appended, then seq increases and findById returns the stored record', async function () {
      const o = await oneOrganization();
      const target = uuidv7();
      const appended: EventRecord[] = [];
      for (let i = 0; i < 3; i++) {
        const e = event(o.id, [{ targetId: target, role: 'subject' }]);
        const stored = await store.events.append(e);
        expect(stored).to.deep.equal({ ...e, seq: stored.seq });
        expect(await store.events.findById(e.id)).to.deep.equal(stored);
        appended.push(stored);
      }
      const seqs = appended.map((e) => e.seq);
      expect(seqs.every((s) => Number.isInteger(s) && s > 0)).to.equal(true);
      expect(seqs).to.deep.equal([...seqs].sort((x, y) => x - y));
      expect(new Set(seqs).size).to.equal(3);
      expect(await store.events.findById(`urn:uuid:${uuidv7()}`)).to.equal(null);
      expect(await store.events.findByHash(appended[1]!.hash)).to.deep.equal(appended[1]);
      expect(await store.events.findByHash(sha256('no such event'))).to.equal(null);
    });

    it('when an event carries a signature, log index and correction, then they round trip', async function () {
      const o = await oneOrganization();
      const first = await store.events.append(event(o.id, [{ targetId: uuidv7(), role: 'plot' }]));
      const e = event(o.id, [{ targetId: uuidv7(), role: 'subject' }], { corrects: first.id, jws: 'eyJhbGciOiJFZERTQSJ9..c2ln', stepType: null });
      const stored = await store.events.append(e);
      expect(await store.events.findById(e.id)).to.deep.equal({ ...e, seq: stored.seq });
    });

    it('when links are given out of order with a duplicate, then they come back once each, sorted by role then target', async function () {
      const o = await oneOrganization();
      const [t1, t2, t3] = [uuidv7(), uuidv7(), uuidv7()];
      const e = event(o.id, [
        { targetId: t2, role: 'output' },
        { targetId: t3, role: 'input' },
        { targetId: t1, role: 'output' },
        { targetId: t1, role: 'input' },
        { targetId: t2, role: 'output' },
      ]);
      const expected: EventLink[] = [
        { targetId: t1, role: 'input' },
        { targetId: t3, role: 'input' },
        { targetId: t1, role: 'output' },
        { targetId: t2, role: 'output' },
      ];
      expect((await store.events.append(e)).links).to.deep.equal(expected);
      expect((await store.events.findById(e.id))?.links).to.deep.equal(expected);
    });

    it('when events are listed for a target, then they come oldest first, in pages keyed by seq, across link roles', async function () {
      const o = await oneOrganization();
      const target = uuidv7();
      const other = uuidv7();
      const roles: EventLink['role'][] = ['subject', 'input', 'output', 'subject', 'plot'];
      const linked: EventRecord[] = [];
      for (const role of roles) {
        linked.push(await store.events.append(event(o.id, [{ targetId: target, role }])));
        await store.events.append(event(o.id, [{ targetId: other, role: 'subject' }]));
      }
      const first = await store.events.listFor(target, { limit: 2 });
      expect(first.next).to.equal(String(first.items.at(-1)?.seq));
      const pages = await pagesOf((page) => store.events.listFor(target, page), 2);
      expect(pages.map((p) => p.length)).to.deep.equal([2, 2, 1]);
      expect(pages.flat()).to.deep.equal(linked);
      expect(await store.events.listFor(uuidv7(), { limit: 2 })).to.deep.equal({ items: [], next: null });
    });

    it('when headOf is asked, then it returns the lot\'s last event as subject or output, never one it was only an input of', async function () {
      const o = await oneOrganization();
      const target = uuidv7();
      expect(await store.events.headOf(target)).to.equal(null);
      await store.events.append(event(o.id, [{ targetId: target, role: 'subject' }]));
      const produced = await store.events.append(event(o.id, [{ targetId: uuidv7(), role: 'input' }, { targetId: target, role: 'output' }]));
      await store.events.append(event(o.id, [{ targetId: target, role: 'input' }, { targetId: uuidv7(), role: 'output' }]));
      await store.events.append(event(o.id, [{ targetId: uuidv7(), role: 'subject' }]));
      expect(await store.events.headOf(target)).to.deep.equal(produced);
      const last = await store.events.append(event(o.id, [{ targetId: target, role: 'subject' }]));
      expect(await store.events.headOf(target)).to.deep.equal(last);
    });

    it('when events are queried, then only those the scope may read come back: recorded by it, of lots in its chain of custody, of its plots', async function () {
      const [mine, theirs, partner] = [await oneOrganization(), await oneOrganization(), await oneOrganization()];
      const sharedLot = batch(theirs.id, { accessOrgIds: [theirs.id, mine.id] });
      const theirLot = batch(theirs.id);
      const myPlot = plot(mine.id);
      for (const b of [sharedLot, theirLot]) await store.batches.insert(b);
      await store.plots.insert(myPlot);
      const recorded = await store.events.append(event(mine.id, [{ targetId: uuidv7(), role: 'subject' }]));
      const ofSharedLot = await store.events.append(event(theirs.id, [{ targetId: sharedLot.id, role: 'output' }]));
      await store.events.append(event(theirs.id, [{ targetId: theirLot.id, role: 'subject' }]));
      const ofMyPlot = await store.events.append(event(partner.id, [{ targetId: myPlot.id, role: 'plot' }]));
      // A lot id used as a plot link (or the other way round) grants nothing.
      await store.events.append(event(theirs.id, [{ targetId: sharedLot.id, role: 'plot' }]));

      expect((await store.events.query({ scopeOrgIds: [mine.id] }, { limit: 10 })).items).to.deep.equal([recorded, ofSharedLot, ofMyPlot]);
      expect(ids((await store.events.query({ scopeOrgIds: [partner.id] }, { limit: 10 })).items)).to.deep.equal([ofMyPlot.id]);
      expect(await store.events.query({ scopeOrgIds: [uuidv7()] }, { limit: 10 })).to.deep.equal({ items: [], next: null });
      expect(await store.events.query({ scopeOrgIds: [] }, { limit: 10 })).to.deep.equal({ items: [], next: null });
    });

    it('when events are queried with filters, then type, time (as instants), EPC, bizStep and bizLocation narrow them, in pages keyed by seq', async function () {
      const o = await oneOrganization();
      const lot = 'https://id.gs1.org/01/08930000000017/10/L1';
      const input = 'urn:farm-trace:epcis:lot:abc';
      const plotUri = 'urn:farm-trace:epcis:plot:p1';
      const place = 'https://id.gs1.org/414/8930000000019';
      const body = (type: string, rest: Record<string, unknown>) => ({ type, ...rest });
      const harvest = await store.events.append(
        event(o.id, [], { eventTime: '2025-10-01T08:00:00+07:00', body: body('ObjectEvent', { bizStep: 'creating_class_instance', quantityList: [{ epcClass: lot, quantity: 1 }], bizLocation: { id: place } }) }),
      );
      const registration = await store.events.append(event(o.id, [], { eventTime: '2025-10-01T02:30:00Z', body: body('ObjectEvent', { bizStep: 'commissioning', epcList: [plotUri] }) }));
      const roast = await store.events.append(
        event(o.id, [], {
          type: 'TransformationEvent',
          eventTime: '2025-10-02T09:00:00+07:00',
          body: body('TransformationEvent', { bizStep: 'commissioning', inputQuantityList: [{ epcClass: lot }], outputQuantityList: [{ epcClass: input }] }),
        }),
      );
      const scope = { scopeOrgIds: [o.id] };
      const q = async (filter: Record<string, unknown>) => ids((await store.events.query({ ...scope, ...filter }, { limit: 10 })).items);

      expect(await q({ types: ['TransformationEvent'] })).to.deep.equal([roast.id]);
      expect(await q({ types: ['ObjectEvent', 'TransformationEvent'] })).to.deep.equal([harvest.id, registration.id, roast.id]);
      // 08:00+07:00 is 01:00Z, before 02:30Z: compared as instants, not as strings.
      expect(await q({ eventTimeFrom: '2025-10-01T01:30:00Z' })).to.deep.equal([registration.id, roast.id]);
      expect(await q({ eventTimeBefore: '2025-10-01T02:30:00Z' })).to.deep.equal([harvest.id]);
      expect(await q({ eventTimeFrom: '2025-10-01T01:00:00Z', eventTimeBefore: '2025-10-01T01:00:00.001Z' })).to.deep.equal([harvest.id]);
      expect(await q({ epcs: [lot] })).to.deep.equal([harvest.id]);
      expect(await q({ epcs: [plotUri, input] })).to.deep.equal([registration.id]);
      expect(await q({ anyEpcs: [lot] })).to.deep.equal([harvest.id, roast.id]);
      expect(await q({ anyEpcs: [input] })).to.deep.equal([roast.id]);
      expect(await q({ bizSteps: ['commissioning'] })).to.deep.equal([registration.id, roast.id]);
      expect(await q({ bizSteps: ['commissioning'], anyEpcs: [lot] })).to.deep.equal([roast.id]);
      expect(await q({ bizLocations: [place] })).to.deep.equal([harvest.id]);
      expect(await q({ bizLocations: ['https://id.gs1.org/414/0000000000000'] })).to.deep.equal([]);

      const first = await store.events.query(scope, { limit: 2 });
      expect(first.next).to.equal(String(first.items.at(-1)?.seq));
      const pages = await pagesOf((page) => store.events.query(scope, page), 2);
      expect(pages.map((p) => p.length)).to.deep.equal([2, 1]);
      expect(pages.flat()).to.deep.equal([harvest, registration, roast]);
    });

    it('when an event id or hash is appended twice, then the append fails with a 409', async function () {
      const o = await oneOrganization();
      const e = event(o.id, [{ targetId: uuidv7(), role: 'subject' }]);
      const stored = await store.events.append(e);
      await expectConflict(store.events.append({ ...event(o.id, []), hash: e.hash }));
      await expectConflict(store.events.append({ ...e, hash: sha256('other') }));
      expect(await store.events.findById(e.id)).to.deep.equal(stored);
    });
  });
}
