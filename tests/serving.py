"""A real `streamlit run` server on a free loopback port, for the browser tests, the benchmark and the load
script: started, waited on until `/_stcore/health` answers, its output kept in a log file, stopped."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from landscape.paths import PROJECT_DIR

ENTRY = PROJECT_DIR / "dashboard.py"
# The yardstick for speed: a title and a 100-row table.
BARE_PAGE = (
    "import pandas as pd\n"
    "import streamlit as st\n"
    "\n"
    'st.title("Bare page")\n'
    'st.dataframe(pd.DataFrame({"a": range(100), "b": [f"row {i}" for i in range(100)]}))\n'
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# What scripts/run.sh sets for the server it starts, so tests, the benchmark and the load script measure it.
RUN_ENV = {"MALLOC_ARENA_MAX": "2"}


def start_server(
    theme: str = "light",
    env: dict | None = None,
    script: Path = ENTRY,
    log: Path | None = None,
    poll_s: float = 0.3,
) -> tuple[subprocess.Popen, str]:
    """Start `streamlit run script` on 127.0.0.1 and return the process and its URL once healthy (asked
    every poll_s). The server's stdout and stderr go to `log` (a temporary file when not given), never to a
    pipe that nobody reads: a server that logs more than a pipe holds would block on its next write."""
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(script),
        "--server.address",
        "127.0.0.1",
        "--server.port",
        str(port),
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
        "--theme.base",
        theme,
        "--server.fileWatcherType",
        "none",
    ]
    if log is None:
        handle, name = tempfile.mkstemp(prefix="streamlit-", suffix=".log")
        os.close(handle)
        log = Path(name)
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            command, cwd=PROJECT_DIR, env={**RUN_ENV, **os.environ, **(env or {})}, stdout=out, stderr=subprocess.STDOUT
        )
    proc.log = log  # type: ignore[attr-defined]
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while time.time() < deadline and proc.poll() is None:
        try:
            with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as response:
                if response.read().strip() == b"ok":
                    return proc, url
        except OSError:
            time.sleep(poll_s)
    stop_server(proc)
    raise RuntimeError(
        "streamlit server did not become healthy: " + log.read_text(encoding="utf-8", errors="replace")[-2000:]
    )


def stop_server(proc: subprocess.Popen) -> None:
    """Stop a server started here, killing it if it does not stop within 20 s."""
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=20)


@contextlib.contextmanager
def served(theme: str = "light", env: dict | None = None, script: Path = ENTRY):
    """A `streamlit run` server for the duration of the block; yields its URL."""
    proc, url = start_server(theme, env, script)
    try:
        yield url
    finally:
        stop_server(proc)
        proc.log.unlink(missing_ok=True)
