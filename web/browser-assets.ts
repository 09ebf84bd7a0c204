import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

/**
 * Scripts the browser loads, bundled once per process from the same TypeScript the server runs
 * (so the buyer's browser checks bundles with exactly the server's verifier). The pure-JS
 * Ed25519 fallback is split into its own chunk, fetched only where WebCrypto lacks Ed25519.
 */
export interface BrowserAsset {
  contents: Uint8Array;
  contentType: string;
}

const here = path.dirname(fileURLToPath(import.meta.url));
const ENTRY_POINTS = {
  'verify-bundle': path.resolve(here, '../api/src/provenance/verify-bundle.ts'),
  'origin-page': path.resolve(here, 'origin-page/recheck.ts'),
};

let assets: Promise<Map<string, BrowserAsset>> | null = null;

export function browserAssets(): Promise<Map<string, BrowserAsset>> {
  assets ??= build({
    entryPoints: ENTRY_POINTS,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'browser',
    target: ['es2020'],
    minify: true,
    write: false,
    outdir: '/assets',
    entryNames: '[name]',
    chunkNames: 'chunk-[hash]',
    legalComments: 'none',
  }).then((result) => new Map(result.outputFiles.map((f) => [path.basename(f.path), { contents: f.contents, contentType: 'text/javascript; charset=utf-8' }])));
  return assets;
}
