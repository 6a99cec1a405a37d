// The offline cache. A build writes its hash into CACHE, so a new build's service worker replaces the old cache as a
// whole. Every request is answered from the cache first, and what the network answers is stored on its way through.
// Nothing more is stored unless asked (the page's side is updates.js):
//
// - "page-ready" (an app page is ready, loader.js calls storeSite): the files this page fetched (on a first visit this
//   worker takes over only while the page loads, so the page's and Python's first requests went past it: those are
//   fetched again, revalidated against the browser's HTTP cache, mostly a "not modified"); on a return visit (the
//   page itself was stored before this visit began), also the later-visit bundle (BUNDLE, 25 MB), in the
//   background, for the next visit to start from it.
// - "store-site" (the "Make this site available offline" button): every file of the site (SITE_FILES, with its size,
//   written by the build), with progress reported to every page; only when all of it is stored does a page say the
//   site works offline.
//
// Updates: a first visit's worker takes over at once. A new build's worker stores the new versions of what the old
// cache held (the whole new site when the student had made the site available offline) while the old one goes on
// serving the open pages, then waits until the student presses Reload on a page's notice ("take-over"); the page
// reloads once it has taken over. version.json (the server's build hash) always comes from the network: a page
// compares it with its own build, so it sees a new site even when sw.js did not change.
importScripts("gunzip.js", "python_start.js"); // inflatedBody; bundleKind (which bundle this browser restores)
const CACHE = "nn-playground-{{build_hash}}";
const SITE_FILES = {{site_files}}; // every file of the site: its size in bytes as served (null: a CDN's, not known)
const PAGE_FILES = {{page_files}}; // what every app page loads as it starts (web/site.py page_files)
const INFLATED = new Set({{inflated_files}}); // the snapshots of Python's start (web/snapshot.py)
const BUNDLE_FILES = {{bundle_files}}; // the later-visit snapshots (worker.js reads them only from this cache), or {}
// The one this browser restores (python_start.js), or null; it neither stores the others nor counts them in the site.
const BUNDLE = BUNDLE_FILES[bundleKind()] ?? null;
for (const file of Object.values(BUNDLE_FILES)) if (file !== BUNDLE) delete SITE_FILES[file];
const VERSION_URL = new URL("version.json", self.registration.scope).href;
const WHOLE_SITE = new URL("offline-requested", self.registration.scope).href; // kept once the whole site is stored
const absolute = (url) => new URL(url, self.registration.scope).href;

self.addEventListener("install", (event) => {
  if (!self.registration.active) return self.skipWaiting(); // nothing open runs an older build
  event.waitUntil(storeAgain());
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) if (name !== CACHE) await caches.delete(name);
    await self.clients.claim();
  })());
});

self.addEventListener("message", (event) => {
  const data = event.data || {};
  if (data.type === "take-over") self.skipWaiting();
  else if (data.type === "site-status") event.waitUntil(status().then((answer) => event.source.postMessage(answer)));
  else if (data.type === "store-site") event.waitUntil(storeWholeSite());
  else if (data.type === "page-ready") event.waitUntil(pageReady(data));
});

// Every page hears how storing goes (also a page of the site opened in another tab, or uncontrolled yet).
async function tell(message) {
  for (const client of await self.clients.matchAll({ includeUncontrolled: true })) client.postMessage(message);
}

async function storedUrls(cache) {
  return new Set((await cache.keys()).map((request) => request.url));
}

// The site's files not among the `stored` URLs, and how many bytes files take (those whose size is known).
const missingFiles = (stored) => Object.keys(SITE_FILES).filter((url) => !stored.has(absolute(url)));
const sizeOf = (urls) => urls.reduce((sum, url) => sum + (SITE_FILES[url] || 0), 0);

// The mark that the whole site was stored (so a new build stores the whole new site).
const markWholeSite = (cache) => cache.put(WHOLE_SITE, new Response("", { headers: stamped({}) }));

// What is missing of the whole site: its size (of the files whose size is known), whether a size is unknown, and how
// far storing the whole site has got when it is under way.
async function status() {
  const missing = missingFiles(await storedUrls(await caches.open(CACHE)));
  const bytes = sizeOf(missing);
  const unknown = missing.some((url) => SITE_FILES[url] == null);
  const storing = job && { done: job.done, total: job.total };
  return { type: "site-status", stored: missing.length === 0, missing: bytes, unknown, storing };
}

// One download at a time per file, whoever asks (the button while a return visit fetches the bundle).
const inFlight = new Map();

function storeOnce(cache, url, onBytes) {
  if (!inFlight.has(url)) inFlight.set(url, store(cache, url, onBytes).finally(() => inFlight.delete(url)));
  return inFlight.get(url);
}

// A file fetched and stored whole (a broken download is never stored: the put fails with the stream). The snapshots
// of Python's start are stored inflated: a page reads them at every start, and reading 90 MB from the cache takes a
// fraction of the time inflating them would (worker.js takes either form, by the X-Inflated header); inflating also
// checks the gzip stream's CRC. Other gzipped files (the MNIST digits) stay as they are: their readers inflate them.
// "no-cache": the browser's HTTP cache may hold an older build's file under the same name; the server says whether it
// is still current. onBytes is told the bytes of the body as they arrive.
async function store(cache, url, onBytes = () => {}) {
  const response = await fetch(absolute(url), { cache: "no-cache" });
  if (!response.ok) throw Object.assign(new Error(`${url}: HTTP ${response.status}`), { file: url });
  const counted = response.body.pipeThrough(new TransformStream({
    transform(chunk, controller) {
      onBytes(chunk.byteLength);
      controller.enqueue(chunk);
    },
  }));
  if (INFLATED.has(url)) {
    const inflated = await new Response(inflatedBody(counted)).arrayBuffer();
    return cache.put(absolute(url), new Response(inflated, { headers: stamped({ "X-Inflated": "1" }) }));
  }
  return cache.put(absolute(url), new Response(counted, { status: response.status, headers: stamped(response.headers) }));
}

// The headers a stored file keeps, with the time it was stored (X-Stored, which tells a return visit). The body is
// already decoded, so the transfer's encoding and length go.
function stamped(headers) {
  const kept = new Headers(headers);
  kept.delete("Content-Encoding");
  kept.delete("Content-Length");
  kept.set("X-Stored", String(Date.now()));
  return kept;
}

// An app page is ready: store what it fetched, and on a return visit the bundle.
async function pageReady({ page, since, files = [], saveData = false }) {
  const cache = await caches.open(CACHE);
  const path = (url) => new URL(url).href.split(/[?#]/)[0];
  const known = new Map(Object.keys(SITE_FILES).map((url) => [path(absolute(url)), url]));
  const own = known.get(path(page));
  const before = own && (await cache.match(absolute(own)));
  const returning = Boolean(before) && Number(before.headers.get("X-Stored") || 0) < since;
  const wanted = new Set([own, ...PAGE_FILES, ...files.map((url) => known.get(path(url)))].filter(Boolean));
  const stored = await storedUrls(cache);
  for (const url of wanted) {
    if (!stored.has(absolute(url))) await storeOnce(cache, url).catch((err) => console.warn("not stored:", err));
  }
  if (returning && BUNDLE && !saveData && !stored.has(absolute(BUNDLE))) {
    await storeOnce(cache, BUNDLE).catch((err) => console.warn("the later-visit bundle was not stored:", err));
  }
  await tell({ ...(await status()), page: true });
}

// The whole site (the offline button): one job at a time, its progress told to every page every quarter second.
let job = null;

function storeWholeSite() {
  if (job) return job.promise;
  job = { done: 0, total: 0 };
  job.promise = storeMissing(job).then(async () => {
    job = null;
    await tell(await status());
  }, async (err) => {
    job = null;
    console.warn("the site was not stored:", err);
    await tell({ ...(await status()), failed: failure(err) });
  });
  return job.promise;
}

async function storeMissing(job) {
  const cache = await caches.open(CACHE);
  const missing = missingFiles(await storedUrls(cache));
  job.total = sizeOf(missing);
  await tell(await status()); // every open page shows the progress
  const estimate = await navigator.storage?.estimate?.().catch(() => null);
  if (estimate && estimate.quota - estimate.usage < job.total) {
    throw Object.assign(new Error("not enough room"), { name: "QuotaExceededError" });
  }
  let finished = 0, lastTold = 0;
  const progress = (bytes) => {
    job.done = Math.min(job.total, job.done + bytes);
    if (Date.now() - lastTold > 250) {
      lastTold = Date.now();
      tell({ type: "site-progress", done: job.done, total: job.total });
    }
  };
  for (const url of missing) {
    if (!(await cache.match(absolute(url)))) await storeOnce(cache, url, progress);
    finished += SITE_FILES[url] || 0;
    job.done = Math.min(job.total, finished);
  }
  const left = missingFiles(await storedUrls(cache));
  if (left.length) throw new Error(`not stored: ${left.join(", ")}`);
  await markWholeSite(cache);
}

// Why storing stopped, for the page to say in words: "quota" (no room left), "server" (a file the server did not
// send: named) or "network" (the connection was lost).
function failure(err) {
  if (err && err.name === "QuotaExceededError") return { reason: "quota" };
  if (err && err.file) return { reason: "server", file: err.file };
  return { reason: "network" };
}

// A new build, installing: the new versions of what the old cache held (the whole site if the student had made it
// available offline; the later-visit bundle, renamed by its digest, if the old one was stored). A file that fails is
// left for the fetch handler.
async function storeAgain() {
  const held = new Set();
  for (const name of await caches.keys()) {
    if (name === CACHE || !name.startsWith("nn-playground-")) continue;
    for (const url of await storedUrls(await caches.open(name))) held.add(url);
  }
  const whole = held.has(WHOLE_SITE);
  const bundlePrefix = BUNDLE && absolute(BUNDLE.replace(/[^-/]*$/, ""));
  const hadBundle = bundlePrefix && [...held].some((url) => url.startsWith(bundlePrefix));
  const cache = await caches.open(CACHE);
  for (const url of Object.keys(SITE_FILES)) {
    if (whole || held.has(absolute(url)) || (hadBundle && url === BUNDLE)) {
      if (!(await cache.match(absolute(url)))) await storeOnce(cache, url).catch(() => {});
    }
  }
  if (whole && (await status()).stored) await markWholeSite(cache);
}

self.addEventListener("fetch", (event) => {
  if (event.request.method !== "GET" || event.request.url.split("?")[0] === VERSION_URL) return;
  event.respondWith((async () => {
    const cache = await caches.open(CACHE);
    const cached = await cache.match(event.request, { ignoreSearch: true });
    if (cached) return cached;
    const response = await fetch(event.request);
    if (response.ok && event.request.mode === "navigate") {
      // A page: stored with the time (X-Stored), so that its next visit knows it is a return visit.
      const copy = response.clone();
      cache.put(event.request, new Response(copy.body, { status: copy.status, headers: stamped(copy.headers) }));
    } else if (response.ok) cache.put(event.request, response.clone());
    return response;
  })());
});
