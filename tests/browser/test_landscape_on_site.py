"""The loss landscape on the built site (Python in the page's worker): drawn while training, with the path on it; a
click on the slice gives the network those weights, and "Back to the trained weights" returns. Beside it, the same
run's gradient norms per layer."""

import time

from test_glass_box_on_site import open_tab, sandbox_url  # noqa: F401 - the fixture
from test_sandbox_on_site import status, wait_until

TAB = "Loss landscape"
# The landscape's plot: where (a, b) of the slice is in the window, through BokehJS's views.
SLICE_POINT = """([a, b]) => {
  const renderer = Bokeh.index.query_one((view) => view.model.glyph?.type === "Image");
  const plot = renderer.parent;
  const box = plot.canvas_view.el.getBoundingClientRect();
  return { x: box.left + plot.frame.x_scale.compute(a), y: box.top + plot.frame.y_scale.compute(b) };
}"""


def test_the_landscape_follows_training_and_a_click_tries_the_weights_there(sandbox_url, offline_page):  # noqa: F811
    page = offline_page.page
    page.set_viewport_size({"width": 1024, "height": 768})
    page.goto(sandbox_url)
    assert offline_page.wait_until_settled(timeout_ms=180_000) == "ready"
    page.locator("#pg-status").wait_for(timeout=30_000)
    started = time.monotonic()
    open_tab(page, TAB)
    told = page.get_by_text("The training loss on a 21×21 grid")
    assert wait_until(page, lambda: told.count() == 1)
    print(f"the first slice on screen {time.monotonic() - started:.1f} s after opening the tab")
    page.get_by_role("button", name="Play").click()
    assert wait_until(page, lambda: int(status(page)["epoch"]) >= 20)
    page.get_by_role("button", name="Pause").click()
    assert wait_until(page, lambda: status(page)["state"] == "paused")
    page.get_by_role("combobox", name="Directions").select_option("the two main directions of the path so far")
    assert wait_until(page, lambda: told.count() == 1)
    told.scroll_into_view_if_needed()
    offline_page.screenshot("-path")
    point = page.evaluate(f"({SLICE_POINT})([0.3, -0.2])")
    page.mouse.click(point["x"], point["y"])
    loaded = page.get_by_text("The network now has the weights at")
    assert wait_until(page, lambda: loaded.count() == 1)
    offline_page.screenshot("-loaded")
    page.get_by_role("button", name="Back to the trained weights").click()
    assert wait_until(page, lambda: loaded.count() == 0 and told.count() == 1)
    open_tab(page, "Doctor")  # the same run's gradient norms per layer: healthy, so no finding
    assert wait_until(page, lambda: page.get_by_text("Each line is a weight matrix's gradient norm").count() == 1)
    offline_page.screenshot("-gradients")
    open_tab(page, TAB)
    page.set_viewport_size({"width": 390, "height": 844})  # a phone: the slice scales down, no sideways scroll
    told.scroll_into_view_if_needed()
    assert wait_until(page, lambda: page.evaluate("document.scrollingElement.scrollWidth") <= 390)
    offline_page.screenshot("-phone")
    assert offline_page.blocked == [] and offline_page.errors == []
