// The offline cache. A build writes its hash into CACHE, so a new build's service worker replaces the
// old cache as a whole. Every request is answered from the cache first; after the app is ready the page
// asks for the whole site (SITE_FILES, written by the build) to be stored, so later visits need no network.
const CACHE = "nn-playground-{{build_hash}}";
const SITE_FILES = {{site_files}};

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
    if (!(await cache.match(absolute))) await cache.add(absolute).catch(() => {});
  }
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
