/**
 * Issue 11, item 5: exports.
 *
 * Google Merchant XML from the database with 10,000 and 100,000 catalog items, rows per second
 * and peak RSS, each run in a child process of its own (bench/baselines/export-child.ts): the
 * export as `npm run export -- --format google-merchant.xml` runs it, against a baseline that
 * reads the same rows straight from SQLite and writes them unformatted (JSON lines), in the same
 * run. Targets: at least 0.3× the baseline's rows/s; peak RSS at 100k within 1.2× of 10k.
 *
 * The Google Merchant feed has one item per *product* (a marketplace listing is a product's page
 * on one marketplace, exported by listings.csv), so the rows are products, each with one catalog
 * photo (a feed item without an image is skipped, as Google requires one), cloned from the demo
 * data's first photographed product and inserted through the store port in one transaction.
 */
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildServices, finishBackgroundWork } from '../../api/src/app.js';
import { loadConfig } from '../../api/src/core/config.js';
import { createLogger } from '../../api/src/core/logger.js';
import { newId } from '../../api/src/core/ids.js';
import { withCheckDigit } from '../../api/src/domain/gs1/keys.js';
import type { MediaRecord, ProductRecord, Store } from '../../api/src/store/port.js';
import { openSqliteStore } from '../../api/src/store/sqlite/sqlite-store.js';
import { seedDemo } from '../../seeds/demo.js';
import type { ExportRun } from '../baselines/export-child.js';
import { ratioOf, type Figure } from '../lib/figures.js';
import type { Scenario } from './scenario.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const SIZES = [10_000, 100_000] as const;
const INSERT_BATCH = 20_000;
const count = (n: number) => n.toLocaleString('en-US');
const SECRETS = { JWT_SECRET: 'bench-jwt-secret-of-at-least-32-characters', KEY_ENCRYPTION_KEY: 'bench-key-encryption-key-of-32-characters' };

/** A demo product that has a catalog photo, and that photo: the template of every inserted row. */
async function template(store: Store): Promise<{ product: ProductRecord; photo: MediaRecord }> {
  const orgIds = await store.organizations.allIds();
  for (const product of (await store.products.list(orgIds, { limit: 500 })).items) {
    const photo = (await store.media.listFor(product.id)).find((m) => m.mediaType.startsWith('image/') && m.renditions.length);
    if (photo) return { product, photo };
  }
  throw new Error('the demo data has no product with a photo');
}

/** Inserts products `from`..`to`-1 (each with its photo) through the store port, INSERT_BATCH a transaction. */
async function insertProducts(store: Store, t: { product: ProductRecord; photo: MediaRecord }, from: number, to: number): Promise<void> {
  for (let start = from; start < to; start += INSERT_BATCH) {
    const end = Math.min(to, start + INSERT_BATCH);
    await store.transaction(async (tx) => {
      for (let i = start; i < end; i++) {
        const id = newId();
        // GTIN-14s of their own range (the demo's are 0893612345…), with valid check digits.
        const gtin = withCheckDigit(`08937${String(i).padStart(8, '0')}`);
        await tx.products.insert({
          ...t.product,
          id,
          gtin,
          name: { vi: `${t.product.name.vi} · mẫu ${i}`, en: t.product.name.en ? `${t.product.name.en} · item ${i}` : null },
          priceVnd: 100_000 + (i % 500) * 1000,
          stock: i % 7,
        });
        await tx.media.insert({ ...t.photo, id: newId(), targetId: id });
      }
    });
  }
}

function runChild(mode: 'export' | 'baseline', databaseUrl: string, out: string): Promise<ExportRun> {
  return new Promise((resolve, reject) => {
    const child = fork(path.join(root, 'bench/baselines/export-child.ts'), ['--mode', mode, '--out', out], {
      env: { ...process.env, DATABASE_URL: databaseUrl, NODE_ENV: 'test', PUBLIC_BASE_URL: 'https://trace.test', LOG_LEVEL: 'silent', ...SECRETS },
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    let result: ExportRun | null = null;
    child.on('message', (m) => (result = m as ExportRun));
    child.on('error', reject);
    child.on('exit', (code) => (result && code === 0 ? resolve(result) : reject(new Error(`export child (${mode}) exited with ${code}`))));
  });
}

const mb = (kb: number) => Math.round(kb / 102.4) / 10;

export const exportsScenario: Scenario = {
  name: 'exports',
  summary: 'Google Merchant XML export of 10,000 and 100,000 products (child processes): rows/s and peak RSS vs reading the same rows into JSON lines',
  async run() {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'ft-bench-exports-'));
    const file = path.join(dir, 'trace.db');
    const databaseUrl = `sqlite:${file}`;
    try {
      // Seeded and filled with the store closed in between: the last connection's close checkpoints
      // the WAL, so both children read a settled database file, as a separate CLI run would.
      let store = openSqliteStore(file);
      let t: Awaited<ReturnType<typeof template>>;
      try {
        const services = buildServices(loadConfig({ NODE_ENV: 'test', DATABASE_URL: databaseUrl, PUBLIC_BASE_URL: 'https://trace.test', ...SECRETS }), store, createLogger('silent'));
        await seedDemo(services);
        t = await template(store);
        await finishBackgroundWork(services);
      } finally {
        await store.close();
      }
      const figures: Figure[] = [];
      const runs: Array<{ size: number; ours: ExportRun; base: ExportRun }> = [];
      let inserted = 0;
      for (const size of SIZES) {
        store = openSqliteStore(file);
        try {
          await insertProducts(store, t, inserted, size);
        } finally {
          await store.close();
        }
        inserted = size;
        // Baseline first: the export then reads no less cached a file than the baseline did.
        const base = await runChild('baseline', databaseUrl, path.join(dir, `baseline-${size}.jsonl`));
        const ours = await runChild('export', databaseUrl, path.join(dir, `google-merchant-${size}.xml`));
        runs.push({ size, ours, base });
        const rate = (r: ExportRun) => (r.rows * 1000) / r.ms;
        figures.push({
          name: 'Google Merchant XML export (CLI path: count, then stream), child process',
          size: `${count(size)} products`,
          value: rate(ours),
          unit: 'rows/s',
          baseline: { name: 'same rows read from SQLite, written as JSON lines', value: rate(base), unit: 'rows/s' },
          ratio: ratioOf(rate(ours), rate(base)),
          target: { min: 0.3 },
          details: {
            rowsWritten: ours.rows,
            rowsSkipped: ours.skipped,
            seconds: Math.round(ours.ms / 100) / 10,
            peakRssMB: mb(ours.maxRssKB),
            fileMB: Math.round(ours.bytes / 104857.6) / 10,
            baselineRows: base.rows,
            baselineSeconds: Math.round(base.ms / 100) / 10,
            baselinePeakRssMB: mb(base.maxRssKB),
          },
        });
        rmSync(path.join(dir, `baseline-${size}.jsonl`), { force: true });
        rmSync(path.join(dir, `google-merchant-${size}.xml`), { force: true });
      }
      const [small, large] = runs as [(typeof runs)[number], (typeof runs)[number]];
      figures.push({
        name: 'Google Merchant XML export peak RSS (child process)',
        size: `${count(large.size)} vs ${count(small.size)} products`,
        value: mb(large.ours.maxRssKB),
        unit: 'MB',
        baseline: { name: `the same export at ${count(small.size)} products`, value: mb(small.ours.maxRssKB), unit: 'MB' },
        ratio: ratioOf(large.ours.maxRssKB, small.ours.maxRssKB),
        target: { max: 1.2 },
        details: { baselineRssRatio: ratioOf(large.base.maxRssKB, small.base.maxRssKB) },
      });
      return figures;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
