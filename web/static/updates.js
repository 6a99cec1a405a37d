// The site's service worker (sw.js) as every page sees it: registered here; a notice when a new version of the
// site is there, with a Reload button the student presses when they choose; and in the footer, whether the site
// works offline: the line saying so once every file is stored, else the button "Make this site available offline
// (48 MB)", which stores the rest with a progress bar (and says in words when it could not).
//
// Nothing else is stored on purpose: the service worker keeps what the pages fetched, and when an app page is ready
// (loader.js calls storeSite) the files it fetched; on a return visit it also fetches the later-visit bundle (a start
// in 2-3 s instead of 6-8), never on a first visit (sw.js).
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

// The offline part of the footer (created here the same way on every page: the home page's footer, or one added at
// the end of an app or lesson page): one status line that stays (announced when it changes) and, after it, the
// button, the progress or "Try again".
const SAVED = "Saved in this browser: the playground now works offline, without the internet.";
let offlineState = null; // the last status the service worker told: what is missing, whether it is storing
// While storing, a page that hears nothing for 30 s asks again: a service worker the browser stopped (one event may
// not last for ever) or restarted has no job any more, and that is said as a failure, not left as a frozen bar.
let watchdog = null, stalled = false;

function offlineBox() {
  let box = document.getElementById("pg-offline-box");
  if (box) return box;
  const footer = document.querySelector("body > footer") || document.body.appendChild(document.createElement("footer"));
  box = footer.appendChild(document.createElement("div"));
  box.id = "pg-offline-box";
  const line = box.appendChild(document.createElement("p"));
  line.className = "pg-offline-line";
  line.setAttribute("role", "status");
  line.tabIndex = -1; // focus lands here when the control the keyboard was on goes
  return box;
}

function megabytes(bytes) {
  const mb = bytes / 1e6;
  return mb >= 10 ? `${Math.round(mb)}` : `${Math.max(0.1, Math.round(mb * 10) / 10)}`;
}

// status: the service worker's "site-status" (stored, missing bytes, unknown sizes, storing {done, total}), its
// "site-progress" (done, total) or a status with `failed` ({reason, file}).
function showOffline(status) {
  offlineState = status.type === "site-progress" ? { ...offlineState, storing: status } : status;
  const box = offlineBox();
  const line = box.querySelector(".pg-offline-line");
  const hadFocus = box.contains(document.activeElement);
  const say = (text) => line.textContent !== text && (line.textContent = text);
  const rest = [];
  line.removeAttribute("id");
  if (offlineState.stored) {
    if (window.nnPlayground) window.nnPlayground.offline = true;
    line.id = "pg-offline";
    say(SAVED);
  } else if (offlineState.storing) {
    const { done, total } = offlineState.storing;
    say("Saving the site in this browser for offline use…");
    const bar = box.querySelector("progress") || document.createElement("progress");
    bar.max = Math.max(total, 1);
    bar.value = Math.min(done, total);
    bar.setAttribute("aria-label", "Saving the site for offline use");
    const amount = box.querySelector(".pg-offline-amount") || document.createElement("span");
    amount.className = "pg-offline-amount";
    amount.textContent = `${megabytes(Math.min(done, total))} of ${megabytes(total)} MB`;
    rest.push(bar, amount);
  } else {
    if (window.nnPlayground) window.nnPlayground.offline = false;
    const size = `${megabytes(offlineState.missing)} MB${offlineState.unknown ? " or more" : ""}`;
    const failed = offlineState.failed;
    if (failed) {
      const why = {
        quota: "this browser has no room left for it (free some space, or ask your teacher)",
        server: `the server did not send ${failed.file}`,
        network: "the connection was lost",
        stopped: "the browser stopped it before the end",
      }[failed.reason] || "something went wrong";
      say(`Saving the site stopped: ${why}. It does not work offline yet (${size} still to download).`);
      rest.push(button("Try again", storeEverything));
    } else {
      say("");
      rest.push(button(`Make this site available offline (${size})`, storeEverything));
    }
    rest[0].className = "pg-offline-button";
  }
  clearTimeout(watchdog);
  if (offlineState.storing) {
    watchdog = setTimeout(() => {
      stalled = true;
      askStatus();
    }, 30_000);
  }
  box.replaceChildren(line, ...rest);
  if (hadFocus && !box.contains(document.activeElement)) (box.querySelector("button") || line).focus();
}

// The button: the service worker stores every file still missing; the browser is asked to keep them.
async function storeEverything() {
  showOffline({ ...offlineState, failed: null, storing: { done: 0, total: offlineState.missing } });
  navigator.storage?.persist?.().catch(() => {});
  const registration = await navigator.serviceWorker.ready;
  registration.active.postMessage({ type: "store-site" });
}

async function askStatus() {
  const registration = await navigator.serviceWorker.ready;
  registration.active?.postMessage({ type: "site-status" });
}

// Once the app is ready: the service worker stores what this page fetched and, on a return visit (this page was
// stored before this visit began), the later-visit bundle; then it tells what is missing of the whole site.
export async function storeSite() {
  if (!supported) return;
  const registration = await navigator.serviceWorker.ready;
  const files = performance.getEntriesByType("resource").map((entry) => entry.name);
  registration.active.postMessage({
    type: "page-ready", page: location.href, since: performance.timeOrigin, files,
    saveData: Boolean(navigator.connection?.saveData),
  });
}

function watchSite() {
  if (!supported) return;
  const controlled = Boolean(navigator.serviceWorker.controller);
  navigator.serviceWorker.onmessage = (event) => {
    let data = event.data;
    if (data.page && window.nnPlayground) window.nnPlayground.pageStored = true; // tests wait for it
    if (data.type === "site-status") {
      if (stalled && !data.storing && !data.stored && !data.failed) data = { ...data, failed: { reason: "stopped" } };
      stalled = false;
      showOffline(data);
    }
    // Progress only while storing: a late one must not bring the bar back after the final status.
    if (data.type === "site-progress" && offlineState?.storing) showOffline(data);
    if (data.type === "site-cached" && data.stored) showOffline({ stored: true }); // an older build's worker
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
  askStatus();
  compareBuilds();
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState !== "visible") return;
    compareBuilds();
    askStatus();
  });
}

watchSite();
