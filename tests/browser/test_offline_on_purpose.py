"""What the site stores in the browser (templates/sw.js, static/updates.js): a first visit only what its page fetched;
a return visit also the later-visit bundle, which the visit after restores; the whole site only when the student
presses "Make this site available offline" in a page's footer, which shows the size, the progress, then the line
saying the site works offline, and, when storing fails, why in words with "Try again". Screenshots go to
test-artifacts/."""

import json
import os
import re
import shutil

import pytest

SAVED = "Saved in this browser: the playground now works offline, without the internet."
OFFER = re.compile(r"Make this site available offline \((\d+(\.\d)?) MB\)")

# Every URL the service worker's cache holds, relative to the site, without a query.
STORED = """async (base) => {
  const urls = [];
  for (const name of await caches.keys()) {
    const cache = await caches.open(name);
    for (const request of await cache.keys()) urls.push(request.url.replace(base, "").split("?")[0]);
  }
  return urls;
}"""


def ready(visit, url):
    visit.page.goto(url)
    assert visit.wait_until_settled(240_000) == "ready", visit.page.locator("#pg-loader").text_content()


def stored_after_ready(visit):
    """The cache's URLs once what the ready page asked the service worker to store is stored."""
    visit.page.wait_for_function("window.nnPlayground.pageStored", timeout=120_000)
    return set(visit.page.evaluate(STORED, visit.page.url.rsplit("/", 1)[0] + "/"))


def test_a_first_visit_stores_only_what_its_page_fetched(full_site, full_site_url, page_with_service_worker):
    visit, page = page_with_service_worker, page_with_service_worker.page
    ready(visit, full_site_url + "sandbox.html")
    assert page.evaluate("window.nnPlayground.snapshot") == "restored"  # the small snapshot: no bundle yet
    page.wait_for_timeout(3_000)  # anything more the service worker might start storing
    stored = stored_after_ready(visit)
    bundle = json.loads((full_site / "pyodide" / "start.json").read_text())["bundle"]["shared"]["file"]
    assert {"sandbox.html", "loader.js", "pyodide/snapshot.bin.gz"} <= stored
    assert "pyodide/pyodide.asm.wasm.gz" in stored  # Pyodide's runtime, as the site stores it (web/precompress.py)
    assert {url for url in stored if url.endswith(".html") or url in ("", "./")} == {"sandbox.html"}
    pages = {page.stem for page in full_site.glob("*.html")} - {"sandbox"}
    assert not [url for url in stored if url.split(".")[0] in pages]  # no other page's own files (its preview)
    assert not [url for url in stored if url.startswith("data/")]
    assert not [url for url in stored if re.match(r"pyodide/(matplotlib|pandas)-", url)]
    assert f"pyodide/{bundle}" not in stored
    # The footer offers the rest, with its size: what the site has beyond what is stored.
    button = page.get_by_role("button", name=OFFER)
    button.wait_for(timeout=30_000)
    offered = float(OFFER.search(button.text_content()).group(1))
    site_mb = sum(f.stat().st_size for f in full_site.rglob("*") if f.is_file()) / 1e6
    assert 20 < offered < site_mb - 20, (offered, site_mb)
    assert page.locator("#pg-offline").count() == 0 and page.evaluate("window.nnPlayground.offline") is False
    visit.screenshot()
    assert visit.errors == [] and visit.blocked == []


def test_a_return_visit_fetches_the_bundle_and_the_next_visit_restores_it(
    full_site, full_site_url, page_with_service_worker
):
    visit, page = page_with_service_worker, page_with_service_worker.page
    bundle = "pyodide/" + json.loads((full_site / "pyodide" / "start.json").read_text())["bundle"]["shared"]["file"]
    url = full_site_url + "sandbox.html"
    ready(visit, url)
    assert bundle not in stored_after_ready(visit)
    ready(visit, url)  # the return visit: its page was stored before it began
    assert page.evaluate("window.nnPlayground.snapshot") == "restored"
    assert bundle in stored_after_ready(visit)  # fetched after the page was ready
    ready(visit, url)
    assert page.evaluate("window.nnPlayground.snapshot") == "packages"
    assert visit.errors == [] and visit.blocked == []


def test_the_offline_button_stores_the_whole_site_and_the_pages_then_open_offline(
    full_site, serve, page_with_service_worker
):
    visit, page = page_with_service_worker, page_with_service_worker.page
    server = serve(full_site)
    page.set_viewport_size({"width": 390, "height": 844})  # a phone: the footer fits
    page.goto(server.url)
    button = page.get_by_role("button", name=OFFER)
    button.wait_for(timeout=30_000)
    visit.screenshot("-offered")
    button.focus()
    assert page.evaluate("document.activeElement.matches(':focus-visible')")
    page.keyboard.press("Enter")
    page.locator("#pg-offline-box progress").wait_for(timeout=10_000)
    assert re.fullmatch(r"\d+(\.\d)? of \d+ MB", page.locator(".pg-offline-amount").text_content())
    visit.screenshot("-storing")
    offline = page.locator("#pg-offline")
    offline.wait_for(timeout=180_000)
    assert offline.text_content() == SAVED
    assert page.locator("#pg-offline-box button, #pg-offline-box progress").count() == 0
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    visit.screenshot("-saved")

    server.stop()
    for slug in ("mnist", "lesson-01-one-neuron"):
        ready(visit, f"{server.url}{slug}.html")
        assert page.evaluate("window.nnPlayground.snapshot") == "packages"  # the bundle came with the site
        offline.wait_for(timeout=30_000)
        assert page.get_by_role("button", name=OFFER).count() == 0
        visit.screenshot(f"-offline-{slug}")
    ready(visit, f"{server.url}mnist.html")
    assert float(page.locator("#pg-status").get_attribute("data-test-loss")) > 0  # the digits, from the cache
    assert visit.errors == [] and visit.blocked == []


@pytest.fixture
def site_without_digits(full_site, tmp_path):
    """The full site hard-linked, without the MNIST digits (a test puts them back)."""
    copy = tmp_path / "site"
    shutil.copytree(full_site, copy, copy_function=os.link)
    (copy / "data" / "small_mnist.bin.gz").unlink()
    return copy


def test_storing_that_fails_says_why_and_offers_to_try_again(
    full_site, site_without_digits, serve, page_with_service_worker
):
    visit, page = page_with_service_worker, page_with_service_worker.page
    server = serve(site_without_digits)
    page.goto(server.url)
    page.get_by_role("button", name=OFFER).click(timeout=30_000)
    again = page.get_by_role("button", name="Try again")
    again.wait_for(timeout=120_000)
    line = page.locator("#pg-offline-box [role=status]").text_content()
    assert line.startswith("Saving the site stopped: the server did not send data/small_mnist.bin.gz."), line
    assert "does not work offline yet" in line and page.locator("#pg-offline").count() == 0
    assert page.evaluate("document.activeElement.textContent") == "Try again"  # the focus followed
    visit.screenshot("-failed")

    os.link(full_site / "data" / "small_mnist.bin.gz", site_without_digits / "data" / "small_mnist.bin.gz")
    page.keyboard.press("Enter")
    page.locator("#pg-offline").wait_for(timeout=180_000)
    assert page.get_by_role("button", name="Try again").count() == 0
    assert visit.errors == [] and visit.blocked == []


def test_without_service_workers_no_button_is_offered(full_site_url, offline_page):
    page = offline_page.page
    page.goto(full_site_url)
    page.wait_for_timeout(2_000)
    assert page.locator("#pg-offline-box").count() == 0
    assert offline_page.errors == [] and offline_page.blocked == []
