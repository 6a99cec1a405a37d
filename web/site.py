"""Build the static site: pages, the Pyodide distribution, the Panel stack's wheels and assets, the project's
own wheel and the offline cache. The same inputs give the same bytes (tests hash the tree twice).

    site/index.html, <slug>.html     home page and one page per declared page (web/pages.py)
    site/<slug>.preview.json         each app page's first look, shown until Python is ready (web/preview.py)
    site/loader.js worker.js boot.py the one loader of every page and the Python side of the worker
    site/sw.js                       the service worker; its cache name holds the build hash
    site/version.json                the build hash, which pages compare with their own to offer a new version
    site/pyodide/                    pyodide-lock.json, the wheels, and (self-hosted) the core
    site/static/bokeh, static/panel  BokehJS and Panel's JS/CSS, copied out of the wheels
    site/data/                       data files apps fetch when they need them (playground/core/site_data.py)
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from playground.core.site_data import SERVED
from web import startup_modules
from web.bytecode import compile_site_wheels
from web.katex import copy_katex
from web.lesson_pages import catalogue, lesson_pages, write_module, write_pages
from web.pages import PAGE_SCRIPTS, PageLike, app_page, check_pages, home_page
from web.pins import load_pins
from web.precompress import SUFFIX as GZIPPED
from web.precompress import precompress, stored_gzipped
from web.preview import SUFFIX as PREVIEW_SUFFIX
from web.preview import write_previews
from web.project_wheel import build_wheel
from web.pyodide_dist import DistError, assemble
from web.site_wheels import copy_assets, site_wheels
from web.snapshot import BUNDLE_PREFIX, SNAPSHOT_FILE, write_packages_snapshot, write_snapshot
from web.start_packages import page_packages, write_start

STATIC = Path(__file__).with_name("static")
TEMPLATES = Path(__file__).with_name("templates")
PYODIDE_MODES = ("self-hosted", "cdn")


@dataclass(frozen=True)
class SiteSummary:
    files: list[Path]
    total_bytes: int
    page_bytes: int  # what one app page loads from the site (all pages share everything but their HTML)
    build_hash: str


def build_site(
    out: Path,
    pages: Iterable[PageLike],
    *,
    pyodide: str = "self-hosted",
    cdn_url: str | None = None,
    packages_from: str | None = None,
    app_modules: Iterable[Path] = (),
    lessons: Iterable = (),
    later_visits: bool = True,
    report: Callable[[str], None] = lambda line: None,
) -> SiteSummary:
    """Write the whole site into `out` (replacing it).

    pyodide: "self-hosted" (everything from the site) or "cdn" (Pyodide's core and packages from `cdn_url`,
    by default the pinned official CDN; the site's own wheels still from the site). app_modules: extra
    single-file modules shipped in the project wheel (a test's demo page). lessons: checked Lessons
    (playground.lessons.load_all), one page each (web/lesson_pages.py). later_visits=False leaves out the bundles
    later visits restore, which only a service worker's cache serves (the lesson preview runs without one: 25 s
    less). report: told each stage.
    """
    pins = load_pins()
    pages, lessons = list(pages), lesson_pages(list(lessons))
    check_pages(pages + lessons)
    if pyodide not in PYODIDE_MODES:
        raise DistError(f"--pyodide must be one of {', '.join(PYODIDE_MODES)}, not {pyodide!r}")
    if pyodide == "cdn" and packages_from:
        raise DistError("--packages-from only applies to a self-hosted build (--pyodide self-hosted)")
    cdn_url = (cdn_url or pins.cdn_url) if pyodide == "cdn" else None
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    with tempfile.TemporaryDirectory() as tmp:
        report("Panel stack: pinned pure wheels, pure builds, slimmed Bokeh and Panel")
        wheels = site_wheels(pins, Path(tmp))
        requires = project_requires(pins)
        modules = [*app_modules, write_module(lessons, Path(tmp))] if lessons else list(app_modules)
        report("project wheel: nn_core and playground" + "".join(f" + {Path(m).name}" for m in modules))
        wheels.append(build_wheel(Path(tmp), requires=requires, extra_modules=modules))
        report(f"previews: the first look of {len(pages) + len(lessons)} app page(s), built in CPython")
        write_previews(out, pages + lessons, module_dirs={Path(module).parent for module in modules})
        where = f"from {cdn_url}" if cdn_url else "self-hosted, every file checked against the official lock"
        report(f"Pyodide {pins.pyodide_version} ({where}) and {', '.join(pins.site_packages)} with dependencies")
        assemble(
            out / "pyodide",
            pins.served_packages,
            packages_from=packages_from,
            extra_wheels=wheels,
            dropped=pins.site_dropped,
            cdn_url=cdn_url,
            pins=pins,
        )
    report("Python's start: a memory snapshot taken on Node, restored by every first visit")
    snapshot = write_snapshot(out / "pyodide")
    report("bytecode: the site's wheels precompiled by Pyodide's CPython (cached), at start-up modules only")
    at_start = page_packages(json.loads((out / "pyodide" / "pyodide-lock.json").read_text()))
    compile_site_wheels(
        out / "pyodide", keep_source=["nn-playground"], startup_only=at_start, startup_modules=startup_modules.load()
    )
    report("BokehJS and Panel's JS/CSS copied out of the wheels")
    copy_assets(pins, out / "static")
    if lessons:
        report("KaTeX for the lessons' maths")
        copy_katex(out / "static" / "katex")
    report(f"pages: home + {len(pages)} app page(s) + {len(lessons)} lesson(s)")
    shutil.copytree(STATIC, out, dirs_exist_ok=True)
    bundles = {}
    if not cdn_url and later_visits:  # the bundle holds the wheels' code as served: only a self-hosted site has them
        report("Python's start with the packages imported: a snapshot restored by later visits, from the cache")
        bundles = write_packages_snapshot(
            out / "pyodide", out / "boot.py", entry_modules(pages + lessons), load_pins().site_on_import
        )
    gzipped = precompress(out / "pyodide")  # after the Node scripts above, which read the plain runtime
    write_start(out / "pyodide", snapshot=snapshot, bundle=bundles, gzipped=gzipped)
    precompress(out, [*PAGE_SCRIPTS, *(f"{page.slug}{PREVIEW_SUFFIX}" for page in pages + lessons)])
    for url, source in SERVED.items():  # data an app fetches when it first needs it, not in the wheel
        (out / url).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, out / url)
    (out / "index.html").write_text(home_page(pages, catalogue(lessons)))
    write_pages(out, lessons, cdn_url or "pyodide/")
    for page in pages:
        (out / f"{page.slug}.html").write_text(app_page(page, cdn_url or "pyodide/"))
    build_hash = write_service_worker(out, cdn_url)
    stamp_build(out, build_hash)
    report(f"service worker: cache nn-playground-{build_hash}")
    files = sorted(p for p in out.rglob("*") if p.is_file())
    lock = json.loads((out / "pyodide" / "pyodide-lock.json").read_text())
    loaded = page_packages(lock)
    on_demand = {entry["file_name"] for name, entry in lock["packages"].items() if name not in loaded}
    gzipped = stored_gzipped(out)
    shared = [
        f
        for f in files
        if f.suffix != ".html"
        and f.name not in on_demand
        and f.relative_to(out).as_posix() not in gzipped
        and _loaded_by_pages(f.relative_to(out))
    ]
    page_html = max((len(app_page(page, cdn_url or "pyodide/")) for page in pages), default=0)
    page_html += max((f.stat().st_size for f in files if f.name.endswith(PREVIEW_SUFFIX + GZIPPED)), default=0)
    return SiteSummary(
        files, sum(f.stat().st_size for f in files), sum(f.stat().st_size for f in shared) + page_html, build_hash
    )


def project_requires(pins) -> list[str]:
    """The project wheel's Requires-Dist: the whole stack, so one loadPackage(["nn-playground"]) loads it all."""
    return [*pins.site_packages, *(pin.name for pin in pins.site_wheels), *(b.name for b in pins.pure_builds)]


def entry_modules(pages: Iterable[PageLike]) -> set[str]:
    """The modules the pages' entries name ("module:function")."""
    return {page.entry.partition(":")[0] for page in pages}


def _loaded_by_pages(relative: Path) -> bool:
    """Whether every app page loads this file (the runtime, the wheels, the scripts; not Panel's spare CSS, nor
    the snapshot bundle, which pages read only from the cache, nor a page's own preview)."""
    parts = relative.parts
    if relative.name.startswith(BUNDLE_PREFIX) or PREVIEW_SUFFIX in relative.name:
        return False
    return parts[0] == "pyodide" or len(parts) == 1 or relative.as_posix().removesuffix(GZIPPED) in PAGE_SCRIPTS


def stamp_build(out: Path, build_hash: str) -> None:
    """Write the build hash into version.json and into every page's nn-playground-build meta (the pages were hashed
    without it), so that a page can tell when the server has another build (static/updates.js)."""
    for page in out.glob("*.html"):
        page.write_text(stamped(page.read_text(), build_hash))
    (out / "version.json").write_text(json.dumps({"build": build_hash}) + "\n")


def stamped(html: str, build_hash: str) -> str:
    """`html` carrying `build_hash` in its nn-playground-build meta."""
    return re.sub(r'(<meta name="nn-playground-build" content=")[^"]*', rf"\g<1>{build_hash}", html)


def write_service_worker(out: Path, cdn_url: str | None) -> str:
    """Write sw.js with the site's files and each one's size in bytes as served (null for a CDN's, whose size the build
    does not know), the files every app page loads as it starts (stored when a page is ready), the files it stores
    inflated (the snapshots of Python's start, as start.json names them), the later-visit bundles ({kind: file}, the
    browser's kind fetched on a return visit) and a hash of every file's content; return the hash."""
    start = json.loads((out / "pyodide" / "start.json").read_text())
    bundles = {kind: f"pyodide/{entry['file']}" for kind, entry in start.get("bundle", {}).items()}
    inflated = [f"pyodide/{SNAPSHOT_FILE}", *bundles.values()]
    digest = hashlib.sha256()
    sizes: dict[str, int | None] = {}
    for path in sorted(p for p in out.rglob("*") if p.is_file()):
        relative = path.relative_to(out).as_posix()
        digest.update(relative.encode() + b"\0" + hashlib.sha256(path.read_bytes()).digest())
        for url in ["./", relative] if relative == "index.html" else [relative]:
            sizes[url] = path.stat().st_size
    build_hash = digest.hexdigest()[:16]
    gzipped = stored_gzipped(out)
    for name in gzipped:  # pages fetch the gzipped file instead (web/precompress.py)
        sizes.pop(name, None)
    for url in [url for url in sizes if url == "./" or url.endswith(".html")]:  # as stamp_build leaves them
        sizes[url] = len(stamped((out / (url if url != "./" else "index.html")).read_text(), build_hash).encode())
    lock = json.loads((out / "pyodide" / "pyodide-lock.json").read_text())
    if cdn_url:
        sizes |= {cdn_url + name: None for name in load_pins().core_files}
        sizes |= {
            e["file_name"]: None
            for e in sorted(lock["packages"].values(), key=lambda e: e["file_name"])
            if e["file_name"].startswith(cdn_url)
        }
    sw = (TEMPLATES / "sw.js").read_text()
    sw = sw.replace("{{build_hash}}", build_hash).replace("{{site_files}}", json.dumps(sizes, indent=0))
    starting = [url for url in page_files(out, lock, cdn_url, gzipped) if url in sizes]  # only what the list has
    sw = sw.replace("{{page_files}}", json.dumps(starting, indent=0))
    sw = sw.replace("{{inflated_files}}", json.dumps(inflated)).replace("{{bundle_files}}", json.dumps(bundles))
    (out / "sw.js").write_text(sw)
    return build_hash


def page_files(out: Path, lock: dict, cdn_url: str | None, gzipped: set[str]) -> list[str]:
    """What every app page loads as it starts, as sw.js names it: the scripts and styles beside the pages (not sw.js
    nor version.json, nor a page's own files, `<slug>.*`, which the page names itself), BokehJS and Panel's script,
    Pyodide's core as the worker loads it, the lock, start.json, the small snapshot and the wheels of the packages
    loaded at start (not those loaded on import or on demand, nor the later-visit bundle). `gzipped`: the files stored
    gzipped (web/precompress.py), which pages fetch as such."""
    slugs = {page.stem for page in out.glob("*.html")}
    files = [
        *(p.name for p in sorted(out.glob("*")) if p.is_file() and p.name.split(".")[0] not in slugs),
        *PAGE_SCRIPTS,
        *((cdn_url + name) if cdn_url else f"pyodide/{name}" for name in load_pins().core_files if ".mjs" not in name),
        "pyodide/pyodide-lock.json",
        "pyodide/start.json",
        f"pyodide/{SNAPSHOT_FILE}",
    ]
    wheels = sorted(lock["packages"][name]["file_name"] for name in page_packages(lock))
    files += [name if "://" in name else f"pyodide/{name}" for name in wheels]
    files = [f"{f}{GZIPPED}" if f in gzipped else f for f in files]
    return [f for f in files if f not in ("sw.js", "version.json") and (cdn_url and "://" in f or (out / f).is_file())]
