"""Live preview for lesson authors (`nn-playground lesson serve DIR`): a site built once, then kept up to date with
a folder of lessons while it is served (web/preview_server.py reloads the open pages and shows the problems).

A full build spends its time on what a lesson's Markdown does not change (Pyodide's distribution, the wheels, the
snapshots of Python's start), so after the first build a change rewrites only what depends on the lessons:

    lesson-<slug>.html        every lesson page (a few ms each: a title or `order` changes its neighbours' links and
                              "Lesson 3 of 10"), and the pictures they show
    index.html                the home page's catalogue
    pyodide/nn_playground-*   the project wheel with the new site_lessons.py, and its sha256 in pyodide-lock.json,
                              when a lesson's live part (header, placeholders) changed
    <slug>.preview.json(.gz)  that page's first look: built in CPython, 1 s warm, 3.5 s in a fresh process, too
                              slow to wait for, so the stale one is removed at once (the page starts without a first
                              look rather than with a wrong one) and the new one written in the background

The service worker's list and the build hash stay as built: the preview serves no service worker (see
web/preview_server.py), so nothing reads them, and the pages keep the build's hash so static/updates.js never offers
a new version. A file that fails `lesson check` keeps its last good page on the site; its problems are listed.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from playground.lessons import Lesson, LessonError, Problem, load_lesson
from playground.lessons.load import order_problems
from playground.lessons.render import lesson_images
from web.lesson_pages import IMAGES, LessonPage, catalogue, lesson_pages, live_part, page_html, write_module
from web.pages import PageLike, home_page
from web.pins import load_pins
from web.precompress import SUFFIX as GZIPPED
from web.precompress import precompress
from web.preview import SUFFIX as PREVIEW_SUFFIX
from web.preview import PreviewError, write_previews
from web.project_wheel import build_wheel
from web.site import project_requires, stamped

POLL_SECONDS = 0.25  # how often the folder is looked at: mtimes, portable, no dependency


class LessonFolder:
    """The lessons of a folder as last checked (`lesson check`'s checks): each file's last good Lesson, and the
    problems of the files that fail now. `refresh()` re-checks only the files whose size or mtime changed.

    After the first look, a version of a file that fails is said to fail only if the next look finds it unchanged:
    an editor that empties a file and then writes it (Python's `write_text` does) can be caught in between, and the
    half-written file's problems must not flash over the page. A file that passes is taken at once."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self.good: dict[Path, Lesson] = {}  # last good version of each lesson file still there
        self.failing: dict[Path, list[Problem]] = {}
        self._seen: dict[Path, tuple[int, int]] = {}
        self._unconfirmed: dict[Path, tuple[int, int]] = {}  # a failing version waiting for the next look
        self._looked = False

    def _stamps(self) -> dict[Path, tuple[int, int]]:
        """Every file of the folder (pictures too) with its mtime and size."""
        stamps = {}
        for path in self.folder.rglob("*"):
            try:
                if path.is_file():
                    stat = path.stat()
                    stamps[path] = (stat.st_mtime_ns, stat.st_size)
            except OSError:  # removed while looking
                continue
        return stamps

    def refresh(self) -> list[Path]:
        """Check the lesson files changed since the last call; return every file changed, added or removed."""
        stamps = self._stamps()
        changed = sorted({*stamps, *self._seen} - {p for p in stamps if self._seen.get(p) == stamps[p]})
        self._seen = dict(stamps)
        for path in changed:
            if path.suffix != ".md" or path.parent != self.folder:
                continue
            if path not in stamps:
                for held in (self.good, self.failing, self._unconfirmed):
                    held.pop(path, None)
                continue
            try:
                self.good[path] = load_lesson(path)
                self.failing.pop(path, None)
                self._unconfirmed.pop(path, None)
            except LessonError as error:
                if not self._looked or self._unconfirmed.get(path) == stamps[path]:
                    self.failing[path] = error.problems
                else:  # perhaps half-written: the next look checks it again (the last good page and problems stay)
                    self._seen.pop(path)
                self._unconfirmed[path] = stamps[path]
        self._looked = True
        return changed

    def lessons(self) -> list[Lesson]:
        """The lessons to publish, in curriculum order: each file's last good version."""
        return sorted(self.good.values(), key=lambda lesson: (lesson.order, lesson.path.name))

    def problems(self) -> list[Problem]:
        """What is wrong now: the failing files' problems and two lessons sharing an `order`."""
        lessons = sorted(self.good.values(), key=lambda lesson: lesson.path.name)
        return [*(p for problems in self.failing.values() for p in problems), *order_problems(lessons)]


@dataclass
class Update:
    """What one `PreviewSite.update()` did: the site files written or removed, the lessons whose live part changed."""

    written: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    live: list[str] = field(default_factory=list)
    seconds: float = 0.0


class PreviewSite:
    """A built site (web/site.py) kept up to date with `folder`: `update()` after each change, `build_previews()`
    for the first looks left to do, `tokens()` and `problems()` for the server."""

    def __init__(self, out: Path, folder: LessonFolder, pages: Iterable[PageLike], pyodide_url: str) -> None:
        self.out, self.folder, self.pages, self.pyodide_url = Path(out), folder, list(pages), pyodide_url
        self.build_hash = json.loads((self.out / "version.json").read_text())["build"]
        self._lock = threading.Lock()
        self._lessons: list[LessonPage] = []
        self._live: dict[str, str] = {}  # slug -> live part on the site now
        self._pending: set[str] = set()  # slugs whose first look is to be built
        self._failed: dict[str, str] = {}  # slug -> why its first look failed to build
        self._tokens: dict[str, str] = {}
        self._problems: list[str] = []
        self._adopt_build()

    def _adopt_build(self) -> None:
        """Take the lessons the first build published as the site's state."""
        self._lessons = lesson_pages(self.folder.lessons())
        self._live = {page.slug: live_part(page) for page in self._lessons}
        self._problems = [str(problem) for problem in self.folder.problems()]
        self._tokens = self._page_tokens()

    def update(self) -> Update:
        """Re-check the folder and rewrite what depends on the lessons that changed (nothing if none did)."""
        start = time.perf_counter()
        done = Update()
        if not self.folder.refresh():
            return done
        pages = lesson_pages(self.folder.lessons())
        live = {page.slug: live_part(page) for page in pages}
        if live != self._live:
            with tempfile.TemporaryDirectory(prefix="lesson-preview-") as module_dir:
                self._write_wheel(pages, Path(module_dir), done)
        done.live = [page.slug for page in pages if live[page.slug] != self._live.get(page.slug)]
        for index, page in enumerate(pages):
            self._write(f"{page.slug}.html", stamped(page_html(pages, index, self.pyodide_url), self.build_hash), done)
            for image in lesson_images(page.lesson):
                self._write(f"{IMAGES}{image}", (page.lesson.path.parent / image).read_bytes(), done)
        gone = {page.slug for page in self._lessons} - {page.slug for page in pages}
        self._write("index.html", stamped(home_page(self.pages, catalogue(pages)), self.build_hash), done)
        with self._lock:  # with the state: a first look built meanwhile must not come back after its removal
            for slug in [*sorted(gone), *done.live]:
                done.removed += self._remove(*([f"{slug}.html"] if slug in gone else []), *self._preview_files(slug))
            self._lessons, self._live = pages, live
            self._pending = (self._pending - gone) | set(done.live)
            for slug in [*gone, *done.live]:
                self._failed.pop(slug, None)
            self._problems = [str(problem) for problem in self.folder.problems()]
            self._tokens = self._page_tokens()
        done.seconds = time.perf_counter() - start
        return done

    def _write_wheel(self, pages: list[LessonPage], module_dir: Path, done: Update) -> None:
        """The project wheel with these lessons' site_lessons.py, and its sha256 in the lock (its name stays)."""
        wheel = build_wheel(module_dir, project_requires(load_pins()), [write_module(pages, module_dir)])
        self._write(f"pyodide/{wheel.name}", wheel.read_bytes(), done)
        lock_path = self.out / "pyodide" / "pyodide-lock.json"
        lock = json.loads(lock_path.read_text())
        lock["packages"]["nn-playground"]["sha256"] = hashlib.sha256(wheel.read_bytes()).hexdigest()
        self._write("pyodide/pyodide-lock.json", json.dumps(lock, indent=1, sort_keys=True), done)

    def build_previews(self) -> list[str]:
        """Build the first looks still to do (in fresh processes, as the build does) and put in place those whose
        lesson has not changed meanwhile; return their slugs."""
        with self._lock:
            pending = [page for page in self._lessons if page.slug in self._pending]
            live = dict(self._live)
        if not pending:
            return []
        installed = []
        # Inside the site: os.replace cannot move a file to another file system (/tmp often is one), and what a stopped
        # preview leaves behind goes with the next build.
        with tempfile.TemporaryDirectory(prefix=".first-looks-", dir=self.out) as tmp:
            write_module(pending, Path(tmp))
            built = []
            for page in pending:  # one by one: a failing page must not hold back the others
                try:
                    write_previews(Path(tmp), [page], module_dirs=[Path(tmp)], workers=1)
                    built += precompress(Path(tmp), [f"{page.slug}{PREVIEW_SUFFIX}"])
                except PreviewError as error:
                    with self._lock:
                        self._failed[page.slug] = str(error)
            with self._lock:
                for page in pending:
                    if self._live.get(page.slug) != live[page.slug]:
                        continue  # changed again: its own build is pending
                    self._pending.discard(page.slug)
                    if f"{page.slug}{PREVIEW_SUFFIX}{GZIPPED}" in built:
                        for name in self._preview_files(page.slug):
                            os.replace(Path(tmp) / name, self.out / name)
                        installed.append(page.slug)
                self._problems = [str(problem) for problem in self.folder.problems()]
        return installed

    def pending_previews(self) -> bool:
        with self._lock:
            return bool(self._pending)

    def tokens(self) -> dict[str, str]:
        """Each page of the site (`index.html`, `lesson-01-one-neuron.html`...) with a digest of what it shows: its
        HTML and, for a lesson, its live part. A page whose token changed reloads (web/preview_server.py)."""
        with self._lock:
            return dict(self._tokens)

    def problems(self) -> list[str]:
        """Every problem now, as `FILE:LINE: FIELD: message`, then the first looks that failed to build."""
        with self._lock:
            return [*self._problems, *self._failed.values()]

    def _page_tokens(self) -> dict[str, str]:
        live = {f"{slug}.html": part for slug, part in self._live.items()}
        return {
            page.name: hashlib.sha256(page.read_bytes() + live.get(page.name, "").encode()).hexdigest()[:16]
            for page in sorted(self.out.glob("*.html"))
        }

    @staticmethod
    def _preview_files(slug: str) -> tuple[str, str]:
        return f"{slug}{PREVIEW_SUFFIX}", f"{slug}{PREVIEW_SUFFIX}{GZIPPED}"

    def _write(self, name: str, content: str | bytes, done: Update) -> None:
        """Write the site's file `name` if its content differs, atomically: the server never sends half a file."""
        data = content.encode() if isinstance(content, str) else content
        target = self.out / name
        if target.is_file() and target.read_bytes() == data:
            return
        target.parent.mkdir(parents=True, exist_ok=True)
        part = target.with_name(f".{target.name}.part")
        part.write_bytes(data)
        os.replace(part, target)
        done.written.append(name)

    def _remove(self, *names: str) -> list[str]:
        removed = [name for name in names if (self.out / name).is_file()]
        for name in removed:
            (self.out / name).unlink()
        return removed


def watch(site: PreviewSite, report: Callable[[str], None], stop: threading.Event) -> None:
    """Look at the folder every POLL_SECONDS until `stop`: update the site, say what changed or what is wrong, and
    build the pending first looks in a thread of their own (the next change need not wait for them)."""
    shown: list[str] = site.problems()
    previews: threading.Thread | None = None
    while not stop.wait(POLL_SECONDS):
        try:
            done = site.update()
        except OSError as error:  # a picture removed between the check and the copy, a full disk: say it, go on
            report(f"the preview could not be updated: {error}")
            continue
        if done.written or done.removed:
            pages = sorted(name for name in done.written + done.removed if name.endswith(".html"))
            report(f"rebuilt in {done.seconds:.2f} s: {', '.join(pages) or 'no page changed'}")
        problems = site.problems()
        if problems != shown:
            report("\n".join(problems) if problems else "every lesson passes the check")
            shown = problems
        if site.pending_previews() and (previews is None or not previews.is_alive()):
            previews = threading.Thread(target=site.build_previews, name="lesson previews", daemon=True)
            previews.start()
