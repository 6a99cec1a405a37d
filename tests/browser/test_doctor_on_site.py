"""The failure doctor on the built site (Python in the page's worker): a link plants the dead-ReLU network (learning
rate 3, ReLU, hidden layers 8,8); Play, and the doctor names the dead neurons while the diagram crosses them and
counts them above their layer; "Reinitialise the dead neurons" brings them back."""

import time

from test_glass_box_on_site import open_tab, sandbox_url  # noqa: F401 - the fixture
from test_sandbox_on_site import status, wait_until

PLANTED = "?learning_rate=3&activation=relu&hidden_layers=8,8"


def test_the_doctor_finds_the_planted_dead_relus_and_the_remedy_revives_them(sandbox_url, offline_page):  # noqa: F811
    page = offline_page.page
    page.set_viewport_size({"width": 1024, "height": 768})
    page.goto(sandbox_url + PLANTED)
    assert offline_page.wait_until_settled(timeout_ms=180_000) == "ready"
    page.locator("#pg-status").wait_for(timeout=30_000)
    open_tab(page, "Doctor")
    assert wait_until(page, lambda: page.get_by_text("Nothing wrong found").count() == 1)
    page.get_by_role("button", name="Play").click()
    started = time.monotonic()
    finding = page.get_by_text("Dead ReLUs.")
    assert wait_until(page, lambda: finding.count() == 1, seconds=30)
    print(f"dead ReLUs named {time.monotonic() - started:.1f} s after Play, at epoch {status(page)['epoch']}")
    page.get_by_role("button", name="Pause").click()
    assert wait_until(page, lambda: status(page)["state"] == "paused")
    counted = page.get_by_role("img", name="of 8 dead")  # "· 3✕" above the diagram's columns
    assert counted.count() >= 1 and page.get_by_role("link", name="Lesson 15: the failure doctor").count() == 1
    finding.scroll_into_view_if_needed()
    offline_page.screenshot("-found")  # docs/images/doctor.png is cut from it
    page.get_by_role("button", name="Reinitialise the dead neurons").click()
    assert wait_until(page, lambda: page.get_by_text("Nothing wrong found").count() == 1 and counted.count() == 0)
    offline_page.screenshot("-revived")
    assert offline_page.blocked == [] and offline_page.errors == []
