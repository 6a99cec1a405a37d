"""The home page, the sandbox, the MNIST lab and a lesson in Debian's Firefox ESR and WebKitGTK (the other browser
tests run Chromium): each page starts, trains when Play is pressed, logs no console error, and leaves a screenshot,
test-artifacts/crossbrowser-<browser>-<page>.png, for a person to look at. One session of each browser visits the
four pages in turn, so the later pages start as a student's next page does (the service worker's cache); then the
sandbox once more, where its first look is drawn again to see that its figures' canvases keep their size.
other_browsers.py drives the browsers; `make test` installs them."""

import time
from pathlib import Path

import pytest
from other_browsers import BrowserError, open_browser, settled, visit, wait_for

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

# The sandbox's first look (its preview file) drawn again into the ready page, as loader.js draws it, while the tallest
# canvas BokehJS sizes is recorded; resolves to that height in pixels. Without loader.js's wrapper of
# CanvasView._update_bbox, WebKit measured each figure before applying its styles and grew the canvases to
# 33,554,432 px, for 13 s.
DRAW_FIRST_LOOK_AGAIN = """(() => {
  window.pgTallestCanvas = null;
  const own = Object.getOwnPropertyDescriptor(HTMLCanvasElement.prototype, "height");
  let tallest = 0;
  Object.defineProperty(HTMLCanvasElement.prototype, "height", {
    configurable: true, get: own.get, set(value) { tallest = Math.max(tallest, value); own.set.call(this, value); },
  });
  (async () => {
    const json = JSON.parse(await new Response(inflatedBody((await fetch("sandbox.preview.json.gz")).body)).text());
    const holder = document.body.appendChild(document.createElement("div"));
    const items = json.render_items;
    items[0].root_ids = json.root_ids;
    items[0].roots = Object.fromEntries(json.root_ids.map((id, i) => {
      const element = holder.appendChild(document.createElement("div"));
      element.id = `pg-again-${i}`;
      return [id, element.id];
    }));
    await Bokeh.embed.embed_items(json.docs_json, items);
    await new Promise((done) => setTimeout(done, 1000));  // its layout settles
    return { tallest };
  })().then((result) => { window.pgTallestCanvas = result; })
    .catch((err) => { window.pgTallestCanvas = { error: String(err) }; })
    .finally(() => Object.defineProperty(HTMLCanvasElement.prototype, "height", own));
})()"""


@pytest.fixture(scope="module")
def site_url(full_site, serve_module):
    """The shared real site (conftest's full_site), served for this module: its service worker's cache is the
    browsers' own."""
    return serve_module(full_site).url


@pytest.fixture(scope="module", params=["Firefox", "WebKit"])
def browser(request):
    """One session of the browser for the module's tests."""
    try:
        browser = open_browser(request.param)
    except BrowserError as error:
        pytest.fail(str(error))
    yield browser
    browser.close()


@pytest.fixture(scope="module")
def visits(browser, site_url):
    """The four pages visited in the browser's session: {page: Visit}."""
    ARTIFACTS.mkdir(exist_ok=True)
    visits = {}
    for page, goal in VISITED.items():
        shot = ARTIFACTS / f"crossbrowser-{browser.name.lower()}-{page.removesuffix('.html')}.png"
        try:
            visits[page] = visit(browser, site_url + page, shot, goal)
        except Exception as error:  # the driver or the browser failed: say where
            pytest.fail(f"{browser.name}, {page}: {type(error).__name__}: {error}")
        print(visits[page])
    return visits


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


def test_a_first_look_drawn_again_keeps_its_canvases_the_size_of_their_figures(visits, browser, site_url):
    browser.goto(site_url + "sandbox.html")
    state = wait_for(browser, settled, 180)
    assert state["loader"] == "ready", state["message"]
    started = time.monotonic()
    browser.evaluate(DRAW_FIRST_LOOK_AGAIN)
    while not (result := browser.evaluate("window.pgTallestCanvas")) and time.monotonic() - started < 120:
        time.sleep(0.25)
    drawn_s = time.monotonic() - started
    assert result and "error" not in result, result
    # The sandbox's tallest figure, the network diagram, is 420 px tall; twice that allows a high-density screen.
    tallest = result["tallest"]
    assert tallest <= 2 * 420, f"{browser.name}: a canvas {tallest} px tall, drawn in {drawn_s:.0f} s"


def test_a_later_visit_restores_this_engines_bundle_and_trains(visits, browser, site_url):
    """The sandbox visited again, a return visit, whose service worker then stores this engine's later-visit bundle
    (WebKit's is the per-slot one: web/snapshot.py); the visit after it starts from that bundle and trains."""
    url = site_url + "sandbox.html"
    browser.goto(url)
    assert wait_for(browser, settled, 180)["loader"] == "ready"
    assert wait_for(browser, lambda state: state["pageStored"], 240)["pageStored"], "the bundle was not stored"
    shot = ARTIFACTS / f"crossbrowser-{browser.name.lower()}-sandbox-later-visit.png"
    later = visit(browser, url, shot, VISITED["sandbox.html"])
    print(later)
    assert (later.loader, later.start, later.trained) == ("ready", "packages", True), str(later)
    assert later.errors == []
