"""Script runs take turns: at most RUN_SLOTS run at once, first come first served, a slot is given back
however a run ends, and a run that waited too long goes ahead rather than hang."""

from __future__ import annotations

import threading

import pytest

from landscape import server
from tests.conftest import ROOT, set_cell
from tests.test_pages import run_page


def test_a_third_run_waits_until_one_of_two_ends():
    slots = threading.BoundedSemaphore(2)
    inside, leave, events = threading.Semaphore(0), [threading.Event() for _ in range(3)], []

    def run(number: int) -> None:
        with server.run_slot(slots, wait=30) as admitted:
            events.append((number, admitted))
            inside.release()
            leave[number].wait(30)

    threads = [threading.Thread(target=run, args=(n,)) for n in range(3)]
    for thread in threads[:2]:
        thread.start()
    assert inside.acquire(timeout=10) and inside.acquire(timeout=10)
    threads[2].start()
    assert not inside.acquire(timeout=0.3), "a third run started while two were running"
    leave[0].set()
    assert inside.acquire(timeout=10), "the third run did not start when a slot was given back"
    leave[1].set()
    leave[2].set()
    for thread in threads:
        thread.join(10)
    assert sorted(events) == [(0, True), (1, True), (2, True)]
    assert slots.acquire(timeout=0) and slots.acquire(timeout=0), "a slot was not given back"


def test_a_slot_is_given_back_when_the_run_raises():
    slots = threading.BoundedSemaphore(1)
    with pytest.raises(RuntimeError), server.run_slot(slots, wait=1):
        raise RuntimeError("st.stop, st.rerun or an error end a run with an exception")
    assert slots.acquire(timeout=0)


def test_a_run_that_waited_too_long_goes_ahead_without_a_slot():
    slots = threading.BoundedSemaphore(1)
    slots.acquire()  # a stuck run holds the only slot
    with server.run_slot(slots, wait=0.05) as admitted:
        assert admitted is False
    # Nothing was given back that was not taken (a BoundedSemaphore raises on an extra release).
    slots.release()
    with pytest.raises(ValueError):
        slots.release()


def all_slots_free() -> bool:
    taken = [server._run_slots.acquire(timeout=5) for _ in range(server.RUN_SLOTS)]
    for ok in taken:
        if ok:
            server._run_slots.release()
    return all(taken)


@pytest.mark.parametrize("page", ["pages/overview.py", "pages/board.py"])
def test_the_app_gives_its_slot_back_after_a_run_and_after_a_stopped_run(page, monkeypatch, data_copy):
    at = run_page(page)
    assert not at.exception
    assert all_slots_free()
    # A data problem ends the run with st.stop() after the problem list.
    set_cell(data_copy, "trials", 0, "phase", "Phase 9")
    monkeypatch.setenv("LANDSCAPE_DATA_DIR", str(data_copy))
    at = run_page(page)
    assert at.error and "did not validate" in at.error[0].value
    assert all_slots_free()
    assert ROOT.joinpath("dashboard.py").read_text(encoding="utf-8").count("ui.run_slot()") == 1
