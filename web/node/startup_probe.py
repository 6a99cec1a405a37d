"""Run inside Pyodide on Node against a built site's distribution (web/startup_modules.py starts it): start a
page as the worker does and print every module file it imported, one `startup: pkg/mod.py` line each.

    startup_probe.py BOOT_PY ENTRY...      e.g. web/static/boot.py playground.apps.sandbox:create_app
"""

import importlib
import runpy
import sys

from pyodide.code import run_js

# Panel's Pyodide support imports XMLHttpRequest, which Node lacks; nothing here calls it.
run_js("globalThis.XMLHttpRequest ??= class {}")

SITE_PACKAGES = "/site-packages/"


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


def main(boot: str, *entries: str) -> None:
    runpy.run_path(boot)
    for entry in entries:
        start(entry)
    files = {getattr(module, "__file__", None) or "" for module in list(sys.modules.values())}
    for path in sorted(f.split(SITE_PACKAGES, 1)[1] for f in files if SITE_PACKAGES in f):
        print("startup:", path.removesuffix("c") if path.endswith(".pyc") else path)


if __name__ == "__main__":
    main(*sys.argv[1:])
