"""Odd links on the built site, on a first visit (Python started from the small snapshot, so boot.py sets the
link's query before any page module is imported): each page starts and names what it could not use in a notice no
wider than the page, where these links used to hang the start (Python's stack overflowing in Panel's query parsing,
a fatal error) or stop it ("invalid literal for int()"), or give a notice 68,000 pixels wide or 34,000 tall."""

import pytest

VIEWPORT_WIDTH = 1280  # the OfflinePage's viewport (tests/browser/conftest.py)


@pytest.fixture(scope="module")
def links_site_url(full_site_url):
    return full_site_url


def opened(offline_page, url):
    page = offline_page.page
    page.goto(url)
    assert offline_page.wait_until_settled(timeout_ms=180_000) == "ready", page.locator("#pg-loader").text_content()
    notice = page.locator("[role=alert]").first
    notice.wait_for(timeout=30_000)
    return page, notice


@pytest.mark.parametrize(
    ("query", "said"),
    [
        ("?foo=" + "[" * 250, "URL: foo: unknown setting, ignored"),
        ("?noise=%C2%B2", "URL: noise: cannot use '²' (not a number); keeping 0"),
        ("?colour=%E2%91%A0", "URL: colour: unknown setting, ignored"),
        ("?seed=" + "9" * 5000, "URL: seed: cannot use '" + "9" * 39 + "…' (5,000 characters: far too long)"),
        ("?noise=" + "x" * 10_000, "URL: noise: cannot use '" + "x" * 39 + "…' (10,000 characters: far too long)"),
        ("?" + "&".join(f"key{n}=1" for n in range(2000)), "URL: and 1,990 more settings the page could not use"),
    ],
    ids=["brackets", "superscript", "circled-digit", "huge-number", "long-value", "many-keys"],
)
def test_an_odd_link_starts_the_sandbox_with_a_notice_that_fits_the_page(links_site_url, offline_page, query, said):
    page, notice = opened(offline_page, links_site_url + "sandbox.html" + query)
    assert said in notice.text_content()
    box = notice.bounding_box()
    assert box["width"] <= VIEWPORT_WIDTH and box["height"] < 300
    assert page.evaluate("document.documentElement.scrollWidth") <= VIEWPORT_WIDTH
    assert notice.evaluate("element => getComputedStyle(element).overflowWrap") == "anywhere"
    assert offline_page.errors == [] and offline_page.blocked == []


def test_an_odd_link_starts_the_mnist_lab_with_its_notices(links_site_url, offline_page):
    query = "?foo=" + "[" * 250 + "&batch_size=%C2%B2&layers=conv%C2%B2k3&seed=" + "9" * 5000
    page, notice = opened(offline_page, links_site_url + "mnist.html" + query)
    text = notice.text_content()
    assert "URL: foo: unknown setting, ignored" in text and "batch_size: cannot use '²' (not a number)" in text
    assert "layers: cannot use 'conv²k3'" in text and "seed: cannot use '999" in text
    assert page.evaluate("document.documentElement.scrollWidth") <= VIEWPORT_WIDTH
    assert offline_page.errors == [] and offline_page.blocked == []
