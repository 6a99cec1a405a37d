// The one loader of every app page: runs BokehJS and Panel's script (fetched gzipped by the page's head), shows the
// page's first look at once (its preview, made at build time), starts Python in a Web Worker (worker.js), shows the loading stages, renders the app's Bokeh document when it arrives in the
// preview's place and keeps it in sync with Python (Panel's protocol).
// Tests read window.nnPlayground = {state, timings, snapshot, offline, preview} and #pg-loader[data-state] (loading,
// ready, error); timings.content is when the page's content was first on screen (the preview's or the app's);
// #pg-status belongs to the app's own status line (training state, epoch, losses). updates.js registers the service
// worker and sets offline once the whole site is stored.
import { followProgress, rootContainer } from "./lesson.js";
import { storeSite } from "./updates.js";

const STAGES = { runtime: "Loading the Python runtime", packages: "Loading packages", app: "Starting the app" };
const status = document.getElementById("pg-loader");
const progress = document.getElementById("progress");
const timings = {};
window.nnPlayground = { state: "loading", timings, offline: false, preview: "none" };

function setState(state, text) {
  window.nnPlayground.state = status.dataset.state = state;
  status.textContent = text;
}

function showStage(name) {
  const names = Object.keys(STAGES);
  progress.value = names.indexOf(name);
  document.querySelectorAll("#stages li").forEach((li) => {
    li.dataset.done = names.indexOf(li.dataset.stage) < names.indexOf(name);
  });
  setState("loading", `${STAGES[name]} (${names.indexOf(name) + 1}/${names.length})…`);
}

function fail(message) {
  const lines = message.trim().split("\n").filter((line) => line.trim());
  let text = "The playground could not start: " + lines[0];
  const dataError = lines[lines.length - 1].match(/\bDataError: (.*)/); // a data file: its message is for people
  if (dataError) {
    text = "The playground could not start: " + dataError[1];
  } else if (lines.some((line) => line.startsWith("Traceback"))) {
    text = "The playground could not start: Python stopped with an error.\n" + lines[lines.length - 1];
  } else if (/fatal|Maximum call stack|out of memory/i.test(message)) {
    text = "The playground stopped: Python ran out of room for this page (its stack or memory).\n"
      + "Reload the page; if it happens again, use a smaller network or a simpler link.";
  } else if (/failed to load|request failed|Failed to fetch|NetworkError/i.test(message)) {
    const files = [...new Set(message.match(/[\w.+-]+\.(whl|js|wasm|zip|json|py)\b/g) || [])];
    text = `The playground could not start: ${files.join(", ") || "a file"} failed to load.\n`
      + "Check the connection (or that the site is complete) and reload the page.";
  }
  if (window.nnPlayground.state === "error") return; // the first error says what went wrong; later ones follow it
  setState("error", text);
  const loading = document.getElementById("loading");
  loading.classList.add("failed");
  loading.hidden = false; // also when the app was running: Python cannot go on
  const reload = document.createElement("button");
  reload.type = "button";
  reload.id = "pg-reload";
  reload.textContent = "Reload the page";
  reload.addEventListener("click", () => location.reload());
  loading.append(reload);
}

// Panel's worker handler: page changes go to Python as patches; while Python is busy they wait in a
// queue that keeps only the latest change of each property (a dragged slider sends one value, not fifty).
// Python's patches come one at a time: each is acknowledged on the next animation frame, the one BokehJS
// paints it in, and only then does the worker send the next. The acknowledgement is queued before the
// patch is applied, so it runs before BokehJS's paint in that frame: the next patch travels while this one
// is painted, and arrives for the frame after (one patch per frame at most, never a backlog).
function connect(worker, jsdoc) {
  let busy = false, queue = [], patching = 0;
  // What the last measured patch cost the page, in ms (Python's PagePace): from its arrival to the first task after the
  // frame that painted it (applying it, waiting for the frame, which a busy compositor makes late, and drawing it).
  let cost = 0;
  const send = (events) => {
    busy = true;
    worker.postMessage({ type: "patch", patch: jsdoc.create_json_patch(events) });
  };
  jsdoc.on_change((event) => {
    if (patching > 0 || event.setter_id === "py") return;
    if (!busy) return send([event]);
    queue = queue.filter((old) => !(event.model && old.model === event.model && old.attr === event.attr));
    queue.push(event);
  }, false);
  return {
    idle() {
      if (queue.length) send(queue.splice(0));
      else busy = false;
    },
    patch({ patch, buffers }) {
      const arrived = performance.now();
      requestAnimationFrame(() => {
        worker.postMessage({ type: "applied", cost });
        setTimeout(() => { cost = performance.now() - arrived; }); // the first task after the frame
      });
      patching += 1;
      try {
        jsdoc.apply_json_patch(patch, buffers);
      } finally {
        patching -= 1;
      }
    },
  };
}

// Three patches of BokehJS internals, applied before the page's first embed (docs/compat.md): if a release lacks one,
// the page says so in the console and works without it, rather than the patch silently doing nothing.
let bokehPatched = false;

function patchBokeh() {
  if (bokehPatched) return;
  bokehPatched = true;
  // BokehJS (3.7) rewrites a <style> element in each renderer's shadow root at every paint (RendererView's
  // update_position: the renderer's box, usually unchanged) and then reads CSS variables with getComputedStyle for
  // the visuals it paints: every rewrite, even with the same text, re-parses the sheet and invalidates the shadow
  // root's styles, so every read forced a style recalculation (about 13 per frame while the sandbox trains). The
  // same text gives the same sheet: skip the rewrite then, and the reads find the styles clean.
  patchMethod("core/dom", "InlineStyleSheet", "_update", "style sheets are rewritten at every paint (slower)",
    (update) => function (css) {
      if (this.el.textContent !== css) update.call(this, css);
    });
  // WebKit (Safari's engine) applies the style sheets BokehJS has just put into a view's shadow root lazily, while a
  // figure's canvas measures its figure as soon as it is drawn. Unstyled, the figure stacks the canvas's layers (the
  // primary and the overlay canvases) in flow and measures twice the canvas; the canvas grows to that, and so on up
  // to 33 million px: the page painted ever bigger canvases for 10-15 s before the first look showed, on half the
  // visits (docs/benchmarks.md, "Why WebKit's later visits take twice as long as its first"). Asking a shadow root
  // for its style sheets applies them at once: the canvas asks for its own (its layers are absolute) and its
  // figure's (the figure's grid and size) before it measures. Chromium and Firefox never ran away; asking costs them
  // nothing.
  patchMethod("models/canvas/canvas", "CanvasView", "_update_bbox",
    "in Safari a figure can grow without end before the page shows",
    (measure) => function () {
      void this.shadow_el?.styleSheets.length;
      void this.el.getRootNode().styleSheets?.length;
      return measure.call(this);
    });
  // Each change of a document's data makes BokehJS look through the new values for models it does not know yet,
  // item by item, typed arrays too (they are iterable), though a number is never a model: the 8 x 16 network's
  // picture frame made 34,000 calls, 64 ms of every second of training (benchmarks/profile_sandbox_page.py). A typed
  // array holds only numbers: skip it.
  patchMethod("core/has_props", "HasProps", "_value_record_references",
    "each frame's new data is searched number by number for models (slower)",
    (search) => function (value, found, options) {
      if (!ArrayBuffer.isView(value)) search.call(this, value, found, options);
    }, { onClass: true });
}

// BokehJS's `className.prototype[method]` (or with `onClass`, the class's own static `method`), from
// Bokeh.require(moduleName), replaced by `patched(original)`; when it is missing, a warning naming it and what the
// page does without it (`effect`).
function patchMethod(moduleName, className, method, effect, patched, { onClass = false } = {}) {
  let owner;
  try {
    const cls = window.Bokeh.require(moduleName)[className];
    owner = onClass ? cls : cls?.prototype;
  } catch {
    // reported below
  }
  const original = owner?.[method];
  if (typeof original !== "function") {
    console.warn(`nn-playground: BokehJS ${window.Bokeh?.version ?? ""}: ${className}${onClass ? "" : ".prototype"}`
      + `.${method} (module ${moduleName}) is missing, so ${effect}: see docs/compat.md`);
    return;
  }
  owner[method] = patched(original);
}

// Each root of a document rendered into its container (its lesson placeholder, or #app) in a new element of class
// `kind` ("pg-preview", "pg-root"), also "pg-arriving" (laid out, not seen) if `hidden`; returns the views and those
// elements.
async function embed(docs, items, ids, kind, hidden = false) {
  items[0].roots = {};
  items[0].root_ids = ids;
  const elements = ids.map((id) => {
    const element = rootContainer(docs, id).appendChild(document.createElement("div"));
    element.id = `${kind}-${id}`;
    element.className = hidden ? `${kind} pg-arriving` : kind;
    items[0].roots[id] = element.id;
    return element;
  });
  const [views] = await window.Bokeh.embed.embed_items(docs, items);
  return { views, elements };
}

// Resolves once what the page just drew is on screen (two animation frames), or after PAINT_WAIT_MS: a background tab
// runs no frames, and WebKit can lose a frame request made while a page loads (the MNIST lab waited at "Loading the
// Python runtime" for minutes in WebKitGTK, until something else asked for a frame), so that Python's start, which
// waits for the first look, never waits for ever.
const PAINT_WAIT_MS = 1500;
const painted = () => new Promise((resolve) => {
  requestAnimationFrame(() => requestAnimationFrame(resolve));
  setTimeout(resolve, PAINT_WAIT_MS);
});

function contentShown(at = performance.now() / 1000) { // seconds since the navigation started
  timings.content ??= at;
}

// A file the page's head fetched at once (web/pages.py: `window.nnPlaygroundEarly`), or fetched now; stored gzipped
// (web/precompress.py), read inflated (gunzip.js).
async function fetchInflated(url) {
  const early = window.nnPlaygroundEarly?.[url];
  if (early) delete window.nnPlaygroundEarly[url];
  try {
    const response = await (early ?? fetch(url));
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    return await new Response(inflatedBody(response.body)).text();
  } catch (err) {
    throw new Error(`${url.replace(/\.gz$/, "")} failed to load (${err.message})`);
  }
}

// BokehJS and Panel's script (`data-scripts`), run in order as they arrive, each named by its file for the console and
// the debugger, each in a task of its own (the browser starts Python's worker in between: one long task held it back
// by a second on a slow link); resolves once BokehJS can embed a document.
const nextTask = () => new Promise((resolve) => setTimeout(resolve));

async function runScripts() {
  const urls = document.body.dataset.scripts.split(" ");
  const texts = urls.map(fetchInflated);
  texts.forEach((text) => text.catch(() => {})); // the first failure is reported, in order
  for (const [index, url] of urls.entries()) {
    const script = document.createElement("script");
    script.textContent = `${await texts[index]}\n//# sourceURL=${new URL(url.replace(/\.gz$/, ""), location.href)}`;
    await nextTask();
    document.head.append(script); // an inline script runs as it is added
    script.remove();
  }
  if (typeof window.Bokeh?.embed?.embed_items !== "function") throw new Error("BokehJS failed to start");
}

// The page's first look (web/preview.py: the document the page's entry builds at start, made at build time in
// CPython), shown while Python starts: inert (no focus, no clicks; a click says that it was not taken) and busy for
// assistive technology, with the loading stages in a box over it. A link whose settings change the start (any key
// but the page's own, or a hash) starts without it, as does a page whose preview cannot be read or shown.
const preview = { views: null, elements: [], late: false }; // late: Python's document came first

async function showPreview(scriptsRun) {
  const file = document.body.dataset.preview;
  if (!file || location.hash) return;
  try {
    let json;
    try {
      json = JSON.parse(await fetchInflated(file));
    } catch {
      return; // a page without a preview (or with one that cannot be read) starts without it
    }
    const { page_keys: keys, docs_json: docs, render_items: items, root_ids: ids } = json;
    if ([...new URLSearchParams(location.search).keys()].some((key) => !keys.includes(key))) return;
    await scriptsRun;
    if (window.nnPlayground.state !== "loading" || preview.late) return;
    patchBokeh();
    Object.assign(preview, await embed(docs, items, ids, "pg-preview"));
  } catch (err) {
    console.warn("nn-playground: the page's first look could not be shown; the page starts without it:", err);
    preview.views?.clear();
    for (const element of document.querySelectorAll(".pg-preview")) element.remove();
    preview.elements = [];
    return;
  }
  for (const element of preview.elements) {
    element.inert = true;
    element.setAttribute("aria-busy", "true");
  }
  document.getElementById("loading").classList.add("over-preview");
  document.addEventListener("pointerdown", notTakenYet, true);
  await painted();
  window.nnPlayground.preview = "shown";
  contentShown();
}

// A click or tap on the preview: the box over it says, for a moment, that the page is not working yet.
function notTakenYet(event) {
  const inside = (element) => {
    const box = element.getBoundingClientRect();
    return event.clientX >= box.left && event.clientX <= box.right && event.clientY >= box.top && event.clientY <= box.bottom;
  };
  if (window.nnPlayground.state !== "loading" || !preview.elements.some(inside)) return;
  const loading = document.getElementById("loading");
  document.getElementById("pg-waking").textContent = "Not yet: Python is still starting, so that click did nothing. "
    + "The buttons work in a moment.";
  loading.classList.remove("nudged");
  void loading.offsetWidth; // restart the animation
  loading.classList.add("nudged");
}

// The live document takes the preview's place: rendered hidden over it at the same width, shown on the frame after
// it is painted, the preview removed in the same frame, so nothing on the page moves.
async function handOver(elements) {
  if (!preview.elements.length) return;
  await painted();
  const previewDocument = preview.views.roots[0]?.model.document;
  preview.views.clear();
  const documents = window.Bokeh.documents; // the page's documents: the live one only, from now on
  if (documents.includes(previewDocument)) documents.splice(documents.indexOf(previewDocument), 1);
  for (const element of preview.elements) element.remove();
  for (const element of elements) element.classList.remove("pg-arriving");
  preview.elements = [];
  document.removeEventListener("pointerdown", notTakenYet, true);
  window.nnPlayground.preview = "replaced";
}

async function render(worker, { docsJson, renderItems, rootIds }, scriptsRun, previewing) {
  preview.late = true; // a preview not yet drawing is not drawn (a fast start, from the bundle)
  await scriptsRun;
  await previewing;
  patchBokeh();
  // Beside the preview's elements while it is shown: the same containers, so the same width to lay out in.
  const hidden = preview.elements.length > 0;
  const { views, elements } = await embed(JSON.parse(docsJson), JSON.parse(renderItems), JSON.parse(rootIds), "pg-root", hidden);
  await handOver(elements);
  const jsdoc = [...views.roots.values()][0].model.document;
  const link = connect(worker, jsdoc);
  worker.postMessage({ type: "rendered" });
  followProgress(jsdoc);
  return link;
}

function start() {
  const page = (path) => new URL(path, location.href).href;
  const pyodideUrl = new URL(document.body.dataset.pyodide, location.href).href;
  const scriptsRun = runScripts();
  scriptsRun.catch((err) => fail(err.message));
  const previewing = showPreview(scriptsRun);
  const worker = new Worker("worker.js");
  let link;
  worker.onerror = (event) => fail(`worker.js failed to load (${event.message || "no details"})`);
  worker.onmessage = async ({ data: message }) => {
    if (message.type === "stage") {
      timings[message.finished] = message.seconds;
      if (message.next) showStage(message.next);
    } else if (message.type === "render") {
      const rendering = performance.now();
      try {
        link = await render(worker, message, scriptsRun, previewing);
      } catch (err) {
        return fail(`the page could not show the app (${err})`);
      }
      timings.render = (performance.now() - rendering) / 1000;
      window.nnPlayground.snapshot = message.snapshot;
      timings.total = performance.now() / 1000; // since the navigation started
      contentShown(timings.total);
      progress.value = progress.max;
      document.getElementById("loading").hidden = true;
      setState("ready", `Ready in ${timings.total.toFixed(1)} s.`);
      storeSite();
    } else if (message.type === "patch") link.patch(message);
    else if (message.type === "idle") link.idle();
    else if (message.type === "error") fail(message.message);
  };
  showStage("runtime");
  worker.postMessage({
    type: "start", pyodideUrl, lockUrl: page("pyodide/pyodide-lock.json"), bootUrl: page("boot.py"),
    entry: document.body.dataset.entry, distUrl: page("static/panel/"), search: location.search, hash: location.hash,
  });
  previewing.finally(() => worker.postMessage({ type: "shown" })); // the worker compiles the runtime only then
}

if (typeof WebAssembly !== "object" || typeof DecompressionStream !== "function") {
  fail("this browser cannot run WebAssembly or read compressed files, which the playground needs.\n"
    + "Try a current Chrome, Firefox, Safari or Edge.");
} else {
  start();
}
