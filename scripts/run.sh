#!/usr/bin/env bash
# Install the runtime into .venv (and Debian's chromium, which the PNG/SVG chart downloads render with)
# and start the dashboard on the bundled data (or $LANDSCAPE_DATA_DIR).
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v chromium >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1; then
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  if [ -z "$sudo" ] || sudo -n true 2>/dev/null; then
    $sudo apt-get update -qq && $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core >/dev/null \
      || echo "Could not install chromium: chart PNG/SVG downloads will say how to enable them." >&2
  else
    echo "Chart PNG/SVG downloads need Chromium: sudo apt-get install chromium" >&2
  fi
fi
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
# glibc gives every thread its own malloc arena; Streamlit runs each session in a thread, so cap them.
export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}"
exec .venv/bin/python -m streamlit run dashboard.py --server.headless true --browser.gatherUsageStats false "$@"
