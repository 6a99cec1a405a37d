// Start Pyodide on Node and write a memory snapshot of Python's start, which pages restore instead of starting
// Python (web/snapshot.py runs it at build time).  usage: node make_snapshot.mjs CONFIG_JSON
// CONFIG_JSON: {"dist": the Pyodide distribution, "out": the file to write, "modules": [standard-library modules
// imported before the snapshot is taken], and for a snapshot with the site's packages loaded and imported:
// "lock": the site's pyodide-lock.json, "on_import": [packages the start leaves out], "packages": [to load],
// "boot": a Python file run after loading them, "imports": [modules imported after it], "kind": the engine whose
// table layout the bundle has ("shared" or "per-slot", python_start.js bundleKind; emulated here: emulateTables)}.
//
// Without "packages" it writes Pyodide's snapshot as is. With them it writes a bundle (web/static/python_start.js
// reads it): u32 (little-endian) n | n bytes of JSON {"libraries", "handles", "table", "files", "loaded",
// "memory"} | each library's bytes, in load order | each other file's bytes | zeros to a multiple of 16 | Pyodide's
// snapshot.
// Each binary library a package loads (numpy's) goes through Emscripten's loadDynamicLibrary with a handle,
// where Emscripten records the memory and table addresses it gave the library; "handles" are the dlopen handles
// Python holds; "table" lets the restore check that its wasm table is the same; "files" are the packages' other
// files ([path, size]); "loaded" is Pyodide's record of the loaded packages; "memory" is the snapshot's size (a page
// reading the bundle as it streams in knows from the header how big it is).
//
// The start draws random bytes (the `random` module's seed) and reads the clocks (file times, and modules that
// note when they were imported); all are fixed here so the same distribution gives the same snapshot. The page
// reseeds `random` after restoring it.
import fs from "node:fs";
import path from "node:path";
import { emulateTables, pyodideLoader, writeStartLock } from "./python_start.mjs";

const config = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
emulateTables(config.kind);
let state = 0x9e3779b9;
globalThis.crypto.getRandomValues = (array) => {
  const bytes = new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
  for (let i = 0; i < bytes.length; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0; // a linear congruential sequence
    bytes[i] = state >>> 24;
  }
  return array;
};
Date.now = () => 1700000000000;
let clock = 0;
performance.now = () => (clock += 0.001); // Python's monotonic clock: a microsecond per reading

const site = config.packages && writeStartLock(config.lock, config.on_import);
const pyodide = await (await pyodideLoader(config.dist))({
  indexURL: path.resolve(config.dist) + "/",
  _makeSnapshot: true,
  env: { PYTHONHASHSEED: "0" }, // one string hash order in every restored start, as in the compiled bytecode
  ...(site ? { lockFileURL: site.file } : {}),
});
const importAll = "import gc, importlib\nfor name in NAMES: importlib.import_module(name)\ngc.collect()";
pyodide.runPython(importAll, { globals: pyodide.toPy({ NAMES: config.modules }) });
if (!site) {
  fs.writeFileSync(config.out, pyodide.makeMemorySnapshot());
  process.exit(0);
}

// Pyodide's Emscripten module and its internals (docs/compat.md; python_start.js checks them): the build stops,
// naming the missing one, rather than making a bundle no page could restore.
const M = pyodide._module;
requireEmscriptenInternals(M, "the snapshot with the packages (web/node/make_snapshot.mjs, through pyodide._module)");
const libraries = []; // {name, global, handle, bytes}, in load order
const load = M.loadDynamicLibrary;
M.loadDynamicLibrary = (name, flags, scope, handle) => {
  if (handle === undefined && !M.LDSO.loadedLibsByName[name]) {
    handle = M._calloc(40, 1);
    libraries.push({ name, global: Boolean(flags.global), handle, bytes: flags.fs.readFile(name) });
  }
  return load(name, flags, scope, handle);
};
// One at a time, each after its dependencies: loaded together, they unpack in the order they arrive.
for (const name of loadOrder(site.lock, config.packages)) await pyodide.loadPackage([name], { messageCallback() {} });
M.loadDynamicLibrary = load;
if (!libraries.length) { // numpy's at least: Pyodide no longer loads libraries through the wrapped function
  throw new Error("nn-playground: the packages loaded no binary library through Emscripten's "
    + "Module.loadDynamicLibrary, which make_snapshot.mjs wraps to record them: see docs/compat.md");
}
pyodide.runPython(fs.readFileSync(config.boot, "utf8"));
pyodide.runPython(importAll, { globals: pyodide.toPy({ NAMES: config.imports }) });
// The packages' files: the memory holds none (Emscripten keeps files in JS), so the bundle carries them.
const sitePackages = path.posix.normalize(pyodide.runPython("import sysconfig; sysconfig.get_path('purelib')"));
const libraryNames = new Set(libraries.map(({ name }) => name));
const files = listFiles(pyodide.FS, sitePackages).filter((file) => !libraryNames.has(file))
  .map((file) => [file, pyodide.FS.readFile(file)]);
// Pyodide expects an empty loadedPackages in a snapshot: the restore puts it back.
const loaded = { ...pyodide.loadedPackages };
for (const name of Object.keys(pyodide.loadedPackages)) delete pyodide.loadedPackages[name];
const fake = new Set(libraries.map(({ handle }) => handle));
const u32 = (address) => M.HEAPU32[address >>> 2];
const header = {
  libraries: libraries.map(({ name, global, handle, bytes }) => ({
    name, global, size: bytes.length, memoryBase: u32(handle + 12), memorySize: u32(handle + 16),
    tableBase: u32(handle + 20), tableSize: u32(handle + 24),
  })),
  handles: Object.entries(M.LDSO.loadedLibsByHandle).filter(([handle]) => !fake.has(Number(handle)))
    .map(([handle, dso]) => [Number(handle), dso.name]),
  table: tableDigest(M.wasmTable),
  files: files.map(([file, bytes]) => [file, bytes.length]),
  loaded,
};
for (const { handle } of libraries) M._free(handle);
// Panel keeps one JS function it made (panel.io.pyodide's dict converter): saved as its source.
const memory = pyodide.makeMemorySnapshot({ serializer: (fn) => ({ source: String(fn) }) });
header.memory = memory.length;
const json = Buffer.from(JSON.stringify(header));
const size = Buffer.alloc(4);
size.writeUInt32LE(json.length);
const parts = [size, json, ...libraries.map(({ bytes }) => bytes), ...files.map(([, bytes]) => bytes)];
const used = parts.reduce((sum, part) => sum + part.length, 0);
parts.push(Buffer.alloc(-used & 15), memory); // the snapshot starts at a multiple of 16, as Pyodide reads it
fs.writeFileSync(config.out, Buffer.concat(parts));

// Every file under `dir` in Pyodide's file system, sorted.
function listFiles(FS, dir) {
  return FS.readdir(dir).filter((name) => name !== "." && name !== "..").sort().flatMap((name) => {
    const file = `${dir}/${name}`;
    return FS.isDir(FS.stat(file).mode) ? listFiles(FS, file) : [file];
  });
}

// The packages `roots` need, each after its dependencies, ties in name order.
function loadOrder(lock, roots) {
  const order = [];
  const visit = (name) => {
    if (order.includes(name)) return;
    [...lock.packages[name].depends].sort().forEach(visit);
    order.push(name);
  };
  [...roots].sort().forEach(visit);
  return order;
}
