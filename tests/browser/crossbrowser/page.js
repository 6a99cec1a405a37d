// In-page helpers of the cross-browser tests (other_browsers.py runs this before every script; it defines them once
// per document). The app's widgets live in nested shadow roots (BokehJS), so elements are found by walking them.
window.pg ??= {
  find(test, root = document) {
    for (const element of root.querySelectorAll("*")) {
      if (test(element)) return element;
      const found = element.shadowRoot && window.pg.find(test, element.shadowRoot);
      if (found) return found;
    }
    return null;
  },

  // The loader's state (loading, ready, error; null on a page without a playground) and the status line's data-*.
  state() {
    const loader = document.getElementById("pg-loader");
    const status = window.pg.find((element) => element.id === "pg-status");
    return {
      document: document.readyState,
      loader: loader ? loader.dataset.state : null,
      message: loader ? loader.textContent.trim() : "",
      status: status ? { ...status.dataset } : null,
      start: window.nnPlayground?.snapshot ?? null, // which saved start of Python the page restored
      offline: Boolean(window.nnPlayground?.offline), // the service worker has stored the whole site
      pageStored: Boolean(window.nnPlayground?.pageStored), // ... what this page fetched (updates.js)
    };
  },

  click(label) {
    const button = window.pg.find((e) => e.tagName === "BUTTON" && e.textContent.trim().endsWith(label));
    if (button) button.click();
    return Boolean(button);
  },

  // For a driver that cannot read the console (WebKitWebDriver): the document's console.error calls, uncaught
  // errors and rejected promises from now on; takeErrors() hands them over once.
  errors: null,
  catchErrors() {
    if (window.pg.errors) return;
    window.pg.errors = [];
    const consoleError = console.error.bind(console);
    console.error = (...args) => {
      window.pg.errors.push("console.error: " + args.map(String).join(" "));
      consoleError(...args);
    };
    window.addEventListener("error", (e) => window.pg.errors.push(`uncaught: ${e.message} (${e.filename}:${e.lineno})`));
    window.addEventListener("unhandledrejection", (e) => window.pg.errors.push(`unhandled rejection: ${e.reason}`));
  },
  takeErrors() {
    return (window.pg.errors || []).splice(0);
  },
};
