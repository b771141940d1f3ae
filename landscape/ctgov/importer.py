"""`python -m landscape ctgov import`: read registry study files (every file checked before anything is
planned), plan the changes to a data directory, and with --apply write them only if the whole result
validates, each file replaced atomically."""

from __future__ import annotations

import csv
import datetime as dt
import json
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from landscape.atomic import csv_text, write_text_atomic
from landscape.ctgov.plan import ImportPlan, PackageRows, plan_import, render_plan
from landscape.ctgov.records import FieldError, RegistryRecord, StudyShapeError, parse_study, studies_in
from landscape.paths import SCHEMA_PATH
from landscape.validate import validate_data_dir

TABLES = ("trials", "sources", "sites")
# sources before sites before trials: after each replacement the package still holds together
# (new sources exist before any row cites them).
WRITE_ORDER = ("sources", "sites", "trials")


@dataclass(frozen=True)
class InputProblem:
    file: str
    study: str | None
    field: str | None
    message: str

    def __str__(self) -> str:
        return ": ".join(part for part in (self.file, self.study, self.field, self.message) if part)


@dataclass
class ImportOutcome:
    lines: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)
    plan: ImportPlan | None = None

    @property
    def exit_code(self) -> int:
        return 1 if self.problems else 0


def today_iso() -> str:
    """Return today's date (UTC) as YYYY-MM-DD: the access date of the registry sources."""
    return dt.datetime.now(dt.UTC).date().isoformat()


def read_study_file(path: Path) -> tuple[list[RegistryRecord], list[InputProblem]]:
    """Return the records of one JSON file (any of the three shapes), or the problems that refuse it."""
    name = str(path)
    try:
        raw = path.read_bytes()
    except OSError as err:
        return [], [InputProblem(name, None, None, f"cannot be read ({err.strerror or err})")]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return [], [
            InputProblem(name, None, None, "is not UTF-8 text (expected a JSON download from ClinicalTrials.gov)")
        ]
    if not text.strip():
        return [], [InputProblem(name, None, None, "is empty")]
    try:
        document = json.loads(text)
    except json.JSONDecodeError as err:
        if err.msg.startswith("Unterminated string") or err.pos >= len(text.rstrip()):
            message = (
                f"is not complete JSON: it ends early (line {err.lineno}, column {err.colno}); "
                "was the download cut short?"
            )
        else:
            message = f"is not JSON: {err.msg} at line {err.lineno}, column {err.colno}"
        return [], [InputProblem(name, None, None, message)]
    try:
        _shape, studies = studies_in(document)
    except StudyShapeError as err:
        return [], [InputProblem(name, None, None, str(err))]
    records, problems = [], []
    for index, study in enumerate(studies, 1):
        label = _safe_label(study, index)
        try:
            records.append(parse_study(study))
        except FieldError as err:
            problems.append(InputProblem(name, label, err.path, err.message))
    return records, problems


def _safe_label(study: Any, index: int) -> str:
    try:
        nct = study["protocolSection"]["identificationModule"]["nctId"]
    except (KeyError, TypeError):
        return f"study {index}"
    return nct if isinstance(nct, str) and nct.strip() else f"study {index}"


def read_study_files(paths: list[Path]) -> tuple[list[RegistryRecord], list[InputProblem], list[str]]:
    """Return the records of every file (one per NCT id: the most recently updated, the later file on a
    tie), every problem, and notes on duplicates."""
    chosen: dict[str, RegistryRecord] = {}
    seen: dict[str, int] = {}
    problems: list[InputProblem] = []
    for path in paths:
        records, found = read_study_file(path)
        problems += found
        for record in records:
            seen[record.nct_id] = seen.get(record.nct_id, 0) + 1
            previous = chosen.get(record.nct_id)
            if previous is None or (record.last_updated or "") >= (previous.last_updated or ""):
                chosen[record.nct_id] = record
    notes = [
        f"{nct} appears {n} times; using the record last updated {chosen[nct].last_updated or '(not given)'}"
        for nct, n in seen.items()
        if n > 1
    ]
    return list(chosen.values()), problems, notes


def read_descriptor(data_dir: Path) -> dict[str, Any]:
    """Return the data directory's own datapackage.json, else the bundled one."""
    local = data_dir / "datapackage.json"
    return json.loads((local if local.is_file() else SCHEMA_PATH).read_text(encoding="utf-8"))


def read_package_rows(data_dir: Path) -> PackageRows:
    """Return the trials, sources and sites rows of a data directory as text, with the column order its
    datapackage.json declares (columns a CSV has beyond those are kept, at the end)."""
    descriptor = read_descriptor(data_dir)
    fields = {res["name"]: res["schema"]["fields"] for res in descriptor["resources"]}
    rows: dict[str, list[dict[str, str]]] = {}
    columns: dict[str, list[str]] = {}
    for table in TABLES:
        with (data_dir / f"{table}.csv").open(encoding="utf-8", newline="") as f:
            reader = csv.DictReader(f)
            found = [{k: v or "" for k, v in row.items() if k is not None} for row in reader]
            header = list(reader.fieldnames or [])
        declared = [f["name"] for f in fields.get(table, [])]
        columns[table] = declared + [c for c in header if c not in declared]
        rows[table] = [{c: row.get(c, "") for c in columns[table]} for row in found]
    status = next((f for f in fields["trials"] if f["name"] == "status"), {})
    return PackageRows(
        rows["trials"], rows["sources"], rows["sites"], columns, tuple(status.get("constraints", {}).get("enum", ()))
    )


def _changed_texts(data_dir: Path, package: PackageRows) -> dict[str, str]:
    texts = {t: csv_text(package.columns[t], getattr(package, t)) for t in TABLES}
    return {t: text for t, text in texts.items() if (data_dir / f"{t}.csv").read_bytes() != text.encode("utf-8")}


def _validate_with(data_dir: Path, texts: dict[str, str]) -> list[str]:
    """Return the problems of the data directory with the new texts in place, checked on a copy."""
    with tempfile.TemporaryDirectory(prefix="ctgov-import-") as tmp:
        copy = Path(tmp) / "data"
        shutil.copytree(data_dir, copy)
        for table, text in texts.items():
            (copy / f"{table}.csv").write_bytes(text.encode("utf-8"))
        return [str(p) for p in validate_data_dir(copy)]


def run_import(paths: list[Path], data_dir: Path, apply: bool, accessed: str | None = None) -> ImportOutcome:
    """Read the files, plan the import into data_dir, and with apply write it if the result validates."""
    outcome = ImportOutcome()
    missing = [f"{t}.csv" for t in TABLES if not (data_dir / f"{t}.csv").is_file()]
    if missing:
        outcome.problems.append(f"{data_dir}: not a data directory ({', '.join(missing)} missing)")
        return outcome
    records, problems, notes = read_study_files(paths)
    if problems:
        outcome.problems = [str(p) for p in problems] + [
            f"refused: {len(problems)} problem(s) in the input; nothing was written"
        ]
        return outcome
    try:
        package = read_package_rows(data_dir)
    except (OSError, ValueError, KeyError, csv.Error) as err:
        outcome.problems.append(f"{data_dir}: cannot read the data package ({err}); nothing was written")
        return outcome
    plan = plan_import(records, package, accessed or today_iso())
    outcome.plan = plan
    outcome.lines = notes + render_plan(plan)
    texts = _changed_texts(data_dir, plan.result)
    if not texts:
        outcome.lines.append("nothing to write: the data directory already matches these records")
        return outcome
    invalid = _validate_with(data_dir, texts)
    if invalid:
        before = [str(p) for p in validate_data_dir(data_dir)]
        reason = (
            "the data directory does not validate even before the import" if before else "the result would not validate"
        )
        verdict = "not written" if apply else "--apply would refuse"
        outcome.problems = [*invalid, f"{verdict}: {reason} ({len(invalid)} problem(s))"]
        return outcome
    if not apply:
        outcome.lines.append(
            "dry run: nothing written; --apply would rewrite "
            f"{', '.join(f'{t}.csv' for t in WRITE_ORDER if t in texts)}"
        )
        return outcome
    for table in WRITE_ORDER:
        if table in texts:
            write_text_atomic(data_dir / f"{table}.csv", texts[table])
            outcome.written.append(data_dir / f"{table}.csv")
    outcome.lines.append("wrote " + ", ".join(p.name for p in outcome.written))
    return outcome
