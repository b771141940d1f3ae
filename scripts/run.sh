#!/usr/bin/env bash
# Install the runtime into .venv and start the dashboard on the bundled data (or $LANDSCAPE_DATA_DIR).
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
exec .venv/bin/python -m streamlit run dashboard.py --server.headless true --browser.gatherUsageStats false "$@"
