/** The store contract for lots (batches): finders, custody, access, serials and the lots of a plot. */
import { expect } from 'chai';
import { uuidv7 } from 'uuidv7';
import type { BatchRecord, Store } from '../../../src/store/port.js';
import { iso, batch, expectConflict, pagesOf, ids, type StoreSuite } from './fixtures.js';

export function batchesContract(suite: StoreSuite): void {
  let store: Store;
  const { organizations, oneOrganization } = suite;

  describe('batches', function () {
    beforeEach(function () {
      store = suite.store;
    });

    it('when a batch is inserted, then every finder returns it unchanged', async function () {
      const [a, b] = await organizations(2);
      if (!a || !b) throw new Error('setup');
      const x = batch(a.id, {
        custodianOrgId: b.id,
        pendingReceiverOrgId: b.id,
        accessOrgIds: [a.id, b.id],
        derivedFrom: [uuidv7(), uuidv7()],
        gtin: '08935000000017',
        published: true,
        publishedAt: iso(30),
        createdBy: uuidv7(),
      });
      await store.batches.insert(x);
      expect(await store.batches.findById(x.id)).to.deep.equal(x);
      expect(await store.batches.findByCode(x.code)).to.deep.equal(x);
      expect(await store.batches.findByGtinLot(x.gtin as string, x.lotNumber)).to.deep.equal(x);
      expect(await store.batches.findByOrgProductLot(x.orgId, x.product, x.lotNumber)).to.deep.equal(x);
    });

    it('when a batch has no GTIN, variety, harvest time or period, then it round trips with nulls', async function () {
      const o = await oneOrganization();
      const x = batch(o.id, { variety: null, harvestedAt: null, harvestPeriod: null, quantity: { value: 2.4, unit: 't' } });
      await store.batches.insert(x);
      expect(await store.batches.findById(x.id)).to.deep.equal(x);
      expect(await store.batches.findByGtinLot('08935000000017', x.lotNumber)).to.equal(null);
      expect(await store.batches.findByCode('no-such-code')).to.equal(null);
      expect(await store.batches.findByOrgProductLot(o.id, 'pepper', x.lotNumber)).to.equal(null);
    });

    it('when accessOrgIds are given out of order, then they come back sorted ascending', async function () {
      const [a, b, c] = await organizations(3);
      if (!a || !b || !c) throw new Error('setup');
      const x = batch(a.id, { accessOrgIds: [c.id, a.id, b.id] });
      await store.batches.insert(x);
      expect((await store.batches.findById(x.id))?.accessOrgIds).to.deep.equal([a.id, b.id, c.id]);
    });

    it('when a second batch reuses a GTIN and lot number, then the insert fails with a 409 naming lotNumber', async function () {
      const [a, b] = await organizations(2);
      if (!a || !b) throw new Error('setup');
      const x = batch(a.id, { gtin: '08935000000017' });
      await store.batches.insert(x);
      await expectConflict(store.batches.insert(batch(b.id, { gtin: x.gtin, lotNumber: x.lotNumber, product: 'green-coffee' })), 'lotNumber');
    });

    it('when an organization reuses a lot number for the same product, then the insert fails with a 409 naming lotNumber', async function () {
      const o = await oneOrganization();
      const x = batch(o.id);
      await store.batches.insert(x);
      await expectConflict(store.batches.insert(batch(o.id, { lotNumber: x.lotNumber })), 'lotNumber');
    });

    it('when lots without GTIN share a lot number across organizations or products, then they do not conflict', async function () {
      const [a, b] = await organizations(2);
      if (!a || !b) throw new Error('setup');
      const x = batch(a.id);
      const y = batch(b.id, { lotNumber: x.lotNumber });
      const z = batch(a.id, { lotNumber: x.lotNumber, product: 'pepper' });
      for (const lot of [x, y, z]) await store.batches.insert(lot);
      for (const lot of [x, y, z]) expect(await store.batches.findById(lot.id)).to.deep.equal(lot);
    });

    it('when a second batch reuses a public code, then the insert fails with a 409 naming code', async function () {
      const o = await oneOrganization();
      const x = batch(o.id);
      await store.batches.insert(x);
      await expectConflict(store.batches.insert(batch(o.id, { code: x.code })), 'code');
    });

    it('when batches are listed for some organizations, then only batches whose accessOrgIds include one of them are returned', async function () {
      const [a, b, c] = await organizations(3);
      if (!a || !b || !c) throw new Error('setup');
      const onlyA = batch(a.id);
      const shared = batch(b.id, { accessOrgIds: [a.id, b.id] });
      const onlyB = batch(b.id);
      const onlyC = batch(c.id);
      for (const x of [onlyA, shared, onlyB, onlyC]) await store.batches.insert(x);
      expect(ids((await store.batches.list([a.id], { limit: 10 })).items)).to.deep.equal([shared.id, onlyA.id]);
      expect(ids((await store.batches.list([b.id], { limit: 10 })).items)).to.deep.equal([onlyB.id, shared.id]);
      expect(ids((await store.batches.list([a.id, b.id], { limit: 10 })).items)).to.deep.equal([onlyB.id, shared.id, onlyA.id]);
      expect((await store.batches.list([], { limit: 10 })).items).to.deep.equal([]);
    });

    it('when 5 visible batches are listed 2 at a time, then pages run newest first with no duplicates and next is null at the end', async function () {
      const [a, b] = await organizations(2);
      if (!a || !b) throw new Error('setup');
      const visible: BatchRecord[] = [];
      for (let i = 0; i < 5; i++) {
        const x = batch(i % 2 ? b.id : a.id, { accessOrgIds: i % 2 ? [a.id, b.id] : [a.id] });
        await store.batches.insert(x);
        visible.push(x);
        await store.batches.insert(batch(b.id));
      }
      const pages = await pagesOf((page) => store.batches.list([a.id], page), 2);
      expect(pages.map((p) => p.length)).to.deep.equal([2, 2, 1]);
      expect(pages.flat()).to.deep.equal([...visible].reverse());
    });

    it('when access is granted twice, then each organization appears once and the batch becomes visible to it', async function () {
      const [a, b, c] = await organizations(3);
      if (!a || !b || !c) throw new Error('setup');
      const x = batch(a.id);
      await store.batches.insert(x);
      expect((await store.batches.list([c.id], { limit: 10 })).items).to.deep.equal([]);
      await store.batches.grantAccess(x.id, [c.id, b.id]);
      await store.batches.grantAccess(x.id, [b.id, a.id, c.id]);
      await store.batches.grantAccess(x.id, []);
      const expected = { ...x, accessOrgIds: [a.id, b.id, c.id] };
      expect(await store.batches.findById(x.id)).to.deep.equal(expected);
      expect((await store.batches.list([c.id], { limit: 10 })).items).to.deep.equal([expected]);
    });

    it('when serials are added to a lot, then findBySerial finds the lot by GTIN and serial; a serial already in a lot stays there', async function () {
      const o = await oneOrganization();
      const x = batch(o.id);
      const y = batch(o.id);
      await store.batches.insert(x);
      await store.batches.insert(y);
      await store.batches.addSerials(x.id, '08936123450038', ['S-1', 'S-2']);
      await store.batches.addSerials(y.id, '08936123450038', ['S-2', 'S-3']);
      await store.batches.addSerials(y.id, '08936123450038', []);
      expect((await store.batches.findBySerial('08936123450038', 'S-1'))?.id).to.equal(x.id);
      expect((await store.batches.findBySerial('08936123450038', 'S-2'))?.id).to.equal(x.id);
      expect((await store.batches.findBySerial('08936123450038', 'S-3'))?.id).to.equal(y.id);
      expect(await store.batches.findBySerial('08936123450045', 'S-1')).to.equal(null);
    });

    it('when a transaction that added serials fails, then the serials name no lot', async function () {
      const o = await oneOrganization();
      const x = batch(o.id);
      await store.batches.insert(x);
      await store
        .transaction(async (tx) => {
          await tx.batches.addSerials(x.id, '08936123450038', ['S-9']);
          throw new Error('abort');
        })
        .catch(() => undefined);
      expect(await store.batches.findBySerial('08936123450038', 'S-9')).to.equal(null);
    });

    it('when a batch is updated, then only the given fields change', async function () {
      const [a, b] = await organizations(2);
      if (!a || !b) throw new Error('setup');
      const x = batch(a.id);
      await store.batches.insert(x);

      await store.batches.update(x.id, { pendingReceiverOrgId: b.id });
      expect(await store.batches.findById(x.id)).to.deep.equal({ ...x, pendingReceiverOrgId: b.id });

      await store.batches.update(x.id, { custodianOrgId: b.id, pendingReceiverOrgId: null });
      expect(await store.batches.findById(x.id)).to.deep.equal({ ...x, custodianOrgId: b.id });

      await store.batches.update(x.id, { published: true, publishedAt: iso(90) });
      const published = { ...x, custodianOrgId: b.id, published: true, publishedAt: iso(90) };
      expect(await store.batches.findById(x.id)).to.deep.equal(published);

      await store.batches.update(x.id, {});
      await store.batches.update(x.id, { published: undefined });
      expect(await store.batches.findById(x.id)).to.deep.equal(published);
    });

    it('when lots come from a plot, then publishedFromPlot lists only its published ones, newest first, up to the limit, including lots published later', async function () {
      const o = await oneOrganization();
      const [p, other] = [uuidv7(), uuidv7()];
      const older = batch(o.id, { plotIds: [p], published: true, publishedAt: iso(10) });
      const unpublished = batch(o.id, { plotIds: [other, p] });
      const blend = batch(o.id, { plotIds: [other, p], derivedFrom: [older.id], published: true, publishedAt: iso(20) });
      const elsewhere = batch(o.id, { plotIds: [other], published: true, publishedAt: iso(30) });
      for (const x of [older, unpublished, blend, elsewhere]) await store.batches.insert(x);
      expect(await store.batches.publishedFromPlot(p, 10)).to.deep.equal([blend, older]);
      expect(await store.batches.publishedFromPlot(p, 1)).to.deep.equal([blend]);
      expect(await store.batches.publishedFromPlot(uuidv7(), 10)).to.deep.equal([]);

      await store.batches.update(unpublished.id, { published: true, publishedAt: iso(40) });
      expect(ids(await store.batches.publishedFromPlot(p, 10))).to.deep.equal([blend.id, unpublished.id, older.id]);
    });
  });
}
