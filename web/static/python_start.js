// How Python starts, shared by worker.js (which loads it with importScripts) and the build's Node scripts
// (web/node/*.mjs, which run it in their global scope): the site's lock as a page loads it, and restoring the
// snapshot of Python's start with the site's packages imported (web/node/make_snapshot.mjs writes it).

// start.json (web/start_packages.py) names the packages a page installs only when Python first imports them
// (`later`): the lock's edges to them are cut, so loading the page's packages leaves them out. With `base`, every
// file name is made absolute against it (the lock names files relative to itself or as absolute CDN URLs; the
// worker hands Pyodide the lock as a blob, and absolute names let the core come from one place, the site or the
// CDN, while the site's own wheels still come from the site). Node keeps them relative to the distribution, so
// a snapshot made there is the same wherever the site is built.
function startLock(lock, later, base) {
  const cut = new Set(later);
  for (const entry of Object.values(lock.packages)) {
    if (base) entry.file_name = new URL(entry.file_name, base).href;
    entry.depends = entry.depends.filter((name) => !cut.has(name));
  }
  return lock;
}

// Pyodide 0.27 restores memory, but a binary library (numpy's) is also code: a wasm module instantiated beside
// Pyodide's, with its data at a memory base and its functions at a table base. So before Pyodide copies the
// snapshot over the memory, each library is loaded again, in the order it was loaded, at the addresses it had:
// Emscripten's loadDynamicLibrary takes them from a "handle" struct (loaded flag at +8, memory base, memory
// size, table base, table size from +12), the path it uses to load one library in several threads.

// Those are internals of the Emscripten module inside Pyodide (docs/compat.md), as are the others listed here,
// which the restore (and web/node/make_snapshot.mjs, which makes the bundle) use. Throws, naming every one missing:
// the caller then starts without the bundle (the page, with a console warning) or stops (the build).
const EMSCRIPTEN_INTERNALS = {
  loadDynamicLibrary: (M) => typeof M.loadDynamicLibrary === "function",
  _calloc: (M) => typeof M._calloc === "function",
  _free: (M) => typeof M._free === "function",
  HEAPU8: (M) => ArrayBuffer.isView(M.HEAPU8) && M.HEAPU8.BYTES_PER_ELEMENT === 1,
  HEAPU32: (M) => ArrayBuffer.isView(M.HEAPU32) && M.HEAPU32.BYTES_PER_ELEMENT === 4,
  "LDSO.loadedLibsByName": (M) => typeof M.LDSO?.loadedLibsByName === "object",
  "LDSO.loadedLibsByHandle": (M) => typeof M.LDSO?.loadedLibsByHandle === "object",
  wasmTable: (M) => typeof M.wasmTable?.get === "function" && typeof M.wasmTable?.length === "number",
};

function requireEmscriptenInternals(M, user) {
  const missing = Object.keys(EMSCRIPTEN_INTERNALS).filter((name) => !EMSCRIPTEN_INTERNALS[name](M ?? {}));
  if (missing.length) {
    throw new Error(`nn-playground: Pyodide's Emscripten module lacks ${missing.map((name) => `Module.${name}`)
      .join(", ")}, which ${user} needs: see docs/compat.md`);
  }
}

// The bundle's parts (web/node/make_snapshot.mjs): u32 n | n bytes of JSON header | each library's bytes | each
// other file's bytes | zeros to a multiple of 16 | Pyodide's snapshot (header.memory bytes). Where each part sits:
function bundleLayout(header, n) {
  const sizes = [...header.libraries.map(({ size }) => size), ...header.files.map(([, length]) => length)];
  const end = sizes.reduce((sum, length) => sum + length, 4 + n); // of the libraries and files
  const memoryStart = Math.ceil(end / 16) * 16;
  if (!Number.isInteger(header.memory)) throw new Error("the bundle's header does not give its memory's size");
  return { end, memoryStart, total: memoryStart + header.memory };
}

const headerSize = (bytes) => new DataView(bytes.buffer, bytes.byteOffset).getUint32(0, true);
const readHeader = (bytes, n) => JSON.parse(new TextDecoder().decode(bytes.subarray(4, 4 + n)));

// The parts of a whole bundle read into `bytes`, whose header (n bytes) is `header`: each library and file with its
// bytes, and the memory.
function bundleParts(bytes, header, n) {
  const { end, memoryStart } = bundleLayout(header, n);
  // The libraries and files in a buffer of their own: the file system keeps them, the rest can be freed.
  const kept = bytes.slice(4 + n, end);
  let offset = 0;
  const next = (length) => kept.subarray(offset, (offset += length));
  const libraries = header.libraries.map((library) => ({ ...library, data: next(library.size) }));
  const files = header.files.map(([file, length]) => [file, next(length)]);
  return { header, libraries, files, memory: bytes.subarray(memoryStart) };
}

// The bundle read as it streams in (from the cache): {memory, parts}. `memory` resolves as soon as the header has
// arrived, with where Pyodide's snapshot will be in a buffer of the whole bundle, so that Pyodide sizes its memory
// and compiles its runtime while the rest arrives; `parts` resolves with the parts (bundleParts) once all of
// it has, and rejects, saying so, if the stream fails or holds more or fewer bytes than the header says.
function streamSnapshotBundle(stream) {
  const tooLong = (total) => new Error(`the bundle is longer than the ${total} bytes its header says`);
  const reader = stream.getReader();
  let bytes = new Uint8Array(1 << 16), filled = 0, sized = false; // sized: `bytes` is the whole bundle's buffer
  let header, n; // the header and its length, once read
  const readUntil = async (size) => {
    while (filled < size) {
      const { done, value } = await reader.read();
      if (done) throw new Error(`the bundle ended after ${filled} bytes, ${size} expected`);
      if (filled + value.length > bytes.length) {
        if (sized) throw tooLong(bytes.length);
        const grown = new Uint8Array(2 * (filled + value.length));
        grown.set(bytes.subarray(0, filled));
        bytes = grown;
      }
      bytes.set(value, filled);
      filled += value.length;
    }
  };
  const memory = (async () => {
    await readUntil(4);
    n = headerSize(bytes);
    await readUntil(4 + n);
    header = readHeader(bytes, n);
    const { memoryStart, total } = bundleLayout(header, n);
    const whole = new Uint8Array(total);
    if (filled > total) throw tooLong(total);
    whole.set(bytes.subarray(0, filled));
    [bytes, sized] = [whole, true];
    return whole.subarray(memoryStart);
  })();
  const parts = memory.then(async () => {
    await readUntil(bytes.length);
    if (!(await reader.read()).done) throw tooLong(bytes.length);
    return bundleParts(bytes, header, n);
  });
  memory.catch(() => reader.cancel().catch(() => {}));
  parts.catch(() => {}); // reported when awaited
  return { memory, parts };
}

// The packages as loadPackage left them: their files (libraries included) and Pyodide's record of them, so a
// later loadPackage of them does nothing.
function installFiles(pyodide, bundle) {
  const write = (file, data) => {
    pyodide.FS.mkdirTree(file.slice(0, file.lastIndexOf("/")));
    pyodide.FS.writeFile(file, data, { canOwn: true });
  };
  for (const [file, data] of bundle.files) write(file, data);
  for (const library of bundle.libraries) write(library.name, library.data);
  Object.assign(pyodide.loadedPackages, bundle.header.loaded);
}

// The wasm table's length and a hash of its functions' names (each one's index in its own module), in order:
// equal only if every function sits where it sat when the snapshot was taken. A function named "" counts as "0": the
// JS functions Emscripten puts in the table are "0" in V8 and "" in JavaScriptCore, where the per-slot bundle is
// restored (the rest are alike: make_snapshot.mjs takes that bundle on Node with JavaScriptCore's tables emulated).
function tableDigest(table) {
  let hash = 0x811c9dc5; // FNV-1a, 32 bits
  for (let i = 0; i < table.length; i++) {
    const fn = table.get(i);
    const name = fn ? String(fn.name || "0") : "";
    for (let j = 0; j < name.length; j++) hash = Math.imul(hash ^ name.charCodeAt(j), 16777619) >>> 0;
    hash = Math.imul(hash ^ 10, 16777619) >>> 0;
  }
  return { length: table.length, hash };
}

async function loadLibrariesAgain(M, bundle) {
  requireEmscriptenInternals(M, "restoring the snapshot with the packages (python_start.js)");
  for (const library of bundle.libraries) {
    const handle = M._calloc(40, 1);
    M.HEAPU8[handle + 8] = 1;
    M.HEAPU32.set([library.memoryBase, library.memorySize, library.tableBase, library.tableSize], (handle + 12) >>> 2);
    const fs = { findObject: () => true, readFile: () => library.data };
    const flags = { loadAsync: true, nodelete: true, allowUndefined: true, global: library.global, fs };
    await M.loadDynamicLibrary(library.name, flags, library.global ? null : {}, handle);
    delete M.LDSO.loadedLibsByHandle[handle];
    M._free(handle);
    const base = library.name.split("/").pop(); // as Pyodide's loadDynlib registers an absolute path
    M.LDSO.loadedLibsByName[base] ??= M.LDSO.loadedLibsByName[library.name];
  }
  for (const [handle, name] of bundle.header.handles) M.LDSO.loadedLibsByHandle[handle] = M.LDSO.loadedLibsByName[name];
  const table = tableDigest(M.wasmTable), expected = bundle.header.table;
  if (table.length !== expected.length || table.hash !== expected.hash) {
    const sizes = `table of ${table.length}, expected ${expected.length}`;
    throw new Error(`the libraries did not load where they were (${sizes}; if every bundle fails so, see the handle `
      + "struct in docs/compat.md)");
  }
}

// Which bundle this engine restores: "shared" where a wasm function is one JS object wherever it is read, as an export
// and from a table (V8, SpiderMonkey); "per-slot" where a table slot gives a JS object of its own (JavaScriptCore:
// Safari, WebKitGTK answer `exports.f === table.get(0)` with false). Emscripten adds a function to the table only if
// it is not there yet, so there each library gets duplicate slots, and the table's layout differs: the build makes a
// bundle for each (web/snapshot.py), and the service worker stores, and the worker restores, this engine's one.
// The module: one empty function, exported as "f" and placed in slot 0 of a table exported as "t".
const IDENTITY_PROBE = [0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 1, 4, 1, 0x60, 0, 0, 3, 2, 1, 0, 4, 4, 1, 0x70, 0, 1,
  7, 9, 2, 1, 0x66, 0, 0, 1, 0x74, 1, 0, 9, 7, 1, 0, 0x41, 0, 0x0b, 1, 0, 0x0a, 4, 1, 2, 0, 0x0b];

function bundleKind() {
  try {
    const { exports } = new WebAssembly.Instance(new WebAssembly.Module(new Uint8Array(IDENTITY_PROBE)));
    return exports.f === exports.t.get(0) ? "shared" : "per-slot";
  } catch {
    return null;
  }
}

// Pyodide restored from the bundle, with the packages' files: `loadPyodide(options)` with the snapshot, once
// pyodide.asm.js has defined _createPyodideModule (which this wraps while it runs). `bundle` is
// streamSnapshotBundle's: Pyodide creates its module once the memory's size is known and loads the libraries into
// it once all parts have arrived. Throws if anything differs; the caller starts otherwise.
async function restoreSnapshotBundle(loadPyodide, options, { memory, parts }) {
  const create = globalThis._createPyodideModule; // Pyodide's internal factory of its Emscripten module
  if (typeof create !== "function") {
    throw new Error("nn-playground: no _createPyodideModule (pyodide.asm.js not loaded, or a Pyodide without it: "
      + "see docs/compat.md)");
  }
  globalThis._createPyodideModule = async (settings) => {
    const M = await create(settings);
    await loadLibrariesAgain(M, await parts);
    return M;
  };
  try {
    const pyodide = await loadPyodide({
      ...options,
      _loadSnapshot: memory, // awaited by Pyodide before it creates its module
      // The one JS function Python held (Panel's dict converter) was saved as its source.
      _snapshotDeserializer: ({ source }) => (0, eval)(`(${source})`),
    });
    installFiles(pyodide, await parts);
    return pyodide;
  } finally {
    globalThis._createPyodideModule = create;
  }
}
