// Python in a Web Worker, so the page stays responsive while a network trains. Loads Pyodide and the
// page's app, sends the app's Bokeh document to the page, then keeps both documents in sync with JSON
// patches (Panel's pyodide-worker protocol, with flow control). Messages in: start, rendered, patch,
// applied (the page applied and painted the last patch; the next one leaves only then). Out: stage (a
// loading stage finished, with its duration), render, patch, idle (a patch from the page is applied), error.
let py; // the Python functions of boot.py: render(entry, dist_url), link(send_patch), apply_patch(patch)
let sender; // boot.py's PatchSender, from link()

// pyodide-http (which keeps Panel from importing pandas at start) reads `crossOriginIsolated` through Pyodide's
// `js` module, which calls the worker global's getter on the wrong object ("Illegal invocation"); the same value
// as an own property reads fine.
Object.defineProperty(self, "crossOriginIsolated", { value: self.crossOriginIsolated });
const post = (message) => self.postMessage(message);
const seconds = (since) => (performance.now() - since) / 1000;

async function fetchOk(url) {
  const response = await fetch(url);
  if (!response.ok) throw new FileError(url);
  return response;
}

class FileError extends Error {
  constructor(url) { super(`${url.split("/").pop()} failed to load`); }
}

// The lock names files relative to itself or as absolute CDN URLs; making every name absolute lets the
// core come from one place (the site or the CDN) while the site's own wheels still come from the site.
// start.json (web/start_packages.py) names the packages a page installs only when Python first imports them:
// the lock's edges to them are cut, so loading the page's packages leaves them out. Also returns the lock's
// SHA-256: every build that changes a file the pages load changes it.
async function lockWithAbsoluteUrls(lockUrl) {
  const [text, start] = await Promise.all([
    fetchOk(lockUrl).then((response) => response.text()),
    fetchOk(new URL("start.json", lockUrl).href).then((response) => response.json()),
  ]);
  const digest = await sha256(new TextEncoder().encode(text));
  const lock = JSON.parse(text);
  const later = new Set(start.on_import);
  for (const entry of Object.values(lock.packages)) {
    entry.file_name = new URL(entry.file_name, lockUrl).href;
    entry.depends = entry.depends.filter((name) => !later.has(name));
  }
  // Import name -> [[package, wheel URL], ...], for playground/on_import.py.
  const onImport = Object.fromEntries(Object.entries(start.modules).map(
    ([module, names]) => [module, names.map((name) => [name, lock.packages[name].file_name])]));
  const url = URL.createObjectURL(new Blob([JSON.stringify(lock)], { type: "application/json" }));
  return { lock, digest, url, onImport };
}

async function sha256(bytes) {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return [...digest].map((byte) => byte.toString(16).padStart(2, "0")).join("");
}

// The repeat visit: Pyodide's memory right after it started (before any package: Pyodide 0.27 cannot restore
// loaded binary extensions such as numpy's, see docs/benchmarks.md) is kept in the Cache API under the build's
// lock digest and restored instead of starting Python again. Anything wrong with it means a normal start.
const SNAPSHOTS = "nn-playground-snapshot"; // sw.js keeps this cache; entries of other builds are deleted here
let snapshot = "none"; // what the start did: "restored", "made" or "none" (posted to the page for tests)

async function startRuntime(options, digest) {
  const key = `${options.indexURL}snapshot-${digest}.bin`;
  const cache = await caches.open(SNAPSHOTS).catch(() => null); // no Cache API (e.g. not a secure context)
  const stored = cache && (await cache.match(key).catch(() => null));
  if (stored) {
    try {
      // A damaged snapshot could hang Pyodide rather than fail: check it against the digest saved with it.
      const memory = await stored.arrayBuffer();
      if ((await sha256(memory)) !== stored.headers.get("X-Content-SHA256")) throw new Error("damaged snapshot");
      const pyodide = await loadPyodide({ ...options, _loadSnapshot: memory });
      // The snapshot holds one interpreter state: give each visit its own random seed.
      pyodide.runPython("import random; random.seed()");
      snapshot = "restored";
      return pyodide;
    } catch (err) {
      console.warn("the saved Python start could not be restored, starting normally:", err);
      await cache.delete(key).catch(() => {});
    }
  }
  const pyodide = await loadPyodide({ ...options, _makeSnapshot: Boolean(cache) });
  if (cache) {
    try {
      const memory = pyodide.makeMemorySnapshot(); // a copy: taken now, before any package loads
      saveSnapshot(cache, key, memory); // meanwhile the packages load
      snapshot = "made";
    } catch (err) {
      console.warn("could not take a snapshot of the Python start:", err);
    }
  }
  return pyodide;
}

async function saveSnapshot(cache, key, memory) {
  try {
    const headers = { "Content-Type": "application/octet-stream", "X-Content-SHA256": await sha256(memory) };
    for (const old of await cache.keys()) await cache.delete(old);
    await cache.put(key, new Response(memory, { headers }));
  } catch (err) {
    console.warn("could not save the Python start for the next visit:", err);
  }
}

// Pyodide reports "...while loading <package>:\nFailed to fetch"; the student needs the file's name.
function packageFilesError(messages, lock) {
  const names = [...messages.join("\n").matchAll(/while loading ([\w.-]+)/g)].map(([, name]) => name);
  const files = names.map((name) => (lock.packages[name] ? lock.packages[name].file_name.split("/").pop() : name));
  return new Error(`${files.join(", ") || "a package"} failed to load`);
}

async function start({ pyodideUrl, lockUrl, bootUrl, entry, distUrl, search }) {
  const failedFiles = [];
  let current = "runtime", since = performance.now();
  const stage = (next) => {
    post({ type: "stage", finished: current, seconds: seconds(since), next });
    [current, since] = [next, performance.now()];
  };
  try {
    const resolved = lockWithAbsoluteUrls(lockUrl);
    const boot = fetchOk(bootUrl).then((response) => response.text());
    try {
      importScripts(pyodideUrl + "pyodide.js");
    } catch {
      throw new FileError(pyodideUrl + "pyodide.js");
    }
    const { lock, url: lockFileURL, digest, onImport } = await resolved;
    const pyodide = await startRuntime({ indexURL: pyodideUrl, lockFileURL }, digest);
    stage("packages");
    await pyodide.loadPackage(["nn-playground"], {
      messageCallback: () => {},
      errorCallback: (message) => failedFiles.push(message),
    });
    if (failedFiles.length) throw packageFilesError(failedFiles, lock);
    stage("app");
    pyodide.pyimport("playground.on_import").install(JSON.stringify(onImport));
    py = pyodide.runPython(await boot);
    const [docsJson, renderItems, rootIds] = (await py.render(entry, distUrl, search)).toJs();
    stage(null);
    post({ type: "render", docsJson, renderItems, rootIds, snapshot });
  } catch (err) {
    post({ type: "error", message: String(err && err.message ? err.message : err) });
  }
}

function sendPatch(patch, buffers) {
  post({ type: "patch", patch, buffers });
}

self.onmessage = ({ data: message }) => {
  if (message.type === "start") start(message);
  else if (message.type === "rendered") sender = py.link(sendPatch);
  else if (message.type === "applied") sender.applied();
  else if (message.type === "patch") {
    // A Python error in a callback must not stop the page: report it and carry on with the next change.
    try {
      py.apply_patch(message.patch);
    } catch (err) {
      console.error("Python error in a callback:", String(err && err.message ? err.message : err));
    } finally {
      post({ type: "idle" });
    }
  }
};
