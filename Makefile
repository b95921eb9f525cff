# 一窗通 kiosk — the two commands: `make run` and `make test`.
# Everything else (venv, Python packages, Debian packages, cupsd) is set up on demand.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
SYSSTAMP := $(VENV)/.system-packages
export QT_QPA_PLATFORM ?= offscreen

# Debian packages the tests and the kiosk need: CUPS with a PDF queue, the CJK font,
# poppler (pdffonts/pdftoppm to check printed output), Xvfb for screenshots, espeak-ng, openssl
# (self-signed certificates for the TLS tests, which start their own PostgreSQL and MariaDB).
# The tests at the glass (tests/ui/test_glass.py) run the real window on Xvfb with a window
# manager and tap with xdotool: Qt's xcb plugin needs the libxcb-* libraries below.
APT_PACKAGES := cups cups-bsd cups-client printer-driver-cups-pdf fonts-wqy-microhei openssl \
                poppler-utils xvfb xauth espeak-ng libegl1 libgl1 libxkbcommon0 \
                libxkbcommon-x11-0 libfontconfig1 libdbus-1-3 libglib2.0-0 locales \
                matchbox-window-manager xdotool imagemagick x11-utils libxcb-cursor0 \
                libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-randr0 libxcb-render-util0 \
                libxcb-shape0 libxcb-xinerama0 libxcb-xkb1

.PHONY: run demo screenshots test lint check-imports typecheck catalog pytest bench venv system-packages cupsd clean

$(STAMP): pyproject.toml setup.py
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test,postgres,mariadb,escpos]'
	$(BIN)/python -m compileall -q kiosk  # as an install does: no module compiled at each start
	touch $@

venv: $(STAMP)

$(SYSSTAMP):
	@if command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ]; then \
	  DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(APT_PACKAGES) >/dev/null; \
	else echo "not root or no apt-get: install these yourself: $(APT_PACKAGES)"; fi
	mkdir -p $(VENV) && touch $@

system-packages: $(SYSSTAMP)

cupsd: $(SYSSTAMP)
	bash scripts/start-cupsd.sh

run: $(STAMP)
	@if [ -z "$$DISPLAY" ] && [ -z "$$WAYLAND_DISPLAY" ]; then \
	  echo "No display found. To see the kiosk without a screen, run:  make demo"; \
	  echo "(it drives a whole visit offscreen and saves screenshots and printed PDFs)"; \
	  exit 0; \
	fi; QT_QPA_PLATFORM= $(BIN)/kiosk run

demo: $(STAMP)
	$(BIN)/kiosk demo --out demo-out

# docs/screenshots/<size>/<theme>/: the demo visit at each supported screen size, in both looks
# (8-bit PNGs: a third of the size, the words as crisp).
SCREEN_SIZES = 1920x1080 1366x768 1080x1920
screenshots: $(STAMP) system-packages
	rm -rf .screenshots-out
	$(BIN)/kiosk demo --out .screenshots-out $(foreach s,$(SCREEN_SIZES),--size $(s)) \
	  --theme standard --theme elder
	rm -rf docs/screenshots && mkdir -p docs/screenshots
	for s in $(SCREEN_SIZES); do cp -r .screenshots-out/$$s docs/screenshots/$$s; done
	find docs/screenshots -name '*.png' -exec mogrify +dither -colors 256 {} +
	rm -rf .screenshots-out

lint: $(STAMP)
	$(BIN)/ruff check kiosk tests bench
	$(BIN)/ruff format --check kiosk tests bench

# The layers contract (pyproject.toml) and the walk of the package: no Qt outside kiosk/ui and
# the composition root, no SQLAlchemy outside kiosk/store, no import cycles.
check-imports: $(STAMP)
	$(BIN)/lint-imports --no-cache
	$(BIN)/pytest -q -p no:cacheprovider tests/test_architecture.py

typecheck: $(STAMP)
	$(BIN)/mypy

# One worker per core (pytest-xdist); each worker makes its own scratch databases.
PYTEST_WORKERS ?= auto

# The bureau's catalog.yaml (repository root): loads, and every answer path walks clean.
catalog: $(STAMP)
	$(BIN)/kiosk catalog check catalog.yaml

pytest: $(STAMP)
	KIOSK_TEST_CUPS_QUEUE=$${KIOSK_TEST_CUPS_QUEUE:-PDF} $(BIN)/pytest -q -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

test: $(STAMP) system-packages cupsd lint check-imports typecheck catalog pytest

bench: $(STAMP) system-packages cupsd
	@# LibreOffice only for bench_printing's side-by-side (.docx → PDF as bureaus do it today).
	@if ! command -v libreoffice >/dev/null && command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ]; then \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends libreoffice-writer-nogui >/dev/null \
	  || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends libreoffice-writer >/dev/null; \
	fi
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache demo-out .screenshots-out
