"""Data files the site serves beside its pages instead of inside the project's wheel (web/site.py copies them,
the service worker keeps them for offline visits). In CPython the package's own copy is read instead.

The browser fetches a file the first time an app needs it, so the pages that never use it don't load it.
"""

import functools
import sys
from pathlib import Path

from nn_core.datasets.dataset import DataError
from nn_core.datasets.mnist import DATA_FILE

MNIST_URL = "data/small_mnist.bin.gz"
# Site path -> the package file the build copies there (and leaves out of the project's wheel).
SERVED = {MNIST_URL: DATA_FILE}


@functools.cache
def mnist_data() -> bytes | None:
    """The small-MNIST file for load_mnist(data=...): fetched from the site in Pyodide, None (the package's
    copy) in CPython."""
    return fetch_from_site(MNIST_URL) if sys.platform == "emscripten" else None


def fetch_from_site(url: str) -> bytes:
    """The bytes of a site-relative URL, fetched synchronously: allowed in the Web Worker Python runs in, so the
    app's synchronous code can ask for data when it first needs it while the page stays responsive."""
    from js import XMLHttpRequest  # only in Pyodide
    from pyodide.ffi import JsException

    request = XMLHttpRequest.new()
    request.open("GET", url, False)  # relative to the worker's script, at the site's root
    request.responseType = "arraybuffer"
    try:
        request.send()
    except JsException as error:
        raise DataError(f"{Path(url).name} failed to load ({error}): check the connection and reload") from None
    if request.status != 200:
        raise DataError(
            f"{Path(url).name} failed to load (HTTP {request.status}): check the connection "
            "(or that the site is complete) and reload the page"
        )
    return request.response.to_bytes()
