/*
 * Lets a participant's phone reload the page with no network: the page shell (index.html) and
 * the built assets are kept in a cache. Nothing else is touched: the socket, the API, the
 * facilitator and projector pages go straight to the network, so no workshop data is cached here.
 *
 * - Participant page loads (/w/CODE): network first (a new deploy is picked up at once), the
 *   cached shell when the network fails or stalls on venue Wi-Fi.
 * - /assets/*: their names carry a content hash, so a cached copy is always right.
 */
const CACHE = 'fishbone-shell-v1';
const SHELL = '/index.html';
const NETWORK_WAIT_MS = 4000;
const PARTICIPANT_PAGE = /^\/w\/[A-Za-z0-9-]{1,16}\/?$/;

self.addEventListener('install', () => self.skipWaiting());

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) => Promise.all(names.filter((n) => n.startsWith('fishbone-shell-') && n !== CACHE).map((n) => caches.delete(n))))
      .then(() => self.clients.claim()),
  );
});

/** The page says which assets it loaded before this worker was in control. */
self.addEventListener('message', (event) => {
  const data = event.data;
  if (!data || data.type !== 'cache-shell' || !Array.isArray(data.assets)) return;
  const assets = data.assets.filter((u) => typeof u === 'string' && isAsset(new URL(u, self.location.origin)));
  event.waitUntil(
    caches.open(CACHE).then(async (cache) => {
      await Promise.all([SHELL, ...assets].map((u) => cache.add(u).catch(() => undefined)));
      // Assets of older builds are never asked for again: drop them so the cache stays small.
      const keep = new Set(assets.map((u) => new URL(u, self.location.origin).pathname));
      for (const req of await cache.keys()) {
        const path = new URL(req.url).pathname;
        if (path.startsWith('/assets/') && !keep.has(path)) await cache.delete(req);
      }
    }),
  );
});

self.addEventListener('fetch', (event) => {
  const req = event.request;
  if (req.method !== 'GET') return;
  const url = new URL(req.url);
  if (url.origin !== self.location.origin) return;
  if (req.mode === 'navigate' && PARTICIPANT_PAGE.test(url.pathname)) event.respondWith(page(req));
  else if (isAsset(url)) event.respondWith(asset(req));
});

function isAsset(url) {
  return url.origin === self.location.origin && url.pathname.startsWith('/assets/');
}

async function page(req) {
  const cache = await caches.open(CACHE);
  const network = fetch(req).then((res) => {
    // Kept under its own address: the page carries that workshop's board (what this phone was
    // shown), which must not appear under another workshop's address.
    if (res.ok) void cache.put(req.url, res.clone()).catch(() => undefined);
    return res;
  });
  network.catch(() => undefined); // a failure is handled below; do not report it twice
  const stalled = new Promise((resolve) => setTimeout(resolve, NETWORK_WAIT_MS));
  try {
    const first = await Promise.race([network, stalled.then(() => cachedShell(cache, req))]);
    return first ?? (await network);
  } catch {
    return (await cachedShell(cache, req)) ?? Response.error();
  }
}

/** The kept shell; never throws, so a phone with no network gets the page or, at worst, the browser's own error. */
async function cachedShell(cache, req) {
  try {
    return (
      (await cache.match(req.url, { ignoreVary: true })) ??
      (await cache.match(SHELL, { ignoreVary: true })) ??
      (await caches.match(SHELL, { ignoreVary: true }))
    );
  } catch {
    return undefined;
  }
}

async function asset(req) {
  const cache = await caches.open(CACHE);
  const hit = await cache.match(req);
  if (hit) return hit;
  const res = await fetch(req);
  if (res.ok) void cache.put(req, res.clone());
  return res;
}
