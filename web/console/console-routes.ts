import { createHash } from 'node:crypto';
import { Router } from 'express';
import { browserAssets, type BrowserAsset } from '../browser-assets.js';
import { CONSOLE_MESSAGES, pickConsoleLang } from './messages.js';
import { CONSOLE_SCRIPT, renderConsoleShell } from './shell.js';

/**
 * The console's scope. Without a trailing slash so that `/console` itself, the address people
 * type and bookmark, is inside it: a service worker only answers for pages under its scope.
 */
const CONSOLE_SCOPE = '/console';
const SERVICE_WORKER = `${CONSOLE_SCOPE}/sw.js`;
const MANIFEST = `${CONSOLE_SCOPE}/manifest.webmanifest`;
const ICON = `${CONSOLE_SCOPE}/icon.svg`;

const ICON_SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 96 96"><rect width="96" height="96" rx="20" fill="#2f6b2f"/><path d="M26 70c0-26 16-42 46-44-2 30-18 46-44 46m0-2 22-22" fill="none" stroke="#fff" stroke-width="7" stroke-linecap="round"/></svg>';

/** The script and every chunk it imports statically: what the console needs to start offline. */
function scriptClosure(assets: Map<string, BrowserAsset>, entry: string): string[] {
  const seen = new Set<string>();
  const visit = (name: string) => {
    if (seen.has(name)) return;
    seen.add(name);
    for (const child of assets.get(name)?.imports ?? []) visit(child);
  };
  visit(entry);
  return [...seen];
}

/**
 * The service worker's script: its precache list and version, then the bundled worker. The
 * version hashes every precached byte, so any change to the console changes the worker's script,
 * which is how browsers notice an update.
 */
async function serviceWorkerScript(): Promise<string> {
  const assets = await browserAssets();
  const worker = assets.get('console-sw.js');
  if (!worker) throw new Error('the console service worker was not bundled');
  const scripts = scriptClosure(assets, CONSOLE_SCRIPT.replace('/assets/', ''));
  const version = createHash('sha256').update(renderConsoleShell('vi')).update(ICON_SVG).update(JSON.stringify(manifest()));
  for (const name of scripts) version.update(assets.get(name)?.contents ?? new Uint8Array());
  const precache = { version: version.digest('hex').slice(0, 16), shell: CONSOLE_SCOPE, urls: [CONSOLE_SCOPE, MANIFEST, ICON, ...scripts.map((name) => `/assets/${name}`)] };
  return `const CONSOLE_PRECACHE=${JSON.stringify(precache)};\n${Buffer.from(worker.contents).toString('utf8')}`;
}

function manifest() {
  const m = CONSOLE_MESSAGES.vi;
  return {
    name: m.title,
    short_name: m.title,
    lang: 'vi',
    start_url: CONSOLE_SCOPE,
    scope: CONSOLE_SCOPE,
    display: 'standalone',
    background_color: '#fbfcf9',
    theme_color: '#2f6b2f',
    icons: [{ src: ICON, sizes: 'any', type: 'image/svg+xml', purpose: 'any' }],
  };
}

/** The farmer console: its HTML shell at /console, its service worker, web app manifest and icon. */
export function consoleRouter(): Router {
  const router = Router();
  let workerScript: Promise<string> | null = null;

  router.get(CONSOLE_SCOPE, (req, res) => {
    const lang = pickConsoleLang(typeof req.query.lang === 'string' ? req.query.lang : null, null);
    res.setHeader('Cache-Control', 'no-cache');
    res.setHeader('Content-Language', lang);
    res.type('html').send(renderConsoleShell(lang));
  });

  router.get(SERVICE_WORKER, async (_req, res) => {
    workerScript ??= serviceWorkerScript();
    // Browsers revalidate the worker's script at most daily anyway; no-cache makes updates prompt.
    res.setHeader('Cache-Control', 'no-cache');
    res.setHeader('Service-Worker-Allowed', CONSOLE_SCOPE);
    res.type('text/javascript; charset=utf-8').send(await workerScript);
  });

  router.get(MANIFEST, (_req, res) => {
    res.setHeader('Cache-Control', 'public, max-age=300');
    res.type('application/manifest+json; charset=utf-8').send(JSON.stringify(manifest()));
  });

  router.get(ICON, (_req, res) => {
    res.setHeader('Cache-Control', 'public, max-age=86400');
    res.type('image/svg+xml').send(ICON_SVG);
  });

  return router;
}
