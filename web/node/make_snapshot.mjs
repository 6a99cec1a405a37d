// Start Pyodide on Node and write the memory snapshot every page restores instead of starting Python
// (web/snapshot.py runs it at build time).  usage: node make_snapshot.mjs DIST_DIR OUT_FILE [MODULES]
// MODULES (comma-separated): standard-library modules imported before the snapshot is taken, so that every
// page starts with them imported.
// The start draws random bytes (the `random` module's seed) and reads the clock (file times); both are fixed
// here so the same distribution gives the same snapshot. The page reseeds `random` after restoring it.
import { pathToFileURL } from "node:url";
import path from "node:path";
import fs from "node:fs";

const [dist, out, modules = ""] = process.argv.slice(2);
const { loadPyodide } = await import(pathToFileURL(path.join(dist, "pyodide.mjs")).href);
let state = 0x9e3779b9;
const random = globalThis.crypto.getRandomValues;
globalThis.crypto.getRandomValues = (array) => {
  const bytes = new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
  for (let i = 0; i < bytes.length; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0; // a linear congruential sequence
    bytes[i] = state >>> 24;
  }
  return array;
};
const now = Date.now;
Date.now = () => 1700000000000;
const pyodide = await loadPyodide({
  indexURL: path.resolve(dist) + "/",
  _makeSnapshot: true,
  env: { PYTHONHASHSEED: "0" }, // one string hash order in every restored start, as in the compiled bytecode
});
pyodide.runPython("import importlib\nfor name in NAMES.split(','): name and importlib.import_module(name)",
  { globals: pyodide.toPy({ NAMES: modules }) });
[globalThis.crypto.getRandomValues, Date.now] = [random, now];
fs.writeFileSync(out, pyodide.makeMemorySnapshot());
