"""The repeat visit restores Python's saved start (a Pyodide memory snapshot in the Cache API) instead of starting
it again; a damaged snapshot or a new build falls back to the normal start, which saves a fresh one."""

import os
import shutil

import pytest

SNAPSHOT_KEYS = """async () => {
  const cache = await caches.open("nn-playground-snapshot");
  return (await cache.keys()).map((request) => request.url);
}"""
DAMAGE = """async () => {
  const cache = await caches.open("nn-playground-snapshot");
  for (const request of await cache.keys()) {
    const saved = await cache.match(request);
    const memory = new Uint8Array(await saved.arrayBuffer());
    memory[memory.length >> 1] ^= 0xff;  // one flipped byte in the middle of Python's memory
    await cache.put(request, new Response(memory, { headers: saved.headers }));
  }
}"""


@pytest.fixture
def site(demo_site, tmp_path):
    """The demo site hard-linked into a folder of its own, so a test can change a file."""
    shutil.copytree(demo_site, tmp_path / "site", copy_function=os.link)
    return tmp_path / "site"


def visit(offline_page, url):
    offline_page.page.goto(url)
    assert offline_page.wait_until_settled() == "ready", offline_page.page.locator("#pg-loader").text_content()
    return offline_page.page.evaluate("window.nnPlayground.snapshot")


def test_the_second_visit_restores_the_saved_start_and_the_app_works(serve, offline_page, site, demo_page):
    url = f"{serve(site).url}{demo_page.slug}.html"
    assert visit(offline_page, url) == "made"
    assert visit(offline_page, url) == "restored"
    offline_page.page.get_by_role("button", name="Count a click").click()
    offline_page.page.get_by_text("clicks: 1").wait_for(timeout=30_000)
    offline_page.screenshot()
    assert offline_page.errors == [] and offline_page.blocked == []


def test_a_damaged_snapshot_means_a_normal_start_that_saves_a_new_one(serve, offline_page, site, demo_page):
    url = f"{serve(site).url}{demo_page.slug}.html"
    assert visit(offline_page, url) == "made"
    offline_page.page.evaluate(DAMAGE)
    assert visit(offline_page, url) == "made"
    assert visit(offline_page, url) == "restored"


def test_a_new_build_does_not_restore_the_old_builds_snapshot(serve, offline_page, site, demo_page):
    url = f"{serve(site).url}{demo_page.slug}.html"
    assert visit(offline_page, url) == "made"
    [old_key] = offline_page.page.evaluate(SNAPSHOT_KEYS)
    lock = site / "pyodide" / "pyodide-lock.json"
    text = lock.read_text()
    lock.unlink()  # hard-linked: write a new file, the shared one stays as it was
    lock.write_text(text + "\n")  # a new build: another lock digest
    assert visit(offline_page, url) == "made"
    [new_key] = offline_page.page.evaluate(SNAPSHOT_KEYS)
    assert new_key != old_key
