"""The page's own reaches into BokehJS (docs/compat.md) say so in the console when their target is gone, and the
page goes on working: loader.js's patches of InlineStyleSheet._update, CanvasView._update_bbox and
HasProps._value_record_references, and aria.py's BokehJS class names."""

import json

import pytest

from playground.widgets.aria import ARIA_SCRIPT

# BokehJS as a release without a method loader.js patches would look to loader.js: the module (as the page's scripts
# get it through Bokeh.require) has the class without any methods. BokehJS itself is unchanged.
WITHOUT_METHOD = """
const [moduleName, className] = %s;
let bokeh;
Object.defineProperty(window, "Bokeh", {
  configurable: true,
  get: () => bokeh,
  set: (value) => {
    const require = value.require;
    value.require = (name) => {
      const module = require(name);
      return name === moduleName ? { ...module, [className]: class {} } : module;
    };
    bokeh = value;
  },
});
"""
# (module, class, the method's name as the warning gives it) of each loader.js patch
PATCHED = [
    ("core/dom", "InlineStyleSheet", "InlineStyleSheet.prototype._update"),
    ("models/canvas/canvas", "CanvasView", "CanvasView.prototype._update_bbox"),
    ("core/has_props", "HasProps", "HasProps._value_record_references"),
]


def open_demo(offline_page, url):
    """The demo page, ready; the console's messages as they come: [(type, text)]."""
    console = []
    offline_page.page.on("console", lambda message: console.append((message.type, message.text)))
    offline_page.page.goto(url)
    assert offline_page.wait_until_settled() == "ready", offline_page.page.locator("#pg-loader").text_content()
    return console


def ours(console):
    return [(kind, text) for kind, text in console if text.startswith("nn-playground:")]


@pytest.fixture
def demo_url(site_url, demo_page):
    return f"{site_url}{demo_page.slug}.html"


@pytest.mark.parametrize("module, name, method", PATCHED)
def test_without_a_bokehjs_method_it_patches_the_loader_warns_naming_it_and_the_page_works(
    demo_url, offline_page, module, name, method
):
    offline_page.page.add_init_script(WITHOUT_METHOD % json.dumps([module, name]))
    console = open_demo(offline_page, demo_url)
    warnings = ours(console)
    assert len(warnings) == 1 and warnings[0][0] == "warning", console
    text = warnings[0][1]
    assert "BokehJS" in text and f"{method} (module {module})" in text, text
    assert "docs/compat.md" in text, text
    offline_page.page.get_by_role("button", name="Count a click").click()
    offline_page.page.get_by_text("clicks: 1").wait_for(timeout=10_000)
    assert offline_page.errors == [] and offline_page.blocked == []


def test_new_data_is_searched_for_models_without_walking_its_typed_arrays(demo_url, offline_page):
    """loader.js's patch of HasProps._value_record_references: a model among the new values is still found (and
    attached to the document), while a typed array's numbers are not visited one by one."""
    open_demo(offline_page, demo_url)
    found = offline_page.page.evaluate("""() => {
        const { HasProps } = Bokeh.require("core/has_props");
        const model = Bokeh.documents[0].roots()[0];
        class Trap extends Float64Array { *[Symbol.iterator]() { throw new Error("walked a typed array"); } }
        const found = new Set();
        HasProps._value_record_references([new Trap(3), { column: [model] }], found, { recursive: false });
        return [...found].map((each) => each === model);
    }""")
    assert found == [True]


def test_the_aria_script_warns_once_when_bokehjs_class_names_stop_matching(demo_url, offline_page):
    """As a page with AriaStates runs it (the demo page has none), first on BokehJS's real widgets, then on widgets
    whose BokehJS classes are gone, as after a release that renamed them."""
    console = open_demo(offline_page, demo_url)
    page = offline_page.page
    # The normal start: loader.js patched BokehJS quietly.
    assert page.evaluate("""() => Bokeh.require("core/dom").InlineStyleSheet.prototype._update.toString()
                                  .includes("textContent !== css")""")
    assert page.evaluate("""() => Bokeh.require("models/canvas/canvas").CanvasView.prototype._update_bbox.toString()
                                  .includes("styleSheets")""")
    assert page.evaluate("""() => Bokeh.require("core/has_props").HasProps._value_record_references.toString()
                                  .includes("ArrayBuffer.isView")""")
    page.evaluate("(script) => new Function(script)()", ARIA_SCRIPT)
    handle = page.get_by_role("slider", name="frequency")
    handle.wait_for(timeout=5_000)  # named from its BokehJS title
    page.wait_for_timeout(1_200)  # two more walks of the page
    assert ours(console) == [], console

    page.evaluate("""() => {
        const roots = [document];
        for (let i = 0; i < roots.length; i++) {
          for (const element of roots[i].querySelectorAll("*")) {
            if (element.shadowRoot) roots.push(element.shadowRoot);
            element.classList.remove("bk-btn", "bk-slider-title");
          }
        }
    }""")
    page.wait_for_timeout(1_500)  # the walks every 0.5 s notice
    texts = [text for _, text in ours(console)]
    assert len(texts) == 2, console
    assert "bk-btn" in texts[0] and "aria.py" in texts[0] and "docs/compat.md" in texts[0], texts
    assert "bk-slider-title" in texts[1] and "docs/compat.md" in texts[1], texts
    assert all(kind == "warning" for kind, _ in ours(console))
    assert offline_page.errors == []


def test_the_playgrounds_css_still_reaches_bokehjs_widgets_by_their_class_names(app_page_url, offline_page):
    """playground/widgets/styling.py styles BokehJS's widgets by BokehJS's own class names: the picture buttons'
    small text (`.bk-btn`), and the layer controls' labels kept for screen readers only (`.bk-input-group > label`)
    with small inputs (`.bk-input`). A BokehJS that renamed them would leave big text and visible labels."""
    page = offline_page.page
    console = []
    page.on("console", lambda message: console.append((message.type, message.text)))
    page.goto(app_page_url("sandbox"))
    assert offline_page.wait_until_settled(timeout_ms=180_000) == "ready", page.locator("#pg-loader").text_content()
    page.locator("#pg-status").wait_for(timeout=30_000)
    looks = page.evaluate("""() => {
        const looks = [], roots = [document];
        for (let i = 0; i < roots.length; i++) {
          for (const element of roots[i].querySelectorAll("*")) {
            if (!element.shadowRoot) continue;
            roots.push(element.shadowRoot);
            const button = element.classList.contains("pg-choice") && element.shadowRoot.querySelector("button");
            if (button) {
              const style = getComputedStyle(button);
              looks.push([style.fontSize, style.textAlign, style.gap]);  // .bk-btn's rule, not Bokeh's own look
            }
          }
        }
        return looks;
    }""")
    assert len(looks) >= 4 and {tuple(look) for look in looks} == {("11px", "left", "3px")}, looks  # data sets
    spinner = page.get_by_label("Layer 1 neurons", exact=True)
    look = spinner.evaluate("(input) => [getComputedStyle(input).fontSize, getComputedStyle(input).paddingLeft]")
    assert look == ["11px", "2px"], look
    label = page.get_by_text("Layer 1 neurons", exact=True)
    assert label.bounding_box()["width"] <= 1 and label.bounding_box()["height"] <= 1
    page.wait_for_timeout(1_000)  # AriaStates (on this page) walks it twice more
    assert ours(console) == [], console  # neither loader.js nor aria.py found anything missing
    assert offline_page.errors == []
