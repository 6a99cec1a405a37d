"""The real sandbox page on the built site: it loads from the site alone, trains when Play is pressed
(in the Web Worker) with the loss falling on screen, and pauses."""

import time

import pytest

from playground.pages import PAGES
from web.site import build_site


@pytest.fixture(scope="module")
def sandbox_url(tmp_path_factory, serve_module):
    site = tmp_path_factory.mktemp("real") / "site"
    build_site(site, [page for page in PAGES if page.slug == "sandbox"])
    return serve_module(site).url + "sandbox.html"


def status(page):
    """The sandbox's own status line (#pg-status, inside its pane's shadow root)."""
    element = page.locator("#pg-status")
    return {key: element.get_attribute(f"data-{key}") for key in ("state", "epoch", "train-loss")}


def test_play_trains_the_network_in_the_worker_and_pause_stops_it(sandbox_url, offline_page):
    page = offline_page.page
    page.goto(sandbox_url)
    assert offline_page.wait_until_settled(timeout_ms=180_000) == "ready", page.locator("#pg-loader").text_content()
    page.locator("#pg-status").wait_for(timeout=30_000)
    before = status(page)
    assert before["state"] == "ready" and before["epoch"] == "0"
    offline_page.screenshot("-ready")

    page.get_by_role("button", name="Play").click()
    for _ in range(120):  # the loss must fall on screen within a minute of training in the worker
        page.wait_for_timeout(500)
        if status(page)["state"] == "running" and int(status(page)["epoch"]) >= 5:
            break
    assert status(page)["state"] == "running" and int(status(page)["epoch"]) >= 5, status(page)
    clicked = time.monotonic()
    page.get_by_role("button", name="Pause").click()
    # The click is handled between two training ticks in the worker, but the page applies the worker's redraws
    # one by one and can fall behind while training runs: the latency (printed) is issue 6's 200 ms target,
    # not yet met; this test checks that pausing works at all.
    while status(page)["state"] != "paused" and time.monotonic() - clicked < 60:
        page.wait_for_timeout(100)
    print(f"paused within {time.monotonic() - clicked:.1f} s")
    paused = status(page)
    page.wait_for_timeout(1_000)
    assert status(page) == paused and paused["state"] == "paused"
    assert float(paused["train-loss"]) < float(before["train-loss"])
    offline_page.screenshot("-trained")
    assert offline_page.blocked == []
    assert offline_page.errors == []
