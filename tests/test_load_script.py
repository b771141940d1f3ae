"""The load script (scripts/load.py) against a real `streamlit run` server, over the app's websocket (no
browser): a short load runs every page with no failure and no traceback, its links come from the real
filter options, and a page that raises is counted as failed, so the load can fail for a real fault."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from urllib.parse import parse_qs

from landscape import filters, sitemap
from tests.conftest import ROOT

SCRIPT = ROOT / "scripts" / "load.py"
RAISING_APP = (
    "import streamlit as st\n"
    "\n"
    'st.title("Throwaway")\n'
    'if st.query_params.get("boom"):\n'
    '    raise ValueError("boom from the throwaway app")\n'
    'st.write("quiet")\n'
)


def _load_script():
    spec = importlib.util.spec_from_file_location("load_script", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the file runs
    spec.loader.exec_module(module)
    return module


load_script = _load_script()


def test_short_load_runs_every_page_without_failure(tmp_path):
    out = tmp_path / "load.json"
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "--sessions", "3", "--seconds", "5", "--json", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert out.exists(), done.stdout + done.stderr
    app = json.loads(out.read_text(encoding="utf-8"))["app"]
    assert app["runs"] > 0, done.stdout
    assert app["failed"] == 0, app["problems"]
    assert app["tracebacks"] == 0, app["traceback_heads"]
    # Each page of the registry really ran: the server's navigation named it and its run finished.
    assert {page.slug: app["finished_by_page"].get(page.slug, 0) > 0 for page in sitemap.PAGES} == {
        page.slug: True for page in sitemap.PAGES
    }, app["finished_by_page"]
    assert app["memory_mb"]["after"] > 0


def test_links_come_from_the_real_filter_options(landscape):
    links = load_script.build_links(landscape)
    options = {spec.key: set(filters.filter_options(landscape.frames(), spec.key)) for spec in filters.FILTERS}
    parsed = [parse_qs(link) for link in links if "nonsense" not in link]
    states = []
    for params in parsed:
        selections = {key: tuple(values) for key, values in params.items() if key in filters.SPECS}
        assert all(set(values) <= options[key] for key, values in selections.items()), params
        states.append(filters.FilterState(selections, (params.get(filters.TEXT_KEY) or [""])[0]))
    assert "" in links
    assert any(len(state.active_keys) == 1 for state in states) and any(len(state.active_keys) >= 2 for state in states)
    assert any(state.text for state in states)
    assert any(state.active_keys and filters.apply_filters(landscape.trials, state).empty for state in states)
    assert any("agent" in params for params in parsed) and any("trial" in params for params in parsed)


def test_a_page_that_raises_is_counted_as_failed(tmp_path):
    script = tmp_path / "raising.py"
    script.write_text(RAISING_APP, encoding="utf-8")
    result = load_script.summarize(load_script.measure(script, [""], ["", "boom=1"], sessions=2, seconds=3))
    assert result["runs"] > 0 and result["failed"] > 0, result
    assert result["problems"] and all(
        problem.startswith("(default)?boom=1: exception: ValueError: boom from the throwaway app")
        for problem in result["problems"]
    ), result["problems"]
    assert result["failed"] < result["runs"]  # the quiet link still succeeds
    assert result["tracebacks"] > 0 and "boom from the throwaway app" in "".join(result["traceback_heads"])
    missed = load_script.missed_targets(result)
    assert any("failed run" in m for m in missed) and any("traceback" in m for m in missed)


def test_a_run_that_never_finishes_is_counted_as_failed(tmp_path, monkeypatch):
    script = tmp_path / "slow.py"
    script.write_text(
        (
            "import time\n"
            "\n"
            "import streamlit as st\n"
            "\n"
            'if st.query_params.get("slow"):\n'
            "    time.sleep(5)\n"
            'st.write("done")\n'
        ),
        encoding="utf-8",
    )
    monkeypatch.setattr(load_script, "RUN_TIMEOUT_S", 1.0)
    result = load_script.summarize(load_script.measure(script, [""], ["slow=1"], sessions=1, seconds=1))
    assert result["failed"] >= 1 and any("no result within" in problem for problem in result["problems"]), result


def test_tracebacks_are_found_plain_or_boxed(tmp_path):
    log = tmp_path / "server.log"
    plain = "Traceback (most recent call last):\n  File \"x.py\", line 1, in <module>\n    f()\nKeyError: 'line'\n"
    boxed = (
        "\x1b[31m──── Traceback (most recent call last) ────\x1b[0m\n"
        "  x.py:1 in <module>\n"
        "  ❱ 1 f()\n"
        "────────────\n"
        "ValueError: boom\n"
    )
    log.write_text("started\n" + plain + "ok\n" + boxed, encoding="utf-8")
    assert load_script.find_tracebacks(log) == ["KeyError: 'line'", "ValueError: boom"]
