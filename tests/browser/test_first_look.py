"""A page shows itself before Python is ready (web/preview.py, loader.js): the sandbox's controls, network diagram and
output map are on screen while the status says Python is starting; a click then is refused in words and the keyboard
does not reach the controls; when Python is ready the live page takes the preview's place without anything moving."""

import pytest
from test_sandbox_on_site import status, wait_until

PAGE_HOLDS = "() => window.nnPlayground.preview === 'shown'"
# The boxes of what a student sees first, inside the preview's or the live page's elements (`kind`).
BOXES = """(kind) => {
  const roots = [...document.querySelectorAll(`.${kind}`)];
  const deep = (root, selector) => [root, ...root.querySelectorAll("*")].flatMap((element) => element.shadowRoot
    ? [...element.shadowRoot.querySelectorAll(selector), ...deep(element.shadowRoot, selector)] : []);
  const seen = roots.flatMap((root) => [...deep(root, "button.bk-btn"), ...deep(root, "canvas")]);
  return seen.filter((element) => element.getBoundingClientRect().width > 0).slice(0, 100).map((element) => {
    const box = element.getBoundingClientRect();
    return [element.tagName, element.textContent.trim().slice(0, 20), box.x, box.y, box.width, box.height];
  });
}"""


def shift(before, after):
    """How far a box moved or changed size, in CSS pixels."""
    return max(abs(x - y) for x, y in zip(before[2:], after[2:], strict=True))


def hold_python(page):
    """Python's worker waits until the returned function is called (its script is held at the network)."""
    held = []
    page.route("**/worker.js", lambda route: held.append(route))
    return lambda: [route.continue_() for route in held]


@pytest.mark.parametrize("size", [(1024, 768)], ids=["1024"])  # one size: each start is a minute of the browser run
def test_the_sandbox_shows_itself_while_python_starts_and_hands_over_in_place(full_site_url, preview_page, size):
    page = preview_page.page
    width, height = size
    page.set_viewport_size({"width": width, "height": height})
    release = hold_python(page)
    page.goto(full_site_url + "sandbox.html")
    page.wait_for_function(PAGE_HOLDS, timeout=60_000)
    assert page.evaluate("window.nnPlayground.state") == "loading"
    assert "Loading the Python runtime" in page.locator("#pg-loader").text_content()
    assert page.locator("#pg-waking").is_visible()
    preview_page.screenshot("-preview")
    before = page.evaluate(BOXES, "pg-preview")
    labels = {label for _, label, *_ in before}
    assert {"▶ Play", "Step", "Reset", "Circle", "Spiral", "+ Add layer"} <= labels
    assert sum(tag == "CANVAS" for tag, *_ in before) >= 3  # the diagram, the loss chart, the output map
    # A click on Play is not taken, and says so; Tab does not go into controls that cannot work yet.
    play = next(box for box in before if box[1] == "▶ Play")
    page.mouse.click(play[2] + play[4] / 2, play[3] + play[5] / 2)
    assert "Not yet" in page.locator("#pg-waking").text_content()
    for _ in range(3):
        page.keyboard.press("Tab")
    assert page.evaluate("!document.activeElement.closest('.pg-preview')")
    release()
    assert preview_page.wait_until_settled(timeout_ms=180_000) == "ready"
    assert page.evaluate("window.nnPlayground.preview") == "replaced"
    assert page.locator(".pg-preview").count() == 0 and not page.locator("#loading").is_visible()
    assert page.evaluate("Bokeh.documents.length") == 1  # the preview's document is gone with its views
    after = page.evaluate(BOXES, "pg-root")
    preview_page.screenshot("-live")
    after = after[: len(before)]  # the live page may show more once Python runs (none of it above these)
    assert [box[:2] for box in after] == [box[:2] for box in before]
    moved = [(a, b) for a, b in zip(before, after, strict=True) if shift(a, b) > 2]
    assert moved == []
    timings = page.evaluate("window.nnPlayground.timings")
    assert timings["content"] < timings["total"]
    # The live page works: Play trains (the status line's epoch counts up).
    page.locator(".pg-root button.bk-btn", has_text="Play").first.click()
    assert wait_until(page, lambda: int(status(page)["epoch"]) >= 1)
    assert preview_page.blocked == [] and preview_page.errors == []


def test_a_link_with_settings_starts_without_the_preview(full_site_url, preview_page):
    page = preview_page.page
    page.goto(full_site_url + "sandbox.html?dataset=xor")
    assert preview_page.wait_until_settled(timeout_ms=180_000) == "ready"
    assert page.evaluate("window.nnPlayground.preview") == "none" and page.locator(".pg-preview").count() == 0
    assert page.evaluate("window.nnPlayground.timings.content") == page.evaluate("window.nnPlayground.timings.total")


# Every frame request the page makes is dropped until it is ready, as WebKit dropped one made while the MNIST lab loaded
# (and as a background tab runs no frames).
NO_FRAMES_UNTIL_READY = """{
  const request = window.requestAnimationFrame.bind(window);
  window.requestAnimationFrame = (callback) => window.nnPlayground?.state === "ready" ? request(callback) : 0;
}"""


def test_frames_that_never_come_do_not_hold_python_back(full_site_url, preview_page):
    page = preview_page.page
    page.add_init_script(NO_FRAMES_UNTIL_READY)
    page.goto(full_site_url + "sandbox.html")
    # Polled by time: Playwright's own waits poll at animation frames, which the page does not have.
    assert wait_until(page, lambda: page.evaluate("window.nnPlayground.state") != "loading", seconds=180)
    assert page.evaluate("window.nnPlayground.state") == "ready", page.locator("#pg-loader").text_content()
    assert page.evaluate("window.nnPlayground.preview") == "replaced" and page.locator(".pg-preview").count() == 0
    page.locator(".pg-root button.bk-btn", has_text="Play").first.click()
    assert wait_until(page, lambda: int(status(page)["epoch"]) >= 2)
    assert preview_page.blocked == [] and preview_page.errors == []
