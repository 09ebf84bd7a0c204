/**
 * The storage contract: the behaviour every adapter of the port must show. Each adapter's test
 * file calls `storeContract` with a function that opens a fresh, empty store; every test opens
 * its own store, so tests share nothing. Each repository's part of the contract is in
 * contract/<aggregate>.ts; they run in the order below.
 */
import type { OrganizationRecord, Store } from '../../src/store/port.js';
import { basicsContract } from './contract/basics.js';
import { batchesContract } from './contract/batches.js';
import { captureJobsContract } from './contract/capture-jobs.js';
import { eventsContract } from './contract/events.js';
import { idempotencyContract } from './contract/idempotency.js';
import { logContract } from './contract/log.js';
import { mediaContract } from './contract/media.js';
import { organizationsContract } from './contract/organizations.js';
import { plotsContract } from './contract/plots.js';
import { scansContract } from './contract/scans.js';
import { signingKeysContract } from './contract/signing-keys.js';
import { transactionsContract } from './contract/transactions.js';
import { organization, type StoreSuite } from './contract/fixtures.js';

export function storeContract(name: string, open: () => Promise<Store>): void {
  describe(`store contract: ${name}`, function () {
    let store: Store;

    beforeEach(async function () {
      store = await open();
    });

    afterEach(async function () {
      await store?.close();
    });

    /** Inserts `n` organizations, oldest first. */
    async function organizations(n: number, overrides: Partial<OrganizationRecord> = {}): Promise<OrganizationRecord[]> {
      const created: OrganizationRecord[] = [];
      for (let i = 0; i < n; i++) {
        const o = organization(overrides);
        await store.organizations.insert(o);
        created.push(o);
      }
      return created;
    }

    async function oneOrganization(overrides: Partial<OrganizationRecord> = {}): Promise<OrganizationRecord> {
      const [o] = await organizations(1, overrides);
      if (!o) throw new Error('no organization');
      return o;
    }

    const suite: StoreSuite = {
      name,
      get store() {
        return store;
      },
      organizations,
      oneOrganization,
    };

    basicsContract(suite);
    organizationsContract(suite);
    plotsContract(suite);
    batchesContract(suite);
    eventsContract(suite);
    captureJobsContract(suite);
    transactionsContract(suite);
    mediaContract(suite);
    signingKeysContract(suite);
    idempotencyContract(suite);
    scansContract(suite);
    logContract(suite);
  });
}
