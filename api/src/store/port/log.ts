/** The transparency log's storage: Merkle nodes, checkpoints, the log key and repository. */

/** A perfect subtree of the transparency log's Merkle tree: the 2^level leaves from index × 2^level. */
export interface LogNode {
  level: number;
  index: number;
  /** SHA-256, lower-case hex. */
  hash: string;
}

/** A signed checkpoint the log has issued (C2SP signed note). */
export interface CheckpointRecord {
  treeSize: number;
  /** Root hash, lower-case hex. */
  rootHash: string;
  note: string;
  issuedAt: string;
}

/** The log's own Ed25519 key; the private half is encrypted like organizations' keys. */
export interface LogKeyRecord {
  kid: string;
  /** The raw public key, base64url. */
  publicKey: string;
  encryptedPrivateKey: string;
  createdAt: string;
}

/**
 * The transparency log's storage: leaves (event hashes) in append order, the hash of every
 * perfect subtree once complete, and issued checkpoints. Append-only; nothing is ever updated.
 */
export interface LogRepository {
  /**
   * The sequencer: the index the next leaf takes. Call it inside the transaction that appends
   * that leaf; concurrent appenders are serialized by it (one total order of leaves).
   */
  nextLeafIndex(): Promise<number>;
  /** Records leaf `index` (the event hash, hex) and the perfect subtrees it completes. */
  appendLeaf(index: number, eventHash: string, nodes: LogNode[]): Promise<void>;
  /** Committed leaves. */
  size(): Promise<number>;
  leafIndexOf(eventHash: string): Promise<number | null>;
  /** The stored nodes among `refs` (missing ones are left out). */
  findNodes(refs: Array<{ level: number; index: number }>): Promise<LogNode[]>;
  /** Adds a checkpoint; false when one of that tree size exists already. */
  insertCheckpoint(checkpoint: CheckpointRecord): Promise<boolean>;
  latestCheckpoint(): Promise<CheckpointRecord | null>;
  findCheckpoint(treeSize: number): Promise<CheckpointRecord | null>;
  signingKey(): Promise<LogKeyRecord | null>;
  /** Stores the log's key; false when it has one already (the stored one wins). */
  insertSigningKey(key: LogKeyRecord): Promise<boolean>;
  /** Replaces the log key's wrapped private key if it is still `from`; false when it has changed meanwhile. */
  rewrapSigningKey(kid: string, from: string, to: string): Promise<boolean>;
  /** Hashes of events not yet in the log, in append order (for logging events recorded before the log existed). */
  unloggedEventHashes(limit: number): Promise<string[]>;
}
