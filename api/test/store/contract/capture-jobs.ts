/** The store contract for EPCIS capture jobs. */
import { expect } from 'chai';
import { uuidv7 } from 'uuidv7';
import type { CaptureJobRecord, Store } from '../../../src/store/port.js';
import { iso, type StoreSuite } from './fixtures.js';

export function captureJobsContract(suite: StoreSuite): void {
  let store: Store;
  const { organizations, oneOrganization } = suite;

  describe('capture jobs', function () {
    beforeEach(function () {
      store = suite.store;
    });

    function job(orgId: string, overrides: Partial<CaptureJobRecord> = {}): CaptureJobRecord {
      return { id: uuidv7(), orgId, submittedBy: 'user-1', createdAt: iso(), finishedAt: null, running: true, success: false, eventCount: 2, eventIds: [], errors: [], ...overrides };
    }

    it('when a job is inserted and finished, then findById returns it finished; finishing it again changes nothing', async function () {
      const o = await oneOrganization();
      const j = job(o.id);
      await store.captureJobs.insert(j);
      expect(await store.captureJobs.findById(j.id)).to.deep.equal(j);
      expect(await store.captureJobs.listRunning()).to.deep.equal([j.id]);
      await store.captureJobs.finish(j.id, { finishedAt: iso(5), success: true, eventIds: ['urn:uuid:a', 'urn:uuid:b'], errors: [] });
      const done = { ...j, running: false, success: true, finishedAt: iso(5), eventIds: ['urn:uuid:a', 'urn:uuid:b'] };
      expect(await store.captureJobs.findById(j.id)).to.deep.equal(done);
      await store.captureJobs.finish(j.id, { finishedAt: iso(9), success: false, eventIds: [], errors: [{ type: 't', title: 'x', status: 400, detail: 'd' }] });
      expect(await store.captureJobs.findById(j.id)).to.deep.equal(done);
      expect(await store.captureJobs.listRunning()).to.deep.equal([]);
    });

    it('when a job fails, then its problem details round trip', async function () {
      const o = await oneOrganization();
      const j = job(o.id);
      await store.captureJobs.insert(j);
      const errors = [{ type: '/problems/validation-error', title: 'Bad', status: 400, detail: 'd', errors: [{ path: '/epcisBody/eventList/0/eventID', message: 'taken' }] }];
      await store.captureJobs.finish(j.id, { finishedAt: iso(1), success: false, eventIds: [], errors });
      expect((await store.captureJobs.findById(j.id))?.errors).to.deep.equal(errors);
    });

    it('when jobs of two organizations exist, then list pages only those of the given ones, newest first', async function () {
      const [a, b] = await organizations(2);
      if (!a || !b) throw new Error('setup');
      const mine = [job(a.id), job(a.id), job(a.id)];
      for (const j of [...mine, job(b.id)]) await store.captureJobs.insert(j);
      const first = await store.captureJobs.list([a.id], { limit: 2 });
      expect(first.items.map((j) => j.id)).to.deep.equal([mine[2]!.id, mine[1]!.id]);
      const second = await store.captureJobs.list([a.id], { limit: 2, after: first.next! });
      expect(second.items.map((j) => j.id)).to.deep.equal([mine[0]!.id]);
      expect(second.next).to.equal(null);
    });
  });
}
