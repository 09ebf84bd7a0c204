/** The MongoDB collections of the transparency log: sequencer, leaves, nodes, checkpoints and its key. */
import type { mongo } from 'mongoose';
import type { CheckpointRecord, LogKeyRecord, LogRepository } from '../port.js';
import { LOG_SEQUENCER_ID, type Collections, type LogCheckpointDoc, type LogKeyDoc } from './mongo-collections.js';
import { mapOne } from './mongo-documents.js';
import { write, insertIfAbsent } from './mongo-writes.js';

/** `_id` of the log key's document (LogKeyDoc): the log has one key. */
const LOG_KEY_ID = 'log';
const logNodeId = (n: { level: number; index: number }): string => `${n.level}/${n.index}`;

const toCheckpoint = (d: LogCheckpointDoc): CheckpointRecord => ({ treeSize: d._id, rootHash: d.rootHash, note: d.note, issuedAt: d.issuedAt });
const toLogKey = (d: LogKeyDoc): LogKeyRecord => ({ kid: d.kid, publicKey: d.publicKey, encryptedPrivateKey: d.encryptedPrivateKey, createdAt: d.createdAt });

export function logRepository(c: Collections, session?: mongo.ClientSession): LogRepository {
  const opts = session ? { session } : {};

  return {
    // Inside a transaction this writes the sequencer document, which every appender's transaction
    // writes too: concurrent appenders hit a write conflict and withTransaction reruns the loser,
    // so leaves get one total order. Only `claims` is bumped, not `size`: as with SQLite's
    // MAX(leaf_index) + 1, asking twice gives the same index and asking outside a transaction
    // leaves no gap. appendLeaf advances `size`, in the same transaction as the leaf.
    nextLeafIndex: async () => {
      const doc = session
        ? await c.logMeta.findOneAndUpdate(
            { _id: LOG_SEQUENCER_ID },
            { $inc: { claims: 1 }, $setOnInsert: { size: 0 } },
            { session, upsert: true, returnDocument: 'after' },
          )
        : await c.logMeta.findOne({ _id: LOG_SEQUENCER_ID });
      return doc?.size ?? 0;
    },
    appendLeaf: async (index, eventHash, nodes) => {
      // The leaf first: a taken index or event hash fails here (409) before anything is written.
      await write(() => c.logLeaves.insertOne({ _id: index, eventHash }, opts));
      // Then the sequencer, only from `index`: leaves stay contiguous and `size` counts them.
      const advanced = await c.logMeta.updateOne({ _id: LOG_SEQUENCER_ID, size: index }, { $inc: { size: 1 } }, opts);
      if (advanced.matchedCount !== 1) throw new Error(`leaf ${index} is not the next leaf of the log`);
      if (nodes.length) {
        const docs = nodes.map((n) => ({ _id: logNodeId(n), level: n.level, index: n.index, hash: n.hash }));
        await write(() => c.logNodes.insertMany(docs, { ...opts, ordered: true }));
      }
    },
    size: async () => (await c.logMeta.findOne({ _id: LOG_SEQUENCER_ID }, opts))?.size ?? 0,
    leafIndexOf: async (eventHash) => (await c.logLeaves.findOne({ eventHash }, { ...opts, projection: { _id: 1 } }))?._id ?? null,
    findNodes: async (refs) => {
      if (!refs.length) return [];
      const docs = await c.logNodes.find({ _id: { $in: [...new Set(refs.map(logNodeId))] } }, opts).toArray();
      const found = new Map(docs.map((d) => [d._id, { level: d.level, index: d.index, hash: d.hash }]));
      // In the order asked, as SQLite's one lookup per ref returns them.
      return refs.flatMap((r) => {
        const node = found.get(logNodeId(r));
        return node ? [{ ...node }] : [];
      });
    },
    insertCheckpoint: (cp) => insertIfAbsent(c.logCheckpoints, { _id: cp.treeSize, rootHash: cp.rootHash, note: cp.note, issuedAt: cp.issuedAt }, opts),
    latestCheckpoint: async () => {
      const [doc] = await c.logCheckpoints.find({}, opts).sort({ _id: -1 }).limit(1).toArray();
      return doc ? toCheckpoint(doc) : null;
    },
    findCheckpoint: async (treeSize) => mapOne(await c.logCheckpoints.findOne({ _id: treeSize }, opts), toCheckpoint),
    signingKey: async () => mapOne(await c.logKeys.findOne({ _id: LOG_KEY_ID }, opts), toLogKey),
    insertSigningKey: (k) =>
      insertIfAbsent(c.logKeys, { _id: LOG_KEY_ID, kid: k.kid, publicKey: k.publicKey, encryptedPrivateKey: k.encryptedPrivateKey, createdAt: k.createdAt }, opts),
    rewrapSigningKey: async (kid, from, to) =>
      (await c.logKeys.updateOne({ _id: LOG_KEY_ID, kid, encryptedPrivateKey: from }, { $set: { encryptedPrivateKey: to } }, opts)).matchedCount === 1,
    // Every event in seq order, joined to its leaf (by the unique eventHash index); correct, not fast.
    unloggedEventHashes: async (limit) => {
      if (!(limit > 0)) return [];
      const docs = await c.events
        .aggregate<{ hash: string }>(
          [
            { $sort: { seq: 1 } },
            { $project: { _id: 0, hash: 1 } },
            { $lookup: { from: c.logLeaves.collectionName, localField: 'hash', foreignField: 'eventHash', as: 'leaf' } },
            { $match: { leaf: { $size: 0 } } },
            { $limit: limit },
            { $project: { hash: 1 } },
          ],
          opts,
        )
        .toArray();
      return docs.map((d) => d.hash);
    },
  };
}
