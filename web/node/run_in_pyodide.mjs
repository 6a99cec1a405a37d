// Run Python inside Pyodide on Node, from a self-hosted distribution, with the project mounted.
// usage: node run_in_pyodide.mjs DIST_DIR PROJECT_DIR PACKAGES_JSON (--pytest ARGS... | --script FILE ARGS...)
// Exit code: pytest's, or the script's (0 when it returns normally, 1 on an uncaught Python error).
import { pathToFileURL } from "node:url";
import path from "node:path";

const [dist, project, packagesJson, mode, ...rest] = process.argv.slice(2);
const { loadPyodide } = await import(pathToFileURL(path.join(dist, "pyodide.mjs")).href);
const started = performance.now();
const pyodide = await loadPyodide({
  indexURL: path.resolve(dist) + "/",
  // A fixed hash seed: the order of set constants in compiled bytecode (web/bytecode.py) must not vary.
  env: { PYTHONHASHSEED: "0" },
  stdout: (line) => console.log(line),
  stderr: (line) => console.error(line),
});
await pyodide.loadPackage(JSON.parse(packagesJson), { messageCallback: () => {} });
pyodide.FS.mkdirTree("/project");
pyodide.mountNodeFS("/project", path.resolve(project));
pyodide.globals.set("ARGS", pyodide.toPy(rest));
pyodide.globals.set("MODE", mode);
let code = 0;
try {
  code = await pyodide.runPythonAsync(`
import os, sys, runpy
os.chdir("/project")
sys.path.insert(0, "/project")
sys.dont_write_bytecode = True  # the project folder is the host's: leave no __pycache__ behind
args = list(ARGS)
if MODE == "--pytest":
    import pytest
    # Default output capture collects nothing under Pyodide; capture at the sys level instead.
    exit_code = int(pytest.main(["-p", "no:cacheprovider", "--capture=sys", *args]))
else:
    sys.argv = args
    runpy.run_path(args[0], run_name="__main__")
    exit_code = 0
exit_code
`);
} catch (err) {
  // Only the Python traceback: the JS stack of an uncaught PythonError is megabytes of minified code.
  console.error(String(err.message || err).split("\n").slice(-30).join("\n"));
  code = 1;
}
console.log(`[pyodide ${pyodide.version}] finished in ${((performance.now() - started) / 1000).toFixed(1)} s, exit ${code}`);
process.exit(code);
