"""Packages the site serves but a page does not load at start (pandas: Bokeh and Panel declare it, no page imports
it at start), installed the first time Python imports them.

The worker hands `install` start.json's table (web/start_packages.py) with each package's wheel URL. An import statement
cannot wait for a promise, so the wheel is fetched synchronously (allowed in the Web Worker Python runs in) and
unpacked into site-packages; Python then imports it as any installed package, loading its compiled extensions
as it meets them. Packages Pyodide has already loaded (matplotlib brings dateutil) are not fetched again.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import io
import sys
import zipfile
from collections.abc import Callable, Sequence
from pathlib import Path
from types import ModuleType


class InstallOnImport(importlib.abc.MetaPathFinder):
    """Last on sys.meta_path: asked only for modules no installed package provides.

    modules: import name -> [(package, wheel URL), ...]; fetch(url) -> bytes, raising an error whose message
    says what failed; is_loaded / mark_loaded: the runtime's record of installed packages (Pyodide's
    loadedPackages), so its own loadPackage and this finder never install a package twice.
    """

    def __init__(
        self,
        modules: dict[str, list[tuple[str, str]]],
        fetch: Callable[[str], bytes],
        target: Path,
        is_loaded: Callable[[str], bool],
        mark_loaded: Callable[[str], None],
    ) -> None:
        self.modules, self.fetch, self.target = modules, fetch, Path(target)
        self.is_loaded, self.mark_loaded = is_loaded, mark_loaded
        self.installed: list[str] = []  # in order, for tests and the console

    def find_spec(
        self, fullname: str, path: Sequence[str] | None = None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        if path is not None or fullname not in self.modules:  # only top-level names of the table
            return None
        wanted = [(name, url) for name, url in self.modules[fullname] if not self.is_loaded(name)]
        if not wanted:
            return None  # installed, yet not found: Python reports the missing module as usual
        for name, url in wanted:
            try:
                wheel = self.fetch(url)
            except Exception as error:
                raise ImportError(
                    f"{fullname} is not loaded at start and could not be fetched now: {error}", name=fullname
                ) from None
            zipfile.ZipFile(io.BytesIO(wheel)).extractall(self.target)
            self.mark_loaded(name)
            self.installed.append(name)
        print(f"installed {', '.join(name for name, _ in wanted)} on first import of {fullname}", file=sys.stderr)
        importlib.invalidate_caches()
        return importlib.machinery.PathFinder.find_spec(fullname, None)


def install(modules_json: str) -> InstallOnImport:
    """In Pyodide: put the finder last on sys.meta_path for `modules_json`, the worker's JSON of
    {import name: [[package, wheel URL], ...]} (start.json's table with the lock's URLs)."""
    import json
    import sysconfig

    import pyodide_js

    from playground.core.site_data import fetch_from_site

    modules = {module: [tuple(entry) for entry in entries] for module, entries in json.loads(modules_json).items()}
    loaded = pyodide_js.loadedPackages
    finder = InstallOnImport(
        modules,
        fetch_from_site,
        Path(sysconfig.get_paths()["purelib"]),
        is_loaded=lambda name: hasattr(loaded, name),
        mark_loaded=lambda name: setattr(loaded, name, "on import"),
    )
    sys.meta_path.append(finder)
    return finder
