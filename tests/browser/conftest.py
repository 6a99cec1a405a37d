"""Headless Chromium (Debian's, driven by Playwright) against the built site served on 127.0.0.1.

Every request to a host other than 127.0.0.1 is aborted and recorded, so a test can assert the page
works offline. Screenshots go to test-artifacts/ for a person to look at.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import threading
from pathlib import Path
from urllib.parse import urlparse

import pytest

from web.chromium import CHROMIUM_ARGS
from web.serve import make_server

ARTIFACTS = Path(__file__).resolve().parent.parent.parent / "test-artifacts"
LESSONS = Path(__file__).resolve().parent.parent.parent / "lessons"


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


class Server:
    """A site served on 127.0.0.1 from a background thread until stop()."""

    def __init__(self, directory: Path, cors: bool = False):
        self.httpd = make_server(directory, port=0, cors=cors)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def stop(self):
        if self.httpd.socket.fileno() != -1:
            self.httpd.shutdown()
            self.httpd.server_close()


@pytest.fixture(scope="session")
def site_url(demo_site):
    server = Server(demo_site)
    yield server.url
    server.stop()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    executable = shutil.which("chromium")
    if executable is None:
        pytest.fail("Debian's chromium is not installed: `make test` installs it (apt-get install chromium)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class OfflinePage:
    """A fresh browser context whose requests outside 127.0.0.1 are blocked and counted; `options` go to
    new_context (a touch screen, reduced motion...). Pages start without their preview (web/preview.py: a 404, which
    the loader takes as no preview) unless `previews`: drawing it costs each start a second or two of the page's CPU,
    which the whole browser run could not afford; tests/browser/test_first_look.py and the other browsers' visits
    (crossbrowser/) draw it."""

    def __init__(self, browser, name: str, service_workers: str = "block", previews: bool = False, **options):
        self.name = name
        self.previews = previews
        self.blocked: list[str] = []
        self.errors: list[str] = []
        # Service workers are blocked unless a test is about them: what they fetch may bypass routing.
        options = {"viewport": {"width": 1280, "height": 800}, **options}
        self.context = browser.new_context(service_workers=service_workers, **options)
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))

    def _route(self, route):
        url = route.request.url
        if not self.previews and ".preview.json" in urlparse(url).path:
            return route.fulfill(status=404, body="")
        if url.startswith(("data:", "blob:")) or urlparse(url).hostname == "127.0.0.1":
            return route.continue_()
        self.blocked.append(url)
        return route.abort()

    def screenshot(self, suffix: str = "") -> Path:
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / f"{self.name}{suffix}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path

    def wait_until_settled(self, timeout_ms: int = 120_000) -> str:
        """Wait for the loader to reach ready or error; return the state. (While a new document loads, the loader is
        not there yet.)"""
        self.page.wait_for_function(
            "['ready', 'error'].includes(document.getElementById('pg-loader')?.dataset.state)", timeout=timeout_ms
        )
        return self.page.locator("#pg-loader").get_attribute("data-state")


@pytest.fixture
def offline_page(browser, request):
    page = OfflinePage(browser, request.node.name)
    yield page
    page.context.close()


@pytest.fixture
def preview_page(browser, request):
    """An OfflinePage whose pages draw their preview."""
    page = OfflinePage(browser, request.node.name, previews=True)
    yield page
    page.context.close()


def _servers():
    """serve(directory, cors=False) -> a running Server, each stopped when the fixture ends (if still running)."""
    servers = []

    def start(directory: Path, cors: bool = False) -> Server:
        servers.append(Server(directory, cors))
        return servers[-1]

    yield start
    for server in servers:
        server.stop()


serve = pytest.fixture(_servers)
serve_module = pytest.fixture(_servers, scope="module", name="serve_module")


@pytest.fixture
def page_with_service_worker(browser, request):
    page = OfflinePage(browser, request.node.name, service_workers="allow", previews=True)  # the site as it is stored
    yield page
    page.context.close()


@pytest.fixture(scope="session")
def full_site(tmp_path_factory):
    """The real site, every page and every stock lesson, built once for the browser tests that only read it (a build
    takes a minute or more on a busy machine); its folder (a test that stops its server serves it itself). Under
    pytest-xdist the workers share one build: the first to need it builds it, holding a lock the others wait on."""
    from playground.lessons import load_all
    from playground.pages import PAGES
    from web.site import build_site

    shared = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        shared = shared.parent  # this run's folder, common to its workers (the workers' own are inside it)
    site = shared / "full-site"
    with open(shared / "full-site.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        if not (shared / "full-site.built").exists():
            shutil.rmtree(site, ignore_errors=True)  # a build interrupted by a failure
            build_site(site, PAGES, lessons=load_all(LESSONS))
            (shared / "full-site.built").touch()
    return site


@pytest.fixture(scope="session")
def full_site_url(full_site):
    """The shared real site (full_site) served; its URL."""
    server = Server(full_site)
    yield server.url
    server.stop()


@pytest.fixture(scope="session")
def app_page_url(full_site_url):
    """url(slug): the URL of the real page `slug` (playground/pages.py) on the shared site."""
    return lambda slug: full_site_url + f"{slug}.html"
