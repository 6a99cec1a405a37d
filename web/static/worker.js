// Python in a Web Worker, so the page stays responsive while a network trains. Loads Pyodide and the
// page's app, sends the app's Bokeh document to the page, then keeps both documents in sync with JSON
// patches (Panel's pyodide-worker protocol, with flow control). Messages in: start, shown (the page is on screen),
// rendered, patch, applied (the page applied and painted the last patch, the next one leaves only then; with what the
// patch before it cost the page, in ms). Out: stage (a loading stage finished, with its duration), render, patch,
// idle (a patch from the page is applied), error.
importScripts("gunzip.js", "python_start.js"); // inflatedBody; startLock, (stream|restore)SnapshotBundle, bundleKind
const SNAPSHOT = "snapshot.bin.gz"; // beside the lock (web/snapshot.py)
const RUNTIME_FILES = ["pyodide.asm.wasm", "python_stdlib.zip"]; // what Pyodide fetches as it starts, beside its scripts
const RUNTIME_SCRIPT = "pyodide.asm.js"; // what Pyodide imports (importScripts) as it starts
const RUNTIME_WASM = RUNTIME_FILES[0]; // compiled as it is read
// The runtime's files are requested at once but read (inflated, compiled: every core for a moment) only once the
// page has drawn its first look, or will not draw one ("shown"): on a fast link they arrive while it draws.
let showing; // resolves pageShown
const pageShown = new Promise((resolve) => (showing = resolve));
const onceShown = (promise) => Promise.all([promise, pageShown]).then(([value]) => value);
const START_PACKAGE = "nn-playground"; // the project's wheel: what it depends on is everything a page starts with
let py; // the Python functions of boot.py: render(entry, dist_url), link(send_patch), apply_patch(patch)
let sender; // boot.py's PatchSender, from link()

// pyodide-http (which keeps Panel from importing pandas at start) reads `crossOriginIsolated` through Pyodide's
// `js` module, which calls the worker global's getter on the wrong object ("Illegal invocation"); the same value
// as an own property reads fine.
Object.defineProperty(self, "crossOriginIsolated", { value: self.crossOriginIsolated });
const post = (message) => self.postMessage(message);

// Whatever stops Python or the worker reaches the page, which says so and offers a reload: an error nothing caught,
// or a fatal error of Pyodide (its stack or memory ran out), after which Python cannot run again. Without this the
// page would wait at "Starting the app" for ever.
const errorText = (err) => String(err && err.message ? err.message : err);
const fatal = (err) => Boolean(err && err.pyodide_fatal_error) || /fatally failed|fatal error/i.test(errorText(err));
self.addEventListener("error", (event) => {
  event.preventDefault(); // told here, not as the page's worker.onerror (which means worker.js failed to load)
  post({ type: "error", message: errorText(event.error || event.message) });
});
// Only a fatal one: a promise the start awaits later (the snapshot's fetch) may fail first and be handled then.
self.addEventListener("unhandledrejection", (event) => {
  if (fatal(event.reason)) post({ type: "error", message: errorText(event.reason) });
});
const seconds = (since) => (performance.now() - since) / 1000;

async function fetchOk(url) {
  const response = await fetch(url);
  if (!response.ok) throw new FileError(url);
  return response;
}

class FileError extends Error {
  constructor(url) { super(`${url.split("/").pop()} failed to load`); }
}

// start.json (web/start_packages.py) names the packages a page installs only when Python first imports them,
// and the snapshots the start restores (the small one's SHA-256, the bundle's file name).
async function readLockAndStart(lockUrl) {
  const [text, start] = await Promise.all([
    fetchOk(lockUrl).then((response) => response.text()),
    fetchOk(new URL("start.json", lockUrl).href).then((response) => response.json()),
  ]);
  const lock = startLock(JSON.parse(text), start.on_import, lockUrl);
  // Import name -> [[package, wheel URL], ...], for playground/browser/on_import.py.
  const onImport = Object.fromEntries(Object.entries(start.modules).map(
    ([module, names]) => [module, names.map((name) => [name, lock.packages[name].file_name])]));
  const url = URL.createObjectURL(new Blob([JSON.stringify(lock)], { type: "application/json" }));
  return { lock, url, onImport, start };
}

async function sha256(bytes) {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return [...digest].map((byte) => byte.toString(16).padStart(2, "0")).join("");
}

// A visit restores Python's start from a snapshot (made at build time: web/snapshot.py) instead of starting
// Python. A first visit restores the small one, taken before any package loaded (7 MB over the network). Once the
// service worker has stored the bundle (on a return visit, or with the whole site: sw.js), later visits restore it,
// taken with the site's packages loaded and a page's modules imported (25 MB, only ever read from that cache): no
// packages to unpack, no imports to run.
// Anything wrong with either means the next best start.
let snapshot = "none"; // what the start did: "packages", "restored" (the small one) or "none" (posted for tests)

// A snapshot's bytes: gzipped as the site serves them, or already inflated as the service worker stores them (marked
// so: the bundle's first two bytes, its header's length, could happen to be gzip's magic number).
const snapshotBody = (response) => (response.headers.get("X-Inflated") ? response.body : inflatedBody(response.body));

// Both snapshots: the small one requested at once (a first visit downloads it while pyodide.js loads) but read
// only when the cache has no bundle (or restoring the bundle failed); the bundle, once start.json names it, only
// from the cache, read as it streams in (streamSnapshotBundle: Pyodide starts once its header has arrived).
function fetchSnapshots(lockUrl, resolved) {
  const url = (name) => new URL(name, lockUrl).href;
  const response = fetchOk(url(SNAPSHOT));
  let small;
  const smallOne = () => (small ??= onceShown(response).then((ok) => new Response(snapshotBody(ok)).arrayBuffer()));
  const bundle = resolved.then(async ({ start }) => {
    const file = start.bundle?.[bundleKind()]?.file; // this engine's (python_start.js)
    const cached = file && self.caches && await caches.match(url(file));
    return cached ? streamSnapshotBundle(snapshotBody(cached)) : null;
  });
  bundle.then((found) => found || smallOne(), smallOne).catch(() => {}); // failures are reported when awaited
  return { bundle, small: smallOne };
}

// The requests Pyodide makes are answered here rather than as asked (worker.js's own fetches pass through too):
// - Pyodide's runtime is stored gzipped on a self-hosted site (web/precompress.py: 3.3 MB instead of 11, whatever the
//   host compresses); start.json names the stored files. The request for the plain wasm file is answered with the
//   stored one, inflated as it arrives, so WebAssembly still compiles while it downloads; its script, which Pyodide
//   loads with importScripts, is fetched at the start and imported from a blob of it inflated.
// - Fetched early: Pyodide asks for its runtime and standard library only once pyodide.js has run, and a start
//   without the bundle loads the page's wheels only once Python runs. The runtime's files are requested at the start
//   instead, the wheels (with the integrity Pyodide asks for) as soon as those have arrived, while Python restores;
//   Pyodide's request takes the response fetched early.
// - What the service worker has stored is read from its cache here, as the service worker would answer it (cache
//   first): in Firefox a worker's requests reach the service worker through the page's main thread, which on a later
//   visit is drawing the first look just as Python starts (0.4-0.5 s of waiting for pyodide.js or Pyodide's script).
//   A request with an integrity to check (a wheel) goes to the network as asked, where the browser checks it.
const fetchNetwork = self.fetch.bind(self);
const importAsIs = self.importScripts.bind(self);
const fromCache = (url) => (self.caches ? caches.match(url, { ignoreSearch: true }).catch(() => undefined) : undefined);
async function fetchAsIs(input, init) {
  return (!init?.integrity && await fromCache(absolute(input))) || fetchNetwork(input, init);
}
const storedGzipped = new Map(); // plain URL -> the stored file's URL
const scriptBlobs = new Map(); // a script's plain URL -> a blob URL of the stored file, inflated
const fetchedEarly = new Map(); // URL -> the response's promise, taken by the first request for it
const absolute = (input) => new URL(input instanceof Request ? input.url : String(input), self.location.href).href;

self.fetch = (input, init) => {
  const url = absolute(input);
  const early = fetchedEarly.get(url);
  if (early) {
    fetchedEarly.delete(url);
    return early;
  }
  const stored = storedGzipped.get(url);
  return stored ? fetchInflated(stored, init) : fetchAsIs(input, init);
};
self.importScripts = (...urls) => importAsIs(...urls.map((url) => scriptBlobs.get(absolute(url)) ?? url));

async function fetchInflated(url, init, type = "application/wasm") {
  const response = await fetchAsIs(url, init);
  if (!response.ok) throw new FileError(url);
  return new Response(inflatedBody(response.body), { headers: { "Content-Type": type } });
}

// Returns a promise settled once the runtime's script can be imported (from its blob, or as it is if that failed).
function fetchRuntimeEarly(indexURL, gzipped = []) {
  for (const name of gzipped) {
    storedGzipped.set(new URL(name.replace(/\.gz$/, ""), indexURL).href, new URL(name, indexURL).href);
  }
  for (const name of RUNTIME_FILES) {
    const url = new URL(name, indexURL).href;
    const response = storedGzipped.has(url) ? fetchInflated(storedGzipped.get(url)) : fetchAsIs(url);
    fetchedEarly.set(url, name === RUNTIME_WASM ? onceShown(response) : response);
  }
  const script = new URL(RUNTIME_SCRIPT, indexURL).href;
  if (!storedGzipped.has(script)) return Promise.resolve();
  return onceShown(fetchInflated(storedGzipped.get(script), undefined, "text/javascript"))
    .then((response) => response.blob())
    .then((blob) => scriptBlobs.set(script, URL.createObjectURL(blob)))
    .catch((err) => console.warn(`${RUNTIME_SCRIPT} could not be read gzipped, loading it as it is:`, err));
}

// The wheels of the packages a page starts with (start.json's on-import edges already cut from the lock).
function fetchPageWheelsEarly(lock) {
  const seen = new Set(), todo = [START_PACKAGE];
  while (todo.length) {
    const name = todo.pop();
    if (seen.has(name) || !lock.packages[name]) continue;
    seen.add(name);
    todo.push(...lock.packages[name].depends);
  }
  for (const name of seen) {
    const { file_name: url, sha256: hex } = lock.packages[name];
    const integrity = "sha256-" + btoa(String.fromCharCode(...hex.match(/../g).map((byte) => parseInt(byte, 16))));
    fetchedEarly.set(absolute(url), fetchAsIs(url, { integrity }));
  }
}

async function startRuntime(options, snapshots, { lock, start: expected }) {
  const scriptReady = fetchRuntimeEarly(options.indexURL, expected.gzipped);
  // The wheels once the runtime's files have arrived (the small snapshot, the largest, last): on a slow link they
  // shared it with the runtime, which Python needs first, and delayed it by as long as they took.
  const wheelsEarly = () => snapshots.small().finally(() => fetchPageWheelsEarly(lock)).catch(() => {});
  snapshots.bundle.then((bundle) => bundle || wheelsEarly(), wheelsEarly);
  // A return visit's start (from the bundle) is quick: its runtime is read at once, whether the page is drawn or not.
  snapshots.bundle.then((bundle) => bundle && showing(), () => {});
  const reseed = (pyodide) => pyodide.runPython("import random; random.seed()"); // each visit its own seed
  await scriptReady;
  try {
    const bundle = await snapshots.bundle;
    if (bundle) {
      importScripts(options.indexURL + "pyodide.asm.js"); // defines _createPyodideModule, which the restore wraps
      const pyodide = await restoreSnapshotBundle(loadPyodide, options, bundle);
      reseed(pyodide);
      snapshot = "packages";
      return pyodide;
    }
  } catch (err) {
    console.warn("Python's saved start with packages could not be restored, trying the one without:", err);
  }
  try {
    if (!expected.snapshot) throw new Error("the site has no snapshot");
    // A damaged snapshot could hang Pyodide rather than fail: check it against the digest the build recorded.
    const bytes = await snapshots.small();
    if ((await sha256(bytes)) !== expected.snapshot.sha256) throw new Error("damaged snapshot");
    const pyodide = await loadPyodide({ ...options, _loadSnapshot: bytes });
    reseed(pyodide);
    snapshot = "restored";
    return pyodide;
  } catch (err) {
    console.warn("Python's saved start could not be restored, starting normally:", err);
  }
  return loadPyodide(options);
}

// Pyodide reports "...while loading <package>:\nFailed to fetch"; the student needs the file's name.
function packageFilesError(messages, lock) {
  const names = [...messages.join("\n").matchAll(/while loading ([\w.-]+)/g)].map(([, name]) => name);
  const files = names.map((name) => (lock.packages[name] ? lock.packages[name].file_name.split("/").pop() : name));
  return new Error(`${files.join(", ") || "a package"} failed to load`);
}

async function start({ pyodideUrl, lockUrl, bootUrl, entry, distUrl, search, hash }) {
  const failedFiles = [];
  let current = "runtime", since = performance.now();
  const stage = (next) => {
    post({ type: "stage", finished: current, seconds: seconds(since), next });
    [current, since] = [next, performance.now()];
  };
  try {
    const resolved = readLockAndStart(lockUrl);
    const snapshots = fetchSnapshots(lockUrl, resolved);
    const boot = fetchOk(bootUrl).then((response) => response.text());
    try {
      const script = await fromCache(pyodideUrl + "pyodide.js");
      importScripts(script ? URL.createObjectURL(await script.blob()) : pyodideUrl + "pyodide.js");
    } catch {
      throw new FileError(pyodideUrl + "pyodide.js");
    }
    const { lock, url: lockFileURL, onImport } = await resolved;
    const pyodide = await startRuntime({ indexURL: pyodideUrl, lockFileURL }, snapshots, await resolved);
    stage("packages");
    await pyodide.loadPackage([START_PACKAGE], {
      messageCallback: () => {},
      errorCallback: (message) => failedFiles.push(message),
    });
    if (failedFiles.length) throw packageFilesError(failedFiles, lock);
    stage("app");
    pyodide.pyimport("playground.browser.on_import").install(JSON.stringify(onImport));
    py = pyodide.runPython(await boot);
    const [docsJson, renderItems, rootIds] = (await py.render(entry, distUrl, search, hash)).toJs();
    stage(null);
    post({ type: "render", docsJson, renderItems, rootIds, snapshot });
  } catch (err) {
    post({ type: "error", message: errorText(err) });
  }
}

function sendPatch(patch, buffers) {
  post({ type: "patch", patch, buffers });
}

self.onmessage = ({ data: message }) => {
  if (message.type === "start") start(message);
  else if (message.type === "shown") showing();
  else if (message.type === "rendered") sender = py.link(sendPatch);
  else if (message.type === "applied") sender.applied(message.cost);
  else if (message.type === "patch") {
    // A Python error in a callback must not stop the page: report it and carry on with the next change.
    try {
      py.apply_patch(message.patch);
    } catch (err) {
      if (fatal(err)) post({ type: "error", message: errorText(err) });
      else console.error("Python error in a callback:", errorText(err));
    } finally {
      post({ type: "idle" });
    }
  }
};
