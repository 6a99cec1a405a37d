"""The recorded start-up modules (which site modules ship as bytecode, which standard-library modules the snapshot
of Python's start imports) are what a page imports today."""

from web import startup_modules


def test_the_recorded_lists_are_what_the_sandbox_imports_at_start_in_pyodide(demo_site):
    measured, stdlib = startup_modules.measure(demo_site / "pyodide")
    recorded = startup_modules.load()
    assert {"panel/__init__.py", "bokeh/document/document.py", "numpy/__init__.py"} <= recorded
    assert not [m for m in measured if m.startswith(("matplotlib/", "nn_core/", "playground/"))]
    assert not [m for m in measured if m.startswith("markdown/")]  # notices are HTML (playground/widgets/alert.py)
    assert not [m for m in measured if m.startswith(("pandas/", "narwhals/"))]  # playground/browser/without_pandas.py
    # playground/browser/without_markup.py
    assert not [m for m in measured if m.startswith(("markdown_it/", "bleach/"))]
    missing, unused = sorted(set(measured) - recorded), sorted(recorded - set(measured))
    assert not missing and not unused, (
        f"run `python -m web.startup_modules build/site` to update the lists: {len(missing)} new "
        f"(e.g. {missing[:3]}), {len(unused)} no longer imported (e.g. {unused[:3]})"
    )
    assert "json" in stdlib and not [m for m in stdlib if m.partition(".")[0] in ("ctypes", "_ctypes")]
    assert stdlib == startup_modules.load_stdlib(), "run `python -m web.startup_modules build/site`"
