/** The store contract for opening a store: ping, kind and isEmpty. */
import { expect } from 'chai';
import type { Store } from '../../../src/store/port.js';
import type { StoreSuite } from './fixtures.js';

export function basicsContract(suite: StoreSuite): void {
  let store: Store;
  const { oneOrganization } = suite;
  const { name } = suite;

  describe('basics', function () {
    beforeEach(function () {
      store = suite.store;
    });

    it('when the store is opened, then ping succeeds and the kind names the adapter', async function () {
      await store.ping();
      expect(store.kind).to.equal(name);
    });

    it('when no organization exists, then isEmpty is true, and after one is inserted it is false', async function () {
      expect(await store.isEmpty()).to.equal(true);
      await oneOrganization();
      expect(await store.isEmpty()).to.equal(false);
    });
  });
}
