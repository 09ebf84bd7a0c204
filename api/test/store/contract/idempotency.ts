/** The store contract for idempotency keys. */
import { expect } from 'chai';
import { uuidv7 } from 'uuidv7';
import type { Store } from '../../../src/store/port.js';
import { iso, sha256, idempotency, rejectionOf, type StoreSuite } from './fixtures.js';

export function idempotencyContract(suite: StoreSuite): void {
  let store: Store;

  describe('idempotency keys', function () {
    beforeEach(function () {
      store = suite.store;
    });

    it('when a free key is claimed, then claim returns null, and a second claim returns the pending record', async function () {
      const r = idempotency();
      expect(await store.idempotency.claim(r)).to.equal(null);
      expect(await store.idempotency.claim({ ...r, requestHash: sha256('other'), createdAt: iso(10) })).to.deep.equal(r);
    });

    it('when a claim is completed, then later claims return the done record with status, body and location', async function () {
      const r = idempotency();
      await store.idempotency.claim(r);
      const body = { id: uuidv7(), lot: { quantity: { value: 40, unit: 'bag', bagKg: 60 } }, tags: [], empty: {} };
      await store.idempotency.complete(r.scope, r.key, 201, body, '/v1/batches/x');
      expect(await store.idempotency.claim(idempotency({ scope: r.scope, key: r.key }))).to.deep.equal({
        ...r,
        state: 'done',
        status: 201,
        body,
        location: '/v1/batches/x',
      });
    });

    it('when a pending claim is released, then the key is free again', async function () {
      const r = idempotency();
      await store.idempotency.claim(r);
      await store.idempotency.release(r.scope, r.key);
      expect(await store.idempotency.claim(r)).to.equal(null);
    });

    it('when a completed claim is released, then it is kept', async function () {
      const r = idempotency();
      await store.idempotency.claim(r);
      await store.idempotency.complete(r.scope, r.key, 200, ['ok'], null);
      await store.idempotency.release(r.scope, r.key);
      expect(await store.idempotency.claim(r)).to.deep.equal({ ...r, state: 'done', status: 200, body: ['ok'], location: null });
    });

    it('when the same key is claimed in another scope, then it is a separate claim', async function () {
      const r = idempotency();
      await store.idempotency.claim(r);
      expect(await store.idempotency.claim({ ...r, scope: `org:${uuidv7()}` })).to.equal(null);
    });

    it('when a key is claimed inside a transaction that fails, then the claim is not kept', async function () {
      const r = idempotency();
      await rejectionOf(
        store.transaction(async (tx) => {
          expect(await tx.idempotency.claim(r)).to.equal(null);
          expect(await tx.idempotency.claim(r)).to.deep.equal(r);
          throw new Error('boom');
        }),
      );
      expect(await store.idempotency.claim(r)).to.equal(null);
    });
  });
}
