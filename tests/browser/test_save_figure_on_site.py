"""Save figure on the built site: the sandbox and the MNIST lab draw their figures with matplotlib inside the Web
Worker, loaded on the first save (not at start-up), and the browser downloads a PNG or SVG of the live state."""

import io
import time
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest

from playground.figures import mnist
from playground.figures.sandbox import SIZES, TITLES

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "figures"


@pytest.fixture(scope="module")
def site_url(full_site_url):
    return full_site_url


def _open(offline_page, url):
    """The page, loaded and ready, with matplotlib not among what it fetched."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page = offline_page.page
    page.goto(url)
    assert offline_page.wait_until_settled(timeout_ms=240_000) == "ready", page.locator("#pg-loader").text_content()
    page.get_by_role("button", name="Save figure").wait_for(timeout=30_000)
    loaded = page.evaluate("performance.getEntriesByType('resource').map(e => e.name)")
    assert not any("matplotlib" in url for url in loaded), "matplotlib must not load at start-up"
    return page


def _save(page, title, fmt, timeout_ms):
    """Choose the view and the format on the page, press Save figure; the downloaded file's name and bytes."""
    page.get_by_label("Figure of").select_option(label=title)
    page.get_by_role("button", name=fmt, exact=True).click()
    page.wait_for_timeout(500)  # the choices reach the worker before the click
    with page.expect_download(timeout=timeout_ms) as download:
        page.get_by_role("button", name="Save figure").click()
    path = download.value.path()
    return download.value.suggested_filename, open(path, "rb").read()


def test_save_figure_downloads_a_png_and_an_svg_drawn_in_the_browser(site_url, offline_page):
    from matplotlib.image import imread

    page = _open(offline_page, site_url + "sandbox.html")
    page.get_by_role("button", name="Epoch").click()  # one epoch of training first

    started = time.monotonic()
    name, png = _save(page, TITLES["boundary"], "PNG", timeout_ms=240_000)
    first = time.monotonic() - started
    assert name == "sandbox-boundary.png"
    assert imread(io.BytesIO(png), format="png").shape[:2] == SIZES["boundary"][::-1]
    (ARTIFACTS / "browser-sandbox-boundary.png").write_bytes(png)

    started = time.monotonic()
    name, svg = _save(page, TITLES["network"], "SVG", timeout_ms=120_000)
    again = time.monotonic() - started
    assert name == "sandbox-network.svg"
    assert ElementTree.fromstring(svg).tag == "{http://www.w3.org/2000/svg}svg"
    (ARTIFACTS / "browser-sandbox-network.svg").write_bytes(svg)
    print(f"first save (loads matplotlib) {first:.1f} s, second save {again:.1f} s")
    offline_page.screenshot("-saved")
    assert offline_page.blocked == [] and offline_page.errors == []


def test_the_mnist_lab_saves_its_filters_and_what_the_network_looks_at(site_url, offline_page):
    from matplotlib.image import imread

    page = _open(offline_page, site_url + "mnist.html")
    name, png = _save(page, mnist.TITLES["filters"], "PNG", timeout_ms=240_000)
    assert name == "mnist-filters.png"
    assert imread(io.BytesIO(png), format="png").shape[:2] == mnist.SIZES["filters"][::-1]
    (ARTIFACTS / "browser-mnist-filters.png").write_bytes(png)
    name, png = _save(page, mnist.TITLES["saliency"], "PNG", timeout_ms=120_000)
    assert name == "mnist-saliency.png"
    (ARTIFACTS / "browser-mnist-saliency.png").write_bytes(png)
    offline_page.screenshot("-saved")
    assert offline_page.blocked == [] and offline_page.errors == []
