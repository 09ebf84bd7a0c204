import { createHash } from 'node:crypto';

/**
 * A naive Merkle tree straight from RFC 9162 §2.1: MTH, PATH and SUBPROOF written as the RFC's
 * recursive definitions over the list of leaves, with no stored nodes, no perfect-subtree
 * decomposition and none of the log's code. Tests hold the log's proofs against it.
 *
 * The only concession to speed is a cache of MTH by leaf range: the leaves are append-only, so
 * MTH(D[start:end]) never changes once computed.
 */
export class ReferenceMerkleTree {
  private readonly leaves: Buffer[] = [];
  private readonly cache = new Map<string, Buffer>();

  /** Appends a leaf's data (for the log: the 32-byte event hash). */
  push(data: Uint8Array): void {
    this.leaves.push(Buffer.from(data));
  }

  get size(): number {
    return this.leaves.length;
  }

  /** MTH(D[n]) of the first n leaves. */
  root(n = this.size): Buffer {
    return this.mth(0, n);
  }

  /** PATH(m, D[n]), hex. */
  path(m: number, n: number): string[] {
    return this.pathOf(m, 0, n).map(hex);
  }

  /** PROOF(m, D[n]) = SUBPROOF(m, D[n], true), hex. */
  proof(m: number, n: number): string[] {
    return this.subproof(m, 0, n, true).map(hex);
  }

  /** MTH of D[start:end]. */
  private mth(start: number, end: number): Buffer {
    const n = end - start;
    if (n === 0) return sha256(Buffer.alloc(0));
    if (n === 1) return sha256(Buffer.concat([Buffer.of(0), this.leaves[start]!]));
    const key = `${start}:${end}`;
    let hash = this.cache.get(key);
    if (!hash) {
      const k = largestPowerOfTwoBelow(n);
      hash = sha256(Buffer.concat([Buffer.of(1), this.mth(start, start + k), this.mth(start + k, end)]));
      this.cache.set(key, hash);
    }
    return hash;
  }

  /** PATH(m, D[start:end]), m relative to start. */
  private pathOf(m: number, start: number, end: number): Buffer[] {
    const n = end - start;
    if (n === 1 && m === 0) return [];
    const k = largestPowerOfTwoBelow(n);
    if (m < k) return [...this.pathOf(m, start, start + k), this.mth(start + k, end)];
    return [...this.pathOf(m - k, start + k, end), this.mth(start, start + k)];
  }

  /** SUBPROOF(m, D[start:end], b). */
  private subproof(m: number, start: number, end: number, b: boolean): Buffer[] {
    const n = end - start;
    if (m === n) return b ? [] : [this.mth(start, end)];
    const k = largestPowerOfTwoBelow(n);
    if (m <= k) return [...this.subproof(m, start, start + k, b), this.mth(start + k, end)];
    return [...this.subproof(m - k, start + k, end, false), this.mth(start, start + k)];
  }
}

/** The largest power of two smaller than n (n > 1): the RFC's k. */
function largestPowerOfTwoBelow(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

function sha256(data: Buffer): Buffer {
  return createHash('sha256').update(data).digest();
}

const hex = (b: Buffer): string => b.toString('hex');
