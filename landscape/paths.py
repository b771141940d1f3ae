"""Where the data lives (the bundled package, or the directory named by LANDSCAPE_DATA_DIR) and where
start-up results are cached."""

from __future__ import annotations

import os
from pathlib import Path

ENV_VAR = "LANDSCAPE_DATA_DIR"
CACHE_ENV_VAR = "LANDSCAPE_CACHE_DIR"
CACHE_NAME = "her2-landscape"
PROJECT_DIR = Path(__file__).resolve().parent.parent
BUNDLED_DATA_DIR = PROJECT_DIR / "data"
SCHEMA_PATH = BUNDLED_DATA_DIR / "datapackage.json"
STATIC_DIR = PROJECT_DIR / "static"
# Streamlit serves static/ at app/static/ (server.enableStaticServing); relative, so a base URL path works.
STATIC_URL = "app/static"


def resolve_data_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    """Return the data directory: the explicit argument, else $LANDSCAPE_DATA_DIR, else the bundled one."""
    chosen = explicit or os.environ.get(ENV_VAR) or BUNDLED_DATA_DIR
    return Path(chosen).expanduser().resolve()


def cache_dir() -> Path:
    """Return the directory of cached start-up results: $LANDSCAPE_CACHE_DIR, else
    $XDG_CACHE_HOME/her2-landscape, else ~/.cache/her2-landscape (not created here)."""
    chosen = os.environ.get(CACHE_ENV_VAR)
    if chosen:
        return Path(chosen).expanduser().resolve()
    base = os.environ.get("XDG_CACHE_HOME") or Path("~/.cache")  # expanded below; a missing home raises
    return Path(base).expanduser().resolve() / CACHE_NAME
