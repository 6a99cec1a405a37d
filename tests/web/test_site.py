"""The static site build: complete, self-contained, only what pages need, and reproducible."""

import gzip
import hashlib
import json
import re
import zipfile
from pathlib import Path

import pytest

import nn_core
from web import startup_modules
from web.fetch import sha256_of
from web.pages import PAGE_SCRIPTS
from web.pins import load_pins
from web.project_wheel import build_wheel
from web.pyodide_dist import DistError
from web.site import _loaded_by_pages, build_site
from web.snapshot import BUNDLE_KINDS, BUNDLE_PREFIX, SNAPSHOT_FILE, restore
from web.start_packages import page_packages, write_start


def sw_constant(site, name):
    """A constant the build wrote into sw.js (JSON), e.g. SITE_FILES."""
    match = re.search(rf"^const {name} = (.*?);(?: //.*)?$", (site / "sw.js").read_text(), re.MULTILINE | re.DOTALL)
    return json.loads(match.group(1))


def tree_hash(folder):
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def test_the_site_has_its_pages_loader_and_a_self_hosted_runtime(demo_site, demo_page):
    for name in [
        "index.html",
        f"{demo_page.slug}.html",
        "loader.js",
        "worker.js",
        "boot.py",
        "sw.js",
        "site.css",
        "pyodide/pyodide.js",
        "pyodide/pyodide.asm.wasm",
        "static/bokeh/bokeh.min.js",
        "static/panel/panel.min.js",
        "static/panel/css/button.css",
    ]:
        assert (demo_site / name).is_file(), name


def test_the_project_wheel_pulls_the_whole_stack_but_not_what_panel_never_imports(demo_site):
    lock = json.loads((demo_site / "pyodide" / "pyodide-lock.json").read_text())
    entry = lock["packages"]["nn-playground"]
    assert entry["version"] == nn_core.__version__
    assert {"numpy", "pandas", "panel", "bokeh", "param", "pyyaml", "markupsafe"} <= set(entry["depends"])
    assert not {"pillow", "contourpy", "requests", "tqdm"} & page_packages(lock)
    assert not {"requests", "tqdm"} & set(lock["packages"])


def test_matplotlib_is_on_the_site_for_save_figure_but_pages_start_without_it(demo_site):
    lock = json.loads((demo_site / "pyodide" / "pyodide-lock.json").read_text())
    assert {"matplotlib", "pillow", "contourpy"} <= set(lock["packages"])
    assert "matplotlib" not in page_packages(lock) and "numpy" in page_packages(lock)


def test_every_file_the_lock_names_is_on_the_site(demo_site):
    lock = json.loads((demo_site / "pyodide" / "pyodide-lock.json").read_text())
    for entry in lock["packages"].values():
        assert sha256_of(demo_site / "pyodide" / entry["file_name"]) == entry["sha256"]


def test_bokeh_and_panel_wheels_are_slimmed_and_their_javascript_served_as_files(demo_site):
    bokeh = zipfile.ZipFile(next((demo_site / "pyodide").glob("bokeh-*.whl"))).namelist()
    panel = zipfile.ZipFile(next((demo_site / "pyodide").glob("panel-*.whl"))).namelist()
    assert not any(n.endswith(".js") and n.startswith("bokeh/server/static/") for n in bokeh)
    assert "panel/dist/panel.min.js" not in panel and "panel/dist/css/button.css" in panel


def test_pages_point_panel_and_pyodide_at_the_site_itself(demo_site, demo_page):
    html = (demo_site / f"{demo_page.slug}.html").read_text()
    assert 'data-pyodide="pyodide/"' in html and f'data-entry="{demo_page.entry}"' in html
    assert "https://" not in html + (demo_site / "loader.js").read_text() + (demo_site / "worker.js").read_text()


def test_building_twice_gives_the_same_site(tmp_path, demo_site, demo_page, demo_app_module):
    again = tmp_path / "again"
    summary = build_site(again, [demo_page], app_modules=[demo_app_module])
    assert tree_hash(again) == tree_hash(demo_site)
    assert f'"nn-playground-{summary.build_hash}"' in (again / "sw.js").read_text()


def test_a_cdn_build_leaves_the_core_and_the_release_packages_on_the_cdn(tmp_path, demo_page, demo_app_module):
    summary = build_site(
        tmp_path / "site",
        [demo_page],
        pyodide="cdn",
        cdn_url="https://cdn.example/full/",
        app_modules=[demo_app_module],
    )
    lock = json.loads((tmp_path / "site" / "pyodide" / "pyodide-lock.json").read_text())
    assert lock["packages"]["numpy"]["file_name"].startswith("https://cdn.example/full/numpy-")
    assert not lock["packages"]["panel"]["file_name"].startswith("https://")
    assert not (tmp_path / "site" / "pyodide" / "pyodide.asm.wasm").exists()
    # the Panel stack's wheels (precompiled: larger than source), BokehJS and the snapshot of Python's start
    assert summary.page_bytes < 15e6
    # The service worker lists the CDN's files too, without a size (the build never downloads them).
    sizes, page_files = sw_constant(tmp_path / "site", "SITE_FILES"), sw_constant(tmp_path / "site", "PAGE_FILES")
    assert sizes["https://cdn.example/full/pyodide.asm.wasm"] is None and sizes["pyodide/start.json"] > 0
    assert lock["packages"]["numpy"]["file_name"] in page_files and "https://cdn.example/full/pyodide.js" in page_files
    assert sw_constant(tmp_path / "site", "BUNDLE_FILES") == {}  # a CDN build has no later-visit bundle


def test_a_bad_page_or_mode_stops_the_build_with_a_message(tmp_path, demo_page):
    with pytest.raises(ValueError, match="slug 'a b'"):
        build_site(tmp_path, [type(demo_page)("a b", "t", "s", "m:f")])
    with pytest.raises(ValueError, match="not 'module:function'"):
        build_site(tmp_path, [type(demo_page)("x", "t", "s", "module")])
    with pytest.raises(DistError, match="--packages-from only applies"):
        build_site(tmp_path, [demo_page], pyodide="cdn", packages_from="/somewhere")


def test_the_project_wheel_is_byte_for_byte_reproducible(tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    first.mkdir(), second.mkdir()
    assert sha256_of(build_wheel(first, ["numpy"])) == sha256_of(build_wheel(second, ["numpy"]))


def test_the_project_wheel_carries_the_engine_but_not_the_builder(tmp_path):
    names = zipfile.ZipFile(build_wheel(tmp_path, ["numpy"])).namelist()
    assert "nn_core/__init__.py" in names
    assert not any(n.startswith("web/") or "__pycache__" in n for n in names)


def test_the_small_mnist_file_is_served_beside_the_pages_not_inside_the_project_wheel(tmp_path, demo_site):
    from nn_core.datasets.mnist import DATA_SHA256

    names = zipfile.ZipFile(build_wheel(tmp_path, ["numpy"])).namelist()
    assert "nn_core/datasets/mnist.py" in names and not any(n.endswith(".bin.gz") for n in names)
    assert sha256_of(demo_site / "data" / "small_mnist.bin.gz") == DATA_SHA256
    assert '"data/small_mnist.bin.gz"' in (demo_site / "sw.js").read_text()  # kept for offline visits


def test_what_no_page_imports_at_start_is_served_but_installed_only_when_first_imported(demo_site):
    lock = json.loads((demo_site / "pyodide" / "pyodide-lock.json").read_text())
    start = json.loads((demo_site / "pyodide" / "start.json").read_text())
    at_start = page_packages(lock)
    assert start["on_import"][:3] == ["pandas", "narwhals", "markdown"] and "pandas" in lock["packages"]
    later = {"pandas", "python-dateutil", "pytz", "narwhals", "markdown", "markdown-it-py", "bleach", "webencodings"}
    assert not later & at_start and {"bokeh", "panel", "numpy"} <= at_start
    assert start["modules"]["narwhals"] == ["narwhals"] and start["modules"]["markdown"] == ["markdown"]
    assert start["modules"]["markdown_it"] == ["markdown-it-py", "mdurl"]
    assert start["modules"]["pandas"] == ["pandas", "python-dateutil", "pytz", "six"]
    assert start["modules"]["dateutil"] == ["python-dateutil", "six"]
    assert all(name not in at_start for names in start["modules"].values() for name in names)


def test_an_on_import_package_the_lock_lacks_stops_the_build(tmp_path):
    (tmp_path / "pyodide-lock.json").write_text(json.dumps({"packages": {}}))
    with pytest.raises(ValueError, match="on_import names pandas, which the site's lock lacks"):
        write_start(tmp_path, ["pandas"])


def test_the_site_carries_the_snapshot_of_pythons_start_with_its_digest(demo_site):
    start = json.loads((demo_site / "pyodide" / "start.json").read_text())
    memory = gzip.decompress((demo_site / "pyodide" / SNAPSHOT_FILE).read_bytes())
    assert len(memory) > 10_000_000 and hashlib.sha256(memory).hexdigest() == start["snapshot"]["sha256"]


def test_the_snapshot_starts_python_with_the_standard_library_a_page_imports_already_imported(demo_site):
    code = "import json, sys; json.dumps(sorted(sys.modules))"
    result = restore(demo_site / "pyodide", SNAPSHOT_FILE, {"code": code})
    modules = set(json.loads(result["result"]))
    assert {"json.decoder", "unittest.mock", "http.client", "tarfile", "importlib.metadata"} <= modules
    assert set(startup_modules.load_stdlib()) <= modules
    assert "ctypes" not in modules and "numpy" not in modules  # ctypes' dlopen and numpy's binaries stay out


def bundle_files(site: Path) -> dict[str, str]:
    """{kind: file name} of the site's bundles, as start.json names them."""
    return {
        kind: entry["file"]
        for kind, entry in json.loads((site / "pyodide" / "start.json").read_text())["bundle"].items()
    }


def bundle_header(site: Path, name: str) -> dict:
    """The JSON header of the bundle `name` (web/node/make_snapshot.mjs: u32 length, then the JSON)."""
    bundle = gzip.decompress((site / "pyodide" / name).read_bytes())
    return json.loads(bundle[4 : 4 + int.from_bytes(bundle[:4], "little")])


def test_each_engines_bundle_is_named_by_its_kind_and_digest_and_left_out_of_a_pages_weight(demo_site):
    names = bundle_files(demo_site)
    assert sorted(names) == ["per-slot", "shared"]
    for kind, name in names.items():
        bundle = gzip.decompress((demo_site / "pyodide" / name).read_bytes())
        assert name == f"{BUNDLE_PREFIX}{kind}-{hashlib.sha256(bundle).hexdigest()[:16]}.bin.gz"
        assert not _loaded_by_pages(Path("pyodide") / name)
        assert f'"pyodide/{name}"' in (demo_site / "sw.js").read_text()  # stored by the service worker
    assert sorted(p.name for p in (demo_site / "pyodide").glob(f"{BUNDLE_PREFIX}*")) == sorted(names.values())
    assert _loaded_by_pages(Path("pyodide") / SNAPSHOT_FILE)


def test_the_per_slot_bundle_has_javascriptcores_table_layout_which_v8_does_not_restore(demo_site):
    """Emscripten appends a library's functions to the table where it finds no identical function object, and with
    JavaScriptCore's tables (emulated on Node, web/node/python_start.mjs) it finds none: the table grows by duplicate
    slots, as it does in WebKit. Restored without that emulation, the bundle is refused, not half-restored."""
    names = bundle_files(demo_site)
    shared, per_slot = (bundle_header(demo_site, names[kind])["table"] for kind in ("shared", "per-slot"))
    assert per_slot["length"] > shared["length"]
    with pytest.raises(DistError, match="the libraries did not load where they were"):
        restore(demo_site / "pyodide", names["per-slot"], {"code": "1"})


def test_the_service_worker_stores_only_the_snapshots_inflated(demo_site):
    """Readers of other gzipped files (the MNIST lab's digits) inflate them themselves."""
    names = bundle_files(demo_site)
    sw = (demo_site / "sw.js").read_text()
    inflated = [f"pyodide/{SNAPSHOT_FILE}", *(f"pyodide/{name}" for name in names.values())]
    assert f"const INFLATED = new Set({json.dumps(inflated)});" in sw


@pytest.mark.parametrize("kind", BUNDLE_KINDS)
def test_the_bundle_restores_python_with_numpy_and_the_page_imported_and_the_packages_files(demo_site, kind):
    """On Node as in the worker (the per-slot bundle with JavaScriptCore's tables emulated): numpy's libraries loaded
    again where they were, the page builds with no import, the packages' files are there and Pyodide knows them as
    loaded (loadPackage has nothing left to do)."""
    dist = demo_site / "pyodide"
    code = """
import sys, json
before = set(sys.modules)
import numpy, demo_app
from bokeh.embed.util import standalone_docs_json_and_render_items
from panel.io.pyodide import init_doc
from panel.io.state import state
init_doc()
demo_app.app().server_doc(state.curdoc)
standalone_docs_json_and_render_items(state.curdoc.roots, suppress_callback_warning=True)
imported = sorted(set(sys.modules) - before)
a = numpy.random.default_rng(0).normal(size=(40, 40))
inverse = float(abs(numpy.linalg.inv(a) @ a - numpy.eye(40)).max())
import numpy.polynomial  # not imported at start: its files are needed
from importlib.metadata import version
json.dumps({"page": "demo_app" in before, "imported": imported, "inverse": inverse, "bokeh": version("bokeh"),
            "polynomial": numpy.polynomial.Polynomial([1, 2])(3).item()})
"""
    lock = {"lock": str(dist / "pyodide-lock.json"), "on_import": list(load_pins().site_on_import)}
    result = restore(
        dist, bundle_files(demo_site)[kind], {**lock, "kind": kind, "packages": ["nn-playground"], "code": code}
    )
    report = json.loads(result["result"])
    assert report["page"] and report["inverse"] < 1e-9 and report["polynomial"] == 7
    assert report["bokeh"] == load_pins().version("bokeh")
    assert [m for m in report["imported"] if not m.startswith("panel.io.")] == [], report["imported"]
    assert result["loaded"] < 0.2, result  # every package was already loaded


def test_the_service_worker_knows_the_size_of_every_file_as_served(demo_site):
    """The footer's button says how much is left to download (static/updates.js): sw.js has each file's size."""
    sizes = sw_constant(demo_site, "SITE_FILES")
    files = {p.relative_to(demo_site).as_posix(): p.stat().st_size for p in demo_site.rglob("*") if p.is_file()}
    del files["sw.js"]  # written last, never stored; version.json always comes from the network
    del files["version.json"]
    for name in ["pyodide/pyodide.asm.wasm", "pyodide/pyodide.asm.js", "demo.preview.json", *PAGE_SCRIPTS]:
        del files[name]  # pages fetch them gzipped (web/precompress.py)
        assert f"{name}.gz" in sizes
    assert sizes == {**files, "./": files["index.html"]}  # the pages with their build hash stamped in
    assert sizes[f"pyodide/{SNAPSHOT_FILE}"] == (demo_site / "pyodide" / SNAPSHOT_FILE).stat().st_size  # gzipped


def test_the_service_worker_names_what_a_page_starts_with_and_the_later_visit_bundle(demo_site):
    """A first visit stores only what its page fetched: what every app page starts with, not the data, the packages
    loaded on import or on demand, nor the bundle, which a return visit fetches."""
    bundles = {kind: f"pyodide/{name}" for kind, name in bundle_files(demo_site).items()}
    page_files, sizes = sw_constant(demo_site, "PAGE_FILES"), sw_constant(demo_site, "SITE_FILES")
    assert set(page_files) <= set(sizes) and sw_constant(demo_site, "BUNDLE_FILES") == bundles
    assert {"loader.js", "worker.js", f"pyodide/{SNAPSHOT_FILE}"} <= set(page_files)
    for name in ["pyodide/pyodide.asm.wasm", "pyodide/pyodide.asm.js", *PAGE_SCRIPTS]:
        assert f"{name}.gz" in page_files and name not in page_files, name
    assert [f for f in page_files if "/nn_playground-" in f or "/numpy-" in f]
    assert not [f for f in page_files if re.search(r"\.html$|^data/|/(matplotlib|pandas)-|snapshot-packages", f)]
    pages = {page.stem for page in demo_site.glob("*.html")}
    assert not [f for f in page_files if f.split(".")[0] in pages]  # a page's own files: the page names them
    assert not {"sw.js", "version.json", *bundles.values()} & set(page_files)
