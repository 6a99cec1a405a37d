"""web/static/boot.py stops a page's start with a PrivateAPIError naming the private Panel or Bokeh name it misses
(docs/compat.md), which the page then shows, instead of failing later or not at all.

boot.py runs in Pyodide; here it runs in a fresh CPython with Pyodide's `js` and `pyodide` modules stubbed, which
is enough for Panel's Pyodide module to import and for boot.py to build (or refuse to build) a page's document.
"""

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import bokeh
import panel
import pytest

PROJECT = Path(__file__).resolve().parent.parent.parent

# boot.py as the worker runs it, then its render() as the worker calls it, for an entry that does not exist: a
# start that gets past every check ends in ModuleNotFoundError for it.
BOOT = """
import asyncio, json, runpy, sys
from unittest import mock
for name in ("js", "pyodide", "pyodide.ffi", "pyodide.code"):
    sys.modules[name] = mock.MagicMock(name=name)
import panel.io.pyodide
from bokeh.document.models import DocumentModelManager
from panel.io.state import state
{plant}
try:
    boot = runpy.run_path("web/static/boot.py")
    asyncio.run(boot["render"]("no_such_module_t:app", "static/panel/"))
except Exception as error:
    print(json.dumps({{"error": type(error).__name__, "message": str(error),
                       "dist_url": state.curdoc and state.curdoc._template_variables.get("dist_url")}}))
"""


def start(plant: str = "") -> dict:
    """Run boot.py and its render() with `plant` run first; what it stopped with."""
    code = BOOT.format(plant=textwrap.dedent(plant))
    result = subprocess.run([sys.executable, "-c", code], cwd=PROJECT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0 and result.stdout.strip(), result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_with_every_private_name_there_the_start_gets_to_the_app_and_panel_finds_the_sites_styles():
    report = start()
    assert report["error"] == "ModuleNotFoundError" and "no_such_module_t" in report["message"], report
    assert report["dist_url"] == "static/panel/"  # where Panel reads it (Bokeh's private _template_variables)


@pytest.mark.parametrize(
    "plant, name",
    [
        ("del panel.io.pyodide._convert_json_patch", "panel.io.pyodide._convert_json_patch"),
        ("del panel.io.pyodide._dict_converter", "panel.io.pyodide._dict_converter"),
        ("del panel.io.pyodide._process_document_events", "panel.io.pyodide._process_document_events"),
        ("del type(state)._schedule_on_load", "panel.io.state._state._schedule_on_load"),
    ],
)
def test_a_missing_private_panel_name_stops_the_start_naming_it(plant, name):
    report = start(plant)
    assert report["error"] == "PrivateAPIError", report
    message = report["message"]
    assert message.startswith(f"nn-playground: Panel {panel.__version__}: {name} is missing"), message
    assert message.endswith("See docs/compat.md."), message


def test_a_document_without_bokehs_record_of_unsent_models_stops_the_start_naming_it():
    report = start("""
        bokeh_init = DocumentModelManager.__init__
        def without_new_models(self, *args, **kwargs):
            bokeh_init(self, *args, **kwargs)
            del self._new_models
        DocumentModelManager.__init__ = without_new_models
    """)
    assert report["error"] == "PrivateAPIError", report
    assert report["message"].startswith(
        f"nn-playground: Bokeh {bokeh.__version__}: bokeh.document.models.DocumentModelManager._new_models is missing"
    )
    assert "docs/compat.md" in report["message"]
