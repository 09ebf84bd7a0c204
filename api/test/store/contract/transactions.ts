/** The store contract for transactions: all or nothing across repositories. */
import { expect } from 'chai';
import { uuidv7 } from 'uuidv7';
import type { Store } from '../../../src/store/port.js';
import { iso, organization, user, batch, event, rejectionOf, expectConflict, ids, type StoreSuite } from './fixtures.js';

export function transactionsContract(suite: StoreSuite): void {
  let store: Store;
  const { oneOrganization } = suite;

  describe('transactions', function () {
    beforeEach(function () {
      store = suite.store;
    });

    it('when the work throws after inserting an organization, then nothing is written and the error propagates', async function () {
      const o = organization();
      const error = await rejectionOf(
        store.transaction(async (tx) => {
          await tx.organizations.insert(o);
          expect(await tx.organizations.findById(o.id)).to.deep.equal(o);
          throw new Error('boom');
        }),
      );
      expect((error as Error).message).to.equal('boom');
      expect(await store.organizations.findById(o.id)).to.equal(null);
      expect(await store.isEmpty()).to.equal(true);
    });

    it('when a write inside the work conflicts, then the earlier writes of the transaction are rolled back too', async function () {
      const existing = await oneOrganization();
      const fresh = organization();
      const target = uuidv7();
      await expectConflict(
        store.transaction(async (tx) => {
          await tx.organizations.insert(fresh);
          await tx.events.append(event(fresh.id, [{ targetId: target, role: 'subject' }]));
          await tx.organizations.insert(organization({ slug: existing.slug }));
        }),
        'slug',
      );
      expect(await store.organizations.findById(fresh.id)).to.equal(null);
      expect(await store.events.headOf(target)).to.equal(null);
    });

    it('when the work succeeds, then everything it wrote is committed and its result returned', async function () {
      const o = organization();
      const u = user(o.id);
      const x = batch(o.id);
      const e = event(o.id, [{ targetId: x.id, role: 'subject' }]);
      const result = await store.transaction(async (tx) => {
        await tx.organizations.insert(o);
        await tx.users.insert(u);
        await tx.batches.insert(x);
        await tx.batches.update(x.id, { published: true, publishedAt: iso(5) });
        const stored = await tx.events.append(e);
        return { seq: stored.seq, latest: await tx.events.headOf(x.id) };
      });
      expect(result.latest).to.deep.equal({ ...e, seq: result.seq });
      expect(await store.organizations.findById(o.id)).to.deep.equal(o);
      expect(await store.users.findById(u.id)).to.deep.equal(u);
      expect(await store.batches.findById(x.id)).to.deep.equal({ ...x, published: true, publishedAt: iso(5) });
      expect(await store.events.headOf(x.id)).to.deep.equal(result.latest);
    });

    it('when events are appended inside and outside transactions, then seq keeps increasing', async function () {
      const o = await oneOrganization();
      const target = uuidv7();
      const a = await store.events.append(event(o.id, [{ targetId: target, role: 'subject' }]));
      const b = await store.transaction((tx) => tx.events.append(event(o.id, [{ targetId: target, role: 'subject' }])));
      const c = await store.events.append(event(o.id, [{ targetId: target, role: 'subject' }]));
      expect(a.seq).to.be.lessThan(b.seq);
      expect(b.seq).to.be.lessThan(c.seq);
      expect(ids((await store.events.listFor(target, { limit: 10 })).items)).to.deep.equal([a.id, b.id, c.id]);
    });
  });
}
