import { createHash, sign as ed25519Sign, type KeyObject } from 'node:crypto';
import { base64UrlDecode, fromHex, toHex } from '../domain/bytes.js';
import { NotFoundError, ValidationError } from '../core/errors.js';
import { nowIso } from '../core/ids.js';
import type { KeyWrap } from '../keys/key-wrap.js';
import { generateSigningKey } from '../keys/signing-keys.js';
import type { CheckpointRecord, LogKeyRecord, Repositories, Store } from '../store/port.js';
import { formatVerifierKey, signCheckpoint } from './checkpoint.js';
import { consistencyRanges, inclusionRanges, nodeKey, nodesCompletedBy, perfectSubtrees, subtreeHash, type LeafRange, type NodeRef, type Sha256 } from './merkle.js';

export const sha256: Sha256 = async (data) => new Uint8Array(createHash('sha256').update(data).digest());

/** RFC 9162: the hash of the empty tree is the hash of the empty string. */
const EMPTY_ROOT = createHash('sha256').digest('hex');
/** The public checkpoint endpoint issues at most one new checkpoint a second. */
const MIN_CHECKPOINT_INTERVAL_MS = 1000;
const BACKFILL_BATCH = 500;

export interface InclusionProof {
  leafIndex: number;
  treeSize: number;
  hashes: string[];
}

export interface ConsistencyProof {
  from: number;
  to: number;
  hashes: string[];
}

/**
 * The append-only Merkle log of every signed event (docs/transparency-log.md, docs/adr/0002-log-sequencer.md). Leaves are appended in
 * the transaction that stores the event, so an event is never stored unlogged; checkpoints are
 * C2SP signed notes under the log's own Ed25519 key; proofs are built from stored subtree hashes.
 */
export class TransparencyLog {
  private key: Promise<{ record: LogKeyRecord; privateKey: KeyObject; verifierKey: string }> | null = null;

  constructor(
    private readonly store: Store,
    private readonly wrap: KeyWrap,
    /** The checkpoint origin line and key name, e.g. `trace.example.vn/log`. */
    readonly origin: string,
  ) {}

  /** Appends an event hash as the next leaf, inside the caller's transaction. Returns its index. */
  async append(tx: Repositories, eventHash: string): Promise<number> {
    const index = await tx.log.nextLeafIndex();
    const nodes = await nodesCompletedBy(index, fromHex(eventHash), async (ref) => fromHex((await this.nodes(tx, [ref])).get(nodeKey(ref))!), sha256);
    await tx.log.appendLeaf(index, eventHash, nodes.map((n) => ({ level: n.level, index: n.index, hash: toHex(n.hash) })));
    return index;
  }

  /** Logs events recorded before the log existed, in their append order. Returns how many. */
  async backfill(): Promise<number> {
    let total = 0;
    for (;;) {
      const hashes = await this.store.log.unloggedEventHashes(BACKFILL_BATCH);
      if (!hashes.length) return total;
      await this.store.transaction(async (tx) => {
        for (const hash of hashes) await this.append(tx, hash);
      });
      total += hashes.length;
    }
  }

  /** The signed-note verifier key of the log. */
  async verifierKey(): Promise<string> {
    return (await this.signingKey()).verifierKey;
  }

  /**
   * The latest checkpoint, issuing a fresh one when the tree has grown: at most one a second,
   * unless `covering` leaves are needed (a bundle's proofs must reach its newest event).
   */
  async checkpoint(covering = 0): Promise<CheckpointRecord> {
    const [latest, size] = await Promise.all([this.store.log.latestCheckpoint(), this.store.log.size()]);
    if (latest) {
      const fresh = latest.treeSize === size || Date.now() - Date.parse(latest.issuedAt) < MIN_CHECKPOINT_INTERVAL_MS;
      if (fresh && latest.treeSize >= covering) return latest;
    }
    const rootHash = size === 0 ? EMPTY_ROOT : toHex(await this.subtree({ start: 0, end: size }));
    const { record, privateKey } = await this.signingKey();
    const note = await signCheckpoint(
      { origin: this.origin, treeSize: size, rootHash: fromHex(rootHash) },
      this.origin,
      base64UrlDecode(record.publicKey),
      async (message) => new Uint8Array(ed25519Sign(null, message, privateKey)),
      sha256,
    );
    const issued: CheckpointRecord = { treeSize: size, rootHash, note, issuedAt: nowIso() };
    if (await this.store.log.insertCheckpoint(issued)) return issued;
    return (await this.store.log.findCheckpoint(size))!;
  }

  async inclusionProof(eventHash: string, treeSize: number): Promise<InclusionProof> {
    const leafIndex = await this.store.log.leafIndexOf(eventHash);
    if (leafIndex === null) throw new NotFoundError('An event with this hash in the log');
    await this.requireCheckpointed(treeSize, 'treeSize');
    if (leafIndex >= treeSize) throw ValidationError.field('treeSize', 'too-small', `the event is leaf ${leafIndex}, not in a tree of ${treeSize}`, { minimum: leafIndex + 1 });
    return { leafIndex, treeSize, hashes: await this.rangeHashes(inclusionRanges(leafIndex, treeSize)) };
  }

  async consistencyProof(from: number, to: number): Promise<ConsistencyProof> {
    if (from > to) throw ValidationError.field('from', 'ends-before-start', 'from must not be greater than to');
    await this.requireCheckpointed(to, 'to');
    return { from, to, hashes: await this.rangeHashes(consistencyRanges(from, to)) };
  }

  /**
   * What a provenance bundle carries: a checkpoint that covers every given event (issued if the
   * latest does not) and each event's inclusion proof in it. Events not in the log get no proof.
   */
  async bundleSection(eventHashes: string[]): Promise<{ checkpoint: string; verifierKey: string; proofs: Array<{ hash: string; leafIndex: number; hashes: string[] }> }> {
    const leaves = (await Promise.all(eventHashes.map(async (hash) => ({ hash, leafIndex: await this.store.log.leafIndexOf(hash) })))).filter(
      (leaf): leaf is { hash: string; leafIndex: number } => leaf.leafIndex !== null,
    );
    const checkpoint = await this.checkpoint(Math.max(0, ...leaves.map((l) => l.leafIndex + 1)));
    const proofs = [];
    for (const { hash, leafIndex } of leaves) proofs.push({ hash, leafIndex, hashes: await this.rangeHashes(inclusionRanges(leafIndex, checkpoint.treeSize)) });
    return { checkpoint: checkpoint.note, verifierKey: await this.verifierKey(), proofs };
  }

  private async requireCheckpointed(treeSize: number, field: string): Promise<void> {
    const latest = await this.checkpoint();
    if (treeSize > latest.treeSize) throw ValidationError.field(field, 'too-big', `proofs reach up to the latest checkpoint, of ${latest.treeSize} leaves`, { maximum: latest.treeSize });
  }

  private async rangeHashes(ranges: LeafRange[]): Promise<string[]> {
    const nodes = await this.nodes(this.store, ranges.flatMap(perfectSubtrees));
    return Promise.all(ranges.map(async (r) => toHex(await subtreeHash(r, (ref) => fromHex(nodes.get(nodeKey(ref))!), sha256))));
  }

  private async subtree(range: LeafRange): Promise<Uint8Array> {
    const nodes = await this.nodes(this.store, perfectSubtrees(range));
    return subtreeHash(range, (ref) => fromHex(nodes.get(nodeKey(ref))!), sha256);
  }

  /** Stored nodes by key; a missing one means the log's storage is damaged, which must not pass silently. */
  private async nodes(repos: Repositories, refs: NodeRef[]): Promise<Map<string, string>> {
    const found = new Map((await repos.log.findNodes(refs)).map((n) => [nodeKey(n), n.hash]));
    for (const ref of refs) if (!found.has(nodeKey(ref))) throw new Error(`transparency log node ${nodeKey(ref)} is missing`);
    return found;
  }

  private signingKey(): Promise<{ record: LogKeyRecord; privateKey: KeyObject; verifierKey: string }> {
    this.key ??= (async () => {
      let record = await this.store.log.signingKey();
      if (!record) {
        const generated = await generateSigningKey(this.wrap);
        const fresh: LogKeyRecord = { kid: generated.kid, publicKey: generated.publicJwk.x, encryptedPrivateKey: generated.encryptedPrivateKey, createdAt: nowIso() };
        // Two processes starting at once: the first stored key wins and both use it.
        record = (await this.store.log.insertSigningKey(fresh)) ? fresh : (await this.store.log.signingKey())!;
      }
      const privateKey = this.wrap.unwrap(record.kid, record.encryptedPrivateKey);
      return { record, privateKey, verifierKey: await formatVerifierKey(this.origin, base64UrlDecode(record.publicKey), sha256) };
    })();
    this.key.catch(() => (this.key = null));
    return this.key;
  }
}
