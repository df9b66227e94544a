// Service worker of the respondent pages (built to dist/respondent-sw.js,
// served at /r/sw.js so that its scope covers /r/).
//
// The page, its script and its style are cached on the first visit (the
// page sends their URLs, since the worker starts after they loaded) and
// whenever they are fetched again. Pages are fetched from the network first
// and from the cache when offline; the versioned static files come from
// the cache first. Submissions (POST) are never touched: the page's outbox
// sends them.

const CACHE = 'observatory-respondent-v1';

self.addEventListener('install', () => {
  self.skipWaiting();
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const k of await caches.keys()) {
      if (k.startsWith('observatory-respondent-') && k !== CACHE) await caches.delete(k);
    }
    await self.clients.claim();
  })());
});

self.addEventListener('message', (event) => {
  const data = event.data || {};
  if (data.type !== 'cache' || !Array.isArray(data.urls)) return;
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    for (const url of data.urls) {
      if (!sameOrigin(url)) continue;
      try {
        if (await cache.match(url)) continue;
        const res = await fetch(url, { credentials: 'same-origin' });
        if (res.ok) await cache.put(url, res);
      } catch {
        // Offline already; the next visit caches it.
      }
    }
  })());
});

function sameOrigin(url) {
  try {
    return new URL(url, self.location.href).origin === self.location.origin;
  } catch {
    return false;
  }
}

self.addEventListener('fetch', (event) => {
  const req = event.request;
  if (req.method !== 'GET' || !sameOrigin(req.url)) return;
  const url = new URL(req.url);
  if (req.mode === 'navigate') {
    event.respondWith(networkFirst(req));
  } else if (url.pathname.startsWith('/static/')) {
    event.respondWith(cacheFirst(req));
  }
});

async function networkFirst(req) {
  const cache = await caches.open(CACHE);
  try {
    const res = await fetch(req);
    if (res.ok) await cache.put(req.url, res.clone());
    return res;
  } catch (err) {
    const hit = await cache.match(req.url, { ignoreSearch: false });
    if (hit) return hit;
    throw err;
  }
}

async function cacheFirst(req) {
  const cache = await caches.open(CACHE);
  const hit = await cache.match(req.url);
  if (hit) return hit;
  const res = await fetch(req);
  if (res.ok) await cache.put(req.url, res.clone());
  return res;
}
