// Start Pyodide from the site itself, load the project's wheel (numpy follows from the lock), run the engine.
const status = document.getElementById("pg-status");
const progress = document.getElementById("progress");

function setStatus(state, text, stage) {
  status.dataset.state = state;
  status.textContent = text;
  if (stage !== undefined) progress.value = stage;
}

// Pyodide reports a package that failed to download through this callback, then throws a generic error.
const loadErrors = [];

function explain(err) {
  if (typeof WebAssembly === "undefined") return "This browser cannot run WebAssembly, which the playground needs. Try a current Chrome, Firefox, Safari or Edge.";
  if (loadErrors.length) {
    const detail = loadErrors.join("\n").split("\n").filter((l) => l.trim() && !l.includes("pyodide.org")).join("\n");
    return "The playground could not start: a file failed to load.\n" + detail + "\nCheck the connection and reload the page.";
  }
  const lines = String(err && err.message ? err.message : err).trim().split("\n");
  if (lines.some((line) => line.startsWith("Traceback"))) return "The playground could not start: Python stopped with an error.\n" + lines[lines.length - 1];
  return "The playground could not start: " + lines[0];
}

try {
  const started = performance.now();
  setStatus("loading", "Loading the Python runtime (1/3)…", 0);
  const pyodide = await loadPyodide({ indexURL: new URL("pyodide/", location.href).href });
  setStatus("loading", "Loading packages (2/3)…", 1);
  await pyodide.loadPackage(["nn-playground"], { messageCallback: () => {}, errorCallback: (m) => loadErrors.push(m) });
  if (loadErrors.length) throw new Error(loadErrors[0]);
  setStatus("loading", "Starting the engine (3/3)…", 2);
  const versions = pyodide.runPython(`
import sys, numpy, nn_core
{"nn_core": nn_core.__version__, "Python": sys.version.split()[0], "numpy": numpy.__version__}
`).toJs({ dict_converter: Object.fromEntries });
  versions.Pyodide = pyodide.version;
  const list = document.getElementById("versions");
  for (const [name, version] of Object.entries(versions)) {
    const dt = document.createElement("dt"); dt.textContent = name;
    const dd = document.createElement("dd"); dd.textContent = version;
    dd.dataset.name = name;
    list.append(dt, dd);
  }
  document.getElementById("engine").hidden = false;
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  setStatus("ready", `Ready in ${seconds} s: nn_core ${versions.nn_core} on Python ${versions.Python}.`, 3);
} catch (err) {
  console.error(err);
  setStatus("error", explain(err));
}
