// The offline cache. A build writes its hash into CACHE, so a new build's service worker replaces the
// old cache as a whole. Every request is answered from the cache first; after the app is ready the page
// asks for the whole site (SITE_FILES, written by the build) to be stored, so later visits need no network.
const CACHE = "nn-playground-{{build_hash}}";
const SITE_FILES = {{site_files}};
const INFLATED = new Set({{inflated_files}}); // the snapshots of Python's start (web/snapshot.py)

self.addEventListener("install", () => self.skipWaiting());

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) if (name !== CACHE) await caches.delete(name);
    await self.clients.claim();
  })());
});

self.addEventListener("message", (event) => {
  if (event.data && event.data.type === "cache-site") {
    event.waitUntil(cacheSite().then(() => event.source.postMessage({ type: "site-cached" })));
  }
});

async function cacheSite() {
  const cache = await caches.open(CACHE);
  for (const url of SITE_FILES) {
    const absolute = new URL(url, self.registration.scope).href;
    if (!(await cache.match(absolute))) await store(cache, absolute, INFLATED.has(url)).catch(() => {});
  }
}

// The snapshots of Python's start are stored inflated: a page reads them at every start, and reading 90 MB from
// the cache takes a fraction of the time inflating them would (worker.js takes either form, by the X-Inflated
// header). Inflating also checks the gzip stream's CRC, so a damaged download is not stored. Other gzipped files
// (the MNIST digits) stay as they are: their readers inflate them.
async function store(cache, url, inflate) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: ${response.status}`);
  if (!inflate) return cache.put(url, response);
  const inflated = await new Response(response.body.pipeThrough(new DecompressionStream("gzip"))).arrayBuffer();
  return cache.put(url, new Response(inflated, { headers: { "X-Inflated": "1" } }));
}

self.addEventListener("fetch", (event) => {
  if (event.request.method !== "GET") return;
  event.respondWith((async () => {
    const cache = await caches.open(CACHE);
    const cached = await cache.match(event.request, { ignoreSearch: true });
    if (cached) return cached;
    const response = await fetch(event.request);
    if (response.ok) cache.put(event.request, response.clone());
    return response;
  })());
});
