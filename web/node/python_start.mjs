// web/static/python_start.js for the build's Node scripts: runs it in the global scope (as importScripts does in
// the worker), so its functions are globals here too, and writes the site's lock as a page loads it.
import { pathToFileURL } from "node:url";
import path from "node:path";
import fs from "node:fs";
import os from "node:os";
import vm from "node:vm";

vm.runInThisContext(fs.readFileSync(new URL("../static/python_start.js", import.meta.url), "utf8"));
// Node has no XMLHttpRequest, which pyodide-http looks for at import (a snapshot restores the worker's own).
globalThis.XMLHttpRequest ??= class {};

// The lock at `lockPath` as worker.js loads it (no edges to the `later` packages; its file names stay relative
// to the distribution, which must be the lock's folder), in a temporary file of its own (Pyodide on Node reads
// its lock from a file): returns {lock, file}.
export function writeStartLock(lockPath, later) {
  const lock = startLock(JSON.parse(fs.readFileSync(lockPath, "utf8")), later);
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), "pyodide-lock-"));
  process.on("exit", () => fs.rmSync(folder, { recursive: true, force: true }));
  const file = path.join(folder, "pyodide-lock.json");
  fs.writeFileSync(file, JSON.stringify(lock));
  return { lock, file };
}

// Pyodide's loadPyodide, from the distribution at `dist`.
export async function pyodideLoader(dist) {
  return (await import(pathToFileURL(path.join(dist, "pyodide.mjs")).href)).loadPyodide;
}

// Makes this Node's wasm tables behave as the bundle `kind`'s engine does (python_start.js bundleKind): nothing for
// "shared" (V8's own), and for "per-slot" JavaScriptCore's, where a function read from a table is a JS object of
// that slot's own, not the export's, and the same one at each read. Call it before Pyodide loads: the per-slot
// bundle is taken and checked so, and WebKit restores it (its table matches slot for slot, tests/web/).
export function emulateTables(kind) {
  if (kind !== "per-slot") return;
  const get = WebAssembly.Table.prototype.get;
  const slots = new WeakMap(); // table -> Map(index -> {fn, proxy})
  WebAssembly.Table.prototype.get = function (index) {
    const fn = get.call(this, index);
    if (typeof fn !== "function") return fn;
    if (!slots.has(this)) slots.set(this, new Map());
    const known = slots.get(this).get(index);
    if (known?.fn === fn) return known.proxy;
    const proxy = new Proxy(fn, {});
    slots.get(this).set(index, { fn, proxy });
    return proxy;
  };
}
