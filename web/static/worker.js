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
// the lock's edges to them are cut, so loading the page's packages leaves them out. It also holds the SHA-256
// of the snapshot the start restores.
async function readLockAndStart(lockUrl) {
  const [text, start] = await Promise.all([
    fetchOk(lockUrl).then((response) => response.text()),
    fetchOk(new URL("start.json", lockUrl).href).then((response) => response.json()),
  ]);
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
  return { lock, url, onImport, expected: start.snapshot };
}

async function sha256(bytes) {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return [...digest].map((byte) => byte.toString(16).padStart(2, "0")).join("");
}

// Every visit restores Python's start from the site's snapshot (made at build time: web/snapshot.py) instead of
// starting Python: Pyodide's memory right after it started, before any package (Pyodide 0.27 does not restore
// loaded binary extensions such as numpy's by itself: docs/benchmarks.md, session 7). Anything wrong with it
// means a normal start.
let snapshot = "none"; // what the start did: "restored" or "none" (posted to the page for tests)

async function fetchSnapshot(url) {
  const response = await fetchOk(url);
  return new Response(response.body.pipeThrough(new DecompressionStream("gzip"))).arrayBuffer();
}

async function startRuntime(options, memory, expected) {
  try {
    if (!expected) throw new Error("the site has no snapshot");
    // A damaged snapshot could hang Pyodide rather than fail: check it against the digest the build recorded.
    const bytes = await memory;
    if ((await sha256(bytes)) !== expected.sha256) throw new Error("damaged snapshot");
    const pyodide = await loadPyodide({ ...options, _loadSnapshot: bytes });
    // The snapshot holds one interpreter state: give each visit its own random seed.
    pyodide.runPython("import random; random.seed()");
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

async function start({ pyodideUrl, lockUrl, bootUrl, entry, distUrl, search }) {
  const failedFiles = [];
  let current = "runtime", since = performance.now();
  const stage = (next) => {
    post({ type: "stage", finished: current, seconds: seconds(since), next });
    [current, since] = [next, performance.now()];
  };
  try {
    const resolved = readLockAndStart(lockUrl);
    const memory = fetchSnapshot(new URL("snapshot.bin.gz", lockUrl).href);
    memory.catch(() => {}); // awaited (and its failure reported) by startRuntime
    const boot = fetchOk(bootUrl).then((response) => response.text());
    try {
      importScripts(pyodideUrl + "pyodide.js");
    } catch {
      throw new FileError(pyodideUrl + "pyodide.js");
    }
    const { lock, url: lockFileURL, onImport, expected } = await resolved;
    const pyodide = await startRuntime({ indexURL: pyodideUrl, lockFileURL }, memory, expected);
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
