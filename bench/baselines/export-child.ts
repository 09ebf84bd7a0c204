/**
 * One export run of the `exports` bench scenario, in a process of its own so that its peak RSS is
 * its own (see peakRssKB). Reads DATABASE_URL (and the secrets) from the environment; `--mode`:
 *
 * - `export`: what `npm run export -- --format google-merchant.xml --out <file>` does
 *   (scripts/export.ts), without the progress bar: every organization, count the items (the
 *   CLI's progress total), then stream the feed through ExportService into the file.
 * - `baseline`: the same rows read straight from SQLite (each product with its media rows, which
 *   the feed reads for image links) and written unformatted, one JSON line per row.
 *
 * Sends `{ rows, skipped, ms, maxRssKB, bytes }` to the parent over IPC.
 */
import { createWriteStream, readFileSync, statSync } from 'node:fs';
import { once } from 'node:events';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';

export interface ExportRun {
  rows: number;
  skipped: number;
  ms: number;
  maxRssKB: number;
  bytes: number;
}

const { values } = parseArgs({ options: { mode: { type: 'string' }, out: { type: 'string' } } });
const out = values.out;
if (!out || (values.mode !== 'export' && values.mode !== 'baseline')) throw new Error('usage: export-child --mode export|baseline --out <file>');

async function runExport(file: string): Promise<Omit<ExportRun, 'maxRssKB' | 'bytes'>> {
  // Loaded here, not at the top: the baseline's peak RSS must not include the service's modules.
  const [{ buildServices }, { loadConfig }, { createLogger }, { openStore }] = await Promise.all([
    import('../../api/src/app.js'),
    import('../../api/src/core/config.js'),
    import('../../api/src/core/logger.js'),
    import('../../api/src/store/open-store.js'),
  ]);
  const config = loadConfig();
  const store = await openStore(config.database);
  try {
    const started = performance.now();
    const orgIds = await store.organizations.allIds();
    const { exports } = buildServices(config, store, createLogger('silent'));
    await exports.count('google-merchant.xml', { orgIds });
    const stream = createWriteStream(file);
    const summary = await exports.write('google-merchant.xml', { orgIds }, stream);
    stream.end();
    await once(stream, 'finish');
    return { rows: summary.written, skipped: summary.skipped.length, ms: performance.now() - started };
  } finally {
    await store.close();
  }
}

async function runBaseline(file: string): Promise<Omit<ExportRun, 'maxRssKB' | 'bytes'>> {
  const url = process.env.DATABASE_URL ?? '';
  if (!url.startsWith('sqlite:')) throw new Error('the baseline reads SQLite only');
  const db = new Database(url.slice('sqlite:'.length), { readonly: true });
  try {
    const started = performance.now();
    const stream = createWriteStream(file);
    const products = db.prepare('SELECT * FROM products ORDER BY id DESC');
    const media = db.prepare('SELECT * FROM media WHERE target_id = ? ORDER BY id');
    let rows = 0;
    for (const row of products.iterate() as Iterable<{ id: string }>) {
      const line = `${JSON.stringify({ ...row, media: media.all(row.id) })}\n`;
      if (!stream.write(line)) await once(stream, 'drain');
      rows++;
    }
    stream.end();
    await once(stream, 'finish');
    return { rows, skipped: 0, ms: performance.now() - started };
  } finally {
    db.close();
  }
}

/**
 * Peak resident memory of this process, in KB. On Linux, VmHWM of /proc/self/status: getrusage's
 * maxRSS (process.resourceUsage().maxRSS) keeps the high-water mark of the process image before
 * exec, and a forked child starts as a copy of its parent, so it would report the bench parent's
 * RSS whenever that is larger than the export's own.
 */
function peakRssKB(): number {
  try {
    const hwm = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (hwm) return Number(hwm[1]);
  } catch {
    // not Linux
  }
  return process.resourceUsage().maxRSS;
}

const result = values.mode === 'export' ? await runExport(out) : await runBaseline(out);
const run: ExportRun = { ...result, maxRssKB: peakRssKB(), bytes: statSync(out).size };
process.send?.(run, () => process.disconnect());
