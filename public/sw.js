// Accord's service worker. It makes a document page already opened load without a network: read
// offline, and for a drafter the editor starts from its saved replica, keeps what is typed and
// merges it when the connection comes back (the editor's own work). Nothing else is kept.
//
// - /pkg files (their names carry their content's hash): from the cache once fetched; a file
//   replaced by a newer build is dropped from the cache when its successor is stored.
// - a document's page: from the network, its last copy kept; the copy is used only when the
//   network fails. Signing in or out forgets every copy, so that on a shared computer the next
//   person is never shown what the last one could read.
const FILES = 'accord-files-1';
const PAGES = 'accord-pages-1';
const DOCUMENT = /^\/documents\/[a-z0-9]+\/?$/;
const HASHED = /^\/pkg\/([^.]+)\.[^.]+\.([a-z]+)$/;
const ACCOUNT = /^\/_fn\/(login|logout)$/;

self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (e) => e.waitUntil(self.clients.claim()));

self.addEventListener('fetch', (e) => {
  const req = e.request;
  const url = new URL(req.url);
  if (url.origin !== location.origin) return;
  if (req.method === 'POST' && ACCOUNT.test(url.pathname)) e.waitUntil(caches.delete(PAGES));
  if (req.method !== 'GET') return;
  if (HASHED.test(url.pathname)) e.respondWith(kept(req, url));
  else if (req.mode === 'navigate' && DOCUMENT.test(url.pathname)) e.respondWith(fresh(req));
});

async function kept(req, url) {
  const cache = await caches.open(FILES);
  const hit = await cache.match(req);
  if (hit) return hit;
  const resp = await fetch(req);
  if (resp.ok) {
    await cache.put(req, resp.clone());
    const [, stem, ext] = url.pathname.match(HASHED);
    for (const old of await cache.keys()) {
      const m = new URL(old.url).pathname.match(HASHED);
      if (m && m[1] === stem && m[2] === ext && old.url !== req.url) await cache.delete(old);
    }
  }
  return resp;
}

async function fresh(req) {
  const cache = await caches.open(PAGES);
  try {
    const resp = await fetch(req);
    if (resp.ok) await cache.put(new URL(req.url).pathname, resp.clone());
    return resp;
  } catch (offline) {
    const hit = await cache.match(new URL(req.url).pathname);
    if (hit) return hit;
    throw offline;
  }
}
