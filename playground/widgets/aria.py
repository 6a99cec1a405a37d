"""What Bokeh's widgets do not tell assistive technology, added in the browser: toggle buttons' aria-pressed,
which of several buttons is chosen (class `pg-choice`), names for sliders, checkboxes and number-input arrows,
tabs that are tabs and open with Enter or Space, and no stray `aria-selected` on a MultiChoice's chosen items.
Every app page places it once: the sandbox, the MNIST lab and each lesson page (in its toolbar).

Bokeh renders every widget in its own shadow root and offers no ARIA attributes, so one invisible component
(`AriaStates`, placed once on a page) walks the page's shadow roots twice a second and sets the attributes from
what the widgets show: the `bk-active` class of a pressed button, the visible label next to a control.

Those class names (bk-btn, bk-active, bk-slider-title, ...) are BokehJS's own, not an API (docs/compat.md lists them).
If a BokehJS release renames the two every page has, the script says so once in the console ("nn-playground:
BokehJS ...: see docs/compat.md") instead of silently leaving the widgets unnamed: buttons none of which has the
class bk-btn, or slider handles none of which sits under a bk-slider-title.
"""

from typing import Any

from panel.reactive import ReactiveHTML

# ReactiveHTML rather than JSComponent: its scripts run without ES-module shims, which the site does not load.
ARIA_SCRIPT = """
const PERIOD_MS = 500

function visibleName(text) {
  return (text || "").replace(/:\\s*[^:]*$/, "").trim()  // "Noise (%): 10" -> "Noise (%)"
}

// How many buttons and slider handles the last walk met, and how many of them had BokehJS's classes.
const found = { buttons: 0, bokehButtons: 0, handles: 0, titledHandles: 0 }

function label(root) {
  if (root !== document) {  // the widgets' shadow roots (the page's own buttons, outside them, do not count)
    found.buttons += root.querySelectorAll("button").length
    found.bokehButtons += root.querySelectorAll("button.bk-btn").length
  }
  // Toggles and button groups: a pressed button says so.
  for (const button of root.querySelectorAll(":host(.bk-Toggle) button.bk-btn, .bk-btn-group button.bk-btn")) {
    button.setAttribute("aria-pressed", button.classList.contains("bk-active") ? "true" : "false")
  }
  for (const button of root.querySelectorAll(":host(.pg-choice) button.bk-btn")) {  // one of several, shown primary
    button.setAttribute("aria-pressed", button.classList.contains("bk-btn-primary") ? "true" : "false")
  }
  for (const handle of root.querySelectorAll("[role=slider]")) {
    const title = handle.closest(".bk-input-group")?.querySelector(".bk-slider-title")
    if (title) handle.setAttribute("aria-label", visibleName(title.firstChild?.textContent || title.textContent))
    found.handles += 1
    found.titledHandles += title ? 1 : 0
  }
  for (const box of root.querySelectorAll("input[type=checkbox]")) {
    const text = box.nextElementSibling?.textContent?.trim()
    if (text && !box.labels?.length) box.setAttribute("aria-label", text)
  }
  for (const arrow of root.querySelectorAll("button.bk-spin-btn")) {
    const name = arrow.closest(".bk-input-group")?.querySelector("label")?.textContent?.trim() || "value"
    arrow.setAttribute("aria-label", `${arrow.classList.contains("bk-spin-btn-up") ? "Increase" : "Decrease"} ${name}`)
    arrow.tabIndex = -1  // the arrow keys in the input do the same
  }
  // Panel's MultiChoice (Choices.js) marks each chosen item aria-selected, an attribute an element without a role
  // may not carry (axe's aria-allowed-attr); the item's text and its "Remove item" button already say what it is.
  for (const item of root.querySelectorAll(".choices__list--multiple .choices__item[aria-selected]")) {
    item.removeAttribute("aria-selected")
  }
  for (const tab of root.querySelectorAll(".bk-tab")) {
    tab.setAttribute("role", "tab")
    tab.setAttribute("aria-selected", tab.classList.contains("bk-active") ? "true" : "false")
  }
  for (const header of root.querySelectorAll(".bk-header")) {
    if (header.querySelector(".bk-tab")) header.setAttribute("role", "tablist")
  }
  for (const element of root.querySelectorAll("*")) {
    if (element.shadowRoot) label(element.shadowRoot)
  }
}

function openTab(event) {
  const target = event.composedPath()[0]
  if ((event.key === "Enter" || event.key === " ") && target?.classList?.contains("bk-tab")) {
    event.preventDefault()
    target.click()
  }
}

// BokehJS's class names are not an API (docs/compat.md): say once if those every page has stop matching.
const warned = new Set()

function warnOnce(what, effect) {
  if (warned.has(what)) return
  warned.add(what)
  const bokehjs = `BokehJS ${window.Bokeh?.version ?? ""}`.trim()
  console.warn(`nn-playground: ${bokehjs} renders ${what} (aria.py), so ${effect}: see docs/compat.md`)
}

function labelPage() {
  Object.keys(found).forEach((key) => { found[key] = 0 })
  label(document)
  if (found.buttons && !found.bokehButtons) {
    warnOnce("no button with the class bk-btn", "toggles and choices do not say whether they are pressed")
  }
  if (found.handles && !found.titledHandles) {
    warnOnce("no slider handle under a .bk-input-group .bk-slider-title", "sliders have no accessible name")
  }
}

if (!window.pgAriaStates) {  // once per page, however often the component renders
  window.pgAriaStates = setInterval(labelPage, PERIOD_MS)
  document.addEventListener("keydown", openTab)
}
labelPage()
"""


class AriaStates(ReactiveHTML):
    """Invisible: keeps the page's ARIA states and names up to date (see the module docstring)."""

    _template = "<span id='aria'></span>"
    _scripts = {"render": ARIA_SCRIPT}

    def __init__(self, **params: Any) -> None:
        super().__init__(width=0, height=0, margin=0, **params)
