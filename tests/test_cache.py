"""The start-up cache: the same content under the same code is validated and built once; an edited file, a
changed validator or a corrupt cache validates and builds again; invalid data is never remembered."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from landscape import cache, load, prepare
from landscape.load import load_tables
from landscape.model import Landscape
from landscape.paths import CACHE_ENV_VAR, cache_dir
from landscape.prepare import prepare_landscape
from tests.conftest import ROOT, first_row_where, set_cell


@pytest.fixture(autouse=True)
def empty_cache(monkeypatch, tmp_path):
    """Each test starts with an empty cache of its own."""
    monkeypatch.setenv(CACHE_ENV_VAR, str(tmp_path / "cache"))


def forbid(monkeypatch, target, name: str) -> None:
    """Make target.name fail the test if it is called."""

    def called(*args, **kwargs):
        raise AssertionError(f"{name} ran although the cache had the answer")

    monkeypatch.setattr(target, name, called)


def test_valid_content_is_validated_once(monkeypatch, data_copy):
    assert load_tables(data_copy).ok
    forbid(monkeypatch, load, "validate_data_dir")
    forbid(monkeypatch, load, "validate_in_subprocess")
    assert load_tables(data_copy).ok
    assert load_tables(data_copy, isolated=True).ok


def test_the_same_content_elsewhere_is_known_valid(monkeypatch, data_copy, tmp_path):
    assert load_tables(data_copy).ok
    other = tmp_path / "elsewhere"
    data_copy.rename(other)
    forbid(monkeypatch, load, "validate_data_dir")
    assert load_tables(other).ok


def test_an_edited_file_is_validated_again_and_its_problem_shown(data_copy):
    assert load_tables(data_copy, isolated=True).ok
    row = set_cell(data_copy, "trials", 0, "phase", "Phase 9")
    for isolated in (False, True):
        result = load_tables(data_copy, isolated=isolated)
        assert not result.ok
        assert any(p.file == "trials.csv" and p.row == row and p.column == "phase" for p in result.problems)


def test_invalid_content_is_never_remembered(data_copy):
    set_cell(data_copy, "trials", 0, "phase", "Phase 9")
    assert not load_tables(data_copy).ok
    assert not cache.was_validated(cache.content_key(data_copy))
    assert not load_tables(data_copy).ok


def test_an_edited_schema_is_validated_again(data_copy):
    assert load_tables(data_copy).ok
    descriptor = data_copy / "datapackage.json"
    descriptor.write_text(descriptor.read_text(encoding="utf-8").replace('"Phase 3"', '"Phase III"', 1), "utf-8")
    assert not load_tables(data_copy).ok


def test_a_changed_validator_validates_again(monkeypatch, data_copy):
    assert load_tables(data_copy).ok
    before = cache.content_key(data_copy)
    version = cache.code_version()
    monkeypatch.setattr(cache, "code_version", lambda: version + "-changed")
    assert cache.content_key(data_copy) != before
    calls = []
    monkeypatch.setattr(load, "validate_data_dir", lambda d: calls.append(d) or [])
    assert load_tables(data_copy).ok and calls == [data_copy.resolve()]


def test_the_code_version_covers_the_package_code(monkeypatch, tmp_path):
    package = tmp_path / "pkg"
    (package / "validate").mkdir(parents=True)
    (package / "validate" / "rules.py").write_text("X = 1\n", encoding="utf-8")
    monkeypatch.setattr(cache, "PACKAGE_DIR", package)
    before = cache.code_version()
    (package / "validate" / "rules.py").write_text("X = 2\n", encoding="utf-8")
    assert cache.code_version() != before


@pytest.mark.parametrize("garbage", [b"", b"{not json", b'{"format": 1, "valid": []}', b"[1, 2]", b"\xff\xfe"])
def test_a_corrupt_record_is_ignored(monkeypatch, data_copy, garbage):
    directory = cache_dir()
    directory.mkdir(parents=True)
    (directory / cache.RECORD_FILE).write_bytes(garbage)
    calls = []
    monkeypatch.setattr(load, "validate_data_dir", lambda d: calls.append(d) or [])
    assert load_tables(data_copy).ok and len(calls) == 1
    assert cache.was_validated(cache.content_key(data_copy)), "the record is rewritten whole"


def test_the_command_line_validator_remembers_valid_content(data_copy):
    done = subprocess.run(
        [sys.executable, "-m", "landscape", "validate", str(data_copy)], capture_output=True, text=True, cwd=ROOT
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert cache.was_validated(cache.content_key(data_copy))


def test_an_unwritable_cache_does_not_stop_the_load(monkeypatch, data_copy, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory", encoding="utf-8")
    monkeypatch.setenv(CACHE_ENV_VAR, str(blocker / "cache"))
    assert load_tables(data_copy).ok
    landscape, problems = prepare_landscape(data_copy)
    assert landscape is not None and problems == []


def test_the_landscape_is_built_once_per_content(monkeypatch, data_copy):
    first, problems = prepare_landscape(data_copy, ("v1",))
    assert problems == [] and isinstance(first, Landscape)
    forbid(monkeypatch, prepare, "build_landscape")
    forbid(monkeypatch, load, "validate_in_subprocess")
    again, _ = prepare_landscape(data_copy, ("v2",))
    assert again.version == ("v2",) and again.data_dir == str(data_copy.resolve())
    assert again.trials.equals(first.trials) and again.outcomes.equals(first.outcomes)


def test_an_edit_rebuilds_the_landscape(data_copy):
    prepare_landscape(data_copy)
    index = first_row_where(data_copy, "agents", agent_id="trastuzumab")
    set_cell(data_copy, "agents", index, "name", "Trastuzumab (edited copy)")
    landscape, _ = prepare_landscape(data_copy)
    assert "Trastuzumab (edited copy)" in set(landscape.agents["name"])


def test_an_invalid_edit_gives_problems_not_the_stored_landscape(data_copy):
    assert prepare_landscape(data_copy)[0] is not None
    row = set_cell(data_copy, "trials", 0, "phase", "Phase 9")
    landscape, problems = prepare_landscape(data_copy)
    assert landscape is None
    assert any(p.file == "trials.csv" and p.row == row for p in problems)


@pytest.mark.parametrize("garbage", [b"", b"not a pickle", b"\x80\x05N."])
def test_a_corrupt_stored_landscape_is_built_again(data_copy, garbage):
    prepare_landscape(data_copy)
    [stored] = cache_dir().glob(f"{cache.STORED_PREFIX}*.pickle")
    stored.write_bytes(garbage)
    landscape, problems = prepare_landscape(data_copy)
    assert isinstance(landscape, Landscape) and problems == []


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="POSIX file modes")
def test_a_stored_landscape_others_may_write_is_not_read(monkeypatch, data_copy):
    prepare_landscape(data_copy)
    [stored] = cache_dir().glob(f"{cache.STORED_PREFIX}*.pickle")
    stored.chmod(0o666)
    assert cache.load_stored(cache.content_key(data_copy)) is None


def test_only_the_newest_landscapes_are_kept(data_copy):
    for i in range(cache.STORED_MAX + 2):
        cache.store(f"key{i}", {"n": i})
        os.utime(cache_dir() / f"{cache.STORED_PREFIX}key{i}.pickle", (1000 + i, 1000 + i))
    kept = sorted(p.name for p in cache_dir().glob(f"{cache.STORED_PREFIX}*.pickle"))
    assert len(kept) == cache.STORED_MAX
    assert cache.load_stored(f"key{cache.STORED_MAX + 1}") == {"n": cache.STORED_MAX + 1}
