/**
 * The console's service worker: caches the app shell (HTML, script, manifest, icon) when it
 * installs, so the console opens with no connection after one visit. It answers only for those
 * files; API requests go to the network untouched, because writes are queued by the page's
 * outbox (IndexedDB) and must never be answered from a cache.
 */

/** Prepended by the server (web/console/console-routes.ts): what to cache, and a version that changes with any of it. */
declare const CONSOLE_PRECACHE: { version: string; shell: string; urls: string[] };

// The DOM library has no service-worker globals; these are the few this file uses.
interface ExtendableEvent extends Event {
  waitUntil(work: Promise<unknown>): void;
}
interface FetchEvent extends ExtendableEvent {
  request: Request;
  respondWith(response: Promise<Response>): void;
}
interface WorkerScope {
  location: Location;
  skipWaiting(): Promise<void>;
  clients: { claim(): Promise<void> };
  addEventListener(type: 'install' | 'activate', listener: (event: ExtendableEvent) => void): void;
  addEventListener(type: 'fetch', listener: (event: FetchEvent) => void): void;
}

const worker = self as unknown as WorkerScope;
const CACHE_PREFIX = 'farm-trace-console-';
const CACHE = `${CACHE_PREFIX}${CONSOLE_PRECACHE.version}`;
const PRECACHED = new Set(CONSOLE_PRECACHE.urls);

worker.addEventListener('install', (event) => {
  // `reload` skips the HTTP cache, so a new version never stores an older script.
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll(CONSOLE_PRECACHE.urls.map((url) => new Request(url, { cache: 'reload' }))))
      .then(() => worker.skipWaiting()),
  );
});

worker.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) => Promise.all(names.filter((name) => name.startsWith(CACHE_PREFIX) && name !== CACHE).map((name) => caches.delete(name))))
      .then(() => worker.clients.claim()),
  );
});

worker.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== worker.location.origin) return;
  // Every address of the console (`/console`, `/console/`, `?lang=en`) is the same shell.
  const isShell = request.mode === 'navigate' && (url.pathname === CONSOLE_PRECACHE.shell || url.pathname === `${CONSOLE_PRECACHE.shell}/`);
  const key = isShell ? CONSOLE_PRECACHE.shell : url.pathname;
  if (!isShell && !PRECACHED.has(key)) return;
  event.respondWith(
    caches
      .open(CACHE)
      .then((cache) => cache.match(key))
      .then((cached) => cached ?? fetch(request)),
  );
});
