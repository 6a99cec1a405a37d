"""The sandbox from the keyboard: Tab reaches Play, Enter starts training and the focus stays on the button (now
Pause), so a second Enter pauses; a dataset button and a neuron count keep the focus after they changed the page
(BokehJS draws the button again, Panel replaces the count's input: web/static/focus.js puts the focus back); every
kind of control shows a focus ring of 2 px or more; the "?" help of a setting opens when it is focused."""

import re

import pytest

# The focused element inside the widgets' shadow roots, described: what widget (its host's classes), its name, its
# value and its focus ring.
FOCUSED = """() => {
  let element = document.activeElement;
  while (element?.shadowRoot?.activeElement) element = element.shadowRoot.activeElement;
  if (!element || element === document.body) return null;
  const style = getComputedStyle(element);
  const name = element.getAttribute("aria-label") || element.labels?.[0]?.textContent || element.textContent;
  return {
    tag: element.tagName, widget: element.getRootNode().host?.className ?? "", name: name.trim(), value: element.value,
    outline: [parseFloat(style.outlineWidth), style.outlineStyle, style.outlineColor], old: "pgOld" in element.dataset,
  };
}"""
# Marks the focused element, to tell it from the one that takes its place.
MARK_FOCUSED = """() => {
  let element = document.activeElement;
  while (element?.shadowRoot?.activeElement) element = element.shadowRoot.activeElement;
  element.dataset.pgOld = "";
}"""

# The help tooltips on screen (BokehJS's Tooltip views) and their text.
TOOLTIPS = """() => {
  const shown = [];
  const visit = (root) => {
    for (const element of root.querySelectorAll("*")) {
      if (element.classList.contains("bk-Tooltip")) {
        const box = element.getBoundingClientRect();
        if (box.width > 0 && box.height > 0) shown.push(element.shadowRoot?.textContent.replace(/:host[^}]*}/g, ""));
      }
      if (element.shadowRoot) visit(element.shadowRoot);
    }
  };
  visit(document);
  return shown;
}"""


def focused(page):
    return page.evaluate(FOCUSED)


def status(page):
    return page.locator("#pg-status").get_attribute("data-state")


def wait_for(page, condition, what, seconds=60):
    for _ in range(4 * seconds):
        if condition():
            return
        page.wait_for_timeout(250)
    raise AssertionError(f"{what}: still not after {seconds} s (focused: {focused(page)})")


def assert_ring(element, what):
    width, style, color = element["outline"]
    assert width >= 2 and style not in ("none", "hidden"), f"{what}: outline {element['outline']}"
    alpha = re.match(r"rgba\([^)]*,\s*([\d.]+)\)", color)
    assert color != "transparent" and (alpha is None or float(alpha[1]) > 0.5), f"{what}: outline {color}"


@pytest.fixture(scope="module")
def sandbox_url(app_page_url):
    return app_page_url("sandbox")


def test_the_keyboard_keeps_its_place_and_sees_it(sandbox_url, offline_page):
    page = offline_page.page
    page.set_viewport_size({"width": 1400, "height": 900})
    page.goto(sandbox_url)
    assert offline_page.wait_until_settled(timeout_ms=240_000) == "ready", page.locator("#pg-loader").text_content()
    page.locator("#pg-status").wait_for(timeout=30_000)

    # Tab to Play (after the link home); Enter plays, the focus stays, Enter again pauses.
    for _ in range(5):
        page.keyboard.press("Tab")
        if "pg-play" in ((focused(page) or {}).get("widget") or ""):
            break
    play = focused(page)
    assert play and "pg-play" in play["widget"] and "Play" in play["name"], play
    assert_ring(play, "Play")
    page.keyboard.press("Enter")
    wait_for(page, lambda: status(page) == "running", "running after Enter")
    wait_for(page, lambda: "Pause" in (focused(page) or {}).get("name", ""), "the focus on Pause")
    pause = focused(page)
    assert "pg-play" in pause["widget"], pause
    assert_ring(pause, "Pause (focus kept)")
    offline_page.screenshot("-pause-focused")
    page.keyboard.press("Enter")
    wait_for(page, lambda: status(page) == "paused", "paused after the second Enter")
    wait_for(page, lambda: "Play" in (focused(page) or {}).get("name", ""), "the focus on Play again")

    # A dataset button: its look changes (drawn again), the focus stays on it.
    spiral = page.get_by_role("button", name="Spiral", exact=True)
    spiral.focus()
    page.keyboard.press("Enter")
    wait_for(page, lambda: "bk-btn-primary" in (spiral.get_attribute("class") or ""), "Spiral shown chosen")
    page.wait_for_timeout(1_000)
    dataset = focused(page)
    assert dataset and dataset["name"] == "Spiral" and "pg-setting-dataset" in dataset["widget"], dataset
    assert_ring(dataset, "the dataset button")

    # A neuron count: the arrow keys change it, the network's controls are built anew, the focus follows.
    neurons = page.get_by_role("textbox", name="Layer 1 neurons")
    neurons.focus()
    for key, expected in (("ArrowUp", "5"), ("ArrowUp", "6"), ("ArrowDown", "5")):
        page.evaluate(MARK_FOCUSED)  # this input goes; the focus must reach the one built after the change
        page.keyboard.press(key)
        wait_for(page, lambda: not (focused(page) or {"old": True})["old"], f"{key}: the focus on the new input")
        count = focused(page)
        assert count["name"] == "Layer 1 neurons" and count["value"] == expected, (key, count)
    assert_ring(count, "the neuron count")

    # Every kind of control shows its ring when focused from the keyboard.
    for name, locator in (
        ("a select", page.get_by_role("combobox", name="Activation", exact=True)),
        ("a slider", page.get_by_role("slider", name="Noise (%)")),
        ("a checkbox", page.get_by_role("checkbox", name="Show test data")),
        ("the diagram's add button", page.get_by_role("button", name="+ Add layer")),
        ("More views", page.get_by_role("button", name=re.compile("More views"))),
    ):
        locator.first.focus()
        page.keyboard.press("Shift+Tab")
        page.keyboard.press("Tab")  # reached from the keyboard, so :focus-visible
        element = focused(page)
        assert element is not None, name
        assert_ring(element, name)

    # The "?" help: Tab reaches it, focus shows it, Escape hides it.
    assert page.evaluate(TOOLTIPS) == []
    help_ = page.get_by_role("button", name="Help: Learning rate")
    help_.focus()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")
    shown = focused(page)
    assert shown and shown["name"] == "Help: Learning rate", shown
    assert_ring(shown, "the help icon")
    wait_for(page, lambda: len(page.evaluate(TOOLTIPS)) == 1, "the help shown", seconds=5)
    assert "weight update" in page.evaluate(TOOLTIPS)[0]
    offline_page.screenshot("-help-on-focus")
    page.keyboard.press("Escape")
    wait_for(page, lambda: page.evaluate(TOOLTIPS) == [], "the help hidden", seconds=5)
    assert offline_page.errors == []
