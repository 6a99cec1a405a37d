"""playground.browser.without_pandas: the pages build without importing pandas, and Bokeh still answers as before.

Each check runs in a fresh interpreter: once any test has imported pandas, the wrappers hand over to Bokeh.
"""

from fresh_python import run


def test_the_sandbox_and_the_mnist_lab_build_their_documents_without_importing_pandas():
    assert (
        run("""
        import sys
        from playground.browser.without_pandas import keep_pandas_out
        keep_pandas_out()
        import panel as pn
        from bokeh.document import Document
        from playground.mnist import app as mnist_lab
        from playground.sandbox import app as sandbox
        for app in (sandbox.create_app(), mnist_lab.create_app()):
            pn.panel(app).server_doc(Document())
            app.session.play()
            for _ in range(3):  # training redraws: the curves grow
                app.session.tick(30)
                app.redraw()
        print("pandas" in sys.modules)
    """)
        == "False"
    )


def test_ranges_sources_and_dates_come_out_as_bokeh_makes_them_and_pandas_objects_still_work():
    assert run("""
        import datetime as dt, sys
        import numpy as np
        from bokeh.models import ColumnDataSource, Range1d
        from bokeh.plotting import figure
        from playground.browser.without_pandas import keep_pandas_out
        keep_pandas_out()
        a = figure(x_range=(0, 2), y_range=(-1.5, 5))
        b = figure(x_range=Range1d(1, 3))
        checks = [
            (a.x_range.start, a.x_range.end, a.y_range.start) == (0, 2, -1.5),
            type(figure().x_range).__name__ == "DataRange1d" and b.x_range.start == 1,
            ColumnDataSource({"x": [1, 2]}).data["x"] == [1, 2],
            ColumnDataSource(data={"x": [3]}, name="s").name == "s",
            Range1d(start=dt.datetime(2020, 1, 1), end=dt.datetime(2021, 1, 1)).start == dt.datetime(2020, 1, 1),
            "pandas" not in sys.modules,
        ]
        import pandas as pd
        checks += [
            list(ColumnDataSource(pd.DataFrame({"x": [1, 2]})).data["x"]) == [1, 2],
            list(figure(x_range=["a", "b"]).x_range.factors) == ["a", "b"],
            Range1d(start=pd.Timestamp("2020-01-01"), end=pd.Timestamp("2021-01-01")).end is not None,
        ]
        print(checks)
    """) == str([True] * 9)
