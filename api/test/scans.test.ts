import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net, { type AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { expect } from 'chai';
import request from 'supertest';
import { buildServices } from '../src/app.js';
import { createLogger } from '../src/core/logger.js';
import { ScanService } from '../src/modules/scans/service.js';
import type { Store } from '../src/store/port.js';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.js';
import { childEnv } from './support/child-env.js';
import { startHarness, testConfig, type Harness } from './support/harness.js';

/** The cooperative's published single-origin lot in the demo data (its own GTIN). */
const SINGLE_ORIGIN = { link: '/01/08936123450038/10/EHO-2512-S1', lotNumber: 'EHO-2512-S1' };
const ANDROID = 'Mozilla/5.0 (Linux; Android 13; SM-A145F) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Mobile Safari/537.36';
const IPHONE = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 Mobile/15E148 Safari/604.1';
const ZERO = { android: 0, ios: 0, desktop: 0, bot: 0, other: 0 };

const vietnamToday = (): string => new Date(Date.now() + 7 * 3_600_000).toISOString().slice(0, 10);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Rows of the scans table, read from the database file by a second connection. */
function scanRows(file: string): { columns: string[]; rows: Array<Record<string, unknown>> } {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const columns = (db.prepare('PRAGMA table_info(scans)').all() as Array<{ name: string }>).map((c) => c.name);
    return { columns, rows: db.prepare('SELECT * FROM scans').all() as Array<Record<string, unknown>> };
  } finally {
    db.close();
  }
}

async function lotId(h: Harness, auth: string, lotNumber: string): Promise<string> {
  const res = await request(h.app).get('/api/v1/batches?limit=500').set('Authorization', auth).expect(200);
  const lot = (res.body.items as Array<{ id: string; lotNumber: string }>).find((b) => b.lotNumber === lotNumber);
  if (!lot) throw new Error(`no lot ${lotNumber}`);
  return lot.id;
}

describe('scan counts of lots', () => {
  describe('GET /api/v1/batches/{id}/scans', () => {
    let h: Harness;
    let coop: string;
    let id: string;
    beforeEach(async () => {
      h = await startHarness({ seed: true });
      coop = await h.login('coop@demo.test');
      id = await lotId(h, coop, SINGLE_ORIGIN.lotNumber);
    });
    afterEach(() => h.close());

    it('when the published lot is scanned once from an Android phone and twice from an iPhone, then its cooperative reads total 3 with that split, today', async () => {
      await request(h.app).get(SINGLE_ORIGIN.link).set('User-Agent', ANDROID).expect(200);
      await request(h.app).get(SINGLE_ORIGIN.link).set('User-Agent', IPHONE).expect(200);
      await request(h.app).get(SINGLE_ORIGIN.link).set('User-Agent', IPHONE).expect(200);
      // No wait for the flush interval: reading writes the buffer first.
      const res = await request(h.app).get(`/api/v1/batches/${id}/scans`).set('Authorization', coop).expect(200);
      const today = vietnamToday();
      expect(res.body).to.deep.equal({
        batchId: id,
        from: new Date(Date.parse(`${today}T00:00:00Z`) - 365 * 86_400_000).toISOString().slice(0, 10),
        to: today,
        total: 3,
        byClientType: { ...ZERO, android: 1, ios: 2 },
        byDay: [{ day: today, count: 3 }],
      });
    });

    it('when another organization asks for the scans of a lot, then 404, although the lot itself is published', async () => {
      for (const email of ['other-coop@demo.test', 'inspector@demo.test']) {
        const auth = await h.login(email);
        await request(h.app).get(`/api/v1/batches/${id}`).set('Authorization', auth).expect(200);
        const res = await request(h.app).get(`/api/v1/batches/${id}/scans`).set('Authorization', auth).expect(404);
        expect(res.headers['content-type'], email).to.match(/^application\/problem\+json/);
      }
    });

    it('when no token is sent, then 401 problem+json', async () => {
      const res = await request(h.app).get(`/api/v1/batches/${id}/scans`).expect(401);
      expect(res.headers['content-type']).to.match(/^application\/problem\+json/);
    });

    it('when scans are stored, then the rows hold only the lot, the time and the client type: no IP address, no User-Agent', async () => {
      const userAgent = 'Mozilla/5.0 (Linux; Android 14; ScanPrivacyProbe-7f3a) AppleWebKit/537.36 Chrome/120.0 Mobile Safari/537.36';
      const forwardedFor = '203.0.113.77';
      await request(h.app).get(SINGLE_ORIGIN.link).set('User-Agent', userAgent).set('X-Forwarded-For', forwardedFor).expect(200);
      await request(h.app).get(`/api/v1/batches/${id}/scans`).set('Authorization', coop).expect(200);

      const file = path.join(h.dir, 'trace.db');
      const { columns, rows } = scanRows(file);
      expect(columns).to.deep.equal(['batch_id', 'at', 'client_type']);
      expect(rows).to.have.length(1);
      expect(rows[0]).to.deep.include({ batch_id: id, client_type: 'android' });
      expect(rows[0]!.at).to.match(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
      // Nor anywhere else in the database files (the WAL holds the latest writes).
      for (const f of [file, `${file}-wal`].filter(existsSync)) {
        const bytes = readFileSync(f);
        expect(bytes.includes('ScanPrivacyProbe'), f).to.equal(false);
        // Neither the address the request came from (supertest connects over loopback) nor a forwarded one.
        expect(bytes.includes('127.0.0.1'), f).to.equal(false);
        expect(bytes.includes(forwardedFor), f).to.equal(false);
      }
    });

    it('when from and to are given, then only scans of those whole Vietnam days count', async () => {
      await h.store.scans.insertMany([
        { batchId: id, at: '2025-06-01T16:59:59.999Z', clientType: 'android' }, // 1 June, 23:59 in Vietnam
        { batchId: id, at: '2025-06-01T17:00:00.000Z', clientType: 'ios' }, // 2 June, 00:00
        { batchId: id, at: '2025-06-03T16:59:59.999Z', clientType: 'desktop' }, // 3 June, 23:59
        { batchId: id, at: '2025-06-03T17:00:00.000Z', clientType: 'bot' }, // 4 June
      ]);
      const res = await request(h.app).get(`/api/v1/batches/${id}/scans?from=2025-06-02&to=2025-06-03`).set('Authorization', coop).expect(200);
      expect(res.body).to.deep.equal({
        batchId: id,
        from: '2025-06-02',
        to: '2025-06-03',
        total: 2,
        byClientType: { ...ZERO, ios: 1, desktop: 1 },
        byDay: [
          { day: '2025-06-02', count: 1 },
          { day: '2025-06-03', count: 1 },
        ],
      });
    });

    it('when the window is reversed, longer than 366 days, not a date or has an unknown parameter, then 400 naming the field', async () => {
      const cases: Array<[string, string]> = [
        ['from=2025-06-03&to=2025-06-02', 'from'],
        ['from=2024-01-01&to=2025-01-01', 'from'],
        ['from=2025-02-30', 'from'],
        ['to=yesterday', 'to'],
      ];
      for (const [query, field] of cases) {
        const res = await request(h.app).get(`/api/v1/batches/${id}/scans?${query}`).set('Authorization', coop).expect(400);
        expect(res.headers['content-type'], query).to.match(/^application\/problem\+json/);
        expect(res.body.errors[0].path, query).to.equal(field);
      }
      const unknown = await request(h.app).get(`/api/v1/batches/${id}/scans?since=2025-01-01`).set('Authorization', coop).expect(400);
      expect(unknown.body.errors[0].message).to.contain('since');
      // A leap year is the longest window allowed.
      await request(h.app).get(`/api/v1/batches/${id}/scans?from=2024-01-01&to=2024-12-31`).set('Authorization', coop).expect(200);
    });
  });

  describe('the scan buffer', () => {
    let dir: string;
    let store: Store;
    let log: string;
    const file = () => path.join(dir, 'trace.db');
    const logger = () =>
      createLogger(
        'warn',
        new Writable({
          write(chunk: Buffer, _encoding, done) {
            log += chunk.toString();
            done();
          },
        }),
      );
    const scanService = (options: ConstructorParameters<typeof ScanService>[3] = {}) => {
      const l = logger();
      return new ScanService(store, buildServices(testConfig(dir), store, l).batches, l, options);
    };

    beforeEach(() => {
      dir = mkdtempSync(path.join(os.tmpdir(), 'ft-scans-'));
      store = openSqliteStore(file());
      log = '';
    });
    afterEach(async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('when the service is closed before its interval, then the buffered scans are written and survive the store closing', async () => {
      const scans = scanService({ flushIntervalMs: 60_000 });
      scans.record('0190a000-0000-7000-8000-000000000001', ANDROID);
      scans.record('0190a000-0000-7000-8000-000000000001', IPHONE);
      scans.record('0190a000-0000-7000-8000-000000000002', undefined);
      expect(scanRows(file()).rows).to.have.length(0);
      await scans.close();
      await store.close();
      const { rows } = scanRows(file());
      expect(rows.map((r) => `${r.batch_id as string} ${r.client_type as string}`).sort()).to.deep.equal([
        '0190a000-0000-7000-8000-000000000001 android',
        '0190a000-0000-7000-8000-000000000001 ios',
        '0190a000-0000-7000-8000-000000000002 other',
      ]);
    });

    it('when the buffer reaches its flush bound, then the scans are written without waiting for the interval', async () => {
      const scans = scanService({ flushIntervalMs: 60_000, flushAt: 10 });
      for (let i = 0; i < 9; i++) scans.record('0190a000-0000-7000-8000-000000000003', IPHONE);
      await sleep(20);
      expect(scanRows(file()).rows).to.have.length(0);
      scans.record('0190a000-0000-7000-8000-000000000003', IPHONE);
      for (let waited = 0; scanRows(file()).rows.length < 10 && waited < 2_000; waited += 10) await sleep(10);
      expect(scanRows(file()).rows).to.have.length(10);
      await scans.close();
    });

    it('when the database does not take scans, then record still returns, scans stay buffered up to the bound, and the rest are dropped, counted and logged', async () => {
      const scans = scanService({ flushIntervalMs: 60_000, flushAt: 5, maxBuffered: 8 });
      await store.close();
      for (let i = 0; i < 12; i++) expect(() => scans.record('0190a000-0000-7000-8000-000000000004', ANDROID)).not.to.throw();
      let failed = false;
      await scans.flush().catch(() => (failed = true));
      expect(failed).to.equal(true);
      expect(scans.dropped).to.equal(4);
      expect(log).to.contain('writing scan counts failed').and.contain('scan counts dropped');
      await scans.close().catch(() => undefined);
    });
  });

  describe('the real server process', function () {
    this.timeout(60_000);
    const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
    let dir: string;
    let child: ChildProcess | null = null;

    beforeEach(() => {
      dir = mkdtempSync(path.join(os.tmpdir(), 'ft-scans-server-'));
    });
    afterEach(() => {
      if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    });

    it('when the server is stopped with SIGTERM right after scans, then the buffered scans are in the database', async () => {
      const probe = net.createServer();
      await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
      const { port } = probe.address() as AddressInfo;
      await new Promise<void>((resolve) => probe.close(() => resolve()));
      const proc = spawn(process.execPath, ['--import', 'tsx', 'api/src/server.ts'], {
        cwd: ROOT,
        env: childEnv({ PORT: String(port), DATABASE_URL: `sqlite:${path.join(dir, 'trace.db')}`, NODE_ENV: 'development', LOG_LEVEL: 'warn' }),
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      child = proc;
      let output = '';
      proc.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
      proc.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
      const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
      const base = `http://127.0.0.1:${port}`;
      for (let ready = false, deadline = Date.now() + 45_000; !ready; ) {
        if (Date.now() > deadline || proc.exitCode !== null) throw new Error(`the server did not start:\n${output}`);
        ready = await fetch(`${base}/healthz`).then((r) => r.ok, () => false);
        if (!ready) await sleep(100);
      }

      for (const ua of [IPHONE, IPHONE, ANDROID]) {
        const res = await fetch(`${base}${SINGLE_ORIGIN.link}`, { headers: { 'User-Agent': ua } });
        expect(res.status).to.equal(200);
        await res.arrayBuffer();
      }
      proc.kill('SIGTERM');
      expect(await exited, output).to.equal(0);
      const counts = scanRows(path.join(dir, 'trace.db')).rows.map((r) => r.client_type as string).sort();
      expect(counts).to.deep.equal(['android', 'ios', 'ios']);
    });
  });
});
