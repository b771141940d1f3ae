"""The landscape a server shows, prepared once per data content: validated (in a child process, or known
valid from the cache), read, built, and kept in the cache, so a fresh server neither validates nor builds
the same files again (see landscape.cache)."""

from __future__ import annotations

import dataclasses
import os

from landscape import cache
from landscape.load import load_tables
from landscape.model import Landscape, build_landscape
from landscape.paths import resolve_data_dir
from landscape.validate import Problem


def prepare_landscape(
    data_dir: str | os.PathLike[str] | None = None, version: tuple = ()
) -> tuple[Landscape | None, list[Problem]]:
    """Return the landscape of the data directory (stamped with `version`) and no problems, or None and
    every problem found. Built once per content: the same files under the same code are read back from
    the cache; invalid data is never cached, so its problems are found afresh on every load."""
    directory = resolve_data_dir(data_dir)
    key = cache.content_key(directory)
    stored = cache.load_stored(key)
    if isinstance(stored, Landscape):
        return dataclasses.replace(stored, data_dir=str(directory), version=version), []
    result = load_tables(directory, isolated=True, key=key)
    if not result.ok:
        return None, result.problems
    landscape = build_landscape(result.tables)
    # Stored only if the files did not change while they were read: the key must name what was built.
    if cache.content_key(directory) == key:
        cache.store(key, landscape)
    return dataclasses.replace(landscape, version=version), []
