"""Every visit restores Python's start from the site's snapshot (web/snapshot.py) instead of starting Python; a
damaged or missing snapshot falls back to the normal start, and the page works either way."""

import gzip
import os
import random
import shutil

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
