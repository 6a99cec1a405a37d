"""`nn-playground lesson serve` as an author sees it: a lesson open in the browser follows each save without a manual
reload, and a broken save shows its FILE:LINE in the page over the last good version until it is fixed. The site holds
one lesson and no other page (the first build is the slow part)."""

import shutil
import threading
from pathlib import Path

import pytest

from tests.browser.conftest import LESSONS, OfflinePage
from web.lesson_preview import LessonFolder, PreviewSite, watch
from web.preview_server import make_preview_server

SLUG = "01-one-neuron"


@pytest.fixture(scope="module")
def preview(tmp_path_factory):
    """The lesson's folder and the URL of its page, served by the preview with the folder watched."""
    from web.site import build_site

    tmp = tmp_path_factory.mktemp("lesson-preview")
    folder = tmp / "lessons"
    folder.mkdir()
    shutil.copyfile(LESSONS / f"{SLUG}.md", folder / f"{SLUG}.md")
    lessons = LessonFolder(folder)
    lessons.refresh()
    build_site(tmp / "site", [], lessons=lessons.lessons(), later_visits=False)
    site = PreviewSite(tmp / "site", lessons, [], "pyodide/")
    server = make_preview_server(site, port=0)
    stop = threading.Event()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    threading.Thread(target=watch, args=(site, print, stop), daemon=True).start()
    yield folder / f"{SLUG}.md", f"http://127.0.0.1:{server.server_address[1]}/lesson-{SLUG}.html"
    stop.set()
    server.shutdown()
    server.server_close()


@pytest.fixture
def page(browser, request):
    page = OfflinePage(browser, request.node.name)
    yield page
    page.context.close()


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


def test_a_saved_sentence_shows_in_the_open_page_by_itself(preview, page):
    path, url = preview
    page.page.goto(url)
    page.page.get_by_text("A neuron computes").wait_for()
    page.page.evaluate("window.notReloaded = true")
    edit(path, "A neuron computes", "A saved neuron computes")
    page.page.get_by_text("A saved neuron computes").wait_for(timeout=5_000)
    assert page.page.evaluate("window.notReloaded === undefined")  # the preview reloaded it, not the test
    assert page.blocked == []


def test_a_broken_save_shows_file_and_line_in_the_page_until_it_is_fixed(preview, page):
    path, url = preview
    page.page.goto(url)
    banner = page.page.locator("#pg-preview-problems")
    page.page.get_by_text("neuron computes").first.wait_for()
    good = path.read_text()
    edit(path, "level: beginner", "level: expert")
    try:
        banner.wait_for(timeout=5_000)
        assert f"{SLUG}.md:4: level: expected one of beginner" in banner.inner_text()
        assert banner.get_attribute("role") == "alert" and "last good version" in banner.inner_text()
        assert page.page.locator("h1").inner_text() == "One neuron draws a straight line"  # the last good page stays
        heading, top = page.page.get_by_text("Lesson 1 of 1").bounding_box(), banner.bounding_box()
        assert heading["y"] >= top["y"] + top["height"]  # the banner hides none of the page
        page.screenshot()
    finally:  # the next tests start from the good lesson whatever happened here
        path.write_text(good)
    banner.wait_for(state="detached", timeout=5_000)


def test_with_service_workers_allowed_a_save_still_shows_and_nothing_is_stored(preview, browser, request):
    # The site's own worker answers from its cache first; the preview's sw.js removes itself and the caches instead.
    path, url = preview
    page = OfflinePage(browser, request.node.name, service_workers="allow")
    try:
        page.page.goto(url)
        page.page.get_by_text("neuron computes").first.wait_for()
        page.page.wait_for_timeout(1_000)  # time for updates.js to register sw.js and for it to install
        edit(path, "neuron computes", "neuron with a worker computes")
        page.page.get_by_text("neuron with a worker computes").wait_for(timeout=5_000)
        assert page.page.evaluate("navigator.serviceWorker.controller") is None
        assert page.page.evaluate("caches.keys()") == []
    finally:
        page.context.close()
