"""The glass box in the MNIST lab on the built site (Python in the page's worker): the code tab made when first
opened, the engine's Conv2D as it runs, and one step of the default CNN walked through line by line to a
convolution's output: its channels as images, its block marked in the diagram (at a desktop's width).
Prints how long each line's view took to appear (docs/benchmarks.md)."""

import time
from functools import partial

import pytest
from playwright.sync_api import expect
from test_sandbox_on_site import wait_until

# The row of the block the diagram marks (BlockDiagram.highlight: 0 the input's, -1 the first layer's), read from
# BokehJS, or null while no block is marked.
MARKED_ROW = """() => {
  const view = Bokeh.index.query_one((view) => Object.keys(view.model.data_source?.data ?? {}).join() === "y");
  const rows = Array.from(view.model.data_source.data.y);
  return rows.length ? rows[0] : null;
}"""


@pytest.fixture(scope="module")
def mnist_url(app_page_url):
    return app_page_url("mnist")


def seconds_until(condition):
    """Seconds until `condition()` (a Playwright wait) returns."""
    started = time.perf_counter()
    condition()
    return time.perf_counter() - started


def test_a_step_walked_through_to_a_convolutions_output_shows_its_channels_and_marks_its_block(mnist_url, offline_page):
    page = offline_page.page
    width, height = 1400, 900  # (at 390 px the images wrap three a row: looked at once, left to the layout tests)
    page.set_viewport_size({"width": width, "height": height})
    page.goto(mnist_url)
    assert offline_page.wait_until_settled(timeout_ms=180_000) == "ready"
    page.locator("#pg-status").wait_for(timeout=60_000)
    page.get_by_role("tab", name="The engine's code").click()
    code = page.locator(".pg-code")
    assert wait_until(page, lambda: code.count() == 1 and "def train_step(" in code.text_content())
    page.get_by_role("combobox", name="Code of").select_option("Conv2D.backward")
    assert wait_until(page, lambda: "def backward(self, grad_y: np.ndarray) -> np.ndarray:" in code.text_content())
    assert "grad_padded = scatter_windows(d_cols, self.padded_shape, self.stride)" in code.text_content()

    page.get_by_role("button", name="Run one step, line by line").click()
    lines = page.get_by_role("combobox", name="Line that ran")
    assert wait_until(page, lambda: lines.input_value().startswith("1. train_step: called with x, y"))
    assert page.get_by_text("Step 1 ran").count() == 1 and page.evaluate(MARKED_ROW) is None
    options = lines.locator("option").all_text_contents()
    output = next(option for option in options if "Conv2D.forward: return" in option)  # the first convolution's
    lines.select_option(output)
    maps = page.locator(".pg-maps img")
    took = seconds_until(lambda: maps.nth(7).wait_for(timeout=30_000))
    assert maps.count() == 8 and page.get_by_text("8 channels of 26×26", exact=False).count() == 1
    assert maps.first.evaluate("image => image.complete && image.naturalWidth") == 26  # a PNG the page could read
    assert page.get_by_text("example 1 of the batch of 32").count() >= 1
    assert wait_until(page, lambda: page.evaluate(MARKED_ROW) == -1)  # layer 0's block, below the input's
    walked = []  # seconds from a click on Next line to that line's arrays on screen
    for expected in options[options.index(output) + 1 :][:5]:  # into the ReLU, layer 1
        page.get_by_role("button", name="Next line ▶").click()
        walked.append(seconds_until(partial(expect(lines).to_have_value, expected, timeout=30_000)))
    print(f"{width} px: the conv output's view {1000 * took:.0f} ms after choosing it; Next line: "
          + ", ".join(f"{1000 * seconds:.0f}" for seconds in walked) + " ms")  # fmt: skip
    assert wait_until(page, lambda: page.evaluate(MARKED_ROW) == -2)  # the ReLU's block

    lines.select_option(output)  # back to the convolution's output for the screenshot
    assert wait_until(page, lambda: page.evaluate(MARKED_ROW) == -1 and maps.count() == 8)
    page.locator(".pg-maps").scroll_into_view_if_needed()
    offline_page.screenshot()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert offline_page.blocked == [] and offline_page.errors == []
