import { createHash, createPublicKey, randomUUID, verify as ed25519Verify } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { expect } from 'chai';
import { fromHex, toHex } from '../src/domain/bytes.js';
import { withCheckDigit } from '../src/domain/gs1/keys.js';
import { openCheckpoint, parseVerifierKey, type VerifierKey } from '../src/log/checkpoint.js';
import { leafHash, nodeHash, verifyConsistency, type Sha256 } from '../src/log/merkle.js';
import type { PublishedKey } from '../src/verifier/bundle-format.js';
import { verifyBundle } from '../src/verifier/verify-bundle.js';
import { ReferenceMerkleTree } from './support/reference-merkle.js';
import { createCooperativeWithCli, spawnServerProcess, stopAll, untilHealthy, type ServerProcess } from './support/server-process.js';

/**
 * Crash safety of the real server process: a stream of EPCIS captures and steps on lots, the
 * server SIGKILLed at a random moment, restarted on the same data folder, several rounds. After
 * every kill the database file is checked as the dead process left it (before a restart could
 * repair anything), and after every restart the service is checked through its public surface:
 * acknowledged writes are all there, capture jobs are whole or failed with nothing written, every
 * lot's bundle verifies and the log only grew.
 *
 * A second test kills the server while it loads the demo data into an empty database.
 *
 * CRASH_SEED fixes the workload and the kill delays (printed with any failure); where a kill lands
 * in the server's work still depends on timing, so a seed narrows a failure down rather than
 * replaying it exactly. CRASH_ROUNDS (default 4) sets the number of kills, CRASH_DEBUG=1 prints
 * the phases with their times.
 */

const ADMIN_EMAIL = 'admin@crash.example.vn';
const ADMIN_PASSWORD = 'crash-safety-admin-password';
const SEED = Number(process.env.CRASH_SEED ?? Math.floor(Math.random() * 2 ** 31));
const ROUNDS = Number(process.env.CRASH_ROUNDS ?? 4);
const GTIN = withCheckDigit('0893612345004');
const CONTEXT = 'https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld';
const INTERRUPTED = /capture-interrupted$/;
const DEBUG = process.env.CRASH_DEBUG === '1';
const t0 = Date.now();
const trace = (what: string) => DEBUG && console.log(`      [${((Date.now() - t0) / 1000).toFixed(1)} s] ${what}`);

type Json = Record<string, any>;

const sha256: Sha256 = async (data) => new Uint8Array(createHash('sha256').update(data).digest());
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** mulberry32: small, seedable, good enough to pick workloads and delays. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A capture job the server answered 202 for. */
interface AckedJob {
  captureID: string;
  round: number;
  eventCount: number;
  /** The eventIDs the document gave, in order; null when it gave none (the server computes them). */
  givenIds: string[] | null;
}

interface AckedStep {
  round: number;
  lotId: string;
  body: Json;
}

interface ObservedCheckpoint {
  treeSize: number;
  rootHash: string;
}

/** What the database file says, read while no server runs. */
interface FileState {
  /** Leaf data (event hashes) in leaf order. */
  leaves: string[];
  nodes: Array<{ level: number; idx: number; hash: string }>;
  checkpoints: ObservedCheckpoint[];
  eventHashes: Set<string>;
  jobs: Map<string, { running: boolean; success: boolean; eventIds: string[] }>;
}

describe('crash safety of the real server process under SIGKILL', function () {
  this.timeout(Math.max(120_000, ROUNDS * 30_000));
  let dir: string;
  let children: ServerProcess[];
  let round = 0;

  const databaseFile = () => path.join(dir, 'trace.db');

  /** Spawns the server on the test's data folder, without waiting for it; afterEach stops it. */
  async function spawnServer(env: Record<string, string> = {}): Promise<ServerProcess> {
    const server = await spawnServerProcess({
      DATABASE_URL: `sqlite:${databaseFile()}`,
      DEMO_SEED: '0',
      NODE_ENV: 'development',
      LOG_LEVEL: 'warn',
      PUBLIC_BASE_URL: 'http://trace.test',
      // The timer issues checkpoints while captures run, so kills also land around those.
      LOG_CHECKPOINT_INTERVAL_SECONDS: '1',
      ...env,
    });
    children.push(server);
    return server;
  }

  const startServer = async (env: Record<string, string> = {}) => untilHealthy(await spawnServer(env));

  async function call(server: ServerProcess, method: string, url: string, token?: string, body?: unknown, contentType = 'application/json'): Promise<{ status: number; body: any; text: string }> {
    const headers: Record<string, string> = {};
    if (token) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers['content-type'] = contentType;
    const res = await fetch(`${server.base}${url}`, { method, headers, signal: AbortSignal.timeout(30_000), ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    const text = await res.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    return { status: res.status, body: parsed, text };
  }

  async function login(server: ServerProcess): Promise<string> {
    const res = await call(server, 'POST', '/api/v1/auth/login', undefined, { email: ADMIN_EMAIL, password: ADMIN_PASSWORD });
    expect(res.status, res.text).to.equal(200);
    return res.body.token as string;
  }

  beforeEach(function () {
    dir = mkdtempSync(path.join(os.tmpdir(), 'ft-crash-'));
    children = [];
    round = 0;
  });

  /** The first organization and its admin, through the admin CLI, as a production install starts. */
  function createOrganization(): void {
    createCooperativeWithCli(`sqlite:${databaseFile()}`, { slug: 'crash-coop', name: 'HTX Chịu Lỗi', province: 'Đắk Lắk', adminEmail: ADMIN_EMAIL, adminPassword: ADMIN_PASSWORD });
  }

  afterEach(async function () {
    await stopAll(children);
    if (this.currentTest?.state === 'failed') {
      console.log(`crash-safety: failed with CRASH_SEED=${SEED} in round ${round}; data folder kept at ${dir}`);
      const last = children.at(-1);
      if (last) console.log(`last server output:\n${last.output().slice(-4000)}`);
    } else {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  /**
   * The database file as the killed process left it, read-only: integrity, no half-written lot or
   * event, every event in the log, stored log nodes and checkpoints matching the leaves, capture
   * jobs whole or empty, and every acknowledged write present.
   */
  function checkFile(acked: { jobs: AckedJob[]; steps: AckedStep[]; lots: Map<string, Json> }): FileState {
    const db = new Database(databaseFile(), { readonly: true, fileMustExist: true });
    try {
      expect(db.pragma('integrity_check', { simple: true }), 'PRAGMA integrity_check').to.equal('ok');
      expect(db.pragma('foreign_key_check'), 'PRAGMA foreign_key_check').to.deep.equal([]);

      const all = <T = Json>(sql: string, ...args: unknown[]) => db.prepare(sql).all(...args) as T[];
      /** No row answers `sql`: `what` names the half-written thing it finds. */
      const none = (what: string, sql: string) => {
        const rows = all(sql);
        expect(rows.length, `${what}: ${rows.length}, e.g. ${JSON.stringify(rows.slice(0, 3))}`).to.equal(0);
      };
      const leaves = all<{ leaf_index: number; event_hash: string }>('SELECT leaf_index, event_hash FROM log_leaves ORDER BY leaf_index');
      leaves.forEach((l, i) => expect(l.leaf_index, 'log leaves are numbered without gaps').to.equal(i));
      none('events without a log leaf', 'SELECT e.seq, e.id FROM events e LEFT JOIN log_leaves l ON l.event_hash = e.hash WHERE l.leaf_index IS NULL');
      none('log leaves without their event', 'SELECT l.leaf_index FROM log_leaves l LEFT JOIN events e ON e.hash = l.event_hash WHERE e.seq IS NULL');
      none('unsigned events', 'SELECT seq, id FROM events WHERE jws IS NULL');
      none('events linked to nothing', 'SELECT e.seq, e.id FROM events e WHERE NOT EXISTS (SELECT 1 FROM event_links l WHERE l.event_seq = e.seq)');
      none('event links to no lot or plot', 'SELECT l.target_id FROM event_links l LEFT JOIN batches b ON b.id = l.target_id LEFT JOIN plots p ON p.id = l.target_id WHERE b.id IS NULL AND p.id IS NULL');
      none(
        'lots without the event that made them (a harvest, or the merge or split they came out of)',
        `SELECT b.id, b.lot_number FROM batches b WHERE NOT EXISTS (SELECT 1 FROM event_links l JOIN events e ON e.seq = l.event_seq WHERE l.target_id = b.id
           AND ((b.derived_from = '[]' AND l.role = 'subject' AND e.step_type = 'harvest') OR (b.derived_from <> '[]' AND l.role = 'output')))`,
      );
      none('lots their owner cannot read', 'SELECT b.id FROM batches b WHERE NOT EXISTS (SELECT 1 FROM batch_access a WHERE a.batch_id = b.id AND a.org_id = b.org_id)');
      none('plots without their registration event', 'SELECT p.id FROM plots p LEFT JOIN events e ON e.id = p.event_id WHERE e.seq IS NULL');

      // Capture jobs: all of a job's events, or none of them.
      const jobs = new Map<string, { running: boolean; success: boolean; eventIds: string[] }>();
      const capturedBy = new Map<string, string[]>();
      for (const e of all<{ id: string; capture_id: string }>(`SELECT id, json_extract(body, '$."ft:captured".captureID') AS capture_id FROM events WHERE capture_id IS NOT NULL ORDER BY seq`)) {
        capturedBy.set(e.capture_id, [...(capturedBy.get(e.capture_id) ?? []), e.id]);
      }
      for (const j of all<{ id: string; running: number; success: number; event_count: number; event_ids: string }>('SELECT id, running, success, event_count, event_ids FROM capture_jobs')) {
        const stored = capturedBy.get(j.id) ?? [];
        const eventIds = JSON.parse(j.event_ids) as string[];
        if (j.success === 1) {
          expect(j.running, `job ${j.id} succeeded but reads running`).to.equal(0);
          expect(stored.length, `events stored of successful job ${j.id} of ${j.event_count}`).to.equal(j.event_count);
          expect(eventIds.join(' '), `the eventIDs of successful job ${j.id} against its stored events`).to.equal(stored.join(' '));
        } else {
          expect(stored.length, `events stored of job ${j.id} (of ${j.event_count}), which did not succeed (running: ${j.running}): a partial job`).to.equal(0);
          expect(eventIds.length).to.equal(0);
        }
        jobs.set(j.id, { running: j.running === 1, success: j.success === 1, eventIds });
        capturedBy.delete(j.id);
      }
      expect([...capturedBy.keys()], 'captureIDs of captured events without their capture job').to.deep.equal([]);

      // Acknowledged writes.
      for (const job of acked.jobs) expect(jobs.has(job.captureID), `capture job ${job.captureID} was acknowledged with 202`).to.equal(true);
      const linked = db.prepare('SELECT 1 FROM events e JOIN event_links l ON l.event_seq = e.seq WHERE e.hash = ? AND l.target_id = ?');
      for (const step of acked.steps) expect(linked.get(step.body.id, step.lotId), `step ${step.body.id as string} was acknowledged with 201`).to.not.equal(undefined);
      const lotRow = db.prepare('SELECT published FROM batches WHERE id = ?');
      for (const [id, lot] of acked.lots) expect(lotRow.get(id), `lot ${id} was acknowledged`).to.deep.equal({ published: lot.published ? 1 : 0 });

      return {
        leaves: leaves.map((l) => l.event_hash),
        nodes: all<{ level: number; idx: number; hash: string }>('SELECT level, idx, hash FROM log_nodes'),
        checkpoints: all<{ tree_size: number; root_hash: string }>('SELECT tree_size, root_hash FROM log_checkpoints ORDER BY tree_size').map((c) => ({ treeSize: c.tree_size, rootHash: c.root_hash })),
        eventHashes: new Set(all<{ hash: string }>('SELECT hash FROM events').map((e) => e.hash)),
        jobs,
      };
    } finally {
      db.close();
    }
  }

  /**
   * The stored log against its leaves: the perfect-subtree hashes are exactly those the leaves
   * give (project's RFC 9162 leaf and node hashing), and every checkpoint ever issued, stored or
   * served, signs the root of a prefix of these leaves (the independent reference tree).
   */
  async function checkLogAgainstLeaves(file: FileState, served: ObservedCheckpoint[]): Promise<ReferenceMerkleTree> {
    const levels: Uint8Array[][] = [await Promise.all(file.leaves.map((h) => leafHash(fromHex(h), sha256)))];
    for (;;) {
      const below = levels.at(-1)!;
      const above: Uint8Array[] = [];
      for (let i = 0; i + 1 < below.length; i += 2) above.push(await nodeHash(below[i]!, below[i + 1]!, sha256));
      if (!above.length) break;
      levels.push(above);
    }
    const expected = levels.flatMap((hashes, level) => hashes.map((h, idx) => `${level}/${idx}/${toHex(h)}`)).sort();
    expect(file.nodes.map((n) => `${n.level}/${n.idx}/${n.hash}`).sort(), 'stored log nodes against the leaves').to.deep.equal(expected);
    const reference = new ReferenceMerkleTree();
    for (const leaf of file.leaves) reference.push(fromHex(leaf));
    for (const c of [...file.checkpoints, ...served]) {
      expect(c.treeSize, `checkpoint ${c.treeSize} reaches beyond the ${file.leaves.length} stored leaves`).to.be.at.most(file.leaves.length);
      expect(c.rootHash, `the root of checkpoint ${c.treeSize}`).to.equal(reference.root(c.treeSize).toString('hex'));
    }
    return reference;
  }

  it('when the server is SIGKILLed at random moments during captures and steps, then after each restart every acknowledged write is whole, nothing is half-written, every bundle and log proof verifies and the database is intact', async function () {
    const random = prng(SEED);
    const between = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));
    const acked = { jobs: [] as AckedJob[], steps: [] as AckedStep[], lots: new Map<string, Json>() };
    /** Jobs seen finished while their server ran: a restart must not change what they read. */
    const seenFinished = new Map<string, { success: boolean; eventIDs: string[] }>();
    const stats = { succeeded: 0, interrupted: 0, capturedEvents: 0, steps: 0, kills: 0 };
    let logKey: VerifierKey | null = null;
    let unique = 0;
    /** Checkpoints the running server served to clients (its first one included). */
    let served: ObservedCheckpoint[] = [];

    const openNote = async (note: string): Promise<ObservedCheckpoint> => {
      const c = await openCheckpoint(note, logKey!, async (publicKey, signature, message) =>
        ed25519Verify(null, message, createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(publicKey).toString('base64url') }, format: 'jwk' }), signature),
      );
      return { treeSize: c.treeSize, rootHash: toHex(c.rootHash) };
    };

    const captureDocument = (lots: Array<{ lotNumber: string }>, size: number, giveIds: boolean): { doc: Json; ids: string[] | null } => {
      const ids: string[] = [];
      const events = Array.from({ length: size }, () => {
        const lot = lots[between(0, lots.length - 1)]!;
        const n = ++unique;
        const event: Json = {
          type: 'ObjectEvent',
          // One minute apart, so no two events (nor their CBV 2.0 hash IDs) are the same.
          eventTime: new Date(Date.UTC(2026, 9, 1) + n * 60_000 + 7 * 3_600_000).toISOString().replace('.000Z', '+07:00'),
          eventTimeZoneOffset: '+07:00',
          action: 'OBSERVE',
          bizStep: 'storing',
          disposition: 'in_progress',
          epcList: [],
          quantityList: [{ epcClass: `https://id.gs1.org/01/${GTIN}/10/${lot.lotNumber}`, quantity: n, uom: 'KGM' }],
        };
        if (giveIds) {
          const id = `urn:uuid:${randomUUID()}`;
          ids.push(id);
          return { eventID: id, ...event };
        }
        return event;
      });
      return {
        doc: { '@context': [CONTEXT], type: 'EPCISDocument', schemaVersion: '2.0', creationDate: '2026-10-01T08:00:00+07:00', epcisBody: { eventList: events } },
        ids: giveIds ? ids : null,
      };
    };

    try {
      createOrganization();
      let server = await startServer();
      let token = await login(server);
      const pinnedVkey = (await call(server, 'GET', '/api/v1/log/vkey')).text.trim();
      logKey = await parseVerifierKey(pinnedVkey, sha256);
      const plot = await call(server, 'POST', '/api/v1/plots', token, {
        name: 'Rẫy Krông Năng',
        crops: ['coffee-robusta'],
        geometry: { type: 'Polygon', coordinates: [[[108.4, 12.99], [108.401, 12.99], [108.401, 12.991], [108.4, 12.991], [108.4, 12.99]]] },
      });
      expect(plot.status, plot.text).to.equal(201);
      const plotId = plot.body.id as string;

      for (round = 1; round <= ROUNDS; round++) {
        trace(`round ${round}`);
        // New lots this round, published (acknowledged writes too).
        for (let i = 0; i < (round === 1 ? 3 : 1); i++) {
          const lot = await call(server, 'POST', '/api/v1/batches', token, {
            plotIds: [plotId],
            product: 'Cà phê Robusta nhân xô',
            harvestedAt: '2026-10-15',
            quantity: { value: 1200, unit: 'kg' },
            lotNumber: `CR${round}-${i}`,
            gtin: GTIN,
          });
          expect(lot.status, lot.text).to.equal(201);
          const published = await call(server, 'POST', `/api/v1/batches/${lot.body.id as string}/publish`, token);
          expect(published.status, published.text).to.equal(200);
          acked.lots.set(lot.body.id as string, published.body as Json);
        }
        const lots = [...acked.lots.values()] as Array<{ id: string; lotNumber: string }>;

        // The stream: workers capturing and adding steps, a monitor holding checkpoints and noting
        // finished jobs. After a random delay the server is SIGKILLed: in even rounds right then,
        // wherever it is; in odd rounds a random 0–40 ms after a large capture is acknowledged, so
        // the kill lands inside a capture job's transaction.
        let killed = false;
        const submit = async (size: number): Promise<boolean> => {
          const { doc, ids } = captureDocument(lots, size, random() < 0.7);
          const res = await call(server, 'POST', '/epcis/capture', token, doc, 'application/ld+json');
          if (res.status !== 202) {
            expect(res.status, `capture answered ${res.status}: ${res.text}`).to.equal(503);
            return false;
          }
          expect(res.body.captureID, res.text).to.be.a('string');
          acked.jobs.push({ captureID: res.body.captureID as string, round, eventCount: size, givenIds: ids });
          return true;
        };
        const guarded = (loop: () => Promise<void>) => async () => {
          try {
            await loop();
          } catch (error) {
            if (!killed) throw error;
          }
        };
        const worker = guarded(async () => {
          while (!killed) {
            if (random() < 0.5) {
              if (!(await submit(random() < 0.15 ? between(50, 150) : between(1, 30)))) await sleep(between(20, 80));
            } else {
              const lot = lots[between(0, lots.length - 1)]!;
              const res = await call(server, 'POST', `/api/v1/batches/${lot.id}/steps`, token, {
                type: (['drying', 'sorting', 'hulling', 'fermenting'] as const)[between(0, 3)],
                occurredAt: '2026-10-20T07:00:00+07:00',
                notes: `bước ${++unique}`,
              });
              expect(res.status, res.text).to.equal(201);
              acked.steps.push({ round, lotId: lot.id, body: res.body as Json });
            }
          }
        });
        const monitor = guarded(async () => {
          while (!killed) {
            const res = await call(server, 'GET', '/api/v1/log/checkpoint');
            expect(res.status, res.text).to.equal(200);
            served.push(await openNote(res.text));
            const jobs = await call(server, 'GET', '/epcis/capture?limit=20', token);
            expect(jobs.status, jobs.text).to.equal(200);
            for (const job of jobs.body.items as Array<{ captureID: string; running: boolean; success: boolean; eventIDs: string[] }>) {
              if (!job.running) seenFinished.set(job.captureID, { success: job.success, eventIDs: job.eventIDs });
            }
            await sleep(between(100, 250));
          }
        });
        const delay = between(300, 2000);
        const midCapture = round % 2 === 1;
        const killer = async () => {
          await sleep(delay);
          if (midCapture) {
            while (!(await submit(between(300, 400)))) await sleep(20);
            await sleep(between(0, 40));
          }
          killed = true;
          server.child.kill('SIGKILL');
        };
        const running = Promise.all([worker(), worker(), worker(), monitor()]);
        await Promise.race([running.then(() => Promise.reject(new Error('the workload stopped before the kill'))), killer()]).catch((error: unknown) => {
          killed = true;
          server.child.kill('SIGKILL');
          throw error;
        });
        expect((await server.exited).signal).to.equal('SIGKILL');
        stats.kills++;
        await running;

        trace(`killed after ${delay} ms${midCapture ? ' and a large capture' : ''}; ${acked.jobs.length} jobs, ${acked.steps.length} steps so far`);
        // The file as the dead process left it.
        const file = checkFile(acked);
        const reference = await checkLogAgainstLeaves(file, served);

        trace('file checked; restart');
        // Restarted on the same folder.
        const again = await startServer();
        server = again;
        const token2 = await login(again);
        expect((await call(again, 'GET', '/api/v1/log/vkey')).text.trim(), 'the log key after a restart').to.equal(pinnedVkey);

        // The log only grew: the latest checkpoint covers every leaf and extends every earlier one.
        const fetchLatest = async () => {
          const res = await call(again, 'GET', '/api/v1/log/checkpoint');
          expect(res.status, res.text).to.equal(200);
          return openNote(res.text);
        };
        let latest = await fetchLatest();
        // At most one fresh checkpoint a second: one the killed process issued just before may still be served.
        if (latest.treeSize < file.leaves.length) latest = await sleep(1100).then(fetchLatest);
        expect(latest.treeSize, 'the first checkpoint after the restart covers every leaf').to.equal(file.leaves.length);
        expect(latest.rootHash).to.equal(reference.root(latest.treeSize).toString('hex'));
        const earlier = new Map<number, ObservedCheckpoint>();
        // The previous run's last checkpoint, and every one it served to a client.
        for (const c of [...file.checkpoints.slice(-1), ...served]) earlier.set(c.treeSize, c);
        for (const old of earlier.values()) {
          const proof = await call(again, 'GET', `/api/v1/log/proof/consistency?from=${old.treeSize}&to=${latest.treeSize}`);
          expect(proof.status, proof.text).to.equal(200);
          const ok = await verifyConsistency(old.treeSize, latest.treeSize, fromHex(old.rootHash), fromHex(latest.rootHash), (proof.body.hashes as string[]).map(fromHex), sha256);
          expect(ok, `consistency of checkpoint ${old.treeSize} with ${latest.treeSize}`).to.equal(true);
        }

        trace('log checked; capture jobs');
        // Capture jobs: finished, and either whole or failed as interrupted with nothing written.
        const sampled = (ids: string[]) => [...new Set([ids[0], ids.at(-1), ids[between(0, ids.length - 1)]])].filter((x): x is string => !!x);
        for (const job of acked.jobs) {
          const res = await call(again, 'GET', `/epcis/capture/${job.captureID}`, token2);
          expect(res.status, res.text).to.equal(200);
          const state = res.body as { running: boolean; success: boolean; eventCount: number; eventIDs: string[]; errors: Array<{ type: string }> };
          expect(state.running, `job ${job.captureID} still reads running after a restart`).to.equal(false);
          expect(state.eventCount).to.equal(job.eventCount);
          // A job the kill left running was interrupted; one it found finished reads as it did.
          const inFile = file.jobs.get(job.captureID)!;
          if (inFile.running) expect(state.success, `job ${job.captureID} was running at the kill`).to.equal(false);
          else expect(state.success, `job ${job.captureID} changed at the restart`).to.equal(inFile.success);
          const seen = seenFinished.get(job.captureID);
          if (seen) expect({ success: state.success, eventIDs: state.eventIDs }, `job ${job.captureID} changed after a restart`).to.deep.equal(seen);
          if (state.success) {
            expect(state.eventIDs).to.have.length(job.eventCount);
            if (job.givenIds) expect(state.eventIDs).to.deep.equal(job.givenIds);
            expect(file.jobs.get(job.captureID)?.eventIds).to.deep.equal(state.eventIDs);
          } else {
            expect(state.errors.map((e) => e.type), `why job ${job.captureID} failed`).to.satisfy((types: string[]) => types.length === 1 && INTERRUPTED.test(types[0]!));
            expect(state.eventIDs).to.deep.equal([]);
          }
          if (job.round !== round) continue;
          if (state.success) stats.succeeded++;
          else stats.interrupted++;
          if (state.success) stats.capturedEvents += job.eventCount;
          // A few of this round's events through the API as well (the file check covered all of them).
          const ids = state.success ? state.eventIDs : (job.givenIds ?? []);
          for (const id of sampled(ids)) {
            const event = await call(again, 'GET', `/epcis/events/${encodeURIComponent(id)}`, token2);
            expect(event.status, `event ${id} of ${state.success ? 'successful' : 'interrupted'} job ${job.captureID}`).to.equal(state.success ? 200 : 404);
            if (state.success) expect(event.body.eventID).to.equal(id);
          }
        }

        trace('steps and lots');
        // This round's steps read back as they were answered; lots as acknowledged.
        for (const step of acked.steps.filter((s) => s.round === round)) {
          stats.steps++;
          const res = await call(again, 'GET', `/api/v1/batches/${step.lotId}/steps/${step.body.id as string}`, token2);
          expect(res.status, res.text).to.equal(200);
          expect(res.body).to.deep.equal(step.body);
        }
        for (const [id, lot] of acked.lots) {
          const res = await call(again, 'GET', `/api/v1/batches/${id}`, token2);
          expect(res.status, res.text).to.equal(200);
          expect(res.body).to.deep.equal(lot);
        }

        trace('bundles');
        // Every lot's bundle verifies against the published keys and the pinned log key; together
        // the bundles hold every stored event, so every signature was checked.
        const jwks = await call(again, 'GET', '/.well-known/jwks.json');
        expect(jwks.status).to.equal(200);
        const inBundles = new Set<string>();
        for (const id of acked.lots.keys()) {
          const bundle = await call(again, 'GET', `/api/v1/batches/${id}/provenance`);
          expect(bundle.status, bundle.text).to.equal(200);
          const report = await verifyBundle(bundle.body, { trustedKeys: jwks.body.keys as PublishedKey[], trustedLogKey: pinnedVkey });
          const failures = report.events.flatMap((e) => e.failures.map((f) => `${e.hash}: ${f.check}: ${f.message}`));
          expect(report.valid, `bundle of lot ${id}: ${[...report.errors, ...failures].slice(0, 5).join('; ')}`).to.equal(true);
          expect(report.checkpoint!.treeSize).to.be.at.least(latest.treeSize);
          for (const e of bundle.body.events as Array<{ hash: string }>) inBundles.add(e.hash);
        }
        expect([...file.eventHashes].filter((h) => !inBundles.has(h)), 'stored events no bundle carries').to.deep.equal([]);

        trace('round checked');
        // The restarted server carries the next round's stream; what it served so far is held too.
        served = [latest];
        token = token2;
      }
      console.log(
        `      crash-safety (CRASH_SEED=${SEED}): ${stats.kills} kills, ${acked.jobs.length} capture jobs acknowledged (${stats.succeeded} whole, ${stats.interrupted} interrupted, ${stats.capturedEvents} events), ${stats.steps} steps`,
      );
      // The kills must have hit both outcomes, or the test proved little.
      expect(stats.succeeded, 'capture jobs that finished before a kill').to.be.greaterThan(0);
      expect(stats.interrupted, 'capture jobs a kill interrupted').to.be.greaterThan(0);
    } catch (error) {
      if (error instanceof Error) error.message = `[CRASH_SEED=${SEED}, round ${round}] ${error.message}`;
      throw error;
    }
  });

  it('when the server is SIGKILLed while it loads the demo data into an empty database, then the restarted server holds the whole demo, not part of it', async function () {
    const random = prng(SEED);
    try {
      const first = await spawnServer({ DEMO_SEED: '1', LOG_LEVEL: 'info' });
      // Killed once the seed has written its first user (into whichever database file it writes),
      // a moment later: it goes on for a second or more (a hundred-odd signed events, photos).
      const seedHasStarted = () =>
        readdirSync(dir)
          .filter((f) => /^trace\.db(\.[a-z]+)?$/.test(f))
          .some((f) => {
            try {
              const db = new Database(path.join(dir, f), { readonly: true, fileMustExist: true });
              try {
                return (db.prepare('SELECT COUNT(*) AS n FROM users').get() as { n: number }).n > 0;
              } finally {
                db.close();
              }
            } catch {
              return false; // Not migrated yet.
            }
          });
      while (!seedHasStarted()) await sleep(10);
      await sleep(Math.floor(random() * 200));
      first.child.kill('SIGKILL');
      expect((await first.exited).signal).to.equal('SIGKILL');
      expect(first.output(), 'the kill came after the demo was loaded; it must land inside the seed').to.not.include('demo data loaded');

      const again = await startServer({ DEMO_SEED: '1' });
      const tokens = new Map<string, string>();
      for (const email of ['coop@demo.test', 'farmer@demo.test', 'processor@demo.test', 'inspector@demo.test', 'other-coop@demo.test']) {
        const res = await call(again, 'POST', '/api/v1/auth/login', undefined, { email, password: 'demo-password' });
        expect(res.status, `demo login ${email}: ${res.text}`).to.equal(200);
        tokens.set(email, res.body.token as string);
      }
      // The seed's last write: the tea cooperative's Shopee listing.
      const listings = await call(again, 'GET', '/api/v1/listings?limit=500', tokens.get('other-coop@demo.test'));
      expect(listings.status, listings.text).to.equal(200);
      expect((listings.body.items as Array<{ url: string }>).map((l) => l.url)).to.include('https://shopee.vn/che-tan-cuong-dac-biet-200g-i.4321.8765');
      // Every published demo lot's bundle verifies.
      const jwks = await call(again, 'GET', '/.well-known/jwks.json');
      let published = 0;
      for (const email of ['coop@demo.test', 'processor@demo.test', 'other-coop@demo.test']) {
        const lots = await call(again, 'GET', '/api/v1/batches?limit=500', tokens.get(email));
        for (const lot of (lots.body.items as Array<{ id: string; published: boolean }>).filter((l) => l.published)) {
          const bundle = await call(again, 'GET', `/api/v1/batches/${lot.id}/provenance`);
          expect(bundle.status, bundle.text).to.equal(200);
          const report = await verifyBundle(bundle.body, { trustedKeys: jwks.body.keys as PublishedKey[] });
          expect(report.valid, `bundle of demo lot ${lot.id}: ${report.errors.join('; ')}`).to.equal(true);
          published++;
        }
      }
      expect(published, 'published demo lots').to.be.greaterThan(0);
      const db = new Database(databaseFile(), { readonly: true, fileMustExist: true });
      try {
        expect(db.pragma('integrity_check', { simple: true })).to.equal('ok');
      } finally {
        db.close();
      }
    } catch (error) {
      if (error instanceof Error) error.message = `[CRASH_SEED=${SEED}] ${error.message}`;
      throw error;
    }
  });
});
