"""The shared memo (st.cache_resource): one build per key under concurrency, a new build for new data, only
the most recent few large results kept, and results a session cannot change for others."""

from __future__ import annotations

import threading
import time
from types import SimpleNamespace

import pandas as pd
import plotly.graph_objects as go

from landscape import ui


def test_two_sessions_asking_at_once_build_once():
    landscape = SimpleNamespace(version=("memo-test", time.time_ns()))
    calls = []
    start = threading.Barrier(4)

    def build():
        calls.append(1)
        time.sleep(0.2)
        return pd.DataFrame({"x": [1, 2]})

    def ask():
        start.wait()
        ui.memo(landscape, "slow", "same-key", build)

    threads = [threading.Thread(target=ask) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(calls) == 1


def test_a_handed_out_frame_cannot_change_the_shared_one():
    landscape = SimpleNamespace(version=("memo-test", time.time_ns()))
    first = ui.memo(landscape, "frame", None, lambda: pd.DataFrame({"x": [1, 2]}))
    first.loc[0, "x"] = 99
    first["y"] = 0
    again = ui.memo(landscape, "frame", None, lambda: pd.DataFrame({"x": [5]}))
    assert list(again.columns) == ["x"] and again["x"].tolist() == [1, 2]


def test_a_handed_out_figure_cannot_change_the_shared_one():
    landscape = SimpleNamespace(version=("memo-test", time.time_ns()))
    first = ui.memo(
        landscape, "figure", None, lambda: go.Figure(go.Scatter(x=[1], y=[1]), layout={"title": {"text": "shared"}})
    )
    first.update_layout(title_text="changed by one session")
    first.add_trace(go.Bar(x=[1], y=[2]))
    again = ui.memo(landscape, "figure", None, go.Figure)
    assert again.layout.title.text == "shared" and len(again.data) == 1


def test_a_handed_out_dict_cannot_change_the_shared_one():
    landscape = SimpleNamespace(version=("memo-test", time.time_ns()))
    first = ui.memo(landscape, "options", None, lambda: {"line": ["1L", "2L"]})
    first["line"].append("3L+")
    assert ui.memo(landscape, "options", None, dict) == {"line": ["1L", "2L"]}


def test_new_data_builds_again_and_the_same_data_does_not():
    calls = []
    first, second = ("memo-test", time.time_ns(), 1), ("memo-test", time.time_ns(), 2)
    for version in (first, first, second, second):
        ui.memo(SimpleNamespace(version=version), "counts", "key", lambda: calls.append(1) or len(calls))
    assert len(calls) == 2


def test_large_results_keep_only_the_most_recent_few():
    landscape = SimpleNamespace(version=("memo-test", time.time_ns()))
    built = []

    def ask(key: int) -> pd.DataFrame:
        return ui.memo(landscape, "rows", key, lambda: built.append(key) or pd.DataFrame({"k": [key]}), large=True)

    for key in range(ui.MEMO_LARGE_SIZE + 1):
        ask(key)
    assert built == list(range(ui.MEMO_LARGE_SIZE + 1))
    ask(ui.MEMO_LARGE_SIZE)  # the most recent is kept
    assert len(built) == ui.MEMO_LARGE_SIZE + 1
    assert ask(0)["k"].tolist() == [0]  # the oldest was dropped: built again
    assert built[-1] == 0 and len(built) == ui.MEMO_LARGE_SIZE + 2
