// Added to every page only by the lesson preview (nn-playground lesson serve; web/preview_server.py). Three times a
// second it asks the server for each page's token and the lessons' problems: when this page's token changed (its
// lesson was edited) it reloads, keeping the scroll position; problems (FILE:LINE: FIELD: message) show in a banner
// at the top, above the last good version of the page, until the file is fixed.
(() => {
  const script = document.currentScript;
  const page = script.dataset.page;
  const token = script.dataset.token;
  const KEY = `nn-playground-preview-scroll:${page}`;
  const saved = sessionStorage.getItem(KEY);
  if (saved) {
    // Set again whenever the layout changes (the loading stages, the first look, the live views arriving), until the
    // author scrolls or 20 s have passed: set once, the page would end where the layout of the moment put it.
    sessionStorage.removeItem(KEY);
    const [x, y, prose] = JSON.parse(saved);
    const restore = () => {
      scrollTo(x, y);
      const pane = document.querySelector(".lesson-prose"); // the text's own pane in the wide layout (lesson.css)
      if (pane) pane.scrollTop = prose;
    };
    const resized = new ResizeObserver(restore);
    const stop = () => resized.disconnect();
    addEventListener("DOMContentLoaded", () => {
      restore();
      resized.observe(document.body);
      const pane = document.querySelector(".lesson-prose");
      if (pane) resized.observe(pane);
    });
    addEventListener("load", restore);
    for (const type of ["wheel", "touchstart", "keydown", "mousedown"]) addEventListener(type, stop, { once: true });
    setTimeout(stop, 20_000);
  }
  let reloading = false;

  function show(problems, removed) {
    let banner = document.getElementById("pg-preview-problems");
    if (!problems.length && !removed) return banner?.remove();
    if (!banner) {
      banner = document.createElement("section");
      banner.id = "pg-preview-problems";
      banner.setAttribute("role", "alert");
      // Sticky, not fixed: it takes its room at the top of the page (a fixed banner hid the lesson's heading and
      // "Lesson 1 of 10") and stays in sight while the author scrolls.
      banner.style.cssText = "position: sticky; top: 0; z-index: 1000; max-height: 40vh; "
        + "overflow: auto; margin: 0; padding: .75rem 1.25rem; background: #fff4e5; color: #3d2100; "
        + "border-bottom: 3px solid #c05600; font: 15px/1.45 system-ui, sans-serif; white-space: pre-wrap;";
      document.body.prepend(banner);
    }
    const heading = removed
      ? "This page is no longer in the preview: its lesson file was removed or renamed."
      : "The lesson preview shows the last good version: fix these and save.";
    if (banner.textContent !== heading + problems.join("\n")) {
      const title = document.createElement("strong");
      title.textContent = heading;
      const list = document.createElement("code");
      list.style.cssText = "display: block; margin-top: .35rem; font: 14px/1.5 ui-monospace, monospace;";
      list.textContent = problems.join("\n");
      banner.replaceChildren(title, list);
    }
  }

  async function check() {
    let state;
    try {
      state = await (await fetch("/__preview__/state", { cache: "no-store" })).json();
    } catch {
      return; // the server restarts or stopped: ask again
    }
    if (!document.body || reloading) return;
    show(state.problems, !(page in state.pages));
    if (page in state.pages && state.pages[page] !== token) {
      reloading = true;
      const prose = document.querySelector(".lesson-prose")?.scrollTop || 0;
      sessionStorage.setItem(KEY, JSON.stringify([scrollX, scrollY, prose]));
      location.reload();
    }
  }
  setInterval(() => document.visibilityState === "visible" && check(), 300);
})();
