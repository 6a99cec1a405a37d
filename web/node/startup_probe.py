"""Run inside Pyodide on Node against a built site's distribution (web/startup_modules.py starts it): start a
page as the worker does and print every module file it imported, one `startup: pkg/mod.py` line each, and every
standard-library module it imported, one `stdlib: name` line each.

    startup_probe.py BOOT_PY ENTRY...      e.g. web/static/boot.py playground.sandbox.app:create_app
"""

import importlib
import runpy
import sys

from pyodide.code import run_js

# Panel's Pyodide support imports XMLHttpRequest, which Node lacks; nothing here calls it.
run_js("globalThis.XMLHttpRequest ??= class {}")

SITE_PACKAGES = "/site-packages/"
STDLIB = "/lib/python312.zip/"
# ctypes opens the main module with dlopen when imported: a handle outside the memory a snapshot keeps.
NOT_IN_SNAPSHOT = ("ctypes", "_ctypes")


def start(entry: str) -> None:
    """What boot.render does up to the JSON it sends the page (write_doc itself needs a browser worker)."""
    from bokeh.embed.util import standalone_docs_json_and_render_items
    from panel.io.pyodide import init_doc
    from panel.io.state import state
    from panel.pane import panel as as_panel

    init_doc()
    module, _, function = entry.partition(":")
    as_panel(getattr(importlib.import_module(module), function)()).server_doc(state.curdoc)
    standalone_docs_json_and_render_items(state.curdoc.roots, suppress_callback_warning=True)


def is_stdlib(name: str) -> bool:
    module = sys.modules[name]
    in_zip = (getattr(module, "__file__", None) or "").startswith(STDLIB)
    return (in_zip or name in sys.builtin_module_names) and name.partition(".")[0] not in NOT_IN_SNAPSHOT


def main(boot: str, *entries: str) -> None:
    runpy.run_path(boot)
    for entry in entries:
        start(entry)
    files = {getattr(module, "__file__", None) or "" for module in list(sys.modules.values())}
    for path in sorted(f.split(SITE_PACKAGES, 1)[1] for f in files if SITE_PACKAGES in f):
        print("startup:", path.removesuffix("c") if path.endswith(".pyc") else path)
    # All of them, also those loading the packages imported (a zip reader, importlib.metadata, email): the
    # snapshot is taken before any package loads.
    for name in sorted(name for name in list(sys.modules) if is_stdlib(name)):
        print("stdlib:", name)


if __name__ == "__main__":
    main(*sys.argv[1:])
