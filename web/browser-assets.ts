import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

/**
 * Scripts the browser loads, bundled once per process from the same TypeScript the server runs
 * (so the buyer's browser checks bundles with exactly the server's verifier, and the console
 * checks plot geometry with the server's rules). The pure-JS Ed25519 fallback is split into its
 * own chunk, fetched only where WebCrypto lacks Ed25519.
 */
export interface BrowserAsset {
  contents: Uint8Array;
  /** The same bytes gzipped once at build, for clients that accept it (a 3G phone's first visit). */
  gzip: Buffer;
  contentType: string;
  /** File names of the chunks this script imports statically (what must be cached with it to run offline). */
  imports: string[];
}

const here = path.dirname(fileURLToPath(import.meta.url));
const ENTRY_POINTS = {
  'verify-bundle': path.resolve(here, '../api/src/verifier/verify-bundle.ts'),
  'origin-page': path.resolve(here, 'origin-page/recheck.ts'),
  console: path.resolve(here, 'console/main.tsx'),
  'console-sw': path.resolve(here, 'console/service-worker.ts'),
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
    jsx: 'automatic',
    jsxImportSource: 'preact',
    minify: true,
    write: false,
    metafile: true,
    outdir: '/assets',
    entryNames: '[name]',
    chunkNames: 'chunk-[hash]',
    legalComments: 'none',
  }).then((result) => {
    const staticImports = new Map(
      Object.entries(result.metafile.outputs).map(([file, output]) => [
        path.basename(file),
        output.imports.filter((i) => i.kind === 'import-statement').map((i) => path.basename(i.path)),
      ]),
    );
    return new Map(
      result.outputFiles.map((f) => {
        const name = path.basename(f.path);
        return [name, { contents: f.contents, gzip: gzipSync(f.contents, { level: 9 }), contentType: 'text/javascript; charset=utf-8', imports: staticImports.get(name) ?? [] }];
      }),
    );
  });
  return assets;
}
