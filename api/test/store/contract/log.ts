/** The store contract for the transparency log's storage. */
import { expect } from 'chai';
import { uuidv7 } from 'uuidv7';
import type { CheckpointRecord, LogKeyRecord, LogNode, Store } from '../../../src/store/port.js';
import { iso, sha256, organization, event, rejectionOf, expectConflict, type StoreSuite } from './fixtures.js';

export function logContract(suite: StoreSuite): void {
  let store: Store;
  const { oneOrganization } = suite;

  describe('log', function () {
    beforeEach(function () {
      store = suite.store;
    });

    /** The nodes leaf `i` completes in a real tree: its own, and one per level while it closes a pair. */
    const completedBy = (i: number, leafHash: string): LogNode[] => {
      const nodes: LogNode[] = [{ level: 0, index: i, hash: leafHash }];
      for (let level = 1, index = i; index % 2 === 1; level++, index = Math.floor(index / 2)) {
        nodes.push({ level, index: Math.floor(index / 2), hash: sha256(`node ${level}/${Math.floor(index / 2)}`) });
      }
      return nodes;
    };

    /** Appends each hash as the next leaf, as the log does: in a transaction, index from nextLeafIndex. */
    async function logged(...hashes: string[]): Promise<number[]> {
      return store.transaction(async (tx) => {
        const indexes: number[] = [];
        for (const hash of hashes) {
          const index = await tx.log.nextLeafIndex();
          await tx.log.appendLeaf(index, hash, completedBy(index, hash));
          indexes.push(index);
        }
        return indexes;
      });
    }

    const checkpoint = (treeSize: number, overrides: Partial<CheckpointRecord> = {}): CheckpointRecord => ({
      treeSize,
      rootHash: sha256(`root ${treeSize}`),
      note: `trace.example.vn/log\n${treeSize}\nroot\n\n— trace.example.vn/log sig${treeSize}\n`,
      issuedAt: iso(treeSize),
      ...overrides,
    });

    const logKey = (): LogKeyRecord => ({ kid: sha256(uuidv7()), publicKey: 'MCowBQYDK2VwAyEA', encryptedPrivateKey: `v1.${uuidv7()}`, createdAt: iso() });

    it('when leaves are appended, then nextLeafIndex starts at 0 and follows them, and size counts them', async function () {
      expect(await store.log.size()).to.equal(0);
      expect(await store.log.nextLeafIndex()).to.equal(0);
      // Asking is not taking: the index stays the same until a leaf is appended at it.
      expect(await store.transaction(async (tx) => [await tx.log.nextLeafIndex(), await tx.log.nextLeafIndex()])).to.deep.equal([0, 0]);
      expect(await logged(sha256('a'))).to.deep.equal([0]);
      expect(await logged(sha256('b'))).to.deep.equal([1]);
      expect(await logged(sha256('c'), sha256('d'), sha256('e'))).to.deep.equal([2, 3, 4]);
      expect(await store.log.size()).to.equal(5);
      expect(await store.log.nextLeafIndex()).to.equal(5);
    });

    it('when appendLeaf runs in a transaction that fails, then no leaf, node or size change is kept', async function () {
      await logged(sha256('first'));
      const hash = sha256('second');
      const error = await rejectionOf(
        store.transaction(async (tx) => {
          const index = await tx.log.nextLeafIndex();
          expect(index).to.equal(1);
          await tx.log.appendLeaf(index, hash, completedBy(index, hash));
          expect(await tx.log.leafIndexOf(hash)).to.equal(1);
          throw new Error('boom');
        }),
      );
      expect((error as Error).message).to.equal('boom');
      expect(await store.log.size()).to.equal(1);
      expect(await store.log.leafIndexOf(hash)).to.equal(null);
      expect(await store.log.findNodes([{ level: 0, index: 1 }, { level: 1, index: 0 }])).to.deep.equal([]);
      // The index and the hash are free again.
      expect(await logged(hash)).to.deep.equal([1]);
      expect(await store.log.leafIndexOf(hash)).to.equal(1);
    });

    it('when a taken leaf index or a logged event hash is appended, then appendLeaf fails with a 409 and the log is unchanged', async function () {
      const [a, b] = [sha256('a'), sha256('b')];
      await logged(a);
      await expectConflict(store.transaction((tx) => tx.log.appendLeaf(0, b, [{ level: 0, index: 0, hash: b }])));
      await expectConflict(store.transaction(async (tx) => tx.log.appendLeaf(await tx.log.nextLeafIndex(), a, [])));
      expect(await store.log.size()).to.equal(1);
      expect(await store.log.leafIndexOf(a)).to.equal(0);
      expect(await store.log.leafIndexOf(b)).to.equal(null);
      expect(await store.log.findNodes([{ level: 0, index: 0 }])).to.deep.equal([{ level: 0, index: 0, hash: a }]);
    });

    it('when an event hash is looked up, then leafIndexOf returns its leaf, or null when it is not in the log', async function () {
      const hashes = [sha256('a'), sha256('b'), sha256('c')];
      await logged(...hashes);
      expect(await Promise.all(hashes.map((h) => store.log.leafIndexOf(h)))).to.deep.equal([0, 1, 2]);
      expect(await store.log.leafIndexOf(sha256('not logged'))).to.equal(null);
    });

    it('when nodes are looked up, then findNodes returns only the stored ones, with their hashes', async function () {
      const hashes = [sha256('a'), sha256('b'), sha256('c')];
      await logged(...hashes);
      const stored = [...completedBy(0, hashes[0]!), ...completedBy(1, hashes[1]!), ...completedBy(2, hashes[2]!)];
      expect(stored.map((n) => `${n.level}/${n.index}`)).to.deep.equal(['0/0', '0/1', '1/0', '0/2']);
      const found = await store.log.findNodes([
        { level: 1, index: 0 },
        { level: 0, index: 3 },
        { level: 0, index: 2 },
        { level: 1, index: 1 },
        { level: 2, index: 0 },
        { level: 0, index: 0 },
      ]);
      expect(found).to.have.deep.members([stored[2], stored[3], stored[0]]);
      expect(found).to.have.length(3);
      expect(await store.log.findNodes([])).to.deep.equal([]);
    });

    it('when a second checkpoint of a tree size is inserted, then it is refused and the first is kept', async function () {
      const first = checkpoint(3);
      expect(await store.log.findCheckpoint(3)).to.equal(null);
      expect(await store.log.insertCheckpoint(first)).to.equal(true);
      expect(await store.log.insertCheckpoint(checkpoint(3, { rootHash: sha256('other root'), note: 'other note\n', issuedAt: iso(60) }))).to.equal(false);
      expect(await store.log.findCheckpoint(3)).to.deep.equal(first);
      expect(await store.log.findCheckpoint(4)).to.equal(null);
    });

    it('when checkpoints of several tree sizes exist, then latestCheckpoint is the one of the largest size', async function () {
      expect(await store.log.latestCheckpoint()).to.equal(null);
      // 10 after 9 and 2: sizes compare as numbers, and insertion order does not matter.
      for (const size of [2, 10, 9]) expect(await store.log.insertCheckpoint(checkpoint(size))).to.equal(true);
      expect(await store.log.latestCheckpoint()).to.deep.equal(checkpoint(10));
    });

    it('when the log key is inserted twice, then the second insert is refused and the first key stays', async function () {
      expect(await store.log.signingKey()).to.equal(null);
      const first = logKey();
      expect(await store.log.insertSigningKey(first)).to.equal(true);
      expect(await store.log.insertSigningKey(logKey())).to.equal(false);
      expect(await store.log.signingKey()).to.deep.equal(first);
    });

    it('when a checkpoint or the key is refused inside a transaction, then the rest of the transaction still commits', async function () {
      await store.log.insertCheckpoint(checkpoint(1));
      await store.log.insertSigningKey(logKey());
      const o = organization();
      await store.transaction(async (tx) => {
        expect(await tx.log.insertCheckpoint(checkpoint(1, { note: 'late\n' }))).to.equal(false);
        expect(await tx.log.insertSigningKey(logKey())).to.equal(false);
        await tx.organizations.insert(o);
      });
      expect(await store.organizations.findById(o.id)).to.deep.equal(o);
      expect(await store.log.findCheckpoint(1)).to.deep.equal(checkpoint(1));
    });

    it('when events are appended, then unloggedEventHashes lists those not yet logged in append order, and drops them once logged', async function () {
      const o = await oneOrganization();
      expect(await store.log.unloggedEventHashes(10)).to.deep.equal([]);
      const hashes: string[] = [];
      for (let i = 0; i < 4; i++) hashes.push((await store.events.append(event(o.id, [{ targetId: uuidv7(), role: 'subject' }]))).hash);
      const [h0, h1, h2, h3] = hashes as [string, string, string, string];
      expect(await store.log.unloggedEventHashes(10)).to.deep.equal([h0, h1, h2, h3]);
      expect(await store.log.unloggedEventHashes(2)).to.deep.equal([h0, h1]);
      await logged(h0, h2);
      expect(await store.log.unloggedEventHashes(10)).to.deep.equal([h1, h3]);
      expect(await store.log.unloggedEventHashes(1)).to.deep.equal([h1]);
      await logged(h1, h3);
      expect(await store.log.unloggedEventHashes(10)).to.deep.equal([]);
    });
  });
}
