"""The MNIST lab on the site reads its digits from the file the site serves beside the pages (not from the
project's wheel), and a missing or damaged file is explained on the page."""

import os
import shutil

import pytest

from playground.core.site_data import MNIST_URL
from playground.pages import PAGES
from web.site import build_site

MNIST_PAGE = next(page for page in PAGES if page.slug == "mnist")


@pytest.fixture(scope="module")
def mnist_site(tmp_path_factory):
    out = tmp_path_factory.mktemp("mnist") / "site"
    build_site(out, [MNIST_PAGE], later_visits=False)  # first visits only: no bundles to make
    return out


def damaged_copy(site, folder, content):
    """The site hard-linked into `folder`, with the data file replaced by `content` (None: removed)."""
    shutil.copytree(site, folder, copy_function=os.link)
    (folder / MNIST_URL).unlink()
    if content is not None:
        (folder / MNIST_URL).write_bytes(content)
    return folder


def test_the_lab_fetches_its_digits_from_the_site_file(serve_module, offline_page, mnist_site):
    server = serve_module(mnist_site)
    fetched = []
    offline_page.context.on("request", lambda request: fetched.append(request.url))
    offline_page.page.goto(f"{server.url}{MNIST_PAGE.slug}.html")
    assert offline_page.wait_until_settled(240_000) == "ready", offline_page.page.locator("#pg-loader").text_content()
    status = offline_page.page.locator("#pg-status")
    assert status.get_attribute("data-state") == "ready"
    assert float(status.get_attribute("data-test-loss")) > 0  # evaluated on real digits
    assert f"{server.url}{MNIST_URL}" in fetched
    offline_page.screenshot()
    assert offline_page.blocked == [] and offline_page.errors == []


@pytest.mark.parametrize(
    "content, message",
    [
        (None, "small_mnist.bin.gz failed to load (HTTP 404)"),
        (b"<html>a proxy's error page</html>", "the small-MNIST data is damaged or from another version"),
    ],
    ids=["missing", "damaged"],
)
def test_a_missing_or_damaged_file_is_explained_on_the_page(
    serve, offline_page, mnist_site, tmp_path, content, message
):
    server = serve(damaged_copy(mnist_site, tmp_path / "site", content))
    offline_page.page.goto(f"{server.url}{MNIST_PAGE.slug}.html")
    assert offline_page.wait_until_settled(240_000) == "error"
    text = offline_page.page.locator("#pg-loader").text_content()
    offline_page.screenshot()
    assert text.startswith("The playground could not start: ") and message in text, text
    assert "Traceback" not in text and "DataError" not in text


def test_the_lab_works_offline_once_the_site_is_saved_for_offline_use(serve, page_with_service_worker, mnist_site):
    server, visit = serve(mnist_site), page_with_service_worker
    url = f"{server.url}{MNIST_PAGE.slug}.html"
    visit.page.goto(url)
    assert visit.wait_until_settled(240_000) == "ready"
    # A first visit stores what its page fetched; the digits, which the lab's worker fetched before the service
    # worker was in charge, come with the whole site (the footer's button).
    visit.page.get_by_role("button", name="Make this site available offline").click(timeout=60_000)
    visit.page.wait_for_function("window.nnPlayground.offline", timeout=120_000)
    server.stop()
    visit.page.goto(url)  # the data file now comes from the service worker's cache
    assert visit.wait_until_settled(240_000) == "ready", visit.page.locator("#pg-loader").text_content()
    assert float(visit.page.locator("#pg-status").get_attribute("data-test-loss")) > 0
    assert visit.blocked == []
