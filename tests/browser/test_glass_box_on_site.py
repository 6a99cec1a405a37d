"""The glass box on the built site (Python in the page's worker): the engine's code as the engine has it, one step
walked through line by line with its arrays, a student's layer with a planted mistake flagged by the gradient check,
and a loop that never ends stopped with the page still working."""

import re

import pytest
from output_map import MAP_PIXELS
from test_sandbox_on_site import status, wait_until


@pytest.fixture(scope="module")
def sandbox_url(full_site_url):
    return full_site_url + "sandbox.html"


def open_tab(page, name):
    """Chooses the tab `name` of "More views", unfolding it first if it is folded. Whether it is folded is read from
    BokehJS's own tab headers: their role comes from AriaStates' next walk, and a header BokehJS has just drawn
    again has none yet (a click on "More views" then folded the card)."""
    if page.locator(".bk-tab").filter(has_text=re.compile(f"^{re.escape(name)}$")).count() == 0:
        page.get_by_role("button", name="More views").click()
    page.get_by_role("tab", name=name).wait_for(timeout=60_000)
    page.get_by_role("tab", name=name).click()


def test_the_code_view_shows_the_engines_source_and_walks_through_a_step(sandbox_url, offline_page):
    page = offline_page.page
    page.set_viewport_size({"width": 1024, "height": 768})
    page.goto(sandbox_url)
    assert offline_page.wait_until_settled(timeout_ms=180_000) == "ready"
    page.locator("#pg-status").wait_for(timeout=30_000)
    open_tab(page, "The engine's code")
    code = page.locator(".pg-code")
    assert wait_until(page, lambda: code.count() == 1 and "def train_step(" in code.text_content())
    page.get_by_role("combobox", name="Code of").select_option("Dense.backward")
    assert wait_until(page, lambda: "def backward(self, grad_y):" in code.text_content())
    assert 'return matmul(grad_y, self.params["W"].T)' in code.text_content()
    assert page.get_by_text("Dense.backward in nn_core/layers/dense.py").count() == 1

    page.get_by_role("button", name="Run one step, line by line").click()
    lines = page.get_by_role("combobox", name="Line that ran")
    assert wait_until(page, lambda: lines.input_value().startswith("1. train_step: called with x, y"))
    assert page.get_by_text("Step 1 ran").count() == 1  # the network took the step it shows
    for _ in range(3):
        page.get_by_role("button", name="Next line ▶").click()
    assert wait_until(page, lambda: lines.input_value().startswith("4. Dense.forward: called with x"))
    assert page.get_by_role("combobox", name="Code of").input_value() == "Dense.forward"  # names what is shown
    marked = page.locator(".pg-code .ln.here")
    assert wait_until(page, lambda: marked.count() == 1 and "def forward" in marked.text_content())
    assert page.get_by_text("example 1 of the batch of 10").count() >= 1
    offline_page.screenshot("-code-and-step")
    assert offline_page.blocked == [] and offline_page.errors == []


def test_a_students_layer_is_checked_and_a_loop_that_never_ends_gives_the_page_back(sandbox_url, offline_page):
    page = offline_page.page
    page.set_viewport_size({"width": 1400, "height": 900})
    page.goto(sandbox_url + "?hidden_layers=2")  # the first layer is 2 -> 2: a transposed gradient keeps its shape
    assert offline_page.wait_until_settled(timeout_ms=180_000) == "ready"
    page.locator("#pg-status").wait_for(timeout=30_000)
    open_tab(page, "Write your own layer")
    editor = page.get_by_role("textbox", name="Your code")
    assert wait_until(page, lambda: "def backward_params(self, grad_y):" in editor.input_value())
    engine = editor.input_value()
    editor.focus()  # Tab indents (the caret at the start), Shift+Tab unindents; Escape then Tab leaves the editor
    editor.press("Control+Home")
    editor.press("Tab")
    assert editor.input_value() == "    " + engine
    editor.press("Shift+Tab")
    assert editor.input_value() == engine
    editor.press("Escape")
    editor.press("Tab")
    assert not editor.evaluate("(element) => element.matches(':focus')")
    editor.fill(engine.replace('self.grads["W"] = matmul(self.x.T, grad_y)', 'self.grads["W"] = grad_y.T @ self.x'))
    page.get_by_role("button", name="Use my code").click()
    table = page.locator(".pg-check")
    assert wait_until(page, lambda: table.count() == 1, seconds=30)
    rows = {row.locator("td").first.text_content(): row.text_content() for row in table.locator("tr").all()[1:]}
    assert "✗ wrong" in rows["weights W"] and "✓" in rows["biases b"]
    offline_page.screenshot("-own-layer-flagged")

    editor.fill("def forward(self, x):\n    while True:\n        pass\n")
    page.get_by_role("button", name="Use my code").click()
    message = page.get_by_text("seconds without finishing (a loop that never ends?)")
    assert wait_until(page, lambda: message.count() == 1, seconds=60)
    page.get_by_role("button", name="Back to the engine's code").click()
    page.get_by_role("button", name="Play").click()  # the page still trains
    assert wait_until(page, lambda: status(page)["state"] == "running" and int(status(page)["epoch"]) >= 2)
    offline_page.screenshot("-own-layer-loop")
    assert offline_page.blocked == [] and offline_page.errors == []


# Where diagram node `node` is in the window: found through BokehJS's views (the node's centre in data units, through
# the plot's scales, plus the canvas's place on the page).
NODE_CENTRE = """(node) => {
  const renderer = Bokeh.index.query_one((view) => view.model.data_source?.data?.node !== undefined
                                                   && view.model.glyph?.type === "Rect");
  const plot = renderer.parent, data = renderer.model.data_source.data;
  const row = Array.from(data.node).indexOf(node);
  const box = plot.canvas_view.el.getBoundingClientRect();
  return { x: box.left + plot.frame.x_scale.compute(data.cx[row]),
           y: box.top + plot.frame.y_scale.compute(data.cy[row]) };
}"""


def test_clicking_the_output_neuron_tells_its_biass_story_and_a_typed_bias_changes_the_decision_map(
    sandbox_url, offline_page
):
    page = offline_page.page
    page.set_viewport_size({"width": 1400, "height": 900})
    page.goto(sandbox_url)
    assert offline_page.wait_until_settled(timeout_ms=180_000) == "ready"
    page.locator("#pg-status").wait_for(timeout=30_000)
    assert page.get_by_text("Click an edge (a weight) or a neuron (its bias)").count() == 1
    page.get_by_role("button", name="Step", exact=True).click()
    assert wait_until(page, lambda: status(page)["state"] == "paused")
    page.get_by_text(
        "Click an edge (a weight) or a neuron (its bias)"
    ).scroll_into_view_if_needed()  # below the diagram
    centre = page.evaluate(f"({NODE_CENTRE})('out:0')")
    page.mouse.click(centre["x"], centre["y"])
    chosen = page.get_by_role("combobox", name="Weight or bias (or click one in the diagram)")
    assert wait_until(page, lambda: chosen.locator("option:checked").text_content() == "bias of the output")
    story = page.locator(".pg-story div")  # the story's lines, in the pane's shadow root

    def told():
        return " ".join(story.all_text_contents())

    assert wait_until(page, lambda: "Step 2 will train on a batch of 10 examples" in told())
    assert "dLoss/db = Σ δ over the batch" in told() and "b ← " in told()
    before = page.evaluate(MAP_PIXELS)
    value = page.get_by_role("textbox", name="Its value (type a new one)")
    value.fill("4")
    value.press("Enter")
    assert wait_until(page, lambda: page.evaluate(MAP_PIXELS) != before)  # the whole map leans to one class
    assert wait_until(page, lambda: "Bias of the output = 4." in told())
    page.mouse.move(0, 0)  # no hover in the picture
    offline_page.screenshot("-output-bias")
    assert offline_page.blocked == [] and offline_page.errors == []
