import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Scripts the browser loads, as `npm run build` bundled them (web/browser-bundles.ts) from the
 * same TypeScript the server runs, so the buyer's browser checks bundles with exactly the
 * server's verifier. The server only reads the files: it needs no bundler, at start or later.
 */
export interface BrowserAsset {
  contents: Uint8Array;
  /** The same bytes gzipped once at build, for clients that accept it (a 3G phone's first visit). */
  gzip: Buffer;
  contentType: string;
  /** File names of the chunks this script imports statically (what must be cached with it to run offline). */
  imports: string[];
}

/** Where the build writes the bundles (git-ignored): each script, its gzip beside it (`.gz`), and the manifest. */
export const BUNDLE_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'dist');
export const BUNDLE_MANIFEST = 'manifest.json';

export interface BundleManifest {
  /** SHA-256 of the sources the bundles were built from: the build runs again when it changes. */
  sourceHash: string;
  /** Every source file the bundles contain, relative to the repository root. */
  inputs: string[];
  /** Each script's file name and the chunks it imports statically. */
  files: Record<string, { imports: string[] }>;
}

let assets: Promise<Map<string, BrowserAsset>> | null = null;

/** The bundles, read once per process; rejects (and reads again next time) when they were not built. */
export function browserAssets(): Promise<Map<string, BrowserAsset>> {
  assets ??= readBundles().catch((error: unknown) => {
    assets = null;
    throw error;
  });
  return assets;
}

async function readBundles(): Promise<Map<string, BrowserAsset>> {
  let manifest: BundleManifest;
  try {
    manifest = JSON.parse(await readFile(path.join(BUNDLE_DIR, BUNDLE_MANIFEST), 'utf8')) as BundleManifest;
  } catch (error) {
    throw new Error(`the browser bundles are missing from ${BUNDLE_DIR}: run \`npm run build\``, { cause: error });
  }
  const entries = await Promise.all(
    Object.entries(manifest.files).map(async ([name, { imports }]): Promise<[string, BrowserAsset]> => {
      const [contents, gzip] = await Promise.all([readFile(path.join(BUNDLE_DIR, name)), readFile(path.join(BUNDLE_DIR, `${name}.gz`))]);
      return [name, { contents: new Uint8Array(contents), gzip, contentType: 'text/javascript; charset=utf-8', imports }];
    }),
  );
  return new Map(entries);
}
