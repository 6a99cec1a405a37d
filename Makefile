# nn-playground. `make run` builds the self-hosted site and serves it; `make test` runs every test.
# Both install what they need first (Debian packages, the virtual environment, the pinned downloads)
# and are safe to run again.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
SITE   := build/site
PORT   ?= 8000
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test install system-deps npm-deps site sandbox lint test-python test-pyodide test-browser bench-site clean

run: site
	$(BIN)/nn-playground serve $(SITE) --port $(PORT)

test: install system-deps lint test-python test-pyodide test-browser

install: $(VENV)/.installed

# Reinstalled when the dependencies or the pins change; an editable install, so source edits need no reinstall.
# pip is held to every PyPI version pinned in web/pins.toml, through constraints generated from it.
$(VENV)/.installed: pyproject.toml web/pins.toml web/pins.py
	@[ -x $(BIN)/python ] || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m web.pins --constraints > $(VENV)/constraints.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c $(VENV)/constraints.txt -e '.[dev]'
	@touch $@

# Debian's chromium for the browser tests (never `playwright install`: it downloads a browser), Node for the
# in-Pyodide test run, and Firefox ESR, WebKitGTK's WebDriver (with MiniBrowser) and Xvfb for the cross-browser tests.
system-deps:
	@missing=""; \
	command -v chromium >/dev/null || missing="$$missing chromium"; \
	command -v node >/dev/null || missing="$$missing nodejs"; \
	command -v npm >/dev/null || missing="$$missing npm"; \
	command -v firefox-esr >/dev/null || missing="$$missing firefox-esr"; \
	command -v WebKitWebDriver >/dev/null || missing="$$missing webkit2gtk-driver"; \
	command -v xvfb-run >/dev/null || missing="$$missing xvfb"; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  $(SUDO) apt-get update -q && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q $$missing; \
	fi

# puppeteer-core (drives Firefox in the cross-browser tests; downloads no browser) at its lock's versions, installed
# again only when the lock changes.
npm-deps: system-deps tests/browser/crossbrowser/node_modules/.installed

tests/browser/crossbrowser/node_modules/.installed: tests/browser/crossbrowser/package-lock.json
	cd tests/browser/crossbrowser && npm ci --ignore-scripts --no-audit --no-fund
	@touch $@

# The 2-D sandbox in a local Panel server (CPython), on the loopback interface.
sandbox: install
	$(BIN)/panel serve playground/sandbox/app.py --address 127.0.0.1 --port 5006 --allow-websocket-origin 127.0.0.1:5006

site: install system-deps
	$(BIN)/nn-playground build --out $(SITE)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# (1) every test in CPython, (2) the engine's tests inside Pyodide 0.27.7 on Node, from the self-hosted
# distribution, (3) the browser tests in headless Chromium against the built site, ending with pytest's summary.
# (1) and (3) run on both cores (pytest-xdist); the browser tests a file per worker, as their servers and sites are
# shared within a file. Each worker's numpy keeps to one BLAS thread: with two workers on two cores, OpenBLAS's
# threads waited on each other and a CNN lesson's --verify took 133 s instead of 17.
ONE_BLAS_THREAD := OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1
test-python: install system-deps
	$(ONE_BLAS_THREAD) $(BIN)/python -m pytest -m "not browser" -n 2

test-pyodide: install system-deps
	$(BIN)/python -m web.pyodide_run --pytest tests/nn_core -q

test-browser: install system-deps npm-deps
	$(ONE_BLAS_THREAD) $(BIN)/python -m pytest -m browser -n 2 --dist loadfile --durations=15

# Cold start, repeat visit, bytes and time per stage of the demo page in headless Chromium.
bench-site: install system-deps
	$(BIN)/python benchmarks/bench_site.py --runs 3

clean:
	rm -rf build test-artifacts .pytest_cache
