/**
 * Issue 11, item 6: the transparency log.
 *
 * Appends per second through the real path (TransparencyLog.append inside store.transaction, as
 * EventRecorder calls it, 10,000 leaves a transaction) on a fresh SQLite store, against raw
 * SHA-256 hashing of the same leaves (RFC 9162 leaf hash, SHA-256(0x00 ‖ data)); measured on the
 * first 1,000 leaves and on the last transaction before 1,000,000. Inclusion and consistency proof
 * times at 1,000 and at 1,000,000 leaves; target: the 1M time within 3× of the 1k time (O(log n)).
 *
 * Building a million leaves takes minutes on two cores. The build stops early when it would pass
 * BUILD_BUDGET_MS, and the large figures are then reported at the size reached (their size column
 * says so) — rerun with BENCH_LOG_BUILD_SECONDS raised to reach 1M.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { TransparencyLog } from '../../api/src/log/transparency-log.js';
import { KeyWrap } from '../../api/src/keys/key-wrap.js';
import { openSqliteStore } from '../../api/src/store/sqlite/sqlite-store.js';
import type { Store } from '../../api/src/store/port.js';
import { ratioOf, type Figure } from '../lib/figures.js';
import type { Scenario } from './scenario.js';

const SMALL = 1_000;
const LARGE = 1_000_000;
const PER_TRANSACTION = 10_000;
const BUILD_BUDGET_MS = Number(process.env.BENCH_LOG_BUILD_SECONDS ?? 360) * 1000;
/** Proofs timed per figure (random leaves / random older sizes, the same seed at both sizes). */
const PROOFS = 500;
const count = (n: number) => n.toLocaleString('en-US');

/** Leaf `i`'s data: a 32-byte event hash (hex), as the log stores them. */
const leafData = (i: number): string => createHash('sha256').update(`bench leaf ${i}`).digest('hex');

/** What the baseline does per leaf: the RFC 9162 leaf hash of the same 32 bytes. */
function rawLeafHashes(hexes: string[]): number {
  const prefix = Buffer.of(0);
  let xor = 0;
  for (const hex of hexes) xor ^= createHash('sha256').update(prefix).update(Buffer.from(hex, 'hex')).digest()[0]!;
  return xor;
}

/** A deterministic pseudo-random sequence (mulberry32), so both sizes prove the same relative positions. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function appendRange(store: Store, log: TransparencyLog, from: number, to: number): Promise<{ ms: number; hexes: string[] }> {
  const hexes = Array.from({ length: to - from }, (_, i) => leafData(from + i));
  const started = performance.now();
  await store.transaction(async (tx) => {
    for (const hex of hexes) await log.append(tx, hex);
  });
  return { ms: performance.now() - started, hexes };
}

/** Median of `times`. */
function median(times: number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** Mean time per call in ms, over PROOFS calls (after 50 warm-up calls), and the median call. */
async function timeCalls(call: (r: () => number) => Promise<unknown>): Promise<{ meanMs: number; medianMs: number }> {
  const warm = random(7);
  for (let i = 0; i < 50; i++) await call(warm);
  const r = random(42);
  const times: number[] = [];
  const started = performance.now();
  for (let i = 0; i < PROOFS; i++) {
    const t0 = performance.now();
    await call(r);
    times.push(performance.now() - t0);
  }
  return { meanMs: (performance.now() - started) / PROOFS, medianMs: median(times) };
}

interface ProofTimes {
  size: number;
  inclusion: { meanMs: number; medianMs: number; hashes: number };
  consistency: { meanMs: number; medianMs: number; hashes: number };
}

async function proofTimes(log: TransparencyLog, size: number): Promise<ProofTimes> {
  const checkpoint = await log.checkpoint();
  if (checkpoint.treeSize !== size) throw new Error(`the checkpoint covers ${checkpoint.treeSize} leaves, not ${size}`);
  let inclusionHashes = 0;
  let consistencyHashes = 0;
  const inclusion = await timeCalls(async (r) => {
    const proof = await log.inclusionProof(leafData(Math.floor(r() * size)), size);
    inclusionHashes += proof.hashes.length;
  });
  const consistency = await timeCalls(async (r) => {
    const proof = await log.consistencyProof(1 + Math.floor(r() * (size - 1)), size);
    consistencyHashes += proof.hashes.length;
  });
  const calls = PROOFS + 50;
  return {
    size,
    inclusion: { ...inclusion, hashes: Math.round((inclusionHashes / calls) * 10) / 10 },
    consistency: { ...consistency, hashes: Math.round((consistencyHashes / calls) * 10) / 10 },
  };
}

export const log: Scenario = {
  name: 'log',
  summary: 'transparency log appends/s vs raw SHA-256 leaf hashing; inclusion and consistency proof times at 1,000 and 1,000,000 leaves',
  async run() {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'ft-bench-log-'));
    const store = openSqliteStore(path.join(dir, 'trace.db'));
    try {
      const log = new TransparencyLog(store, new KeyWrap('bench-key-encryption-key-of-32-characters'), 'bench.test/log');
      const figures: Figure[] = [];
      const appendFigure = (size: string, ms: number, hexes: string[], details: Record<string, number | string>) => {
        const rawMs = median([0, 1, 2].map(() => {
          const t0 = performance.now();
          rawLeafHashes(hexes);
          return performance.now() - t0;
        }));
        const value = (hexes.length * 1000) / ms;
        const raw = (hexes.length * 1000) / rawMs;
        figures.push({
          name: 'transparency log appends (in one transaction)',
          size,
          value,
          unit: 'appends/s',
          baseline: { name: 'raw SHA-256 leaf hashes of the same leaves', value: raw, unit: 'hashes/s' },
          ratio: ratioOf(value, raw),
          details: { leavesTimed: hexes.length, ...details },
        });
      };

      // The first 1,000 leaves: one transaction, as a capture document of 1,000 events would be.
      const first = await appendRange(store, log, 0, SMALL);
      appendFigure(`first ${count(SMALL)} leaves`, first.ms, first.hexes, {});
      const small = await proofTimes(log, SMALL);

      // Up to 1M in 10,000-leaf transactions, within the time budget.
      const buildStarted = performance.now();
      let size = SMALL;
      let last = first;
      while (size < LARGE) {
        const elapsed = performance.now() - buildStarted;
        const perLeaf = elapsed / Math.max(1, size - SMALL);
        if (size > SMALL && elapsed + perLeaf * PER_TRANSACTION > BUILD_BUDGET_MS) break;
        const to = Math.min(LARGE, size + PER_TRANSACTION - (size % PER_TRANSACTION));
        last = await appendRange(store, log, size, to);
        size = to;
      }
      const buildMs = performance.now() - buildStarted;
      const reached = size === LARGE;
      const largeLabel = reached ? `${count(LARGE)} leaves` : `${count(size)} leaves (1M not reached in ${Math.round(BUILD_BUDGET_MS / 1000)} s)`;
      appendFigure(`last transaction to ${largeLabel}`, last.ms, last.hexes, {
        buildSeconds: Math.round(buildMs / 100) / 10,
        buildAppendsPerSecond: Math.round(((size - SMALL) * 1000) / buildMs),
        leavesPerTransaction: PER_TRANSACTION,
      });
      const large = await proofTimes(log, size);

      for (const kind of ['inclusion', 'consistency'] as const) {
        const name = `${kind} proof (${kind === 'inclusion' ? 'random leaf' : 'random older size'}, from the store)`;
        const at = (p: ProofTimes) => ({ hashes: p[kind].hashes, medianMs: Math.round(p[kind].medianMs * 1000) / 1000, calls: PROOFS });
        figures.push({ name, size: `${count(SMALL)} leaves`, value: small[kind].meanMs, unit: 'ms', details: at(small) });
        figures.push({
          name,
          size: largeLabel,
          value: large[kind].meanMs,
          unit: 'ms',
          baseline: { name: `the same proof at ${count(SMALL)} leaves`, value: small[kind].meanMs, unit: 'ms' },
          ratio: ratioOf(large[kind].meanMs, small[kind].meanMs),
          target: { max: 3 },
          details: at(large),
        });
      }
      return figures;
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
