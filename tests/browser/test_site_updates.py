"""A new build on the server (static/updates.js, templates/sw.js): a page the service worker stored says, quietly, that
a new version is there, with a Reload button (the first thing the keyboard reaches), and the reload shows the new
site, also when the host still serves the old sw.js; the page never reloads by itself. Once stored, the pages say
that they work offline, and offline they offer nothing. Screenshots go to test-artifacts/."""

import os
import shutil

import pytest

from web.site import stamp_build, write_service_worker

NOTICE = "A new version of this page is available."


@pytest.fixture
def site(tmp_path, demo_site):
    """A copy of the demo site whose top-level files a test may change (the rest shares demo_site's files)."""
    copy = tmp_path / "site"
    shutil.copytree(demo_site, copy, copy_function=os.link)
    for path in copy.glob("*.*"):
        path.unlink()
        shutil.copyfile(demo_site / path.name, path)
    return copy


def deploy_a_new_build(site, keep_service_worker=False):
    """What a new build changes on the server: a page (its title here), the build hash in sw.js, in the pages and in
    version.json; keep_service_worker: a host that goes on serving the old sw.js. Returns the new build hash."""
    old_worker = (site / "sw.js").read_text()
    for name in ("sw.js", "version.json"):
        (site / name).unlink()
    for page in site.glob("*.html"):
        page.write_text(page.read_text().replace("<h1>", "<h1>New build: "))
    build = write_service_worker(site, None)
    stamp_build(site, build)
    if keep_service_worker:
        (site / "sw.js").write_text(old_worker)
    return build


def first_visit(visit, url):
    """The app ready, and the whole site stored by the service worker once the student pressed the footer's button."""
    visit.page.goto(url)
    assert visit.wait_until_settled() == "ready", visit.page.locator("#pg-loader").text_content()
    visit.page.get_by_role("button", name="Make this site available offline").click(timeout=60_000)
    visit.page.wait_for_function("window.nnPlayground.offline", timeout=120_000)


def count_navigations(page):
    navigations = []
    page.on("framenavigated", lambda frame: frame == page.main_frame and navigations.append(frame.url))
    return navigations


@pytest.mark.parametrize("keep_service_worker", [False, True], ids=["new-sw", "old-sw"])
def test_a_new_build_is_offered_and_the_reload_shows_it(
    site, serve, page_with_service_worker, demo_page, keep_service_worker
):
    visit, page = page_with_service_worker, page_with_service_worker.page
    server = serve(site)
    first_visit(visit, f"{server.url}{demo_page.slug}.html")
    assert page.locator("#pg-update").count() == 0
    build = deploy_a_new_build(site, keep_service_worker)

    page.goto(server.url)  # the home page, stored with the whole site: the old one, saying so
    page.locator("#pg-update").wait_for(timeout=30_000)
    assert page.locator("#pg-offline").is_visible()
    visit.screenshot("-home")
    page.goto(f"{server.url}{demo_page.slug}.html")
    assert visit.wait_until_settled() == "ready"
    page.get_by_text(NOTICE).wait_for(timeout=30_000)
    assert not page.locator("h1").text_content().startswith("New build")  # the stored page, until the student reloads
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Reload"  # the first stop of the keyboard
    page.get_by_role("button", name="Count a click").click()  # the page goes on working meanwhile
    page.get_by_text("clicks: 1").wait_for(timeout=10_000)
    visit.screenshot("-offered")

    page.get_by_role("button", name="Reload").focus()
    navigations = count_navigations(page)
    with page.expect_navigation(timeout=60_000):
        page.keyboard.press("Enter")
    assert visit.wait_until_settled() == "ready"
    assert page.locator("h1").text_content().startswith("New build")
    assert page.locator('meta[name="nn-playground-build"]').get_attribute("content") == build
    page.wait_for_timeout(3_000)
    assert page.locator("#pg-update").count() == 0 and len(navigations) == 1, navigations
    visit.screenshot("-reloaded")
    assert visit.errors == [] and visit.blocked == []


def test_offline_the_pages_say_they_work_offline_and_offer_no_new_version(
    serve, page_with_service_worker, demo_site, demo_page
):
    visit, page = page_with_service_worker, page_with_service_worker.page
    server = serve(demo_site)
    first_visit(visit, f"{server.url}{demo_page.slug}.html")
    offline = page.locator("#pg-offline")
    assert offline.text_content() == "Saved in this browser: the playground now works offline, without the internet."
    server.stop()
    for name, url in (("app", f"{server.url}{demo_page.slug}.html"), ("home", server.url)):
        page.goto(url)
        offline.wait_for(timeout=30_000)
        if name == "app":
            assert visit.wait_until_settled() == "ready"
        page.wait_for_timeout(2_000)  # time for version.json to fail
        assert page.locator("#pg-update").count() == 0
        visit.screenshot(f"-{name}")
    assert visit.errors == [] and visit.blocked == []
