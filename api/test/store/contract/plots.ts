/** The store contract for plots. */
import { expect } from 'chai';
import { uuidv7 } from 'uuidv7';
import type { PlotRecord, Store } from '../../../src/store/port.js';
import { digits, plot, expectConflict, pagesOf, ids, type StoreSuite } from './fixtures.js';

export function plotsContract(suite: StoreSuite): void {
  let store: Store;
  const { organizations, oneOrganization } = suite;

  describe('plots', function () {
    beforeEach(function () {
      store = suite.store;
    });

    it('when a plot is inserted, then findById returns it unchanged (geometry, crops and certifications included)', async function () {
      const o = await oneOrganization();
      const p = plot(o.id, { createdBy: uuidv7() });
      await store.plots.insert(p);
      expect(await store.plots.findById(p.id)).to.deep.equal(p);
    });

    it('when a point plot has no area and no certifications, then it round trips with nulls and empty lists', async function () {
      const o = await oneOrganization();
      const p = plot(o.id, { geometry: { type: 'Point', coordinates: [108.05, 12.68] }, areaHa: null, declaredAreaHa: null, certifications: [], crops: [], gln: null });
      await store.plots.insert(p);
      expect(await store.plots.findById(p.id)).to.deep.equal(p);
    });

    it('when 5 plots are listed 2 at a time, then pages run newest first with no duplicates and next is null at the end', async function () {
      const [a, b] = await organizations(2);
      if (!a || !b) throw new Error('setup');
      const mine: PlotRecord[] = [];
      for (let i = 0; i < 5; i++) {
        const p = plot(a.id);
        await store.plots.insert(p);
        mine.push(p);
        await store.plots.insert(plot(b.id));
      }
      const pages = await pagesOf((page) => store.plots.list([a.id], page), 2);
      expect(pages.map((p) => p.length)).to.deep.equal([2, 2, 1]);
      const listed = pages.flat();
      expect(new Set(ids(listed)).size).to.equal(5);
      expect(listed).to.deep.equal([...mine].reverse());
    });

    it('when a plot has a GLN, then findByGln returns it; an unknown GLN finds nothing', async function () {
      const o = await oneOrganization();
      const p = plot(o.id);
      await store.plots.insert(p);
      expect(await store.plots.findByGln(p.gln as string)).to.deep.equal(p);
      expect(await store.plots.findByGln(digits(13))).to.equal(null);
    });

    it('when a second plot reuses a GLN, then the insert fails with a 409 naming gln; plots without a GLN never conflict', async function () {
      const [a, b] = await organizations(2);
      if (!a || !b) throw new Error('setup');
      const p = plot(a.id);
      await store.plots.insert(p);
      await expectConflict(store.plots.insert(plot(b.id, { gln: p.gln })), 'gln');
      await store.plots.insert(plot(a.id, { gln: null }));
      await store.plots.insert(plot(b.id, { gln: null }));
      expect(await store.plots.findById(p.id)).to.deep.equal(p);
    });
  });
}
