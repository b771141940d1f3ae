"""Atomic writes: a finished write replaces the file whole; an interrupted one leaves it byte-identical."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from landscape import atomic
from landscape.geo import geocode_sites
from tests.conftest import read_rows, write_rows


def test_write_text_atomic_replaces_content_and_keeps_mode(tmp_path: Path) -> None:
    target = tmp_path / "table.csv"
    target.write_text("old\n", encoding="utf-8")
    os.chmod(target, 0o640)
    atomic.write_text_atomic(target, "new, with ü\n")
    assert target.read_bytes() == "new, with ü\n".encode()
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["table.csv"]


def test_write_csv_rows_atomic_writes_the_package_dialect(tmp_path: Path) -> None:
    target = tmp_path / "new.csv"
    atomic.write_csv_rows_atomic(target, ["a", "b"], [{"a": "1", "b": "x, y"}, {"a": "2", "b": ""}])
    assert target.read_bytes() == b'a,b\n1,"x, y"\n2,\n'


@pytest.mark.parametrize("failing", ["replace", "fsync"])
def test_interrupted_write_leaves_the_original_and_no_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failing: str
) -> None:
    target = tmp_path / "sites.csv"
    target.write_bytes(b"original\n")

    def boom(*_args, **_kwargs):
        raise OSError("disk gone")

    monkeypatch.setattr(atomic.os, failing, boom)
    with pytest.raises(OSError, match="disk gone"):
        atomic.write_text_atomic(target, "replacement\n" * 1000)
    assert target.read_bytes() == b"original\n"
    assert [p.name for p in tmp_path.iterdir()] == ["sites.csv"]


def test_geocode_writes_atomically(data_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    header, rows = read_rows(data_copy, "sites")
    placed = next(i for i, r in enumerate(rows) if r["level"] == "site" and r["latitude"])
    rows[placed]["latitude"] = rows[placed]["longitude"] = ""
    write_rows(data_copy, "sites", header, rows)
    before = (data_copy / "sites.csv").read_bytes()
    names_before = sorted(p.name for p in data_copy.iterdir())

    def boom(*_args, **_kwargs):
        raise OSError("interrupted")

    monkeypatch.setattr(atomic.os, "replace", boom)
    with pytest.raises(OSError, match="interrupted"):
        geocode_sites(data_copy)
    assert (data_copy / "sites.csv").read_bytes() == before
    assert sorted(p.name for p in data_copy.iterdir()) == names_before

    monkeypatch.undo()
    geocode_sites(data_copy)
    _, after = read_rows(data_copy, "sites")
    assert after[placed]["latitude"] != ""
