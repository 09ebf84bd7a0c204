import { execFile, spawn } from 'node:child_process';
import { createHash, createPublicKey, randomBytes, verify as nodeVerify } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { expect } from 'chai';
import type { Express } from 'express';
import request from 'supertest';
import { buildApp, buildServices } from '../src/app.js';
import { base64UrlEncode, fromHex, toHex } from '../src/domain/bytes.js';
import { createLogger } from '../src/core/logger.js';
import { openCheckpoint, parseVerifierKey, type Checkpoint } from '../src/log/checkpoint.js';
import { leafHash, nodeKey, nodesCompletedBy, perfectSubtrees, verifyConsistency, verifyInclusion } from '../src/log/merkle.js';
import { sha256 } from '../src/log/transparency-log.js';
import type { ProvenanceBundle } from '../src/verifier/bundle-format.js';
import { childEnv } from './support/child-env.js';
import { startHarness, squarePlot, type Harness } from './support/harness.js';
import { ReferenceMerkleTree } from './support/reference-merkle.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const PROBLEM = /application\/problem\+json/;

const randomHash = (): string => randomBytes(32).toString('hex');
const hex = (bytes: Uint8Array): string => toHex(bytes);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Appends leaves the way the EventRecorder does: inside a store transaction, one sequencer. */
async function appendLeaves(h: Harness, hashes: string[]): Promise<void> {
  await h.store.transaction(async (tx) => {
    for (const hash of hashes) await h.services.log.append(tx, hash);
  });
}

const ed25519Verify = async (publicKey: Uint8Array, signature: Uint8Array, message: Uint8Array): Promise<boolean> =>
  nodeVerify(null, message, createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: base64UrlEncode(publicKey) }, format: 'jwk' }), signature);

async function openNote(note: string, vkey: string): Promise<Checkpoint> {
  return openCheckpoint(note, await parseVerifierKey(vkey, sha256), ed25519Verify);
}

/** A deterministic PRNG (mulberry32), so a failing random case can be replayed from its seed. */
function prng(seed: number): (below: number) => number {
  let a = seed >>> 0;
  return (below) => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * below);
  };
}

function flipHash(hashes: string[], at: number): string[] {
  const out = [...hashes];
  const h = out[at]!;
  out[at] = `${(parseInt(h[0]!, 16) ^ 1).toString(16)}${h.slice(1)}`;
  return out;
}

describe('transparency log', function () {
  describe('tree arithmetic', function () {
    it('when tree sizes pass 2^49 (where Math.log2 rounds), then subtrees still split into exact perfect parts', function () {
      const big = 2 ** 49;
      expect(perfectSubtrees({ start: 0, end: big + 1 })).to.deep.equal([
        { level: 49, index: 0 },
        { level: 0, index: big },
      ]);
      expect(perfectSubtrees({ start: 0, end: big - 1 })).to.have.length(49);
      expect(perfectSubtrees({ start: big, end: 2 * big })).to.deep.equal([{ level: 49, index: 1 }]);
    });
  });

  describe('proofs against a naive RFC 9162 reference', function () {
    let h: Harness;
    beforeEach(async () => {
      h = await startHarness();
    });
    afterEach(() => h.close());

    /** Checks the log's proofs for tree size n (at most the latest checkpoint) against the reference; returns mismatches. */
    async function checkProofs(ref: ReferenceMerkleTree, hashes: string[], n: number, leaves: number[], firsts: number[]): Promise<string[]> {
      const problems: string[] = [];
      const root = ref.root(n);
      for (const m of leaves) {
        const proof = await h.services.log.inclusionProof(hashes[m]!, n);
        const expected = ref.path(m, n);
        if (proof.leafIndex !== m || proof.treeSize !== n || JSON.stringify(proof.hashes) !== JSON.stringify(expected)) {
          problems.push(`inclusion of leaf ${m} in ${n}: got ${JSON.stringify(proof)}, reference ${JSON.stringify(expected)}`);
          continue;
        }
        const leaf = await leafHash(fromHex(hashes[m]!), sha256);
        if (!(await verifyInclusion(m, n, leaf, proof.hashes.map(fromHex), root, sha256))) problems.push(`inclusion of leaf ${m} in ${n} does not verify`);
      }
      for (const m of firsts) {
        const proof = await h.services.log.consistencyProof(m, n);
        const expected = m === 0 ? [] : ref.proof(m, n);
        if (proof.from !== m || proof.to !== n || JSON.stringify(proof.hashes) !== JSON.stringify(expected)) {
          problems.push(`consistency ${m} → ${n}: got ${JSON.stringify(proof.hashes)}, reference ${JSON.stringify(expected)}`);
          continue;
        }
        if (!(await verifyConsistency(m, n, ref.root(m), root, proof.hashes.map(fromHex), sha256))) problems.push(`consistency ${m} → ${n} does not verify`);
      }
      return problems;
    }

    const range = (from: number, to: number): number[] => Array.from({ length: to - from }, (_, i) => from + i);

    it('when the log grows one leaf at a time up to 64, then at every size the checkpoint’s root, every leaf’s inclusion proof and every consistency proof equal the reference and verify', async () => {
      const ref = new ReferenceMerkleTree();
      const hashes: string[] = [];
      const vkey = await h.services.log.verifierKey();
      const problems: string[] = [];
      for (let n = 1; n <= 64; n++) {
        const hash = randomHash();
        hashes.push(hash);
        ref.push(fromHex(hash));
        await appendLeaves(h, [hash]);
        const checkpoint = await h.services.log.checkpoint(n);
        expect(checkpoint.treeSize, `checkpoint at ${n}`).to.equal(n);
        expect(checkpoint.rootHash, `root of ${n}`).to.equal(hex(ref.root(n)));
        const opened = await openNote(checkpoint.note, vkey);
        expect({ size: opened.treeSize, root: hex(opened.rootHash) }).to.deep.equal({ size: n, root: checkpoint.rootHash });
        problems.push(...(await checkProofs(ref, hashes, n, range(0, n), range(0, n + 1))));
      }
      expect(problems.slice(0, 5), `${problems.length} mismatches`).to.deep.equal([]);
    });

    it('when the log holds 2000 leaves, then proofs for random larger tree sizes and random leaves and earlier sizes equal the reference and verify', async () => {
      const seed = Date.now() % 2 ** 31;
      const random = prng(seed);
      const ref = new ReferenceMerkleTree();
      const hashes = Array.from({ length: 2000 }, randomHash);
      for (const hash of hashes) ref.push(fromHex(hash));
      for (let i = 0; i < hashes.length; i += 500) await appendLeaves(h, hashes.slice(i, i + 500));
      expect((await h.services.log.checkpoint(2000)).rootHash).to.equal(hex(ref.root(2000)));
      const sizes = [1023, 1024, 1025, 2000, ...Array.from({ length: 8 }, () => 100 + random(1901))];
      const problems: string[] = [];
      for (const n of sizes) {
        const leaves = [0, n - 1, ...Array.from({ length: 12 }, () => random(n))];
        const powerOfTwo = 2 ** Math.floor(Math.log2(n));
        const firsts = [0, 1, n - 1, n, powerOfTwo, ...Array.from({ length: 12 }, () => 1 + random(n))];
        problems.push(...(await checkProofs(ref, hashes, n, leaves, firsts)));
      }
      expect(problems.slice(0, 5), `seed ${seed}, sizes ${sizes.join(', ')}: ${problems.length} mismatches`).to.deep.equal([]);
    });

    it('when a proof is tampered with (a hash flipped, a hash dropped or added, another leaf index, another tree size), then it does not verify', async () => {
      const ref = new ReferenceMerkleTree();
      const hashes = Array.from({ length: 64 }, randomHash);
      for (const hash of hashes) ref.push(fromHex(hash));
      await appendLeaves(h, hashes);
      await h.services.log.checkpoint(64);
      const passed: string[] = [];
      const bytes = (list: string[]) => list.map(fromHex);
      // Every leaf and every earlier size up to 16 leaves; the edges, the middle and a few random ones beyond.
      const sample = (n: number) => (n <= 16 ? range(0, n) : [...new Set([0, 1, n >> 1, n - 2, n - 1, ...Array.from({ length: 3 }, () => Math.floor(Math.random() * n))])]);
      for (let n = 1; n <= 64; n++) {
        for (const m of sample(n)) {
          const { hashes: proof } = await h.services.log.inclusionProof(hashes[m]!, n);
          const leaf = await leafHash(fromHex(hashes[m]!), sha256);
          const attempts: Array<[string, Promise<boolean>]> = [
            ['leaf index out of range', verifyInclusion(n, n, leaf, bytes(proof), ref.root(n), sha256)],
            ['extra hash', verifyInclusion(m, n, leaf, bytes([...proof, randomHash()]), ref.root(n), sha256)],
          ];
          if (proof.length) {
            attempts.push(['flipped hash', verifyInclusion(m, n, leaf, bytes(flipHash(proof, m % proof.length)), ref.root(n), sha256)]);
            attempts.push(['dropped hash', verifyInclusion(m, n, leaf, bytes(proof.slice(0, -1)), ref.root(n), sha256)]);
            attempts.push(['other leaf index', verifyInclusion((m + 1) % n, n, leaf, bytes(proof), ref.root(n), sha256)]);
          }
          // A proof for the tree of n leaves passed off as one for a tree of n ± 1 leaves (against that tree's root).
          if (n < 64) attempts.push(['tree size + 1', verifyInclusion(m, n + 1, leaf, bytes(proof), ref.root(n + 1), sha256)]);
          if (m < n - 1) attempts.push(['tree size - 1', verifyInclusion(m, n - 1, leaf, bytes(proof), ref.root(n - 1), sha256)]);
          for (const [what, attempt] of attempts) if (await attempt) passed.push(`inclusion of ${m} in ${n}: ${what}`);
        }
        for (const m of sample(n).filter((m) => m > 0)) {
          const { hashes: proof } = await h.services.log.consistencyProof(m, n);
          const check = (first: number, second: number, list: string[]) => verifyConsistency(first, second, ref.root(first), ref.root(second), bytes(list), sha256);
          const attempts: Array<[string, Promise<boolean>]> = [
            ['flipped hash', check(m, n, flipHash(proof, m % proof.length))],
            ['dropped hash', check(m, n, proof.slice(0, -1))],
            ['extra hash', check(m, n, [...proof, randomHash()])],
            ['from - 1', m > 1 ? check(m - 1, n, proof) : Promise.resolve(false)],
            ['from + 1', m + 1 < n ? check(m + 1, n, proof) : Promise.resolve(false)],
            ['to + 1', n < 64 ? check(m, n + 1, proof) : Promise.resolve(false)],
            ['to - 1', m < n - 1 ? check(m, n - 1, proof) : Promise.resolve(false)],
            // The right proof against a forged old root: the old tree was not what this one extends.
            ['other old root', verifyConsistency(m, n, fromHex(randomHash()), ref.root(n), bytes(proof), sha256)],
          ];
          for (const [what, attempt] of attempts) if (await attempt) passed.push(`consistency ${m} → ${n}: ${what}`);
        }
      }
      expect(passed.slice(0, 10), `${passed.length} tampered proofs verified`).to.deep.equal([]);
    });
  });

  describe('endpoints', function () {
    let h: Harness;
    afterEach(() => h.close());

    const vkeyOf = async (app: Express): Promise<string> => {
      const res = await request(app).get('/api/v1/log/vkey').expect(200);
      expect(res.headers['content-type']).to.match(/^text\/plain/);
      return res.text.trim();
    };

    const checkpointOf = async (app: Express): Promise<{ note: string; checkpoint: Checkpoint }> => {
      const res = await request(app).get('/api/v1/log/checkpoint').expect(200);
      expect(res.headers['content-type']).to.match(/^text\/plain/);
      return { note: res.text, checkpoint: await openNote(res.text, await vkeyOf(app)) };
    };

    it('when leaves are appended, then GET /api/v1/log/checkpoint is a C2SP signed note that opens with the key from /api/v1/log/vkey and commits to the reference root of all leaves', async () => {
      h = await startHarness();
      const hashes = Array.from({ length: 37 }, randomHash);
      await appendLeaves(h, hashes);
      const ref = new ReferenceMerkleTree();
      for (const hash of hashes) ref.push(fromHex(hash));
      const vkey = await vkeyOf(h.app);
      expect(vkey).to.match(/^trace\.test\/log\+[0-9a-f]{8}\+[A-Za-z0-9+/]{44}$/);
      const { note, checkpoint } = await checkpointOf(h.app);
      expect(note).to.match(/^trace\.test\/log\n37\n[A-Za-z0-9+/]{43}=\n\n\u2014 trace\.test\/log [A-Za-z0-9+/]{91}=\n$/);
      expect(checkpoint.origin).to.equal('trace.test/log');
      expect(checkpoint.treeSize).to.equal(37);
      expect(hex(checkpoint.rootHash)).to.equal(hex(ref.root()));
    });

    it('when the log is empty, then the checkpoint is of size 0 with the root of the empty tree (SHA-256 of nothing)', async () => {
      h = await startHarness();
      const { note, checkpoint } = await checkpointOf(h.app);
      expect(checkpoint.treeSize).to.equal(0);
      expect(hex(checkpoint.rootHash)).to.equal(hex(new ReferenceMerkleTree().root()));
      expect(hex(checkpoint.rootHash)).to.equal(createHash('sha256').digest('hex'));
      expect(note.split('\n')[2]).to.equal('47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=');
    });

    it('when the demo data is loaded, then the log holds one leaf per event, in the order the events were recorded', async () => {
      h = await startHarness({ seed: true });
      const db = new Database(path.join(h.dir, 'trace.db'), { readonly: true });
      try {
        const events = (db.prepare('SELECT hash FROM events ORDER BY seq').all() as Array<{ hash: string }>).map((r) => r.hash);
        const leaves = (db.prepare('SELECT event_hash FROM log_leaves ORDER BY leaf_index').all() as Array<{ event_hash: string }>).map((r) => r.event_hash);
        expect(events.length).to.be.greaterThan(10);
        expect(leaves).to.deep.equal(events);
      } finally {
        db.close();
      }
      const { checkpoint } = await checkpointOf(h.app);
      expect(checkpoint.treeSize).to.equal(await h.store.log.size());
    });

    it('when a published lot’s event hash is asked for, then its inclusion proof in the latest checkpoint verifies', async () => {
      h = await startHarness({ seed: true });
      const processor = await h.login('processor@demo.test');
      const lots = (await request(h.app).get('/api/v1/batches?limit=500').set('Authorization', processor).expect(200)).body.items as Array<{ id: string; published: boolean }>;
      const lot = lots.find((l) => l.published);
      expect(lot, 'a published lot of the roaster').to.not.equal(undefined);
      const bundle = (await request(h.app).get(`/api/v1/batches/${lot!.id}/provenance`).expect(200)).body as ProvenanceBundle;
      const { checkpoint } = await checkpointOf(h.app);
      for (const event of bundle.events) {
        const res = await request(h.app).get('/api/v1/log/proof/inclusion').query({ hash: event.hash, treeSize: checkpoint.treeSize }).expect(200);
        expect(res.body.treeSize).to.equal(checkpoint.treeSize);
        const ok = await verifyInclusion(res.body.leafIndex, checkpoint.treeSize, await leafHash(fromHex(event.hash), sha256), (res.body.hashes as string[]).map(fromHex), checkpoint.rootHash, sha256);
        expect(ok, `inclusion of ${event.hash} (leaf ${res.body.leafIndex})`).to.equal(true);
      }
    });

    it('when events are recorded after a checkpoint, then the endpoint issues at most one checkpoint a second and the newer one’s consistency proof from the older one verifies', async () => {
      h = await startHarness({ seed: true });
      const coop = await h.login('coop@demo.test');
      const newPlot = async (shift: number) =>
        request(h.app).post('/api/v1/plots').set('Authorization', coop).send({ name: `Rẫy nhật ký ${shift}`, crops: ['coffee-robusta'], geometry: squarePlot(shift) }).expect(201);
      await newPlot(0.41);
      const asked = Date.now();
      const older = await checkpointOf(h.app); // freshly issued: the tree grew
      expect(older.checkpoint.treeSize).to.equal(await h.store.log.size());
      await newPlot(0.42);
      const soon = await checkpointOf(h.app);
      // Issued after `asked`: when less than a second has passed since, no newer one may exist (a very slow machine cannot tell).
      if (Date.now() - asked < 1000) expect(soon.note, 'a second checkpoint within a second').to.equal(older.note);
      await sleep(1100);
      const newer = await checkpointOf(h.app);
      expect(newer.checkpoint.treeSize).to.equal(older.checkpoint.treeSize + 1);
      const res = await request(h.app).get('/api/v1/log/proof/consistency').query({ from: older.checkpoint.treeSize, to: newer.checkpoint.treeSize }).expect(200);
      expect(res.body).to.include({ from: older.checkpoint.treeSize, to: newer.checkpoint.treeSize });
      const ok = await verifyConsistency(older.checkpoint.treeSize, newer.checkpoint.treeSize, older.checkpoint.rootHash, newer.checkpoint.rootHash, (res.body.hashes as string[]).map(fromHex), sha256);
      expect(ok).to.equal(true);
    });

    it('when a proof is asked for wrongly (unknown hash, tree size beyond the latest checkpoint, from > to, malformed hash), then the answer is a problem+json 404 or 400 naming the parameter', async () => {
      h = await startHarness();
      const hashes = Array.from({ length: 5 }, randomHash);
      await appendLeaves(h, hashes);
      await h.services.log.checkpoint(5);
      const get = (url: string, query: Record<string, string | number>) => request(h.app).get(url).query(query);
      const inclusion = '/api/v1/log/proof/inclusion';
      const consistency = '/api/v1/log/proof/consistency';

      const unknown = await get(inclusion, { hash: randomHash(), treeSize: 5 });
      expect(unknown.status).to.equal(404);
      expect(unknown.headers['content-type']).to.match(PROBLEM);

      const cases: Array<[string, Record<string, string | number>, string]> = [
        [inclusion, { hash: hashes[0]!, treeSize: 6 }, 'treeSize'],
        [inclusion, { hash: hashes[0]!, treeSize: 0 }, 'treeSize'],
        [inclusion, { hash: hashes[0]!.toUpperCase(), treeSize: 5 }, 'hash'],
        [inclusion, { hash: 'abc', treeSize: 5 }, 'hash'],
        [inclusion, { hash: hashes[0]! }, 'treeSize'],
        [consistency, { from: 4, to: 3 }, 'from'],
        [consistency, { from: 1, to: 6 }, 'to'],
        [consistency, { from: -1, to: 3 }, 'from'],
        [consistency, { from: 'two', to: 3 }, 'from'],
        [consistency, { from: '', to: 3 }, 'from'],
        [consistency, { from: '0x2', to: 3 }, 'from'],
        [consistency, { from: '1e0', to: 3 }, 'from'],
        [consistency, { from: 1, to: ' 3' }, 'to'],
        [inclusion, { hash: hashes[0]!, treeSize: '2.0' }, 'treeSize'],
      ];
      for (const [url, query, field] of cases) {
        const res = await get(url, query);
        const what = `${url} ${JSON.stringify(query)}: ${res.status} ${JSON.stringify(res.body)}`;
        expect(res.status, what).to.equal(400);
        expect(res.headers['content-type'], what).to.match(PROBLEM);
        expect(res.body).to.include.keys('type', 'title', 'status', 'detail');
        expect((res.body.errors as Array<{ path: string }>).map((e) => e.path), what).to.include(field);
        expect(res.body.detail, what).to.include(field);
      }

      // The proofs still work for every size up to the checkpoint, including a leaf's own first tree.
      const last = await get(inclusion, { hash: hashes[4]!, treeSize: 5 }).expect(200);
      expect(last.body.leafIndex).to.equal(4);
      const early = await get(inclusion, { hash: hashes[4]!, treeSize: 4 });
      expect(early.status, 'leaf 4 is not in the tree of 4').to.equal(400);
      expect(early.body.detail).to.include('treeSize');
      expect((await get(consistency, { from: 0, to: 5 }).expect(200)).body.hashes).to.deep.equal([]);
      expect((await get(consistency, { from: 5, to: 5 }).expect(200)).body.hashes).to.deep.equal([]);
    });
  });

  describe('the monitor (npm run monitor)', function () {
    this.timeout(60_000);
    let h: Harness;
    let servers: Server[];
    let stateFile: string;

    beforeEach(async () => {
      h = await startHarness({ seed: true });
      servers = [];
      stateFile = path.join(h.dir, 'monitor-state.json');
    });
    afterEach(async () => {
      for (const server of servers) await new Promise((resolve) => server.close(resolve));
      await h.close();
    });

    /** Serves an Express app or a bare request handler on a free local port; returns its base URL. */
    const listen = async (handler: Express | RequestListener): Promise<string> => {
      const server = createServer(handler).listen(0, '127.0.0.1');
      servers.push(server);
      await new Promise((resolve) => server.once('listening', resolve));
      return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    };

    interface Run {
      status: number | null;
      stdout: string;
      stderr: string;
    }

    /** Runs the monitor as a child process (asynchronously: the server under watch lives in this process). */
    const monitor = (args: string[], env: Record<string, string> = {}): Promise<Run> =>
      new Promise((resolve, reject) => {
        execFile(process.execPath, ['--import', 'tsx', 'scripts/monitor.ts', ...args], { cwd: ROOT, env: childEnv(env), encoding: 'utf8', timeout: 30_000 }, (error, stdout, stderr) => {
          if (error && typeof error.code !== 'number') return reject(error);
          resolve({ status: error ? (error.code as number) : 0, stdout, stderr });
        });
      });
    const once = (url: string) => monitor([url, '--state', stateFile, '--once']);
    const describeRun = (r: Run) => `exit ${String(r.status)}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`;
    const savedState = () => JSON.parse(readFileSync(stateFile, 'utf8')) as { verifierKey: string; origin: string; checkpoint: { treeSize: number; rootHash: string; note: string } };

    /** Issues a checkpoint of the whole log now, as the server's timer would. */
    const checkpointNow = async () => h.services.log.checkpoint(await h.store.log.size());

    /** Edits the database behind the running app (idle between requests), with the log's append-only triggers dropped. */
    const tamper = async (edit: (db: Database.Database) => Promise<void> | void) => {
      const db = new Database(path.join(h.dir, 'trace.db'));
      try {
        for (const table of ['log_leaves', 'log_nodes', 'log_checkpoints']) for (const op of ['u', 'd']) db.exec(`DROP TRIGGER ${table}_append_only_${op}`);
        await edit(db);
      } finally {
        db.close();
      }
    };

    /** Rebuilds every stored node from the leaves, as a server rewriting history would, and drops the checkpoints. */
    const rebuildNodes = async (db: Database.Database) => {
      db.exec('DELETE FROM log_nodes; DELETE FROM log_checkpoints');
      const leaves = db.prepare('SELECT leaf_index, event_hash FROM log_leaves ORDER BY leaf_index').all() as Array<{ leaf_index: number; event_hash: string }>;
      const nodes = new Map<string, Uint8Array>();
      const insert = db.prepare('INSERT INTO log_nodes (level, idx, hash) VALUES (?, ?, ?)');
      for (const leaf of leaves) {
        for (const n of await nodesCompletedBy(leaf.leaf_index, fromHex(leaf.event_hash), async (ref) => nodes.get(nodeKey(ref))!, sha256)) {
          nodes.set(nodeKey(n), n.hash);
          insert.run(n.level, n.index, toHex(n.hash));
        }
      }
    };

    /** Changes leaf `index` to another hash and rebuilds the tree over it. */
    const rewriteLeaf = (index: number) =>
      tamper(async (db) => {
        db.prepare('UPDATE log_leaves SET event_hash = ? WHERE leaf_index = ?').run(randomHash(), index);
        await rebuildNodes(db);
      });

    it('when it runs first, then it pins the key and saves the checkpoint (by default in monitor-<host>_<port>.json where npm was started); after new events the next run proves consistency and moves on', async () => {
      const url = await listen(h.app);
      // npm runs scripts in the project folder and says where it was started in INIT_CWD.
      const first = await monitor([url, '--once'], { INIT_CWD: h.dir });
      expect(first.status, describeRun(first)).to.equal(0);
      stateFile = path.join(h.dir, `monitor-127.0.0.1_${new URL(url).port}.json`);
      expect(existsSync(stateFile), `default state file ${stateFile}`).to.equal(true);
      const size = await h.store.log.size();
      expect(first.stdout).to.match(new RegExp(`ok tree_size=${size} root=[0-9a-f]{12} \\(first run: pinned key trace\\.test/log\\+[0-9a-f]{8}`));
      const pinned = savedState();
      expect(pinned.verifierKey).to.equal(await h.services.log.verifierKey());
      expect(pinned.origin).to.equal('trace.test/log');
      expect(pinned.checkpoint.treeSize).to.equal(size);

      const coop = await h.login('coop@demo.test');
      for (const shift of [0.51, 0.52]) {
        await request(h.app).post('/api/v1/plots').set('Authorization', coop).send({ name: `Rẫy giám sát ${shift}`, crops: ['coffee-robusta'], geometry: squarePlot(shift) }).expect(201);
      }
      const grown = await checkpointNow();
      expect(grown.treeSize).to.equal(size + 2);
      const second = await once(url);
      expect(second.status, describeRun(second)).to.equal(0);
      expect(second.stdout).to.include(`ok tree_size=${size + 2} root=${grown.rootHash.slice(0, 12)} (+2 leaves since tree_size=${size}, consistent)`);
      expect(savedState().checkpoint).to.include({ treeSize: size + 2, rootHash: grown.rootHash });
    });

    it('when the log is truncated behind the server’s back, then the monitor exits 1 with ROLLBACK and keeps its state', async () => {
      const url = await listen(h.app);
      await appendLeaves(h, Array.from({ length: 9 }, randomHash));
      await checkpointNow();
      const first = await once(url);
      expect(first.status, describeRun(first)).to.equal(0);
      const kept = savedState();
      const cut = kept.checkpoint.treeSize - 5;
      await tamper((db) => {
        db.prepare('DELETE FROM log_leaves WHERE leaf_index >= ?').run(cut);
        db.prepare('DELETE FROM log_nodes WHERE (idx + 1) * (1 << level) > ?').run(cut);
        db.prepare('DELETE FROM log_checkpoints WHERE tree_size > ?').run(cut);
      });
      expect(await h.store.log.size()).to.equal(cut);
      const run = await once(url);
      expect(run.status, describeRun(run)).to.equal(1);
      expect(run.stderr.trim().split('\n')).to.have.length(1);
      expect(run.stderr).to.match(new RegExp(`ROLLBACK: the log's checkpoint has ${cut} leaves, fewer than the ${kept.checkpoint.treeSize}`));
      expect(savedState()).to.deep.equal(kept);
      const evidence = readFileSync(`${stateFile}.evidence.txt`, 'utf8');
      expect(evidence).to.include(kept.checkpoint.note).and.to.include(`trace.test/log\n${cut}\n`);
    });

    it('when one leaf is rewritten and the tree rebuilt at the same size, then the monitor exits 1 with FORK (same size, another root)', async () => {
      const url = await listen(h.app);
      const first = await once(url);
      expect(first.status, describeRun(first)).to.equal(0);
      const kept = savedState();
      await rewriteLeaf(3);
      const run = await once(url);
      expect(run.status, describeRun(run)).to.equal(1);
      expect(run.stderr).to.match(new RegExp(`FORK: two signed checkpoints of ${kept.checkpoint.treeSize} leaves with different roots`));
      expect(savedState()).to.deep.equal(kept);
    });

    it('when one leaf is rewritten and the log then grows, then the consistency proof fails and the monitor exits 1 with FORK', async () => {
      const url = await listen(h.app);
      const first = await once(url);
      expect(first.status, describeRun(first)).to.equal(0);
      const kept = savedState();
      await rewriteLeaf(kept.checkpoint.treeSize - 2);
      await appendLeaves(h, Array.from({ length: 3 }, randomHash));
      expect((await checkpointNow()).treeSize).to.equal(kept.checkpoint.treeSize + 3);
      const run = await once(url);
      expect(run.status, describeRun(run)).to.equal(1);
      expect(run.stderr).to.match(new RegExp(`FORK: the checkpoint of ${kept.checkpoint.treeSize + 3} leaves is not consistent with the one of ${kept.checkpoint.treeSize} leaves`));
      expect(savedState()).to.deep.equal(kept);
    });

    it('when the log’s key is replaced, then the monitor exits 1 with KEY CHANGED', async () => {
      const first = await once(await listen(h.app));
      expect(first.status, describeRun(first)).to.equal(0);
      await tamper((db) => void db.exec('DELETE FROM log_keys'));
      // The running app keeps its key in memory; a restarted one (same database) makes a new key.
      const services = buildServices(h.config, h.store, createLogger('silent'));
      const restarted = buildApp({ config: h.config, store: h.store, logger: createLogger('silent'), services });
      const run = await once(await listen(restarted));
      expect(run.status, describeRun(run)).to.equal(1);
      expect(run.stderr).to.match(/KEY CHANGED: the log now presents verifier key trace\.test\/log\+[0-9a-f]{8}\+\S+, not the pinned/);
    });

    it('when the checkpoint’s signature does not verify, then the monitor exits 1 with BAD SIGNATURE', async () => {
      const upstream = await listen(h.app);
      // A man in the middle (or a broken server) that bumps the tree size in the signed note.
      const url = await listen(async (req: IncomingMessage, res: ServerResponse) => {
        const response = await fetch(`${upstream}${req.url}`);
        let body = await response.text();
        if (req.url === '/api/v1/log/checkpoint') body = body.replace(/\n(\d+)\n/, (_m, n: string) => `\n${Number(n) + 1}\n`);
        res.writeHead(response.status, { 'content-type': response.headers.get('content-type') ?? 'text/plain' }).end(body);
      });
      const run = await once(url);
      expect(run.status, describeRun(run)).to.equal(1);
      expect(run.stderr).to.match(/BAD SIGNATURE: the checkpoint does not verify under the key trace\.test\/log: the checkpoint’s signature does not verify/);
      expect(existsSync(stateFile), 'nothing pinned from a bad checkpoint').to.equal(false);
    });

    it('when the log cannot be reached or the arguments are wrong, then --once exits 3 and wrong usage exits 2', async () => {
      const url = await listen(h.app);
      const closed = servers.pop()!;
      await new Promise((resolve) => closed.close(resolve));
      const [unreachable, noUrl, badInterval] = await Promise.all([once(url), monitor(['--once']), monitor([url, '--interval', '0'])]);
      expect(unreachable.status, describeRun(unreachable)).to.equal(3);
      expect(unreachable.stderr).to.match(/network: cannot reach the log: .*ECONNREFUSED/);
      expect(existsSync(stateFile)).to.equal(false);
      for (const run of [noUrl, badInterval]) {
        expect(run.status, describeRun(run)).to.equal(2);
        expect(run.stderr).to.include('usage: npm run monitor');
      }
    });

    it('when it runs in a loop, then it polls on the interval, logs network trouble and retries, and stops cleanly on SIGINT', async () => {
      const url = await listen(h.app);
      const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/monitor.ts', url, '--state', stateFile, '--interval', '0.2'], { cwd: ROOT, env: childEnv({}) });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      const until = async (condition: () => boolean, what: string) => {
        for (let waited = 0; !condition(); waited += 50) {
          if (waited > 15_000) throw new Error(`timed out waiting for ${what}\nstdout: ${stdout}\nstderr: ${stderr}`);
          await sleep(50);
        }
      };
      try {
        await until(() => (stdout.match(/ ok tree_size=/g) ?? []).length >= 2, 'two polls');
        const server = servers.pop()!;
        server.closeAllConnections();
        await new Promise((resolve) => server.close(resolve));
        await until(() => /network: cannot reach the log: .*retrying in 0\.2 s/.test(stderr), 'a network error');
        child.kill('SIGINT');
        expect(await exited, `stdout: ${stdout}\nstderr: ${stderr}`).to.equal(0);
      } finally {
        child.kill('SIGKILL');
      }
      expect(stderr).to.include('SIGINT: stopping');
      expect(stdout).to.include('(unchanged)');
      expect(savedState().checkpoint.treeSize).to.equal(await h.store.log.size());
      expect(existsSync(`${stateFile}.${child.pid}.tmp`)).to.equal(false);
    });
  });
});
