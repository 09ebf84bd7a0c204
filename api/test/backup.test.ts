import { spawn } from 'node:child_process';
import { createHash, createPublicKey, verify as nodeVerify } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import type { Express } from 'express';
import sharp from 'sharp';
import request from 'supertest';
import { buildApp } from '../src/app.js';
import { base64UrlEncode, fromHex } from '../src/domain/bytes.js';
import { createLogger } from '../src/core/logger.js';
import { openCheckpoint, parseVerifierKey, type Checkpoint } from '../src/log/checkpoint.js';
import { verifyConsistency } from '../src/log/merkle.js';
import { sha256 } from '../src/log/transparency-log.js';
import { verifyBundle } from '../src/verifier/verify-bundle.js';
import type { Store } from '../src/store/port.js';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.js';
import { DEMO_FARMER_PIN } from '../../seeds/demo.js';
import { childEnv } from './support/child-env.js';
import { startHarness, squarePlot, testConfig, type Harness } from './support/harness.js';
import { withRawBody } from './support/raw-body.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** The harness's key-encryption key (support/harness.ts): the restored service must use the same one. */
const TEST_KEY_ENCRYPTION_KEY = 'test-key-encryption-key-of-32-characters';

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a CLI as its own process without blocking this one, whose server keeps answering meanwhile. */
function runScript(script: string, args: string[], env: Record<string, string>): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], { cwd: ROOT, env: childEnv({ NODE_ENV: 'test', ...env }) });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), 90_000);
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}

const describeRun = (r: Run) => `exit ${String(r.status)}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`;
const databaseUrl = (dir: string) => `sqlite:${path.join(dir, 'trace.db')}`;
const sha256Hex = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const backup = (source: string, file: string) => runScript('scripts/backup.ts', [file], { DATABASE_URL: databaseUrl(source) });
const restore = (target: string, file: string, env: Record<string, string> = {}) =>
  runScript('scripts/restore.ts', [file], { DATABASE_URL: databaseUrl(target), KEY_ENCRYPTION_KEY: TEST_KEY_ENCRYPTION_KEY, ...env });

const ed25519Verify = async (publicKey: Uint8Array, signature: Uint8Array, message: Uint8Array): Promise<boolean> =>
  nodeVerify(null, message, createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: base64UrlEncode(publicKey) }, format: 'jwk' }), signature);

async function checkpointOf(app: Express): Promise<{ checkpoint: Checkpoint; vkey: string }> {
  const vkey = (await request(app).get('/api/v1/log/vkey').expect(200)).text;
  const note = (await request(app).get('/api/v1/log/checkpoint').expect(200)).text;
  return { checkpoint: await openCheckpoint(note, await parseVerifierKey(vkey, sha256), ed25519Verify), vkey };
}

let colour = 0;
/** A JPEG of its own colour each call, so every photo (and its renditions) is a new blob. */
function photo(): Promise<Buffer> {
  colour += 1;
  return sharp({ create: { width: 400, height: 300, channels: 3, background: { r: (colour * 37) % 256, g: (colour * 91) % 256, b: (colour * 53) % 256 } } })
    .jpeg()
    .toBuffer();
}

const hoursAgo = (hours: number) => `${new Date(Date.now() - hours * 3_600_000 + 7 * 3_600_000).toISOString().slice(0, 19)}+07:00`;

/** What the cooperative records for one new lot: plot, lot, a drying step with a photo, published. Returns the lot id. */
async function recordPublishedLot(app: Express, auth: string, n: number): Promise<string> {
  const plot = await request(app).post('/api/v1/plots').set('Authorization', auth).send({ name: `Rẫy sao lưu ${n}`, crops: ['coffee-robusta'], geometry: squarePlot(0.3 + n * 0.002) });
  expect(plot.status, JSON.stringify(plot.body)).to.equal(201);
  const harvestedAt = new Date(Date.now() - 10 * 86_400_000).toISOString().slice(0, 10);
  const lot = await request(app).post('/api/v1/batches').set('Authorization', auth).send({ plotIds: [plot.body.id], product: 'Cà phê Robusta quả tươi', harvestedAt, quantity: { value: 500 + n, unit: 'kg' } });
  expect(lot.status, JSON.stringify(lot.body)).to.equal(201);
  const step = await request(app).post(`/api/v1/batches/${lot.body.id}/steps`).set('Authorization', auth).send({ type: 'drying', occurredAt: hoursAgo(5) });
  expect(step.status, JSON.stringify(step.body)).to.equal(201);
  const upload = await request(app).post(`/api/v1/batches/${lot.body.id}/steps/${step.body.id}/media`).set('Authorization', auth).attach('file', await photo(), 'drying.jpg');
  expect(upload.status, JSON.stringify(upload.body)).to.equal(201);
  await request(app).post(`/api/v1/batches/${lot.body.id}/publish`).set('Authorization', auth).expect(200);
  return lot.body.id as string;
}

/** An app on a restored folder, configured as the harness configures the original one. */
function appOn(dir: string): { app: Express; store: Store } {
  const store = openSqliteStore(path.join(dir, 'trace.db'));
  return { app: buildApp({ config: testConfig(dir), store, logger: createLogger('silent') }), store };
}

describe('backup and restore', function () {
  this.timeout(180_000);
  const dirs: string[] = [];
  const tempDir = (prefix: string) => {
    const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
    dirs.push(dir);
    return dir;
  };
  let quietArchive: string;

  before(async function () {
    // A backup of the demo data taken with nothing writing, for the tests of what restore refuses.
    const h = await startHarness({ seed: true });
    try {
      quietArchive = path.join(tempDir('ft-backup-'), 'quiet.tar.gz');
      const run = await backup(h.dir, quietArchive);
      expect(run.status, describeRun(run)).to.equal(0);
    } finally {
      await h.close();
    }
  });

  after(function () {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  describe('while the service is writing', function () {
    let source: Harness | undefined;
    let restored: Store | undefined;

    afterEach(async function () {
      await source?.close();
      await restored?.close();
    });

    it('when a backup is taken during writes and restored into an empty folder, then every published lot verifies, every file is intact and the log is consistent with the old checkpoint', async function () {
      source = await startHarness({ seed: true });
      const coop = await source.login('coop@demo.test');
      const before = await recordPublishedLot(source.app, coop, 0);
      const old = await checkpointOf(source.app);

      const archive = path.join(tempDir('ft-backup-'), 'live.tar.gz');
      let writing = true;
      let written = 0;
      const app = source.app;
      const writer = (async () => {
        while (writing) await recordPublishedLot(app, coop, ++written);
      })();
      const backupRun = await backup(source.dir, archive);
      writing = false;
      await writer;
      expect(backupRun.status, describeRun(backupRun)).to.equal(0);
      expect(written, 'lots recorded while the backup ran').to.be.at.least(1);
      expect(backupRun.stdout).to.match(/secrets are not included/);

      const target = tempDir('ft-restored-');
      const restoreRun = await restore(target, archive);
      expect(restoreRun.status, describeRun(restoreRun)).to.equal(0);
      expect(restoreRun.stdout).to.match(/unwraps every signing key/);
      expect(readdirSync(target).sort()).to.deep.equal(['blobs', 'trace.db']);

      const opened = appOn(target);
      restored = opened.store;
      const restoredApp = opened.app;
      const restoredCoop = `Bearer ${(await request(restoredApp).post('/api/v1/auth/login').send({ email: 'coop@demo.test', password: 'demo-password' }).expect(200)).body.token as string}`;
      // Users come back with every login: the demo farmer's phone and PIN too.
      await request(restoredApp).post('/api/v1/auth/phone-login').send({ phone: '0912 345 678', pin: DEMO_FARMER_PIN }).expect(200);

      // Every published lot's bundle verifies, without a token, as a buyer would fetch it.
      const lots = (await request(restoredApp).get('/api/v1/batches?limit=500').set('Authorization', restoredCoop).expect(200)).body.items as Array<{ id: string; published: boolean }>;
      expect(lots.map((l) => l.id)).to.include(before);
      const published = lots.filter((l) => l.published);
      expect(published.length).to.be.at.least(2);
      for (const lot of published) {
        const bundle = await request(restoredApp).get(`/api/v1/batches/${lot.id}/provenance`).expect(200);
        const report = await verifyBundle(bundle.body);
        expect(report.valid, `lot ${lot.id}: ${report.errors.join('; ')} ${JSON.stringify(report.events.filter((e) => !e.valid))}`).to.equal(true);
      }

      // Every file of every lot: its original and renditions are there and match their hashes.
      const filesOf = new Map<string, number>();
      for (const lot of lots) {
        const media = (await request(restoredApp).get(`/api/v1/batches/${lot.id}/media`).set('Authorization', restoredCoop).expect(200)).body.items as Array<{
          id: string;
          sha256: string;
          renditions: Array<{ url: string }>;
        }>;
        filesOf.set(lot.id, media.length);
        for (const item of media) {
          const original = await withRawBody(request(restoredApp).get(`/api/v1/media/${item.id}/original`).set('Authorization', restoredCoop)).expect(200);
          expect(sha256Hex(original.body as Buffer), `original of ${item.id}`).to.equal(item.sha256);
          for (const rendition of item.renditions) {
            const url = new URL(rendition.url).pathname;
            const res = await withRawBody(request(restoredApp).get(url)).expect(200);
            expect(`/media/${sha256Hex(res.body as Buffer)}.webp`, `rendition ${url}`).to.equal(url);
          }
        }
      }
      expect(filesOf.get(before), 'files of the lot recorded before the backup').to.equal(1);

      // The restored log continues the old one: same key, and its next checkpoint proves consistent with the old.
      await request(restoredApp).post('/api/v1/plots').set('Authorization', restoredCoop).send({ name: 'Rẫy sau khôi phục', crops: ['coffee-robusta'], geometry: squarePlot(0.9) }).expect(201);
      await sleep(1100);
      const next = await checkpointOf(restoredApp);
      expect(next.vkey).to.equal(old.vkey);
      expect(next.checkpoint.treeSize).to.be.greaterThan(old.checkpoint.treeSize);
      const proof = await request(restoredApp).get('/api/v1/log/proof/consistency').query({ from: old.checkpoint.treeSize, to: next.checkpoint.treeSize }).expect(200);
      const consistent = await verifyConsistency(
        old.checkpoint.treeSize,
        next.checkpoint.treeSize,
        old.checkpoint.rootHash,
        next.checkpoint.rootHash,
        (proof.body.hashes as string[]).map(fromHex),
        sha256,
      );
      expect(consistent, 'consistency proof from the pre-backup checkpoint').to.equal(true);
    });
  });

  it('when a backup is made with --include-secrets, then restore puts secrets.json back (owner-only) and checks the keys with it', async function () {
    const h = await startHarness({ seed: true });
    const archive = path.join(tempDir('ft-backup-'), 'with-secrets.tar.gz');
    try {
      writeFileSync(path.join(h.dir, 'secrets.json'), JSON.stringify({ JWT_SECRET: 'test-jwt-secret-of-at-least-32-characters', KEY_ENCRYPTION_KEY: TEST_KEY_ENCRYPTION_KEY }));
      const run = await runScript('scripts/backup.ts', [archive, '--include-secrets'], { DATABASE_URL: databaseUrl(h.dir) });
      expect(run.status, describeRun(run)).to.equal(0);
      expect(run.stdout).to.match(/includes secrets\.json/);
    } finally {
      await h.close();
    }
    const target = tempDir('ft-restored-');
    const run = await restore(target, archive, { KEY_ENCRYPTION_KEY: '' });
    expect(run.status, describeRun(run)).to.equal(0);
    expect(run.stdout).to.match(/KEY_ENCRYPTION_KEY from the archive unwraps every signing key/);
    expect(statSync(path.join(target, 'secrets.json')).mode & 0o777).to.equal(0o600);
  });

  it('when the data folder is not empty or already has a database, then restore refuses, exits 1 and leaves the folder as it was', async function () {
    const withFile = tempDir('ft-restored-');
    writeFileSync(path.join(withFile, 'notes.txt'), 'keep me\n');
    const withDatabase = tempDir('ft-restored-');
    writeFileSync(path.join(withDatabase, 'trace.db'), '');
    const [intoFiles, intoDatabase] = await Promise.all([restore(withFile, quietArchive), restore(withDatabase, quietArchive)]);

    expect(intoFiles.status, describeRun(intoFiles)).to.equal(1);
    expect(intoFiles.stderr).to.match(/not empty \(notes\.txt\)/);
    expect(readdirSync(withFile)).to.deep.equal(['notes.txt']);
    expect(intoDatabase.status, describeRun(intoDatabase)).to.equal(1);
    expect(intoDatabase.stderr).to.match(/trace\.db already exists/);
    expect(readdirSync(withDatabase)).to.deep.equal(['trace.db']);
    expect(readFileSync(path.join(withDatabase, 'trace.db'))).to.have.length(0);
  });

  it('when the archive is truncated or has a damaged byte, then restore refuses, exits 1 and leaves no database behind', async function () {
    const bytes = readFileSync(quietArchive);
    const work = tempDir('ft-damaged-');
    const truncated = path.join(work, 'truncated.tar.gz');
    writeFileSync(truncated, bytes.subarray(0, Math.floor(bytes.length / 2)));
    const flipped = Buffer.from(bytes);
    flipped[Math.floor(bytes.length * 0.7)]! ^= 0x40;
    const damaged = path.join(work, 'damaged.tar.gz');
    writeFileSync(damaged, flipped);
    const notABackup = path.join(work, 'notes.tar.gz');
    writeFileSync(notABackup, 'hello\n');

    const cases = [truncated, damaged, notABackup].map((file) => ({ file, target: tempDir('ft-restored-') }));
    const runs = await Promise.all(cases.map(({ file, target }) => restore(target, file)));
    for (const [index, run] of runs.entries()) {
      expect(run.status, `${cases[index]!.file}: ${describeRun(run)}`).to.equal(1);
      expect(run.stderr).to.match(/restore failed: .*(damaged|truncated|not a farm-trace backup)/);
      expect(readdirSync(cases[index]!.target), 'left in the folder').to.deep.equal([]);
    }
  });

  it('when the key-encryption key is not the one the backup was made with, then restore refuses before placing the database', async function () {
    const target = tempDir('ft-restored-');
    const run = await restore(target, quietArchive, { KEY_ENCRYPTION_KEY: 'another-key-encryption-key-of-32-characters' });
    expect(run.status, describeRun(run)).to.equal(1);
    expect(run.stderr).to.match(/does not unwrap the backup's keys/);
    expect(existsSync(path.join(target, 'trace.db'))).to.equal(false);
  });

  it('when the arguments are wrong or DATABASE_URL names MongoDB, then the CLIs print what to do and exit non-zero', async function () {
    const source = tempDir('ft-args-');
    const [noFile, twoFiles, unknownOption, mongo] = await Promise.all([
      runScript('scripts/backup.ts', [], { DATABASE_URL: databaseUrl(source) }),
      runScript('scripts/restore.ts', ['a.tar.gz', 'b.tar.gz'], { DATABASE_URL: databaseUrl(source) }),
      runScript('scripts/backup.ts', ['--gzip', 'x.tar.gz'], { DATABASE_URL: databaseUrl(source) }),
      runScript('scripts/backup.ts', [path.join(source, 'x.tar.gz')], { DATABASE_URL: 'mongodb://localhost:27017/trace' }),
    ]);
    expect(noFile.status, describeRun(noFile)).to.equal(2);
    expect(noFile.stderr).to.include('usage: npm run backup -- <file.tar.gz>');
    expect(twoFiles.status, describeRun(twoFiles)).to.equal(2);
    expect(twoFiles.stderr).to.include('usage: npm run restore -- <file.tar.gz>');
    expect(unknownOption.status, describeRun(unknownOption)).to.equal(2);
    expect(unknownOption.stderr).to.match(/--gzip/);
    expect(mongo.status, describeRun(mongo)).to.equal(1);
    expect(mongo.stderr).to.match(/mongodump --oplog/);
    expect(readdirSync(source), 'nothing written').to.deep.equal([]);
  });
});
