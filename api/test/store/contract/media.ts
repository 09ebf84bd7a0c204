/** The store contract for media records. */
import { expect } from 'chai';
import { uuidv7 } from 'uuidv7';
import type { Store } from '../../../src/store/port.js';
import { iso, sha256, event, type StoreSuite } from './fixtures.js';

export function mediaContract(suite: StoreSuite): void {
  let store: Store;
  const { oneOrganization } = suite;

  describe('media', function () {
    beforeEach(function () {
      store = suite.store;
    });

    it('when a file record is inserted, then it reads back whole by id and by its target', async function () {
      const o = await oneOrganization();
      const e = await store.events.append(event(o.id, [{ targetId: uuidv7(), role: 'subject' }]));
      const original = sha256(uuidv7());
      const rendition = sha256(uuidv7());
      const record = {
        id: uuidv7(),
        orgId: o.id,
        targetKind: 'batch' as const,
        targetId: uuidv7(),
        attachesTo: null,
        sha256: original,
        mediaType: 'image/jpeg',
        bytes: 1234,
        width: 800,
        height: 600,
        renditions: [{ width: 320, sha256: rendition }],
        evidence: { takenAt: null, gps: { lat: 13.0415278, lon: 108.3726111 } },
        eventId: e.id,
        createdBy: null,
        createdAt: iso(),
      };
      await store.media.insert(record);
      expect(await store.media.findById(record.id)).to.deep.equal(record);
      expect(await store.media.listFor(record.targetId)).to.deep.equal([record]);
    });
  });
}
