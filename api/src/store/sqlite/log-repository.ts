/** The SQLite tables of the transparency log: leaves, nodes, checkpoints and its key. */
import type { CheckpointRecord, LogRepository } from '../port.js';
import type { SqliteConnection } from './sqlite-connection.js';
import { type Row, mapOne } from './sqlite-rows.js';

function toCheckpoint(r: Row): CheckpointRecord {
  return { treeSize: r.tree_size as number, rootHash: r.root_hash as string, note: r.note as string, issuedAt: r.issued_at as string };
}

export function logRepository({ prepare, run, write }: SqliteConnection): LogRepository {
  return {
    // Inside a transaction (BEGIN IMMEDIATE on the one connection), nothing else appends between this read and the insert.
    nextLeafIndex: () => run(() => (prepare('SELECT COALESCE(MAX(leaf_index) + 1, 0) AS n FROM log_leaves').get() as Row).n as number),
    appendLeaf: (index, eventHash, nodes) =>
      write(() => {
        prepare('INSERT INTO log_leaves (leaf_index, event_hash) VALUES (?, ?)').run(index, eventHash);
        const insert = prepare('INSERT INTO log_nodes (level, idx, hash) VALUES (?, ?, ?)');
        for (const n of nodes) insert.run(n.level, n.index, n.hash);
      }),
    size: () => run(() => (prepare('SELECT COALESCE(MAX(leaf_index) + 1, 0) AS n FROM log_leaves').get() as Row).n as number),
    leafIndexOf: (eventHash) => run(() => ((prepare('SELECT leaf_index FROM log_leaves WHERE event_hash = ?').get(eventHash) as Row | undefined)?.leaf_index as number | undefined) ?? null),
    findNodes: (refs) =>
      run(() => {
        const select = prepare('SELECT level, idx, hash FROM log_nodes WHERE level = ? AND idx = ?');
        return refs.flatMap((r) => {
          const row = select.get(r.level, r.index) as Row | undefined;
          return row ? [{ level: row.level as number, index: row.idx as number, hash: row.hash as string }] : [];
        });
      }),
    insertCheckpoint: (c) =>
      write(
        () =>
          prepare('INSERT OR IGNORE INTO log_checkpoints (tree_size, root_hash, note, issued_at) VALUES (?, ?, ?, ?)').run(c.treeSize, c.rootHash, c.note, c.issuedAt)
            .changes === 1,
      ),
    latestCheckpoint: () => run(() => mapOne(prepare('SELECT * FROM log_checkpoints ORDER BY tree_size DESC LIMIT 1').get(), toCheckpoint)),
    findCheckpoint: (treeSize) => run(() => mapOne(prepare('SELECT * FROM log_checkpoints WHERE tree_size = ?').get(treeSize), toCheckpoint)),
    signingKey: () =>
      run(() =>
        mapOne(prepare('SELECT * FROM log_keys').get(), (r) => ({
          kid: r.kid as string,
          publicKey: r.public_key as string,
          encryptedPrivateKey: r.encrypted_private_key as string,
          createdAt: r.created_at as string,
        })),
      ),
    insertSigningKey: (k) =>
      write(
        () =>
          prepare('INSERT OR IGNORE INTO log_keys (kid, public_key, encrypted_private_key, created_at) VALUES (?, ?, ?, ?)').run(k.kid, k.publicKey, k.encryptedPrivateKey, k.createdAt)
            .changes === 1,
      ),
    rewrapSigningKey: (kid, from, to) =>
      write(() => prepare('UPDATE log_keys SET encrypted_private_key = ? WHERE kid = ? AND encrypted_private_key = ?').run(to, kid, from).changes === 1),
    unloggedEventHashes: (limit) =>
      run(() =>
        (
          prepare('SELECT e.hash FROM events e LEFT JOIN log_leaves l ON l.event_hash = e.hash WHERE l.leaf_index IS NULL ORDER BY e.seq LIMIT ?')
            .all(limit) as Row[]
        ).map((r) => r.hash as string),
      ),
  };
}
