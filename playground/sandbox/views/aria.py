"""What Bokeh's widgets do not tell assistive technology, added in the browser: toggle buttons' aria-pressed,
which of several buttons is chosen (class `pg-choice`), names for sliders, checkboxes and number-input arrows,
and tabs that are tabs and open with Enter or Space.

Bokeh renders every widget in its own shadow root and offers no ARIA attributes, so one invisible component
(`AriaStates`, placed once on a page) walks the page's shadow roots twice a second and sets the attributes from
what the widgets show: the `bk-active` class of a pressed button, the visible label next to a control.
"""

from panel.reactive import ReactiveHTML

# ReactiveHTML rather than JSComponent: its scripts run without ES-module shims, which the site does not load.
ARIA_SCRIPT = """
const PERIOD_MS = 500

function visibleName(text) {
  return (text || "").replace(/:\\s*[^:]*$/, "").trim()  // "Noise (%): 10" -> "Noise (%)"
}

function label(root) {
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

if (!window.pgAriaStates) {  // once per page, however often the component renders
  window.pgAriaStates = setInterval(() => label(document), PERIOD_MS)
  document.addEventListener("keydown", openTab)
}
label(document)
"""


class AriaStates(ReactiveHTML):
    """Invisible: keeps the page's ARIA states and names up to date (see the module docstring)."""

    _template = "<span id='aria'></span>"
    _scripts = {"render": ARIA_SCRIPT}

    def __init__(self, **params):
        super().__init__(width=0, height=0, margin=0, **params)
