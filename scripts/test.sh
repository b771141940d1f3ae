#!/usr/bin/env bash
# Install everything the tests need (Python packages into .venv, Debian's chromium for the browser
# tests, LibreOffice Impress and poppler to draw the slide deck) and run the whole suite: lint, data
# validation, unit, builders, pages, browser, the deck rendered slide by slide.
set -euo pipefail
cd "$(dirname "$0")/.."
if { [ ! -x /usr/bin/chromium ] || ! command -v soffice >/dev/null || ! command -v pdftoppm >/dev/null; } \
  && command -v apt-get >/dev/null 2>&1; then
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq && $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
    chromium fonts-dejavu-core fonts-liberation libreoffice-impress poppler-utils >/dev/null
fi
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
.venv/bin/python -m ruff check .
.venv/bin/python -m landscape validate data
exec .venv/bin/python -m pytest "$@"
