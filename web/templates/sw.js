// The offline cache. A build writes its hash into CACHE, so a new build's service worker replaces the
// old cache as a whole. Every request is answered from the cache first; after the app is ready the page
// asks for the whole site (SITE_FILES, written by the build) to be stored, so later visits need no network.
//
// Updates (the page's side is updates.js): a first visit's worker takes over at once. A new build's worker
// stores the whole new site while the old one goes on serving the open pages, then waits until the student
// presses Reload on a page's notice ("take-over"); the page reloads once it has taken over. version.json (the
// server's build hash) always comes from the network: a page compares it with its own build, so it sees a new
// site even when sw.js did not change.
const CACHE = "nn-playground-{{build_hash}}";
const SITE_FILES = {{site_files}};
const INFLATED = new Set({{inflated_files}}); // the snapshots of Python's start (web/snapshot.py)
const VERSION_URL = new URL("version.json", self.registration.scope).href;

self.addEventListener("install", (event) => {
  if (!self.registration.active) return self.skipWaiting(); // nothing open runs an older build
  event.waitUntil(cacheSite());
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) if (name !== CACHE) await caches.delete(name);
    await self.clients.claim();
  })());
});

// "cache-site" stores the site, "site-status" only looks; both answer whether every file is stored.
self.addEventListener("message", (event) => {
  const type = event.data && event.data.type;
  if (type === "take-over") self.skipWaiting();
  if (type !== "cache-site" && type !== "site-status") return;
  const storing = type === "cache-site" ? cacheSite() : Promise.resolve();
  event.waitUntil(storing.then(siteStored).then((stored) => event.source.postMessage({ type: "site-cached", stored })));
});

async function cacheSite() {
  const cache = await caches.open(CACHE);
  for (const url of SITE_FILES) {
    const absolute = new URL(url, self.registration.scope).href;
    if (!(await cache.match(absolute))) await store(cache, absolute, INFLATED.has(url)).catch(() => {});
  }
}

async function siteStored() {
  const stored = new Set((await (await caches.open(CACHE)).keys()).map((request) => request.url));
  return SITE_FILES.every((url) => stored.has(new URL(url, self.registration.scope).href));
}

// The snapshots of Python's start are stored inflated: a page reads them at every start, and reading 90 MB from
// the cache takes a fraction of the time inflating them would (worker.js takes either form, by the X-Inflated
// header). Inflating also checks the gzip stream's CRC, so a damaged download is not stored. Other gzipped files
// (the MNIST digits) stay as they are: their readers inflate them. "no-cache": the browser's HTTP cache may hold
// an older build's file under the same name; the server says whether it is still current.
async function store(cache, url, inflate) {
  const response = await fetch(url, { cache: "no-cache" });
  if (!response.ok) throw new Error(`${url}: ${response.status}`);
  if (!inflate) return cache.put(url, response);
  const inflated = await new Response(response.body.pipeThrough(new DecompressionStream("gzip"))).arrayBuffer();
  return cache.put(url, new Response(inflated, { headers: { "X-Inflated": "1" } }));
}

self.addEventListener("fetch", (event) => {
  if (event.request.method !== "GET" || event.request.url.split("?")[0] === VERSION_URL) return;
  event.respondWith((async () => {
    const cache = await caches.open(CACHE);
    const cached = await cache.match(event.request, { ignoreSearch: true });
    if (cached) return cached;
    const response = await fetch(event.request);
    if (response.ok) cache.put(event.request, response.clone());
    return response;
  })());
});
