// Keyboard use of the app pages; page.html loads this before BokehJS, so it sees every shadow root BokehJS attaches.
//
// 1. A focus ring on every control. BokehJS draws each widget in a shadow root of its own, where the page's CSS
//    does not reach (and its own CSS draws a faint dotted line or none), so one style sheet is adopted into every
//    shadow root as it is attached. It also turns the widgets' motion off when the system asks for reduced motion
//    (a switch's sliding knob, a progress bar's stripes), as site.css does for the page.
// 2. Focus stays on a control that is drawn again. BokehJS renders a button anew when its label, type or disabled
//    state changes (Play becomes Pause, a dataset button turns primary), and Panel replaces the widgets of a layout
//    it rebuilds (the neuron counts above the diagram): the focused element leaves the page, focus falls to <body>
//    and the next Enter does nothing. So when the focused element is removed, focus goes to what took its place:
//    the same control of the same widget when the widget's element is still there, else a control of the same kind,
//    widget classes and name (its label) on the page.
// 3. The "?" help of a setting opens from the keyboard: focusable, shown while focused (BokehJS shows it on
//    mouseenter only), hidden by Escape or when focus leaves.
// 4. A code editor (a text area whose widget has the class pg-code-editor) indents with Tab and unindents with
//    Shift+Tab, four spaces, as a Python editor does; Escape lets the next Tab leave it (no keyboard trap).
// BokehJS class names used here (bk-description) are not an API: docs/compat.md.
(() => {
  const RING = `
:is(button, input, select, textarea, summary, a[href], [tabindex]):focus-visible {
  outline: 2px solid #0b57d0 !important; outline-offset: 2px !important;
}
.bk-spin-wrapper > input:focus-visible, .bk-tab:focus-visible { outline-offset: -2px !important; }
.bk-description:focus-visible > .bk-icon, .bk-description:focus > .bk-icon { opacity: 1; }
@media (prefers-reduced-motion: reduce) {
  *, ::before, ::after { animation: none !important; transition: none !important; scroll-behavior: auto !important; }
}
`;
  const FOCUSABLE = "button, input, select, textarea, summary, a[href], [tabindex]";
  const PATIENCE_FRAMES = 90; // how long a removed control's replacement may take to appear (Panel builds it anew)

  const ring = new CSSStyleSheet();
  ring.replaceSync(RING);
  const helpObserver = new MutationObserver((records) => {
    for (const record of records) record.addedNodes.forEach(openHelpFromKeyboard);
  });
  const attachShadow = Element.prototype.attachShadow;
  Element.prototype.attachShadow = function (init) {
    const root = attachShadow.call(this, init);
    root.adoptedStyleSheets = [...root.adoptedStyleSheets, ring];
    helpObserver.observe(root, { childList: true });
    return root;
  };

  // -- 3. the "?" help --------------------------------------------------------------------------------------------

  function openHelpFromKeyboard(node) {
    if (!(node instanceof Element)) return;
    const helps = node.matches(".bk-description") ? [node] : node.querySelectorAll(".bk-description");
    for (const help of helps) {
      if (help.hasAttribute("tabindex")) continue;
      const label = help.parentElement;
      const setting = label?.textContent?.trim();
      // The help sits inside the setting's label: a name of its own would join the setting's name ("Activation
      // Help: Activation"), so the setting is named by the label's text alone.
      if (setting && label.control && !label.control.hasAttribute("aria-label")) {
        label.control.setAttribute("aria-label", setting);
      }
      help.tabIndex = 0;
      help.setAttribute("role", "button");
      help.setAttribute("aria-label", setting ? `Help: ${setting}` : "Help");
      help.setAttribute("aria-expanded", "false");
      const show = (shown) => {
        help.dispatchEvent(new MouseEvent(shown ? "mouseenter" : "mouseleave"));
        help.setAttribute("aria-expanded", String(shown));
      };
      help.addEventListener("focus", () => show(true));
      help.addEventListener("blur", () => show(false));
      help.addEventListener("keydown", (event) => {
        if (event.key === "Escape") show(false);
      });
    }
  }

  // -- 2. focus kept across re-renders ---------------------------------------------------------------------------

  // The focused element inside its shadow roots (document.activeElement is the outermost host), or null for <body>.
  function deepActive() {
    let element = document.activeElement;
    while (element?.shadowRoot?.activeElement) element = element.shadowRoot.activeElement;
    return element === document.body ? null : element;
  }

  function hostsOf(element) {
    const hosts = [];
    for (let root = element.getRootNode(); root instanceof ShadowRoot; root = root.host.getRootNode()) {
      hosts.unshift(root.host);
    }
    return hosts;
  }

  // What names a control across re-renders: its kind, its widget's classes (pg-setting-..., the model's class) and
  // its name (aria-label, else its label, else its text).
  function identity(element) {
    const host = hostsOf(element).pop();
    const name = element.getAttribute("aria-label") || element.labels?.[0]?.textContent || element.textContent;
    return [element.tagName, element.type ?? "", host?.className ?? "", (name ?? "").trim()].join("|");
  }

  // The focusable controls of a shadow root (or document), not those of the shadow roots inside it.
  const controlsOf = (root, tag) => [...root.querySelectorAll(tag)].filter((element) => element.matches(FOCUSABLE));

  function* allControls(root) {
    for (const element of root.querySelectorAll("*")) {
      if (element.matches(FOCUSABLE)) yield element;
      if (element.shadowRoot) yield* allControls(element.shadowRoot);
    }
  }

  const usable = (element) => element && !element.disabled && element.getClientRects().length > 0;

  function remember(element) {
    const hosts = hostsOf(element);
    const root = element.getRootNode();
    return { element, hosts, identity: identity(element), index: controlsOf(root, element.tagName).indexOf(element) };
  }

  function replacement({ element, hosts, identity: wanted, index }) {
    let kept = hosts.length - 1;
    while (kept >= 0 && !hosts[kept].isConnected) kept -= 1;
    if (kept >= 0 && kept === hosts.length - 1) { // the widget drew itself again: the same control in it
      const controls = controlsOf(hosts[kept].shadowRoot, element.tagName);
      const same = controls[index] ?? controls[0];
      if (usable(same)) return same;
    }
    // the widget was replaced: the control of the same kind and name under the nearest layout still on the page
    const scope = kept >= 0 ? hosts[kept].shadowRoot : document;
    for (const control of allControls(scope)) {
      if (usable(control) && identity(control) === wanted) return control;
    }
    return null;
  }

  // The element losing focus is still on the page when focusout fires, also when it is being removed.
  document.addEventListener("focusout", (event) => {
    const element = event.composedPath()[0];
    if (event.relatedTarget !== null || !(element instanceof Element)) return;
    const lost = remember(element);
    let frames = 0;
    const restore = () => {
      // Only when the element left the page and nothing else took focus: a click on the page's background or
      // another window leaves the element where it is.
      if (element.isConnected || deepActive() !== null) return;
      const target = replacement(lost);
      if (target) target.focus({ preventScroll: true });
      else if (++frames < PATIENCE_FRAMES) requestAnimationFrame(restore);
    };
    requestAnimationFrame(restore);
  }, true);

  // -- 4. Tab in a code editor -------------------------------------------------------------------------------------

  const INDENT = "    ";
  const released = new WeakSet(); // editors whose next Tab leaves them (after Escape)

  function indent(editor, outwards) {
    const { value, selectionStart: start, selectionEnd: end } = editor;
    if (!outwards && start === end) { // a caret: four spaces there (execCommand keeps the editor's undo)
      document.execCommand("insertText", false, INDENT);
      return;
    }
    const first = value.lastIndexOf("\n", start - 1) + 1; // whole lines: from the start of the selection's first
    const lines = value.slice(first, end).split("\n");
    const changed = lines.map((line) => outwards ? line.replace(/^ {1,4}/, "") : INDENT + line).join("\n");
    editor.setSelectionRange(first, end);
    document.execCommand("insertText", false, changed);
    editor.setSelectionRange(first, first + changed.length);
  }

  document.addEventListener("keydown", (event) => {
    const editor = event.composedPath()[0];
    if (!(editor instanceof HTMLTextAreaElement) || !hostsOf(editor).some((host) => host.matches(".pg-code-editor"))) {
      return;
    }
    if (event.key === "Escape") released.add(editor);
    else if (event.key === "Tab" && !event.ctrlKey && !event.altKey && !event.metaKey) {
      if (released.has(editor)) released.delete(editor); // this Tab moves on, as anywhere else
      else {
        event.preventDefault();
        indent(editor, event.shiftKey);
      }
    } else released.delete(editor);
  }, true);
})();
