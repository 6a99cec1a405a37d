"""Debian's Firefox ESR and WebKitGTK (and Chromium) driven alike, for the cross-browser tests and
benchmarks/bench_cross_browser.py.

Firefox: puppeteer-core over WebDriver BiDi, in a Node process (puppeteer.mjs) this module talks to in JSON lines
(`make npm-deps` installs puppeteer-core from package-lock.json). WebKit: Selenium, WebKitWebDriver and MiniBrowser
in an Xvfb display of its own. Nothing downloads a browser or a driver: every binary is named by its path.
"""

from __future__ import annotations

import json
import os
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from web.chromium import CHROMIUM_ARGS

HERE = Path(__file__).resolve().parent
PAGE_JS = (HERE / "page.js").read_text()
WIDTH, HEIGHT = 1280, 900  # the page's viewport in every browser
PUPPETEER = HERE / "node_modules" / "puppeteer-core"
# name: (puppeteer's name for it, binary, arguments); Chromium only for the benchmark's comparison (the browser
# tests drive it with Playwright).
PUPPETEER_BROWSERS = {
    "Firefox": ("firefox", "/usr/bin/firefox-esr", []),
    "Chromium": ("chrome", "/usr/bin/chromium", CHROMIUM_ARGS),
}
WEBKIT_DRIVER = "/usr/bin/WebKitWebDriver"
MINIBROWSER = "/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser"
# Under Xvfb (Mesa's llvmpipe) WebKitGTK's accelerated 2-D canvas leaves canvases drawn only once blank on screen (the
# MNIST lab's drawing pad and digits; their pixels are there): the software canvas shows them.
MINIBROWSER_ARGS = ["--automation", "--enable-2d-canvas-acceleration=false"]
XVFB = "/usr/bin/Xvfb"
SCREEN_HEIGHT = 6000  # Xvfb's screen: a full-page screenshot of WebKit is at most this tall (with the toolbar)
NEEDED = {  # what each browser needs: the file and what installs it
    "Firefox": {"/usr/bin/firefox-esr": "firefox-esr", "/usr/bin/node": "nodejs", str(PUPPETEER): "make npm-deps"},
    "Chromium": {"/usr/bin/chromium": "chromium", "/usr/bin/node": "nodejs", str(PUPPETEER): "make npm-deps"},
    "WebKit": {WEBKIT_DRIVER: "webkit2gtk-driver", MINIBROWSER: "webkit2gtk-driver", XVFB: "xvfb"},
}


class BrowserError(RuntimeError):
    pass


def missing(browser: str) -> str | None:
    """What the browser needs that is not installed, and what installs it (`make test` installs everything)."""
    absent = [f"{path} ({source})" for path, source in NEEDED[browser].items() if not Path(path).exists()]
    return f"{browser} needs {', '.join(absent)}: `make test` installs them" if absent else None


def open_browser(name: str):
    """A fresh session of Firefox, WebKit or Chromium, with a fresh profile; close() ends it."""
    if problem := missing(name):
        raise BrowserError(problem)
    return WebKit() if name == "WebKit" else Puppeteer(name, *PUPPETEER_BROWSERS[name])


class Puppeteer:
    """A browser driven by puppeteer-core (puppeteer.mjs, in a Node process)."""

    def __init__(self, name: str, kind: str, binary: str, args: list[str]):
        self.name = name
        command = ["node", str(HERE / "puppeteer.mjs"), kind, binary, str(WIDTH), str(HEIGHT), json.dumps(args)]
        self.process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        self.version = f"{name} {self._answer().split('/')[-1]}"
        self.pid = self.process.pid  # the browser's processes descend from it

    def _answer(self):
        line = self.process.stdout.readline()
        if not line:
            raise BrowserError(f"puppeteer.mjs ({self.name}) stopped (exit status {self.process.wait()})")
        answer = json.loads(line)
        if "error" in answer:
            raise BrowserError(f"{self.name}: {answer['error']}")
        return answer["value"]

    def _call(self, command: str, **args):
        self.process.stdin.write(json.dumps({"command": command, **args}) + "\n")
        self.process.stdin.flush()
        return self._answer()

    def goto(self, url: str) -> None:
        self._call("goto", url=url)

    def evaluate(self, expression: str):
        """The value of a JavaScript expression in the page, page.js's helpers (window.pg) defined."""
        return self._call("evaluate", script=f"(() => {{ {PAGE_JS};\n return ({expression}); }})()")

    def screenshot(self, path: Path) -> None:
        self._call("screenshot", path=str(path))

    def errors(self) -> list[str]:
        """Console errors and uncaught errors (the page's and its workers') since the last call."""
        return self._call("errors")

    def close(self) -> None:
        try:
            self.process.stdin.write('{"command": "close"}\n')
            self.process.stdin.close()
            self.process.wait(timeout=30)
        except (BrokenPipeError, subprocess.TimeoutExpired):
            self.process.terminate()  # puppeteer closes the browser on SIGTERM
            self.process.wait(timeout=30)


class WebKit:
    name = "WebKit"

    def __init__(self):
        from selenium import webdriver
        from selenium.webdriver.webkitgtk.options import Options
        from selenium.webdriver.webkitgtk.service import Service

        # MiniBrowser has no headless mode: an X server of its own, on the first free display (-displayfd).
        self.xvfb = subprocess.Popen(
            [XVFB, "-displayfd", "1", "-screen", "0", f"{WIDTH}x{SCREEN_HEIGHT}x24", "-nolisten", "tcp"],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,  # the displays it found taken on its way to a free one
            text=True,
        )
        display = self.xvfb.stdout.readline().strip()
        options = Options()
        options.binary_location = MINIBROWSER
        for argument in MINIBROWSER_ARGS:
            options.add_argument(argument)
        service = Service(executable_path=WEBKIT_DRIVER, env={**os.environ, "DISPLAY": f":{display}"})
        try:
            self.driver = webdriver.WebKitGTK(options=options, service=service)
        except Exception:
            self.xvfb.terminate()
            raise
        # A command the browser never answers (a screenshot waits for a paint) fails instead of hanging the tests.
        self.driver.command_executor.client_config.timeout = 120
        self.version = f"WebKitGTK {self.driver.capabilities.get('browserVersion')}"
        self.pid = self.driver.service.process.pid  # the browser's processes descend from it
        # The window is larger than the page by MiniBrowser's toolbar: measured once, at a size the window has taken.
        self.driver.set_window_size(WIDTH, HEIGHT)
        inner = self._viewport_becomes(lambda size: size[0] <= WIDTH and size[1] <= HEIGHT)
        self.toolbar = (WIDTH - inner[0], HEIGHT - inner[1])
        self._resize(HEIGHT)

    def _viewport_becomes(self, test: Callable[[list[int]], bool]) -> list[int]:
        """The page's [innerWidth, innerHeight] once `test` holds for it: WebKitGTK resizes the window after
        set_window_size returns (a size read at once can still be the old one, and a window sized from it is wrong)."""
        deadline = time.monotonic() + 10
        while not test(size := self.driver.execute_script("return [innerWidth, innerHeight]")):
            if time.monotonic() > deadline:
                raise BrowserError(f"WebKit: the window did not take its size (the page is {size[0]}x{size[1]})")
            time.sleep(0.05)
        return size

    def _resize(self, height: int) -> None:
        """A viewport of WIDTH x height."""
        self.driver.set_window_size(WIDTH + self.toolbar[0], height + self.toolbar[1])
        self._viewport_becomes(lambda size: size == [WIDTH, height])

    def goto(self, url: str) -> None:
        self.driver.get(url)  # returns at the load event
        self.evaluate("pg.catchErrors()")

    def evaluate(self, expression: str):
        return self.driver.execute_script(f"{PAGE_JS};\n return ({expression});")

    def screenshot(self, path: Path) -> None:
        # WebKitWebDriver has no full-page screenshot: the window is made as tall as the page for it.
        self._resize(min(self.evaluate("document.documentElement.scrollHeight"), SCREEN_HEIGHT - self.toolbar[1]))
        time.sleep(0.5)  # the page lays out and paints at its new size
        self.driver.save_screenshot(str(path))
        self._resize(HEIGHT)

    def errors(self) -> list[str]:
        """The page's console errors and uncaught errors since it loaded (not its workers': WebKitWebDriver cannot
        read the console, and page.js hooks only the page's console, after the load event)."""
        return self.evaluate("pg.takeErrors()")

    def close(self) -> None:
        try:
            self.driver.quit()
        finally:
            self.xvfb.terminate()
            self.xvfb.wait(timeout=30)


def wait_for(browser, test: Callable[[dict], bool], timeout_s: float) -> dict:
    """page.js's pg.state() once `test` holds for it, or the last one after `timeout_s`."""
    deadline = time.monotonic() + timeout_s
    while True:
        state = browser.evaluate("pg.state()")
        if test(state) or time.monotonic() > deadline:
            return state
        time.sleep(0.25)


def settled(state: dict) -> bool:
    """The playground is ready or failed; or the page has none and has loaded."""
    return state["loader"] in ("ready", "error") if state["loader"] else state["document"] == "complete"


def trained(before: dict, goal: tuple[str, int]) -> Callable[[dict], bool]:
    """Training is running and the status line's counter `goal[0]` ("epoch" or "step") is `goal[1]` past `before`."""
    counter, more = goal
    return lambda state: (
        state["status"]["state"] == "running" and int(state["status"][counter]) >= int(before[counter]) + more
    )


@dataclass
class Visit:
    """What one page did in one browser."""

    browser: str
    page: str
    loader: str | None  # the playground's loader state; None on a page without a playground
    message: str  # the loader's text
    ready_s: float  # from the navigation to a settled page
    start: str | None = None  # the saved start of Python the page restored (web/static/worker.js)
    trained: bool | None = None  # training went as far as asked after Play
    status: dict | None = None  # the status line's data then (or at the time-out)
    train_s: float | None = None  # from Play to then
    errors: list[str] = field(default_factory=list)

    @property
    def where(self) -> str:
        return f"{self.browser}, {self.page}"

    def __str__(self) -> str:
        trained = f", trained to {self.status} {self.train_s:.1f} s after Play" if self.train_s is not None else ""
        return f"{self.where}: {self.loader or 'loaded'} after {self.ready_s:.1f} s ({self.start} start){trained}"


def visit(browser, url: str, screenshot: Path, goal: tuple[str, int] | None, timeout_s: float = 180) -> Visit:
    """Open `url`; when `goal` is given, wait for its playground, press Play, wait until the status line's counter
    has gone `goal` far (epochs or steps) and press Pause. Then take a screenshot of the whole page and collect the
    console errors."""
    started = time.monotonic()
    browser.goto(url)
    state = wait_for(browser, lambda s: settled(s) and (s["loader"] != "ready" or s["status"]), timeout_s)
    result = Visit(browser.name, url.rsplit("/", 1)[-1], state["loader"], state["message"], time.monotonic() - started)
    result.start = state["start"]
    if goal and state["loader"] == "ready":
        browser.evaluate("pg.click('Play')")
        played = time.monotonic()
        done = trained(state["status"], goal)
        final = wait_for(browser, lambda s: s["loader"] != "ready" or done(s), timeout_s)
        result.trained, result.status, result.train_s = done(final), final["status"], time.monotonic() - played
        browser.evaluate("pg.click('Pause')")
    browser.screenshot(screenshot)
    result.errors = browser.errors()
    return result
