"""What only the browser's start needs, used by web/static/worker.js and boot.py, never by the apps:

- `prepare()`: the wrappers that keep pandas, markdown-it and bleach out of a page's start and work Bokeh's
  defaults out once per class (one call, boot.py);
- `on_import.install(table)`: packages a page does not load at start, installed on first import (worker.js);
- `patch_queue`: the page's changes in and the document's changes out, merged while the page paints (boot.py);
- `compat`: how each of them (and boot.py) looks up a library's private name, failing loudly when it is gone.

Each reaches into a library's private side; docs/compat.md lists them with the tests that guard them.
"""

from playground.browser.stable_defaults import keep_stable_defaults
from playground.browser.without_markup import keep_markup_libraries_out
from playground.browser.without_pandas import keep_pandas_out


def prepare() -> None:
    """Before a page's app is built: no pandas (no page uses it; it would be most of the start's imports), and no
    markdown-it or bleach for plain tooltips and names; Bokeh's fixed defaults worked out once per class."""
    keep_pandas_out()
    keep_markup_libraries_out()
    keep_stable_defaults()
