// Python in a Web Worker, so the page stays responsive while a network trains. Loads Pyodide and the
// page's app, sends the app's Bokeh document to the page, then keeps both documents in sync with JSON
// patches (Panel's pyodide-worker protocol, with flow control). Messages in: start, rendered, patch,
// applied (the page applied and painted the last patch; the next one leaves only then). Out: stage (a
// loading stage finished, with its duration), render, patch, idle (a patch from the page is applied), error.
let py; // the Python functions of boot.py: render(entry, dist_url), link(send_patch), apply_patch(patch)
let sender; // boot.py's PatchSender, from link()

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
async function lockWithAbsoluteUrls(lockUrl) {
  const lock = await (await fetchOk(lockUrl)).json();
  for (const entry of Object.values(lock.packages)) entry.file_name = new URL(entry.file_name, lockUrl).href;
  return { lock, url: URL.createObjectURL(new Blob([JSON.stringify(lock)], { type: "application/json" })) };
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
    const { lock, url: lockFileURL } = await resolved;
    const pyodide = await loadPyodide({ indexURL: pyodideUrl, lockFileURL });
    stage("packages");
    await pyodide.loadPackage(["nn-playground"], {
      messageCallback: () => {},
      errorCallback: (message) => failedFiles.push(message),
    });
    if (failedFiles.length) throw packageFilesError(failedFiles, lock);
    stage("app");
    py = pyodide.runPython(await boot);
    const [docsJson, renderItems, rootIds] = (await py.render(entry, distUrl, search)).toJs();
    stage(null);
    post({ type: "render", docsJson, renderItems, rootIds });
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
