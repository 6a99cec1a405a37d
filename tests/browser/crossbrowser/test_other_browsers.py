"""The home page, the sandbox, the MNIST lab and a lesson in Debian's Firefox ESR and WebKitGTK (the other browser
tests run Chromium): each page starts, trains when Play is pressed, logs no console error, and leaves a screenshot,
test-artifacts/crossbrowser-<browser>-<page>.png, for a person to look at. One session of each browser visits the
four pages in turn, so the later pages start as a student's next page does (the service worker's cache).
other_browsers.py drives the browsers; `make test` installs them."""

from pathlib import Path

import pytest
from other_browsers import BrowserError, open_browser, visit

# Selenium's own client warns of its own deprecated call.
pytestmark = pytest.mark.filterwarnings("ignore:setting remote_server_addr:DeprecationWarning")
PROJECT = Path(__file__).resolve().parents[3]
ARTIFACTS = PROJECT / "test-artifacts"
# page: how far training must go after Play (the status line's counter, how much); None: a page without a playground.
VISITED = {
    "index.html": None,
    "sandbox.html": ("epoch", 2),
    "mnist.html": ("step", 20),  # an epoch of the lab takes 250 steps, 20 s or more
    "lesson-01-one-neuron.html": ("epoch", 2),
}

# In WebKitGTK here (under Xvfb) the MNIST lab's first look can set off JavaScript that allocates without end: the web
# process grows by gigabytes and never paints, so the page stays at "Loading the Python runtime" (1 load in 2 to 7 in
# session 17; never without the first look, never in Chromium or Firefox; docs/architecture.md). WebKit opens the lab
# from a link with a setting, which starts without a first look.
WEBKIT_LINKS = {"mnist.html": "mnist.html?preset=small-cnn"}


@pytest.fixture(scope="module")
def site_url(full_site, serve_module):
    """The shared real site (conftest's full_site), served for this module: its service worker's cache is the
    browsers' own."""
    return serve_module(full_site).url


@pytest.fixture(scope="module", params=["Firefox", "WebKit"])
def visits(request, site_url):
    """The four pages visited in one session of the browser: {page: Visit}."""
    try:
        browser = open_browser(request.param)
    except BrowserError as error:
        pytest.fail(str(error))
    ARTIFACTS.mkdir(exist_ok=True)
    try:
        visits = {}
        for page, goal in VISITED.items():
            shot = ARTIFACTS / f"crossbrowser-{request.param.lower()}-{page.removesuffix('.html')}.png"
            try:
                link = WEBKIT_LINKS.get(page, page) if request.param == "WebKit" else page
                visits[page] = visit(browser, site_url + link, shot, goal)
            except Exception as error:  # the driver or the browser failed: say where
                pytest.fail(f"{request.param}, {page}: {type(error).__name__}: {error}")
            print(visits[page])
        return visits
    finally:
        browser.close()


def test_every_page_starts(visits):
    problems = [
        f"{v.where}: the playground did not start ({v.loader}) after {v.ready_s:.0f} s: {v.message!r}"
        for page, v in visits.items()
        if v.loader != ("ready" if VISITED[page] else None)
    ]
    assert not problems, "\n".join(problems)


def test_play_trains(visits):
    problems = [
        f"{v.where}: {VISITED[page][0]} not {VISITED[page][1]} further {v.train_s:.0f} s after Play: status {v.status}"
        for page, v in visits.items()
        if v.trained is False
    ]
    assert not problems, "\n".join(problems)
    assert all(v.trained for page, v in visits.items() if VISITED[page]), "a page that should train was not played"


def test_no_console_error(visits):
    problems = [f"{v.where}: {error}" for v in visits.values() for error in v.errors]
    assert not problems, f"{len(problems)} console error(s):\n" + "\n".join(problems)
