"""A TensorFlow Playground share link on the built site: its settings in the hash, as TFP writes them (a regression
on the multi-Gaussian data, ReLU, the learning rate hidden), open the sandbox with that setup and a notice naming
what has no equivalent; the first change moves the settings to the query and drops the hash. Copy as lesson setup
puts the setup on the clipboard, or, where the browser refuses, shows it to copy by hand."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import OfflinePage

# As TFP's "share" writes a link (State.serialize: every key of its state, then the hidden controls).
SHARED = (
    "#activation=relu&batchSize=10&dataset=circle&regDataset=reg-gauss&learningRate=0.03&regularizationRate=0"
    "&noise=10&networkShape=3&seed=0.00042&showTestData=false&discretize=false&percTrainData=50&x=true&y=true"
    "&xTimesY=false&xSquared=false&ySquared=false&cosX=false&sinX=false&cosY=false&sinY=false&collectStats=false"
    "&problem=regression&initZero=false&hideText=false&learningRate_hide=true&playButton_hide=true"
)
SETUP = """setup:
  problem: regression
  dataset: reg-gauss
  noise: 10
  seed: 42
  hidden_layers: [3]
  activation: relu
hidden: [learning_rate]
"""


@pytest.fixture
def clipboard_page(browser, request):
    page = OfflinePage(browser, request.node.name, permissions=["clipboard-read", "clipboard-write"])
    yield page
    page.context.close()


def test_a_tfp_share_link_opens_the_sandbox_with_its_setup_and_a_notice(full_site_url, clipboard_page):
    page = clipboard_page.page
    page.goto(full_site_url + "sandbox.html" + SHARED)
    assert clipboard_page.wait_until_settled(timeout_ms=180_000) == "ready", page.locator("#pg-loader").text_content()
    page.locator("#pg-status").wait_for(timeout=30_000)
    notice = page.locator("[role=alert]").first
    assert notice.text_content() == "URL: TensorFlow Playground's playButton_hide=true: no equivalent here, ignored"
    # aria-pressed comes with AriaStates' next walk of the page (every 0.5 s; later on a busy machine)
    expect(page.get_by_role("button", name="Multi-Gaussian")).to_have_attribute("aria-pressed", "true", timeout=15_000)
    assert page.get_by_role("combobox", name="Problem type").input_value() == "regression"
    assert page.get_by_role("combobox", name="Activation", exact=True).input_value() == "relu"
    assert page.get_by_role("combobox", name="Learning rate").count() == 0  # hidden, as the link asks
    assert page.get_by_role("textbox", name="Layer 1 neurons").input_value() == "3"
    assert page.get_by_role("button", name="Play").is_visible()  # TFP's hidden play button: no equivalent
    clipboard_page.screenshot("-opened")

    page.get_by_role("button", name="Copy as lesson setup").click()
    note = page.get_by_text("Copied: paste it into the header of a lesson file.")
    note.wait_for(timeout=30_000)
    assert page.evaluate("navigator.clipboard.readText()") == SETUP
    assert page.get_by_role("textbox", name="Lesson setup (YAML)").input_value() == SETUP
    clipboard_page.screenshot("-copied")

    page.get_by_role("combobox", name="Activation", exact=True).select_option("tanh")
    page.wait_for_function("location.search.includes('hide=learning_rate')", timeout=60_000)
    assert page.evaluate("location.hash") == ""
    assert (
        page.evaluate("location.search")
        == "?problem=regression&dataset=reg-gauss&noise=10&seed=42&hidden_layers=3&hide=learning_rate"
    )
    assert clipboard_page.errors == [] and clipboard_page.blocked == []


def test_where_the_browser_refuses_the_clipboard_the_setup_is_shown_to_copy_by_hand(full_site_url, offline_page):
    page = offline_page.page
    page.add_init_script("navigator.clipboard.writeText = () => Promise.reject(new DOMException('refused'));")
    page.goto(full_site_url + "sandbox.html#problem=regression&regDataset=reg-gauss&activation=relu")
    assert offline_page.wait_until_settled(timeout_ms=180_000) == "ready", page.locator("#pg-loader").text_content()
    box = page.get_by_role("textbox", name="Lesson setup (YAML)")
    assert box.count() == 0
    page.get_by_role("button", name="Copy as lesson setup").click()
    page.get_by_text("The browser did not allow copying: select the text below and copy it.").wait_for(timeout=30_000)
    assert box.input_value() == "setup:\n  problem: regression\n  dataset: reg-gauss\n  activation: relu\n"
    box.scroll_into_view_if_needed()
    offline_page.screenshot("-refused")
    assert offline_page.errors == [] and offline_page.blocked == []
