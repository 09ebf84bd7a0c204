/**
 * `npm run bench [-- --only <scenario,…>] [--readme]`
 *
 * Runs every scenario, prints one table and writes bench/results/latest.json (with machine and
 * Node details). Every figure is a ratio against a baseline measured in the same run, on the same
 * machine, so the numbers carry over between machines better than absolute rates do. `--readme`
 * also replaces the table between the bench markers in docs/benchmarks.md. With `--only`, the
 * figures measured replace those of the same measure and size in the last results (the others are
 * kept, and the stamp says which scenarios were run when).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { markdownTable, targetMet, type Figure } from './lib/figures.js';
import { scenarios } from './scenarios/index.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({ options: { only: { type: 'string' }, readme: { type: 'boolean' } } });
const only = values.only ? new Set(values.only.split(',')) : null;
const unknown = [...(only ?? [])].filter((name) => !scenarios.some((s) => s.name === name));
if (unknown.length) {
  console.error(`unknown scenario ${unknown.join(', ')}; scenarios: ${scenarios.map((s) => s.name).join(', ')}`);
  process.exit(2);
}

const figures: Figure[] = [];
const started = Date.now();
for (const scenario of scenarios) {
  if (only && !only.has(scenario.name)) continue;
  const t0 = Date.now();
  console.error(`▶ ${scenario.name}: ${scenario.summary}`);
  const measured = await scenario.run();
  figures.push(...measured);
  console.error(`  ${measured.length} figures in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}

const resultsPath = path.join(root, 'bench/results/latest.json');
const previous = only && existsSync(resultsPath) ? (JSON.parse(readFileSync(resultsPath, 'utf8')) as { generatedAt: string; fullRunAt?: string; figures: Figure[] }) : null;
/** When the figures not measured now were: the last full run, through any number of partial runs. */
const fullRunAt = previous ? (previous.fullRunAt ?? previous.generatedAt) : null;
const same = (a: Figure, b: Figure) => a.name === b.name && a.size === b.size;
const merged = previous ? [...previous.figures.map((old) => figures.find((f) => same(f, old)) ?? old), ...figures.filter((f) => !previous.figures.some((old) => same(f, old)))] : figures;
const cpus = os.cpus();
const generatedAt = new Date().toISOString();
const result = {
  generatedAt,
  durationSeconds: Math.round((Date.now() - started) / 1000),
  machine: { cpu: cpus[0]?.model ?? 'unknown', cores: cpus.length, memoryGiB: Math.round(os.totalmem() / 2 ** 30), platform: `${os.platform()} ${os.release()}` },
  node: process.version,
  ...(fullRunAt ? { fullRunAt, partial: `${[...only!].join(', ')} measured ${generatedAt.slice(0, 10)}; the other figures from the run of ${fullRunAt.slice(0, 10)}` } : {}),
  figures: merged,
};
writeFileSync(resultsPath, `${JSON.stringify(result, null, 2)}\n`);
const table = markdownTable(merged);
console.log(markdownTable(figures));
console.log(`\n${result.machine.cores} × ${result.machine.cpu}, ${result.machine.memoryGiB} GiB, Node ${result.node}; written to bench/results/latest.json`);

if (values.readme) {
  const pagePath = path.join(root, 'docs/benchmarks.md');
  const page = readFileSync(pagePath, 'utf8');
  const start = '<!-- bench:start -->';
  const end = '<!-- bench:end -->';
  const from = page.indexOf(start);
  const to = page.indexOf(end);
  if (from < 0 || to < from) throw new Error('docs/benchmarks.md has no bench markers');
  const stamp = `Measured ${result.generatedAt.slice(0, 10)} on ${result.machine.cores} × ${result.machine.cpu}, Node ${result.node}${result.partial ? ` (${result.partial})` : ''}.`;
  writeFileSync(pagePath, `${page.slice(0, from + start.length)}\n${stamp}\n\n${table}\n${page.slice(to)}`);
}
const missed = figures.filter((f) => targetMet(f) === false);
if (missed.length) console.error(`\n${missed.length} target(s) missed: ${missed.map((f) => `${f.name} (${f.size})`).join('; ')}`);
