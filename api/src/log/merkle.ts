/**
 * The Merkle tree of the transparency log, as RFC 9162 (Certificate Transparency 2.0) §2.1
 * defines it: leaf = SHA-256(0x00 ‖ data), node = SHA-256(0x01 ‖ left ‖ right), the tree of n
 * leaves split at the largest power of two below n.
 *
 * The log stores the hash of every *perfect* subtree (2^level leaves starting at a multiple of
 * 2^level) once it is complete. Every subtree the RFC's proofs name starts at a multiple of its
 * largest part, so its hash is a right fold of at most log2(n) stored perfect subtrees: proofs
 * for any tree size take O(log n) ranges of O(log n) stored nodes each, with no recomputation.
 *
 * Pure and browser-safe: hashing is passed in, so the same code proves on the server and
 * verifies in the CLI and the buyer's browser.
 */
import { concatBytes, equalBytes } from '../domain/bytes.js';

export type Sha256 = (data: Uint8Array) => Promise<Uint8Array>;

/** A perfect subtree: the 2^level leaves starting at index × 2^level. */
export interface NodeRef {
  level: number;
  index: number;
}

/** The leaves [start, end). */
export interface LeafRange {
  start: number;
  end: number;
}

export const nodeKey = (ref: NodeRef): string => `${ref.level}/${ref.index}`;

export async function leafHash(data: Uint8Array, sha256: Sha256): Promise<Uint8Array> {
  return sha256(concatBytes([Uint8Array.of(0), data]));
}

export async function nodeHash(left: Uint8Array, right: Uint8Array, sha256: Sha256): Promise<Uint8Array> {
  return sha256(concatBytes([Uint8Array.of(1), left, right]));
}

/** The largest power of two strictly below n (n ≥ 2). */
export function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** The perfect subtrees that make up a subtree of the RFC's tree, largest (leftmost) first. */
export function perfectSubtrees(range: LeafRange): NodeRef[] {
  const parts: NodeRef[] = [];
  let start = range.start;
  let remaining = range.end - range.start;
  while (remaining > 0) {
    const size = remaining === 1 ? 1 : isPowerOfTwo(remaining) ? remaining : splitPoint(remaining);
    const level = Math.log2(size);
    if (start % size !== 0) throw new Error(`range [${range.start}, ${range.end}) is not a subtree of the log`);
    parts.push({ level, index: start / size });
    start += size;
    remaining -= size;
  }
  return parts;
}

/** MTH of a subtree from its stored perfect parts: H(p1, H(p2, … pk)). */
export async function subtreeHash(range: LeafRange, node: (ref: NodeRef) => Uint8Array, sha256: Sha256): Promise<Uint8Array> {
  const parts = perfectSubtrees(range).map(node);
  let hash = parts.pop();
  if (!hash) throw new Error('the empty range has no subtree hash');
  while (parts.length) hash = await nodeHash(parts.pop()!, hash, sha256);
  return hash;
}

/** The subtrees whose hashes make the inclusion proof of leaf m in the tree of n leaves (RFC 9162 PATH), in proof order. */
export function inclusionRanges(m: number, n: number): LeafRange[] {
  if (m < 0 || m >= n) throw new RangeError(`leaf ${m} is not in a tree of ${n}`);
  const out: LeafRange[] = [];
  let start = 0;
  let size = n;
  let index = m;
  const stack: LeafRange[] = [];
  while (size > 1) {
    const k = splitPoint(size);
    if (index < k) {
      stack.push({ start: start + k, end: start + size });
      size = k;
    } else {
      stack.push({ start, end: start + k });
      start += k;
      index -= k;
      size -= k;
    }
  }
  // PATH lists the deepest sibling first.
  while (stack.length) out.push(stack.pop()!);
  return out;
}

/** The subtrees whose hashes make the consistency proof from m to n leaves (RFC 9162 SUBPROOF(m, D[n], true)), in proof order. */
export function consistencyRanges(m: number, n: number): LeafRange[] {
  if (m < 0 || m > n) throw new RangeError(`no consistency proof from ${m} to ${n}`);
  if (m === 0 || m === n) return [];
  const stack: LeafRange[] = [];
  let start = 0;
  let size = n;
  let first = m;
  let complete = true;
  while (first !== size) {
    const k = splitPoint(size);
    if (first <= k) {
      stack.push({ start: start + k, end: start + size });
      size = k;
    } else {
      stack.push({ start, end: start + k });
      start += k;
      first -= k;
      size -= k;
      complete = false;
    }
  }
  const out: LeafRange[] = complete ? [] : [{ start, end: start + size }];
  while (stack.length) out.push(stack.pop()!);
  return out;
}

/**
 * The perfect subtrees completed by appending leaf `index`: the leaf itself, then each parent
 * whose right child it completes. `node` reads earlier perfect subtrees (left siblings).
 */
export async function nodesCompletedBy(index: number, data: Uint8Array, node: (ref: NodeRef) => Promise<Uint8Array>, sha256: Sha256): Promise<Array<NodeRef & { hash: Uint8Array }>> {
  let hash = await leafHash(data, sha256);
  const out = [{ level: 0, index, hash }];
  for (let level = 0, i = index; i % 2 === 1; level++, i = (i - 1) / 2) {
    hash = await nodeHash(await node({ level, index: i - 1 }), hash, sha256);
    out.push({ level: level + 1, index: (i - 1) / 2, hash });
  }
  return out;
}

/** RFC 9162 §2.1.3.2: the root an inclusion proof leads to equals `root`. */
export async function verifyInclusion(
  leafIndex: number,
  treeSize: number,
  leaf: Uint8Array,
  proof: Uint8Array[],
  root: Uint8Array,
  sha256: Sha256,
): Promise<boolean> {
  if (!Number.isSafeInteger(leafIndex) || !Number.isSafeInteger(treeSize) || leafIndex < 0 || leafIndex >= treeSize) return false;
  let fn = leafIndex;
  let sn = treeSize - 1;
  let r = leaf;
  for (const p of proof) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      r = await nodeHash(p, r, sha256);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      r = await nodeHash(r, p, sha256);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && equalBytes(r, root);
}

/** RFC 9162 §2.1.4.2: the tree of `second` leaves extends the tree of `first` leaves. */
export async function verifyConsistency(
  first: number,
  second: number,
  firstRoot: Uint8Array,
  secondRoot: Uint8Array,
  proof: Uint8Array[],
  sha256: Sha256,
): Promise<boolean> {
  if (!Number.isSafeInteger(first) || !Number.isSafeInteger(second) || first < 0 || first > second) return false;
  if (first === second) return proof.length === 0 && equalBytes(firstRoot, secondRoot);
  if (first === 0) return proof.length === 0;
  if (proof.length === 0) return false;
  const path = isPowerOfTwo(first) ? [firstRoot, ...proof] : [...proof];
  let fn = first - 1;
  let sn = second - 1;
  while (fn % 2 === 1) {
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  let fr = path[0]!;
  let sr = path[0]!;
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      fr = await nodeHash(c, fr, sha256);
      sr = await nodeHash(c, sr, sha256);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      sr = await nodeHash(sr, c, sha256);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && equalBytes(fr, firstRoot) && equalBytes(sr, secondRoot);
}

function isPowerOfTwo(n: number): boolean {
  // Not n & (n - 1): bitwise operators stop at 32 bits. Not Number.isInteger(Math.log2(n)) either:
  // from 2^49 on it rounds, e.g. Math.log2(2 ** 49 + 1) === 49. Halving is exact for safe integers.
  if (!Number.isSafeInteger(n) || n < 1) return false;
  while (n % 2 === 0) n /= 2;
  return n === 1;
}
