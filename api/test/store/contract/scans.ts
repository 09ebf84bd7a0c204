/** The store contract for scans and their counts. */
import { expect } from 'chai';
import { uuidv7 } from 'uuidv7';
import type { Store } from '../../../src/store/port.js';
import { rejectionOf, type StoreSuite } from './fixtures.js';

export function scansContract(suite: StoreSuite): void {
  let store: Store;

  describe('scans', function () {
    beforeEach(function () {
      store = suite.store;
    });

    const zero = { android: 0, ios: 0, desktop: 0, bot: 0, other: 0 };
    // Vietnam days run from 17:00Z the day before to 17:00Z (UTC+07:00).
    const window = { from: '2025-05-31T17:00:00.000Z', to: '2025-06-02T17:00:00.000Z' };

    it('when scans are inserted, then countFor counts the lot’s scans in [from, to) by client type and by Vietnam day', async function () {
      const lot = uuidv7();
      await store.scans.insertMany([
        { batchId: lot, at: '2025-05-31T16:59:59.999Z', clientType: 'desktop' },
        { batchId: lot, at: '2025-05-31T17:00:00.000Z', clientType: 'android' },
        { batchId: lot, at: '2025-06-01T16:59:59.999Z', clientType: 'bot' },
        { batchId: lot, at: '2025-06-01T17:00:00.000Z', clientType: 'ios' },
        { batchId: lot, at: '2025-06-02T03:00:00.000Z', clientType: 'ios' },
        { batchId: lot, at: '2025-06-02T17:00:00.000Z', clientType: 'other' },
        { batchId: uuidv7(), at: '2025-06-01T00:00:00.000Z', clientType: 'android' },
      ]);
      expect(await store.scans.countFor(lot, window)).to.deep.equal({
        total: 4,
        byClientType: { ...zero, android: 1, bot: 1, ios: 2 },
        byDay: [
          { day: '2025-06-01', count: 2 },
          { day: '2025-06-02', count: 2 },
        ],
      });
    });

    it('when a lot has no scans in the window, then every client type counts zero and no day is listed', async function () {
      await store.scans.insertMany([]);
      expect(await store.scans.countFor(uuidv7(), window)).to.deep.equal({ total: 0, byClientType: zero, byDay: [] });
    });

    it('when many scans are inserted in one call, then every one is counted', async function () {
      const lot = uuidv7();
      const at = (i: number) => new Date(Date.parse(window.from) + i * 60_000).toISOString();
      await store.scans.insertMany(Array.from({ length: 1200 }, (_, i) => ({ batchId: lot, at: at(i), clientType: i % 2 ? 'ios' : 'android' })));
      const counts = await store.scans.countFor(lot, window);
      expect(counts.total).to.equal(1200);
      expect(counts.byClientType).to.deep.equal({ ...zero, android: 600, ios: 600 });
      expect(counts.byDay.reduce((sum, d) => sum + d.count, 0)).to.equal(1200);
    });

    it('when scans are inserted inside a transaction that fails, then none is kept', async function () {
      const lot = uuidv7();
      await rejectionOf(
        store.transaction(async (tx) => {
          await tx.scans.insertMany([{ batchId: lot, at: '2025-06-01T00:00:00.000Z', clientType: 'android' }]);
          throw new Error('boom');
        }),
      );
      expect((await store.scans.countFor(lot, window)).total).to.equal(0);
    });
  });
}
