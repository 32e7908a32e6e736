// The workbench's service worker (built into dist/sw.js by vite.config.ts's fieldWorker(), which
// fills in PRECACHE and VERSION): it keeps the app shell — index.html and every built script,
// style sheet and font — so the field page (/field) opens and reloads with no network. The API
// (/api/) is never cached here: the field page keeps its data in IndexedDB (src/fieldQueue.ts).
//
// Pages are fetched from the network first (a new build is seen at once when online) and fall back
// to the kept index.html; hashed assets are served from the cache first (their names change with
// their content). A new build installs a new cache and drops the old ones.
/* eslint-disable no-restricted-globals */
const PRECACHE = self.__PRECACHE__;
const VERSION = self.__VERSION__;
const CACHE = 'jingzhun-shell-' + VERSION;
const NAVIGATION_TIMEOUT_MS = 8000;

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll(PRECACHE.map((p) => new Request(p, { cache: 'reload', credentials: 'same-origin' }))))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith('jingzhun-shell-') && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

function withTimeout(promise, ms) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('timeout')), ms);
    promise.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e) => {
        clearTimeout(timer);
        reject(e);
      },
    );
  });
}

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || url.pathname.startsWith('/api/') || url.pathname === '/healthz') return;
  if (request.mode === 'navigate') {
    event.respondWith(
      withTimeout(fetch(request), NAVIGATION_TIMEOUT_MS).catch(() =>
        caches.open(CACHE).then((cache) => cache.match('/index.html')).then((r) => r || Response.error()),
      ),
    );
    return;
  }
  event.respondWith(
    caches.open(CACHE).then((cache) =>
      cache.match(request, { ignoreSearch: true }).then(
        (hit) =>
          hit ||
          fetch(request).then((res) => {
            if (res.ok && url.pathname.startsWith('/assets/')) cache.put(request, res.clone());
            return res;
          }),
      ),
    ),
  );
});
