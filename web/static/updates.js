// The site's service worker (sw.js) as every page sees it: registered here; a notice when a new version of the
// site is there, with a Reload button the student presses when they choose; a line in the footer once the whole
// site is stored in the browser (loader.js asks for that when its app is ready: storeSite), so it works offline.
//
// A new version shows in two ways: a new build's service worker installed and waiting (sw.js changed), or
// version.json, the server's build hash (never from a cache), differing from the build this page was made by (its
// nn-playground-build meta), which also catches a site that changed without its sw.js. Offline, neither shows.
// Nothing here reloads by itself: only the Reload button does, so a page can never reload in a loop.
const BUILD = document.querySelector('meta[name="nn-playground-build"]')?.content;
const supported = "serviceWorker" in navigator;
let offered = false;

// The build the server has now, or null when it cannot be asked (offline, or a site without version.json).
async function serverBuild() {
  try {
    const response = await fetch("version.json", { cache: "no-store" });
    return response.ok ? (await response.json()).build || null : null;
  } catch {
    return null;
  }
}

async function compareBuilds() {
  const build = await serverBuild();
  if (BUILD && build && build !== BUILD) offerReload();
}

function button(text, onClick) {
  const element = document.createElement("button");
  element.type = "button";
  element.textContent = text;
  element.addEventListener("click", onClick);
  return element;
}

// First in the page, so the keyboard reaches it at once; shown at the bottom of the window, over the page.
function offerReload() {
  if (offered) return;
  offered = true;
  const notice = document.createElement("div");
  notice.id = "pg-update";
  notice.setAttribute("role", "status");
  const text = notice.appendChild(document.createElement("span"));
  text.textContent = "A new version of this page is available.";
  const reload = button("Reload", () => takeNewVersion(reload, text));
  notice.append(reload, button("Not now", () => notice.remove()));
  notice.lastChild.className = "quiet";
  document.body.prepend(notice);
}

// The new build's worker takes over and the page reloads; when sw.js has not changed, the stored old site goes,
// so the reload fetches the new one. Without a connection the stored site stays and the notice says so.
async function takeNewVersion(reload, text) {
  reload.disabled = true;
  text.textContent = "Getting the new version…";
  if (!(await serverBuild())) {
    reload.disabled = false;
    text.textContent = "The new version cannot be fetched without a connection. Try again later.";
    return;
  }
  const registration = supported && (await navigator.serviceWorker.getRegistration());
  if (registration) {
    await registration.update().catch(() => {});
    const worker = registration.installing || registration.waiting;
    const state = worker && (await installed(worker));
    if (state === "installed") {
      navigator.serviceWorker.addEventListener("controllerchange", () => location.reload(), { once: true });
      return worker.postMessage({ type: "take-over" });
    }
    if (!worker || state === "redundant") {
      for (const name of await caches.keys()) if (name.startsWith("nn-playground-")) await caches.delete(name);
    }
  }
  location.reload();
}

// A new worker's state once it has stored the new site (installed) or failed (redundant).
function installed(worker) {
  return new Promise((resolve) => {
    const check = () => worker.state !== "installing" && resolve(worker.state);
    worker.addEventListener("statechange", check);
    check();
  });
}

function showOffline() {
  if (window.nnPlayground) window.nnPlayground.offline = true;
  if (document.getElementById("pg-offline")) return;
  const footer = document.querySelector("body > footer") || document.body.appendChild(document.createElement("footer"));
  const note = footer.appendChild(document.createElement("p"));
  note.id = "pg-offline";
  note.textContent = "Saved in this browser: the playground now works offline, without the internet.";
}

// Once the app is ready: the service worker stores the whole site (if it has not yet) and says when it is done.
export async function storeSite() {
  if (!supported) return;
  const registration = await navigator.serviceWorker.ready;
  registration.active.postMessage({ type: "cache-site" });
}

function watchSite() {
  if (!supported) return;
  const controlled = Boolean(navigator.serviceWorker.controller);
  navigator.serviceWorker.onmessage = ({ data }) => {
    if (data.type === "site-cached" && data.stored) showOffline();
  };
  // Another page took the new version: this one runs the old build while the new worker answers its requests.
  navigator.serviceWorker.addEventListener("controllerchange", () => controlled && offerReload());
  navigator.serviceWorker.register("sw.js").then((registration) => {
    if (!registration) return; // a browser that blocks service workers (the tests' Playwright)
    if (registration.waiting && controlled) offerReload();
    registration.addEventListener("updatefound", () => {
      const worker = registration.installing;
      worker.addEventListener("statechange", () => worker.state === "installed" && controlled && offerReload());
    });
  }, (err) => console.warn("no offline cache:", err));
  navigator.serviceWorker.controller?.postMessage({ type: "site-status" });
  compareBuilds();
  document.addEventListener("visibilitychange", () => document.visibilityState === "visible" && compareBuilds());
}

watchSite();
