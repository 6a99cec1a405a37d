"""axe-core, run in the page, finds no serious or critical accessibility violation on the home page, the sandbox,
the MNIST lab and a lesson, before and after the page changes (issue 19).

axe-core is pinned in web/pins.toml ([axe_core], for the tests only: the site never ships it) and fetched through
web/fetch.py's cache, checked by sha256. axe walks open shadow roots, where Panel and Bokeh draw every widget.
"""

from __future__ import annotations

import tarfile
import tomllib
from pathlib import Path

import pytest

from playground.mnist.app import TAB_NAMES
from playground.sandbox.app import MORE_VIEWS
from web.fetch import npm_pack
from web.pins import PINS_FILE

LESSONS = Path(__file__).parents[2] / "lessons"
LESSON = "lesson-01-one-neuron"
BLOCKING = ("serious", "critical")
# The MNIST lab's tabs whose views are made when first shown, and a button each shows once drawn.
MADE_WHEN_SHOWN = {"The engine's code": "Run one step, line by line", "Write your own layer": "Use my code"}
# Whether every tab of every tab list (through the shadow roots) has had its role=tab from AriaStates: a tab header
# BokehJS has just drawn again holds bare div[tabindex] until the walk reaches it.
TABS_NAMED = """() => {
  const lists = [];
  const walk = (root) => root.querySelectorAll("*").forEach((element) => {
    if (element.getAttribute("role") === "tablist") lists.push(element);
    if (element.shadowRoot) walk(element.shadowRoot);
  });
  walk(document);
  const named = (list) => [...list.querySelectorAll("[tabindex]")].every((tab) => tab.getAttribute("role") === "tab");
  return lists.every(named);
}"""
AXE_PIN = tomllib.loads(PINS_FILE.read_text())["axe_core"]
AXE_VERSION = AXE_PIN["npm_package"]


@pytest.fixture(scope="module")
def axe_script() -> str:
    """axe.min.js of the pinned axe-core npm package (downloaded once, checked by sha256)."""
    with tarfile.open(npm_pack(AXE_PIN["npm_package"], AXE_PIN["npm_sha256"])) as tar:
        return tar.extractfile("package/axe.min.js").read().decode()


@pytest.fixture(scope="module")
def site(full_site_url):
    """The site with both pages and the lessons; its URL."""
    return full_site_url


def violations(page, axe_script: str) -> tuple[list[dict], int]:
    """axe's violations of the whole document as it is now (open shadow roots included), and how many buttons it
    checked for a name."""
    if not page.evaluate("typeof window.axe === 'object'"):
        page.add_script_tag(content=axe_script)
    return page.evaluate(
        """async () => {
            const result = await axe.run(document)  // every result type: the passes are counted
            const buttons = [...result.passes, ...result.violations].filter(rule => rule.id === 'button-name')
            return [
                result.violations.map(v => ({
                    id: v.id, impact: v.impact, help: v.help,
                    nodes: v.nodes.map(n => ({target: n.target, html: n.html, summary: n.failureSummary})),
                })),
                buttons.reduce((sum, rule) => sum + rule.nodes.length, 0),
            ]
        }"""
    )


def described(violation: dict) -> str:
    """A violation in a few readable lines: its rule, and for each element (up to 10) where it is (the last steps
    of axe's selector, through shadow roots), its HTML and what axe says to fix."""
    lines = [f"{violation['impact']} {violation['id']}: {violation['help']} ({len(violation['nodes'])} elements)"]
    for node in violation["nodes"][:10]:
        path = [step if isinstance(step, str) else " >> ".join(step) for step in node["target"]]
        lines.append(f"  at ... {' >> '.join(' >> '.join(path).split(' >> ')[-3:])}")
        lines.append(f"     {node['html'][:200]}")
        lines += [f"     {line.strip()}" for line in (node["summary"] or "").splitlines()[:3]]
    return "\n".join(lines)


def assert_accessible(page, axe_script: str, where: str, app: bool = True) -> None:
    """No serious or critical violation; every violation found, of any impact, is printed. On an app page axe must
    have reached the buttons inside the widgets' shadow roots (Play, Pause, ...), or the check proves nothing."""
    page.wait_for_timeout(1_200)  # AriaStates (playground/widgets/aria.py) walks the page every 0.5 s ...
    page.wait_for_function(TABS_NAMED, timeout=15_000)  # ... and on a busy machine a tab drawn anew may wait longer
    found, buttons = violations(page, axe_script)
    assert buttons >= (5 if app else 0), f"{where}: axe checked only {buttons} buttons"
    for violation in found:
        print(f"{where}: {violation['impact']} {violation['id']}: {violation['help']}")
    blocking = [described(v) for v in found if v["impact"] in BLOCKING]
    assert not blocking, f"{where}: {AXE_VERSION} found\n" + "\n".join(blocking)


def open_app(offline_page, url: str):
    page = offline_page.page
    page.goto(url)
    assert offline_page.wait_until_settled(timeout_ms=240_000) == "ready", page.locator("#pg-loader").text_content()
    page.locator("#pg-status").wait_for(timeout=60_000)
    return page


def play_for_a_while(page, seconds: float) -> None:
    page.get_by_role("button", name="Play").click()
    page.wait_for_timeout(seconds * 1000)
    page.get_by_role("button", name="Pause").click()
    page.locator('#pg-status[data-state="paused"]').wait_for(timeout=60_000)


def test_the_home_page(site, offline_page, axe_script):
    page = offline_page.page
    page.goto(site)
    assert_accessible(page, axe_script, "home page", app=False)
    assert offline_page.blocked == []


def test_the_sandbox_with_a_notice_after_training_and_with_more_views(site, offline_page, axe_script):
    page = open_app(offline_page, site + "sandbox.html?noise=%C2%B2")  # an odd link: the page shows a notice
    page.locator("[role=alert]").first.wait_for(timeout=30_000)
    assert_accessible(page, axe_script, "sandbox")
    play_for_a_while(page, 1)
    page.get_by_role("button", name="More views").click()
    for name in MORE_VIEWS:  # each check covers the whole page: trained, paused, the card unfolded at a tab
        page.get_by_role("tab", name=name).click()
        assert_accessible(page, axe_script, f"sandbox, trained, {name}")
    offline_page.screenshot("-more-views")
    assert offline_page.blocked == []


def test_the_mnist_lab_on_every_tab_after_training(site, offline_page, axe_script):
    page = open_app(offline_page, site + "mnist.html")
    assert_accessible(page, axe_script, f"MNIST lab, {TAB_NAMES[0]}")
    play_for_a_while(page, 2)
    for name in TAB_NAMES[1:]:  # every tab's views are on the page, hidden until it is chosen
        page.get_by_text(name, exact=True).click()
        if name in MADE_WHEN_SHOWN:  # the glass box's tabs: checked once drawn (Panel's styles arrive a little later)
            page.get_by_role("button", name=MADE_WHEN_SHOWN[name]).wait_for(timeout=60_000)
        assert_accessible(page, axe_script, f"MNIST lab, trained, {name}")
    assert offline_page.blocked == []


def test_a_lesson(site, offline_page, axe_script):
    page = open_app(offline_page, site + LESSON + ".html")
    page.locator(".lesson-embed[data-embed=playground] #pg-status").wait_for(timeout=30_000)
    assert_accessible(page, axe_script, "lesson")
    offline_page.screenshot()
    assert offline_page.blocked == []
