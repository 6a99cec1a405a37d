"""The sandbox, the MNIST lab and a lesson on a laptop (1024x768), a tablet in portrait (768x1024) and a phone
(390x844): no sideways scrolling, every control and the sandbox's output map inside the window; at 1400x900 the
sandbox keeps its three columns side by side and a lesson puts its tasks beside the playground, in the first
screen and staying in sight (sticky) while the student scrolls. Screenshots of each size go to test-artifacts/."""

from pathlib import Path

import pytest
from output_map import MAP_BOX

LESSONS = Path(__file__).parents[2] / "lessons"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"  # as conftest.py's
LESSON = "lesson-01-one-neuron"
SIZES = [(1400, 900), (1024, 768), (768, 1024), (390, 844)]

# Every visible control (in the page and in the widgets' shadow roots) reaching past the window's left or right edge.
CONTROLS_OUTSIDE = """() => {
  const outside = [];
  const visit = (root) => {
    for (const element of root.querySelectorAll("*")) {
      if (element.matches("button, input, select, textarea, [tabindex], canvas")) {
        const box = element.getBoundingClientRect();
        const shown = box.width > 0 && box.height > 0 && getComputedStyle(element).visibility !== "hidden";
        if (shown && (box.left < -0.5 || box.right > innerWidth + 0.5)) {
          const name = element.getAttribute("aria-label") || element.textContent.trim() || element.tagName;
          outside.push(`${name.slice(0, 40)} (${Math.round(box.left)}..${Math.round(box.right)})`);
        }
      }
      if (element.shadowRoot) visit(element.shadowRoot);
    }
  };
  visit(document);
  return outside;
}"""


@pytest.fixture(scope="module")
def site_url(full_site_url):
    """The sandbox, the lab and lesson 1 (on the shared site)."""
    return full_site_url


def screenshot_of_the_window(offline_page, suffix):
    """What the window shows now (a full-page screenshot would put sticky elements back in their places)."""
    ARTIFACTS.mkdir(exist_ok=True)
    offline_page.page.screenshot(path=str(ARTIFACTS / f"{offline_page.name}{suffix}.png"))


def open_page(offline_page, url):
    page = offline_page.page
    page.set_viewport_size({"width": 1400, "height": 900})
    page.goto(url)
    assert offline_page.wait_until_settled(timeout_ms=240_000) == "ready", page.locator("#pg-loader").text_content()
    page.locator("#pg-status").first.wait_for(timeout=30_000)
    page.wait_for_timeout(1_000)
    return page


def check_sizes(offline_page, name, output_map=False):
    """At each size: no sideways scroll, no control outside the window (and the output map inside it); a screenshot."""
    page, problems = offline_page.page, []
    for width, height in SIZES:
        page.set_viewport_size({"width": width, "height": height})
        page.wait_for_timeout(1_000)  # BokehJS lays out again after a resize
        offline_page.screenshot(f"-{name}-{width}x{height}")
        scroll_width = page.evaluate("document.scrollingElement.scrollWidth")
        if scroll_width > width:
            problems.append(f"{width}x{height}: the page is {scroll_width} px wide")
        outside = page.evaluate(CONTROLS_OUTSIDE)
        if outside:
            problems.append(f"{width}x{height}: controls outside the window: {outside[:5]}")
        if output_map:
            box = page.evaluate(MAP_BOX)
            if box is None or box["width"] < 200 or box["left"] < 0 or box["right"] > width:
                problems.append(f"{width}x{height}: the output map is at {box}")
    return problems


def test_the_sandbox_fits_every_screen_and_keeps_its_three_columns_on_a_wide_one(site_url, offline_page):
    page = open_page(offline_page, site_url + "sandbox.html")
    problems = check_sizes(offline_page, "sandbox", output_map=True)
    page.set_viewport_size({"width": 1400, "height": 900})
    page.wait_for_timeout(1_000)
    box = page.evaluate(MAP_BOX)
    assert box is not None and box["left"] > 800, f"at 1400 px the map is beside the diagram, not below it: {box}"
    assert box["width"] >= 290, box  # full size there
    assert problems == []
    assert offline_page.errors == []


def test_the_mnist_lab_fits_every_screen(site_url, offline_page):
    open_page(offline_page, site_url + "mnist.html")
    assert check_sizes(offline_page, "mnist") == []
    assert offline_page.errors == []


def test_a_lesson_fits_every_screen_and_keeps_its_tasks_in_sight(site_url, offline_page):
    page = open_page(offline_page, site_url + LESSON + ".html")
    problems = check_sizes(offline_page, "lesson")
    tasks, progress = page.locator(".lesson-tasks"), page.locator("#lesson-progress")

    # Wide: the tasks beside the playground, headed by the progress, in the first screen and after scrolling.
    page.set_viewport_size({"width": 1400, "height": 900})
    page.wait_for_timeout(1_000)
    page.evaluate("window.scrollTo(0, 0)")
    playground = page.locator(".lesson-embed[data-embed=playground]").bounding_box()
    first = tasks.bounding_box()
    assert first["x"] > playground["x"] + playground["width"] - 1, (first, playground)  # beside it, on the right
    assert 0 <= first["y"] < 900, f"the task list starts at {first['y']:.0f} px, below the first screen"
    assert page.locator(".lesson-tasks #lesson-progress").count() == 1  # the progress heads the list
    prose = page.locator(".lesson-prose").bounding_box()  # the text is in its own pane above the tasks
    assert prose["x"] == first["x"] and prose["y"] + prose["height"] <= first["y"] + 1, (prose, first)
    offline_page.screenshot("-lesson-1400x900-top")
    for scrolled in (400, 900):
        page.evaluate(f"window.scrollTo(0, {scrolled})")
        page.wait_for_timeout(300)
        box = tasks.bounding_box()
        assert box["y"] >= -1 and box["y"] + 40 <= 900, f"scrolled by {scrolled}: the task list is at {box['y']:.0f}"
        header = progress.bounding_box()
        assert 0 <= header["y"] <= 900 - header["height"], header
    screenshot_of_the_window(offline_page, "-lesson-1400x900-scrolled")

    # A short window: the prose scrolls in its pane, by keyboard too, and the tasks stay below it, never over it.
    page.set_viewport_size({"width": 1400, "height": 600})
    page.wait_for_timeout(500)
    page.locator(".lesson-prose").focus()
    page.keyboard.press("End")
    page.wait_for_timeout(500)
    pane = "document.querySelector('.lesson-prose')"
    assert page.evaluate(f"({pane}.scrollTop > 0 && {pane}.scrollTop + {pane}.clientHeight >= {pane}.scrollHeight - 1)")
    prose, box = page.locator(".lesson-prose").bounding_box(), tasks.bounding_box()
    assert prose["y"] + prose["height"] <= box["y"] + 1 and box["y"] + box["height"] <= 600, (prose, box)
    screenshot_of_the_window(offline_page, "-lesson-1400x600-prose-scrolled")

    # Narrower: stacked, the progress a bar at the top of the window however far the student scrolled.
    page.set_viewport_size({"width": 1024, "height": 768})
    page.wait_for_timeout(1_000)
    page.evaluate("window.scrollTo(0, 1200)")
    page.wait_for_timeout(300)
    header = progress.bounding_box()
    assert header is not None and 0 <= header["y"] < 40, header
    assert progress.text_content() == "0 of 2 tasks done"
    screenshot_of_the_window(offline_page, "-lesson-1024x768-scrolled")
    assert problems == []
    assert offline_page.errors == []
