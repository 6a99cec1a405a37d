"""Every visit restores Python's start from one of the site's snapshots (web/snapshot.py) instead of starting
Python: the first the small one, later ones (from the service worker's cache) the bundle with the packages
imported. A damaged or missing snapshot falls back to the next best start, and the page works either way."""

import gzip
import json
import os
import random
import shutil
import struct

import pytest


@pytest.fixture
def site(demo_site, tmp_path):
    """The demo site hard-linked into a folder of its own, so a test can change a file."""
    shutil.copytree(demo_site, tmp_path / "site", copy_function=os.link)
    return tmp_path / "site"


def visit(offline_page, url):
    offline_page.page.goto(url)
    assert offline_page.wait_until_settled() == "ready", offline_page.page.locator("#pg-loader").text_content()
    offline_page.page.get_by_role("button", name="Count a click").click()
    offline_page.page.get_by_text("clicks: 1").wait_for(timeout=30_000)
    return offline_page.page.evaluate("window.nnPlayground.snapshot")


def test_the_first_visit_restores_the_sites_snapshot_and_the_app_works(serve, offline_page, site, demo_page):
    url = f"{serve(site).url}{demo_page.slug}.html"
    console = []
    offline_page.page.on("console", lambda message: console.append(message.text))
    assert visit(offline_page, url) == "restored"
    offline_page.screenshot()
    assert offline_page.errors == [] and offline_page.blocked == []
    assert not [line for line in console if "could not be restored" in line]


def test_each_visit_gets_its_own_random_numbers(serve, offline_page, site, demo_page):
    """The snapshot holds one interpreter state, `random` already imported; the worker reseeds it."""
    url = f"{serve(site).url}{demo_page.slug}.html"
    seeds = []
    for _ in range(2):
        offline_page.page.goto(url)
        assert offline_page.wait_until_settled() == "ready"
        seeds.append(offline_page.page.get_by_text("random draw:").text_content())
    assert seeds[0] != seeds[1], seeds


@pytest.mark.parametrize("damage", ["flipped byte", "missing"])
def test_a_damaged_or_missing_snapshot_means_a_normal_start(serve, offline_page, site, demo_page, damage):
    snapshot = site / "pyodide" / "snapshot.bin.gz"
    memory = bytearray(gzip.decompress(snapshot.read_bytes()))
    snapshot.unlink()  # hard-linked: write a new file (or none), the shared one stays as it was
    if damage == "flipped byte":
        memory[random.Random(0).randrange(len(memory))] ^= 0xFF
        snapshot.write_bytes(gzip.compress(bytes(memory)))
    assert visit(offline_page, f"{serve(site).url}{demo_page.slug}.html") == "none"


def visit_twice(page, url):
    """A first visit, on which the student makes the site available offline (the footer's button: the whole site, the
    later-visit bundle with it), then a second one: what each restored."""
    first = visit(page, url)
    page.page.get_by_role("button", name="Make this site available offline").click(timeout=60_000)
    page.page.wait_for_function("window.nnPlayground.offline", timeout=120_000)
    return first, visit(page, url)


def test_a_later_visit_restores_the_bundle_from_the_cache_with_the_page_already_imported(
    serve, page_with_service_worker, site, demo_page
):
    server = serve(site)
    requested = []
    page_with_service_worker.context.on("request", lambda request: requested.append(request.url))
    assert visit_twice(page_with_service_worker, f"{server.url}{demo_page.slug}.html") == ("restored", "packages")
    # A package the start left out still installs, its binary libraries loaded beside the restored ones.
    page_with_service_worker.page.get_by_role("button", name="Use pandas").click()
    page_with_service_worker.page.get_by_text("pandas 2.2.3: 200 rows, mean y").wait_for(timeout=60_000)
    page_with_service_worker.screenshot()
    # The first visit did not fetch the bundle: only the service worker did, once the button was pressed.
    bundle = json.loads((site / "pyodide" / "start.json").read_text())["bundle"]["shared"]["file"]
    assert [url for url in requested if url.endswith(bundle)] == [f"{server.url}pyodide/{bundle}"]
    assert page_with_service_worker.errors == [] and page_with_service_worker.blocked == []


def test_a_later_visits_worker_reads_what_is_stored_itself_not_through_the_service_worker(
    serve, page_with_service_worker, site, demo_page
):
    """In Firefox a worker's requests reach the service worker through the page's main thread, which is drawing the
    first look just as Python starts: worker.js reads the cache itself (`fetchAsIs`), and imports pyodide.js from it."""
    url = f"{serve(site).url}{demo_page.slug}.html"
    page = page_with_service_worker
    visit(page, url)
    page.page.get_by_role("button", name="Make this site available offline").click(timeout=60_000)
    page.page.wait_for_function("window.nnPlayground.offline", timeout=120_000)
    answered = []  # what the service worker answered on the later visit
    page.context.on("response", lambda response: response.from_service_worker and answered.append(response.url))
    assert visit(page, url) == "packages"
    names = {answer.split("?")[0].rsplit("/", 1)[-1] for answer in answered}
    assert "loader.js" in names, answered  # the page's own requests still go through it
    read_by_python = {
        "pyodide.js",
        "pyodide.asm.js.gz",
        "pyodide.asm.wasm.gz",
        "python_stdlib.zip",
        "pyodide-lock.json",
        "start.json",
        "boot.py",
        "snapshot.bin.gz",
    }
    assert not names & read_by_python, answered
    assert page.errors == [] and page.blocked == []


def test_a_bundle_whose_libraries_do_not_fit_means_the_small_snapshot(serve, page_with_service_worker, site, demo_page):
    """The restore checks the wasm table it rebuilt against the one recorded; on a mismatch it gives up cleanly
    (Pyodide's own loader put back) and the small snapshot starts the page."""
    path = site / "pyodide" / json.loads((site / "pyodide" / "start.json").read_text())["bundle"]["shared"]["file"]
    bundle = gzip.decompress(path.read_bytes())
    size = struct.unpack("<I", bundle[:4])[0]
    header = json.loads(bundle[4 : 4 + size])
    header["table"]["length"] += 1
    text = json.dumps(header, separators=(",", ":")).encode()  # as long as before: the parts stay where they were
    assert len(text) == size
    path.unlink()  # hard-linked: a new file, the shared one stays as it was
    path.write_bytes(gzip.compress(struct.pack("<I", len(text)) + text + bundle[4 + size :]))
    console = []
    page_with_service_worker.page.on("console", lambda message: console.append(message.text))
    assert visit_twice(page_with_service_worker, f"{serve(site).url}{demo_page.slug}.html") == ("restored", "restored")
    assert [line for line in console if "with packages could not be restored" in line]
