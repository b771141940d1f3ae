"""How the server spends its time and memory: script runs take turns (run slots), garbage collection is
paced, and freed memory is handed back to the system (Arrow's pool, glibc's arenas). No Streamlit here:
the Streamlit module calls these around each run."""

from __future__ import annotations

import contextlib
import ctypes
import gc
import threading
import time
from collections.abc import Iterator

import pyarrow as pa

# pandas 3 keeps string columns in Arrow memory. Arrow's default pool (mimalloc, pyarrow 26) keeps what the
# CSV read and the model build free, so a 100x landscape left the server ~90 MB it never used again; the
# system allocator hands freed memory back, and release_arrow_memory (malloc_trim) after the load returns the
# build's peak. Set when this module is imported, before the landscape loads, so its columns live in this pool.
pa.set_memory_pool(pa.system_memory_pool())
# Script runs admitted at once (the rest wait their turn, first come first served). Streamlit runs every
# session's script in its own thread and Python runs one at a time: twenty runs sharing the interpreter each
# take twenty times as long, the longest pages longest, and fight over it. Two at a time keeps both cores
# busy (one run's Arrow and I/O work beside another's Python). A run that has waited RUN_SLOT_WAIT_S goes
# ahead anyway, so one stuck run can slow the server but never stop it.
RUN_SLOTS = 2
RUN_SLOT_WAIT_S = 30.0
_run_slots = threading.BoundedSemaphore(RUN_SLOTS)
FULL_GC_SECONDS = 2.0
_last_full_gc = 0.0
try:
    _LIBC = ctypes.CDLL("libc.so.6")
except OSError:  # not glibc
    _LIBC = None


@contextlib.contextmanager
def run_slot(slots: threading.Semaphore = _run_slots, wait: float = RUN_SLOT_WAIT_S) -> Iterator[bool]:
    """Run the block in one of the server's run slots (see RUN_SLOTS); yields whether a slot was had.
    The slot is given back however the block ends (a finished run, st.stop, st.rerun, an error)."""
    admitted = slots.acquire(timeout=wait)
    try:
        yield admitted
    finally:
        if admitted:
            slots.release()


def release_arrow_memory() -> None:
    """Hand the Arrow buffers that loading and building freed back to the system (see the pool note above)."""
    pa.default_memory_pool().release_unused()


def keep_loaded_objects() -> None:
    """Leave every object alive now out of later garbage collections (gc.freeze), called once the landscape is
    loaded: what is alive then is the imported code (Streamlit, pandas, Plotly) and the landscape, both kept for
    the life of the server. A full collection walked them all on every run to find nothing to free: on a fresh
    server's first run that was ~0.3 s of a ~1.5 s run, and a 100x landscape's facet sets made every later one
    longer. Frozen objects are still freed by reference counting when dropped (an edited data file's old
    landscape); only a reference cycle among them would outlive its use. The young generations are collected
    first, so what the load left behind is not frozen with it."""
    global _last_full_gc
    gc.collect(1)
    gc.freeze()
    _last_full_gc = time.monotonic()  # this stands for the full collection the next run would make


def release_freed_memory() -> None:
    """Hand freed memory back to the system, at the start and the end of every run. Streamlit runs
    each session's script in its own thread, and glibc keeps what those threads freed in per-thread arenas
    (scripts/run.sh also caps them with MALLOC_ARENA_MAX=2); malloc_trim returns it. Elsewhere than glibc,
    nothing to do."""
    # A full collection walks every long-lived object of the landscape and costs more than a run, so it runs
    # at most every FULL_GC_SECONDS (Streamlit's own full collection after each run is off in
    # .streamlit/config.toml); the young generations are collected every time.
    global _last_full_gc
    now = time.monotonic()
    if now - _last_full_gc >= FULL_GC_SECONDS:
        _last_full_gc = now
        gc.collect(2)
    else:
        gc.collect(1)
    try:
        _LIBC.malloc_trim(0)
    except AttributeError:
        pass
