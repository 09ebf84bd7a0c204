import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { BUNDLE_DIR, BUNDLE_MANIFEST, type BundleManifest } from './browser-assets.js';

/**
 * Bundles the browser scripts (the shared provenance verifier, the origin page's script, the
 * console and its service worker) into web/dist, ahead of time: `npm run build`, `npm start`
 * when the sources changed, and the tests' global setup. The pure-JS Ed25519 fallback is split
 * into its own chunk, fetched only where WebCrypto lacks Ed25519; chunk names carry a content hash.
 */
const here = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(here, '..');
const ENTRY_POINTS = {
  'verify-bundle': path.resolve(here, '../api/src/verifier/verify-bundle.ts'),
  'origin-page': path.resolve(here, 'origin-page/recheck.ts'),
  console: path.resolve(here, 'console/main.tsx'),
  'console-sw': path.resolve(here, 'console/service-worker.ts'),
};
/** This file: a change to how the bundles are built rebuilds them too. */
const SELF = path.relative(ROOT, fileURLToPath(import.meta.url));

export async function buildBrowserBundles(): Promise<void> {
  // Loaded only to build: a server whose bundles are current never loads the bundler.
  const { build } = await import('esbuild');
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: ENTRY_POINTS,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'browser',
    target: ['es2020'],
    jsx: 'automatic',
    jsxImportSource: 'preact',
    minify: true,
    write: false,
    metafile: true,
    outdir: '/assets',
    entryNames: '[name]',
    chunkNames: 'chunk-[hash]',
    legalComments: 'none',
  });
  const inputs = Object.keys(result.metafile.inputs).sort();
  const files: BundleManifest['files'] = {};
  for (const [file, output] of Object.entries(result.metafile.outputs)) {
    files[path.basename(file)] = { imports: output.imports.filter((i) => i.kind === 'import-statement').map((i) => path.basename(i.path)) };
  }
  // Written aside, then swapped in whole: a server starting meanwhile reads the old set or the new one.
  const staging = `${BUNDLE_DIR}.${process.pid}.tmp`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  for (const f of result.outputFiles) {
    const name = path.basename(f.path);
    writeFileSync(path.join(staging, name), f.contents);
    writeFileSync(path.join(staging, `${name}.gz`), gzipSync(f.contents, { level: 9 }));
  }
  const manifest: BundleManifest = { sourceHash: sourceHash(inputs), inputs, files };
  writeFileSync(path.join(staging, BUNDLE_MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
  rmSync(BUNDLE_DIR, { recursive: true, force: true });
  try {
    renameSync(staging, BUNDLE_DIR);
  } catch (error) {
    // Another build (a test run next to `npm start`) swapped in the same bundles first.
    rmSync(staging, { recursive: true, force: true });
    if ((error as NodeJS.ErrnoException).code !== 'ENOTEMPTY' && (error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
}

/** True when web/dist holds bundles built from exactly the sources on disk now (a few ms: it hashes, never bundles). */
export function browserBundlesAreCurrent(): boolean {
  try {
    const manifest = JSON.parse(readFileSync(path.join(BUNDLE_DIR, BUNDLE_MANIFEST), 'utf8')) as BundleManifest;
    return sourceHash(manifest.inputs) === manifest.sourceHash;
  } catch {
    // No bundles yet, or a source they were built from is gone.
    return false;
  }
}

/** Builds the bundles unless they are current; true when it built. */
export async function ensureBrowserBundles(): Promise<boolean> {
  if (browserBundlesAreCurrent()) return false;
  await buildBrowserBundles();
  return true;
}

function sourceHash(inputs: string[]): string {
  const hash = createHash('sha256');
  for (const file of [SELF, ...inputs]) hash.update(`${file}\0`).update(readFileSync(path.resolve(ROOT, file))).update('\0');
  return hash.digest('hex');
}
