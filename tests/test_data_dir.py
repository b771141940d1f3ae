"""Bring-your-own data: a data directory is validated and read with its own datapackage.json (schema and
as-of date), a bad descriptor is a problem in the list, and an edited schema is picked up like a CSV."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

from landscape import schema
from landscape.load import data_signature, load_tables
from landscape.validate import validate_data_dir
from tests.conftest import first_row_where, set_cell


def edit_descriptor(data_dir: Path, change) -> None:
    path = data_dir / "datapackage.json"
    descriptor = json.loads(path.read_text(encoding="utf-8"))
    change(descriptor)
    path.write_text(json.dumps(descriptor, indent=2), encoding="utf-8")
    # A new mtime even on a coarse clock, so the cached descriptor is re-read.
    later = time.time() + 2
    os.utime(path, (later, later))


def test_a_later_as_of_in_the_copy_admits_later_approvals(data_copy):
    index = first_row_where(data_copy, "approvals")
    set_cell(data_copy, "approvals", index, "approval_date", "2027-01-15")
    assert any("lies after the as-of date" in str(p) for p in validate_data_dir(data_copy))
    edit_descriptor(data_copy, lambda d: d.update(as_of="2027-03-01"))
    assert validate_data_dir(data_copy) == []
    result = load_tables(data_copy)
    assert result.ok and result.tables.as_of == "2027-03-01"


@pytest.mark.parametrize("bad", ["TBD", "27 Nov", "2026-02-30", "", None])
def test_a_malformed_or_missing_as_of_is_a_problem_in_the_list(data_copy, bad):
    edit_descriptor(data_copy, lambda d: d.update(as_of=bad) if bad is not None else d.pop("as_of"))
    problems = validate_data_dir(data_copy)
    assert [(p.file, p.column) for p in problems] == [("datapackage.json", "as_of")], problems
    assert not load_tables(data_copy).ok


def test_a_broken_descriptor_is_a_problem_not_a_traceback(data_copy):
    (data_copy / "datapackage.json").write_text("{not json", encoding="utf-8")
    problems = validate_data_dir(data_copy)
    assert len(problems) == 1 and problems[0].file == "datapackage.json" and "not valid JSON" in problems[0].message
    (data_copy / "datapackage.json").unlink()
    problems = validate_data_dir(data_copy)
    assert len(problems) == 1 and "missing" in problems[0].message


def test_a_descriptor_without_a_table_names_it(data_copy):
    edit_descriptor(data_copy, lambda d: d.update(resources=[r for r in d["resources"] if r["name"] != "sites"]))
    problems = validate_data_dir(data_copy)
    assert any(p.file == "datapackage.json" and "sites" in p.message for p in problems), problems


def test_the_copys_own_schema_is_used_and_an_edit_is_picked_up(data_copy):
    # Widen an enum in the copy only: the copy's value passes there, while the bundled schema would refuse it.
    index = first_row_where(data_copy, "trials")
    set_cell(data_copy, "trials", index, "phase", "Phase 4")
    assert any(p.column == "phase" for p in validate_data_dir(data_copy))

    def widen(descriptor):
        trials = next(r for r in descriptor["resources"] if r["name"] == "trials")
        field = next(f for f in trials["schema"]["fields"] if f["name"] == "phase")
        field["constraints"]["enum"].append("Phase 4")

    before = data_signature(data_copy)
    edit_descriptor(data_copy, widen)
    assert data_signature(data_copy) != before, "a schema edit must change the cache key"
    assert validate_data_dir(data_copy) == []
    assert "Phase 4" in schema.enum("trials", "phase", schema.descriptor_for(data_copy))
    assert "Phase 4" not in schema.enum("trials", "phase")
