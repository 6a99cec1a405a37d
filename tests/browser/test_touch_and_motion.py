"""The sandbox for students who use it otherwise: on a touch screen, a tablet held upright (768x1024) and a phone
(390x844), a tap on the output map adds a point of the student's own, Play, Pause and a data set button answer taps,
nothing makes the page scroll sideways, and a pinch zooms it (the page lets the student zoom: people who need larger
text rely on it). With reduced motion asked for, nothing on the page slides, fades or spins while the network trains:
only the data changes. Screenshots go to test-artifacts/."""

import pytest
from output_map import MAP_CENTRE

from tests.browser.conftest import ARTIFACTS, OfflinePage

# How many points the map shows (its points' data source, in the page's Bokeh document).
POINTS = """() => [...window.Bokeh.documents[0].all_models]
  .find((model) => model.data && "split" in model.data && "label" in model.data).get_length()"""


@pytest.fixture(scope="module")
def sandbox_url(app_page_url):
    return app_page_url("sandbox")


def wait_for(page, script, expected):
    page.wait_for_function(f"({script})() === {expected!r}", timeout=60_000)


@pytest.mark.parametrize("width,height", [(768, 1024), (390, 844)])
def test_a_student_adds_points_plays_and_zooms_with_their_fingers(browser, sandbox_url, request, width, height):
    touch = OfflinePage(
        browser, request.node.name, viewport={"width": width, "height": height}, has_touch=True, is_mobile=True
    )
    page = touch.page
    try:
        page.goto(sandbox_url)
        assert touch.wait_until_settled(timeout_ms=180_000) == "ready", page.locator("#pg-loader").text_content()
        page.locator("#pg-status").wait_for(timeout=30_000)
        page.wait_for_timeout(1_000)  # BokehJS lays the page out once more
        viewport = page.locator('meta[name="viewport"]').get_attribute("content")
        assert "user-scalable=no" not in viewport and "maximum-scale" not in viewport, viewport

        points = page.evaluate(POINTS)
        centre = page.evaluate(MAP_CENTRE)
        page.touchscreen.tap(centre["x"], centre["y"])
        wait_for(page, POINTS, points + 1)
        page.touchscreen.tap(centre["x"] + 40, centre["y"] - 40)
        wait_for(page, POINTS, points + 2)
        touch.screenshot("-two-points-added")

        page.get_by_role("button", name="Play").tap()
        page.locator("#pg-status[data-state=running]").wait_for(timeout=60_000)
        page.get_by_role("button", name="Pause").tap()
        page.locator("#pg-status[data-state=paused]").wait_for(timeout=60_000)
        page.get_by_role("button", name="Circle", exact=True).tap()  # the generated data back, the own points gone
        wait_for(page, POINTS, points)
        page.get_by_role("button", name="Spiral", exact=True).tap()
        page.wait_for_function("location.search.includes('dataset=spiral')", timeout=60_000)
        page.wait_for_timeout(500)
        assert page.evaluate("document.scrollingElement.scrollWidth") <= width
        assert page.evaluate("visualViewport.scale") == 1  # nothing wider than the window made the page zoom out

        pinch = touch.context.new_cdp_session(page)
        pinch.send("Input.synthesizePinchGesture", {"x": width / 2, "y": height / 2, "scaleFactor": 2})
        assert page.evaluate("visualViewport.scale") > 1.5
        page.screenshot(path=str(ARTIFACTS / f"{touch.name}-zoomed.png"))  # what the window shows
        centre = page.evaluate("({x: visualViewport.width / 2, y: visualViewport.height / 2})")  # of the zoomed view
        pinch.send("Input.synthesizePinchGesture", {**centre, "scaleFactor": 0.5})
        assert page.evaluate("visualViewport.scale") < 1.1
        page.get_by_role("button", name="Play").tap()
        page.locator("#pg-status[data-state=running]").wait_for(timeout=60_000)
        assert page.evaluate("document.scrollingElement.scrollWidth") <= width
        assert touch.errors == [] and touch.blocked == []
    finally:
        touch.context.close()


# Every element, in the page and in the widgets' shadow roots, with a transition or an animation.
MOVING = """() => {
  const moving = [];
  const visit = (root) => {
    for (const element of root.querySelectorAll("*")) {
      const style = getComputedStyle(element);
      const durations = `${style.transitionDuration},${style.animationDuration}`.split(",").map(parseFloat);
      if (style.animationName !== "none" || durations.some((seconds) => seconds > 0)) {
        moving.push(`${element.tagName}.${element.className}: ${style.transition} ${style.animationName}`);
      }
      if (element.shadowRoot) visit(element.shadowRoot);
    }
  };
  visit(document);
  return moving;
}"""

# A fading element in the page and one in a new widget's shadow root: how much of them moves.
PLANTED = """() => {
  const fading = 'style="transition: opacity 2s; animation: pg-test 2s infinite"';
  document.body.insertAdjacentHTML("beforeend", `<div id="pg-planted" ${fading}></div>`);
  const host = document.body.appendChild(document.createElement("div"));
  host.attachShadow({ mode: "open" }).innerHTML = `<div ${fading}></div>`;
  return [document.getElementById("pg-planted"), host.shadowRoot.firstChild].map((element) => {
    const style = getComputedStyle(element);
    return [style.transitionDuration, style.animationName];
  });
}"""


def test_with_reduced_motion_only_the_data_moves(browser, sandbox_url, request):
    still = OfflinePage(browser, request.node.name, reduced_motion="reduce")
    page = still.page
    try:
        page.goto(sandbox_url)
        assert page.evaluate(MOVING) == []  # the loading stages
        assert still.wait_until_settled(timeout_ms=180_000) == "ready", page.locator("#pg-loader").text_content()
        page.get_by_role("button", name="Play").click()
        page.locator("#pg-status[data-state=running]").wait_for(timeout=60_000)
        page.wait_for_timeout(2_000)
        assert page.evaluate(MOVING) == []
        assert page.evaluate("document.getAnimations().length") == 0
        still.screenshot("-training")
        page.get_by_role("button", name="Pause").click()
        assert page.evaluate(PLANTED) == [["0s", "none"], ["0s", "none"]]  # whatever a later release adds
        assert still.errors == [] and still.blocked == []
    finally:
        still.context.close()
