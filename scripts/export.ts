/**
 * `npm run export -- --format <format> --out <file> [--org <slug>] [--batch <lot id>]`
 *
 * Streams an export from the database named by DATABASE_URL to a file, with a progress bar and a
 * closing summary (items written, items skipped with their reasons, time). Formats:
 * google-merchant.xml, google-merchant.tsv, meta-catalog.csv, listings.csv, eudr.geojson.
 * Without --org it exports every organization's data. EUDR exports larger than the EU's 25 MB file
 * limit (EUDR_MAX_FILE_BYTES) are split into numbered files (plots-1.geojson, plots-2.geojson, …);
 * a smaller one is still written as plots-1.geojson, so the names never depend on the size.
 */
import { createWriteStream } from 'node:fs';
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import { buildServices } from '../api/src/app.js';
import { loadConfigOrExit } from '../api/src/core/config.js';
import { EXPORT_FORMATS, type ExportFormat, type ExportScope } from '../api/src/modules/exports/service.js';
import { openStore } from '../api/src/store/open-store.js';

const USAGE = `usage: npm run export -- --format <${EXPORT_FORMATS.join('|')}> --out <file> [--org <slug>] [--batch <lot id>]`;

const { values } = parseArgs({
  options: { format: { type: 'string' }, out: { type: 'string' }, org: { type: 'string' }, batch: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
});
if (values.help || !values.format || !values.out || !(EXPORT_FORMATS as readonly string[]).includes(values.format)) {
  console.error(USAGE);
  process.exit(values.help ? 0 : 2);
}
const format = values.format as ExportFormat;
const out = values.out;

const config = loadConfigOrExit();
const store = await openStore(config.database);
const started = Date.now();
try {
  let orgIds: string[];
  if (values.org) {
    const org = await store.organizations.findBySlug(values.org);
    if (!org) throw new Error(`no organization with slug ${values.org}`);
    orgIds = [org.id, ...(await store.organizations.memberIds(org.id))];
  } else {
    orgIds = await store.organizations.allIds();
  }
  const batch = values.batch ? await store.batches.findById(values.batch) : undefined;
  if (values.batch && (!batch || !batch.accessOrgIds.some((id) => orgIds.includes(id)))) throw new Error(`no lot ${values.batch} in that scope`);
  const scope: ExportScope = { orgIds, batch: batch ?? undefined };
  const { exports } = buildServices(config, store);

  const total = await exports.count(format, scope);
  const bar = new cliProgress.SingleBar({ format: `${format} [{bar}] {value}/{total} items`, stream: process.stderr, noTTYOutput: true, notTTYSchedule: 2000 }, cliProgress.Presets.shades_classic);
  bar.start(total, 0);
  const files: string[] = [];
  let written = 0;
  const skipped: Array<{ id: string; reasons: string[] }> = [];

  if (format === 'eudr.geojson') {
    // One pass per file: each file takes the plots that fit under the EU limit, the next one the rest.
    let offset = 0;
    for (let part = 1; ; part++) {
      const file = out.replace(/(\.geojson|\.json)?$/, (ext) => `-${part}${ext || '.geojson'}`);
      let index = 0;
      const summary = await writeFile(file, (stream) =>
        exports.write(format, scope, stream, {
          maxBytes: exports.eudrMaxFileBytes,
          skipFirst: offset,
          onItem: () => {
            if (index++ >= offset) bar.increment();
          },
        }),
      );
      files.push(file);
      written += summary.written;
      skipped.push(...summary.skipped);
      if (summary.truncatedAt === null || summary.truncatedAt === undefined) break;
      if (summary.truncatedAt === 0) throw new Error(`plot number ${offset + 1} alone is larger than the ${exports.eudrMaxFileBytes}-byte file limit`);
      offset += summary.truncatedAt;
    }
  } else {
    const summary = await writeFile(out, (stream) => exports.write(format, scope, stream, { onItem: () => bar.increment() }));
    files.push(out);
    written = summary.written;
    skipped.push(...summary.skipped);
  }
  bar.stop();
  console.log(`${format}: ${written} written, ${skipped.length} skipped, ${((Date.now() - started) / 1000).toFixed(1)} s → ${files.join(', ')}`);
  for (const item of skipped) console.log(`  skipped ${item.id}: ${item.reasons.join('; ')}`);
} catch (error) {
  console.error(`export failed: ${(error as Error).message}`);
  process.exitCode = 1;
} finally {
  await store.close();
}

async function writeFile<T>(file: string, write: (stream: NodeJS.WritableStream) => Promise<T>): Promise<T> {
  const stream = createWriteStream(file);
  const result = await write(stream);
  await new Promise<void>((resolve, reject) => {
    stream.on('error', reject);
    stream.end(resolve);
  });
  return result;
}
