"""Validation of a data directory against the one schema: frictionless for types, constraints, keys
and foreign keys; the checks a table schema cannot express (id lists, CI order, medians) on top.
Every problem names file, row and column."""

from __future__ import annotations

import copy
import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pycountry

from landscape import dates, schema
from landscape.values import split_ids

# Row numbers are CSV record numbers with the header as row 1, as frictionless counts them.
FIRST_DATA_ROW = 2


@dataclass(frozen=True, order=True)
class Problem:
    file: str
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = self.file if self.row is None else f"{self.file}:{self.row}"
        return f"{where}: {self.column}: {self.message}" if self.column else f"{where}: {self.message}"


def validate_data_dir(data_dir: Path) -> list[Problem]:
    """Return every problem in the data directory (empty when it is valid), checked against the
    directory's own datapackage.json."""
    data_dir = Path(data_dir)
    if not data_dir.is_dir():
        return [Problem(str(data_dir), None, None, "data directory not found")]
    descriptor, problems = _descriptor_problems(data_dir)
    problems += [
        Problem(f"{t}.csv", None, None, f"file is missing from {data_dir}")
        for t in schema.TABLES
        if not (data_dir / f"{t}.csv").is_file()
    ]
    if problems or descriptor is None:
        return problems
    problems = _frictionless_problems(data_dir, descriptor)
    if any(p.row is None for p in problems):
        # A structural problem (bad header, unreadable file): row-level checks would only echo it.
        return sorted(set(problems), key=_sort_key)
    frames = read_raw_tables(data_dir)
    problems += _cross_field_problems(frames, dt.date.fromisoformat(schema.as_of(descriptor)))
    return sorted(set(problems), key=_sort_key)


def _descriptor_problems(data_dir: Path) -> tuple[dict | None, list[Problem]]:
    """Return the directory's descriptor and what is wrong with it (as_of, tables it must declare)."""
    name = schema.DESCRIPTOR_NAME
    try:
        descriptor = schema.descriptor_for(data_dir)
    except schema.DescriptorError as exc:
        return None, [Problem(name, None, None, str(exc))]
    if not isinstance(descriptor, dict) or not isinstance(descriptor.get("resources"), list):
        return None, [Problem(name, None, "resources", "the descriptor has no list of resources")]
    problems = []
    try:
        schema.as_of(descriptor)
    except schema.DescriptorError as exc:
        problems.append(Problem(name, None, "as_of", str(exc)))
    for table in schema.TABLES:
        try:
            res = schema.resource(table, descriptor)
            schema.fields(table, descriptor)
        except (KeyError, TypeError):
            problems.append(Problem(name, None, "resources", f"no usable resource for the table {table}"))
            continue
        if res.get("path") != f"{table}.csv":
            problems.append(Problem(name, None, "resources", f'the resource {table} must have path "{table}.csv"'))
    return (None if problems else descriptor), problems


def read_raw_tables(data_dir: Path) -> dict[str, pd.DataFrame]:
    """Return every table as text, exactly as written (empty cells are empty strings)."""
    return {
        t: pd.read_csv(data_dir / f"{t}.csv", dtype=str, keep_default_na=False, encoding="utf-8") for t in schema.TABLES
    }


def _sort_key(p: Problem) -> tuple:
    order = {f"{t}.csv": i for i, t in enumerate(schema.TABLES)}
    return (order.get(p.file, 99), p.file, p.row or 0, p.column or "", p.message)


def _frictionless_problems(data_dir: Path, descriptor: dict) -> list[Problem]:
    from frictionless import Package

    package = Package(copy.deepcopy(descriptor), basepath=str(data_dir))
    report = package.validate()
    out: list[Problem] = []
    for task in report.tasks:
        file = Path(task.place).name if task.place else f"{task.name}.csv"
        for err in task.errors:
            # Every primary key here is one column with a unique constraint: its unique-error says it better.
            if err.type != "primary-key":
                out.append(_translate(file, err))
    return out


_FK_FIELD = re.compile(r'for "([^"]+)": values "([^"]*)" not found in the lookup table "([^"]+)" as "([^"]+)"')


def _translate(file: str, err) -> Problem:
    """Turn a frictionless error into a curator's message."""
    row = getattr(err, "row_number", None)
    column = getattr(err, "field_name", None)
    cell = getattr(err, "cell", None)
    note = getattr(err, "note", "") or ""
    kind = err.type
    if kind == "constraint-error":
        if note.startswith('constraint "required"'):
            msg = "is required but empty"
        elif note.startswith('constraint "enum"'):
            allowed = note.split(" is ", 1)[1]
            msg = f'"{cell}" is not an allowed value; allowed: {allowed}'
        elif note.startswith('constraint "pattern"'):
            msg = f'"{cell}" does not match the expected pattern {note.split(" is ", 1)[1]}'
        elif note.startswith('constraint "unique"'):
            msg = f'"{cell}" is a duplicate; values must be unique'
        else:
            msg = f'"{cell}" breaks {note}'
    elif kind == "type-error":
        expected = note.replace('type is "', "").split("/")[0].strip('"')
        msg = f'"{cell}" is not a valid {expected}'
    elif kind == "foreign-key":
        match = _FK_FIELD.search(note)
        if match:
            column, value, table, key = match.groups()
            msg = f'"{value}" not found in {table}.csv ({key})'
        else:
            msg = note
    elif kind == "unique-error":
        same = re.search(r"row at position (\d+)", note)
        msg = f'"{cell}" is a duplicate' + (f" of row {same.group(1)}" if same else "") + "; values must be unique"
    elif kind in {"missing-label", "extra-label", "incorrect-label", "blank-label", "duplicate-label"}:
        row, msg = None, f"header: {err.message}"
    elif kind in {"extra-cell", "missing-cell"}:
        msg = "row has " + ("more cells than the header" if kind == "extra-cell" else "fewer cells than the header")
    elif kind == "blank-row":
        msg = "row is blank"
    else:
        row, msg = row, err.message
    return Problem(file, row, column, msg)


def _first_day(value: str) -> dt.date | None:
    """Return the first day of a YYYY-MM or YYYY-MM-DD date (the columns checked here need the month), or
    None when it is not one."""
    parsed = dates.parse(value, coarsest="month")
    return parsed.first if parsed else None


def _num(value: str) -> float | None:
    try:
        return float(value) if value != "" else None
    except ValueError:
        return None


def _cross_field_problems(frames: dict[str, pd.DataFrame], as_of: dt.date) -> list[Problem]:
    out: list[Problem] = []
    out += _id_list_problems(frames)
    out += _date_problems(frames, as_of)
    out += _country_problems(frames)
    out += _agent_problems(frames["agents"])
    out += _trial_problems(frames["trials"], frames["sources"], as_of)
    out += _outcome_problems(frames["outcomes"], frames["trials"])
    out += _evidence_problems(frames["outcomes"])
    out += _eligibility_problems(frames)
    return out


ID_LISTS = (
    ("agents", "source_ids", "sources", "source_id"),
    ("trials", "agent_ids", "agents", "agent_id"),
    ("trials", "source_ids", "sources", "source_id"),
    ("outcomes", "agent_ids", "agents", "agent_id"),
    ("approvals", "agent_id", "agents", "agent_id"),
    ("eligibility", "prior_excluded", "agents", "agent_id"),
    ("eligibility", "evidence_trial_ids", "trials", "trial_id"),
)


def _id_list_problems(frames: dict[str, pd.DataFrame]) -> list[Problem]:
    out = []
    for table, column, ref_table, ref_column in ID_LISTS:
        known = set(frames[ref_table][ref_column])
        for i, value in enumerate(frames[table][column]):
            for item in split_ids(value):
                if item not in known:
                    out.append(
                        Problem(
                            f"{table}.csv",
                            i + FIRST_DATA_ROW,
                            column,
                            f'"{item}" not found in {ref_table}.csv ({ref_column})',
                        )
                    )
    return out


DATE_COLUMNS = (
    ("trials", "start_date", "start_date_type"),
    ("trials", "primary_completion_date", "primary_completion_date_type"),
    ("trials", "completion_date", "completion_date_type"),
    ("outcomes", "data_cutoff", None),
    ("approvals", "approval_date", None),
)


def _date_problems(frames: dict[str, pd.DataFrame], as_of: dt.date) -> list[Problem]:
    out = []
    for table, column, type_column in DATE_COLUMNS:
        frame = frames[table]
        for i, row in enumerate(frame.itertuples(index=False)):
            value = getattr(row, column)
            line = i + FIRST_DATA_ROW
            if value and _first_day(value) is None:
                out.append(Problem(f"{table}.csv", line, column, f'"{value}" is not a real calendar date'))
            if type_column:
                kind = getattr(row, type_column)
                if value and not kind:
                    out.append(
                        Problem(f"{table}.csv", line, type_column, f"say whether {column} is actual or estimated")
                    )
                if kind and not value:
                    out.append(Problem(f"{table}.csv", line, type_column, f"is set but {column} is empty"))
                parsed = _first_day(value) if value else None
                if parsed and kind == "actual" and parsed > as_of:
                    out.append(
                        Problem(
                            f"{table}.csv",
                            line,
                            column,
                            f"{value} is marked actual but lies after the as-of date {as_of}",
                        )
                    )
            elif value and (parsed := _first_day(value)) and parsed > as_of:
                out.append(Problem(f"{table}.csv", line, column, f"{value} lies after the as-of date {as_of}"))
    return out


def _country_problems(frames: dict[str, pd.DataFrame]) -> list[Problem]:
    out = []
    for i, value in enumerate(frames["trials"]["countries"]):
        for code in split_ids(value):
            if pycountry.countries.get(alpha_2=code) is None:
                out.append(
                    Problem(
                        "trials.csv", i + FIRST_DATA_ROW, "countries", f'"{code}" is not an ISO 3166-1 alpha-2 code'
                    )
                )
    for i, code in enumerate(frames["sites"]["country"]):
        if code and pycountry.countries.get(alpha_2=code) is None:
            out.append(
                Problem("sites.csv", i + FIRST_DATA_ROW, "country", f'"{code}" is not an ISO 3166-1 alpha-2 code')
            )
    return out


def _agent_problems(agents: pd.DataFrame) -> list[Problem]:
    out = []
    for i, row in enumerate(agents.itertuples(index=False)):
        if row.her2_directed.lower() == "true" and not row.source_ids:
            out.append(
                Problem(
                    "agents.csv",
                    i + FIRST_DATA_ROW,
                    "source_ids",
                    "a HER2-directed agent needs a source for its status",
                )
            )
        scope = getattr(row, "scope", "")
        if scope and (scope == "HER2-directed") != (row.her2_directed.lower() == "true"):
            out.append(
                Problem(
                    "agents.csv",
                    i + FIRST_DATA_ROW,
                    "scope",
                    f'"{scope}" disagrees with her2_directed = {row.her2_directed}',
                )
            )
    return out


def _trial_problems(trials: pd.DataFrame, sources: pd.DataFrame, as_of: dt.date) -> list[Problem]:
    """Checks of the fields that say what a trial's status and result mean (columns a package may lack)."""
    out = []
    known = set(sources["source_id"])
    for i, row in enumerate(trials.to_dict("records")):
        line = i + FIRST_DATA_ROW
        met, source = row.get("primary_endpoint_met", ""), row.get("endpoint_source_id", "")
        if met in {"yes", "no"} and not source:
            out.append(
                Problem(
                    "trials.csv",
                    line,
                    "endpoint_source_id",
                    f'primary_endpoint_met is "{met}": name the source that says so',
                )
            )
        if source and source not in known:
            out.append(
                Problem("trials.csv", line, "endpoint_source_id", f'"{source}" not found in sources.csv (source_id)')
            )
        stated = row.get("status_as_of", "")
        if stated and not row.get("status"):
            out.append(Problem("trials.csv", line, "status_as_of", "is set but status is empty"))
        for column in ("status_as_of", "registry_last_updated"):
            value = row.get(column, "")
            parsed = _first_day(value) if value else None
            if value and parsed is None:
                out.append(Problem("trials.csv", line, column, f'"{value}" is not a real calendar date'))
            elif parsed and parsed > as_of:
                out.append(Problem("trials.csv", line, column, f"{value} lies after the as-of date {as_of}"))
    return out


def _evidence_problems(outcomes: pd.DataFrame) -> list[Problem]:
    """The evidence fields agree with the numbers: an interval's level is stated, a headline endpoint has its
    number on the row, and one trial's headline rows for an endpoint share one population and analysis."""
    if "headline_for" not in outcomes.columns:
        return []
    out = []
    file = "outcomes.csv"
    columns = {"ORR": ("orr_pct",), "PFS": ("median_pfs_status", "pfs_hr"), "OS": ("median_os_status", "os_hr")}
    first_headline: dict[tuple[str, str], tuple[str, str, int]] = {}
    with_result: dict[tuple[str, str], bool] = {}
    for i, row in enumerate(outcomes.to_dict("records")):
        line = i + FIRST_DATA_ROW
        has_ci = any(row.get(c) for c in ("pfs_hr_ci_low", "pfs_hr_ci_high", "os_hr_ci_low", "os_hr_ci_high"))
        level = row.get("hr_ci_level", "")
        if has_ci and not level:
            out.append(
                Problem(
                    file,
                    line,
                    "hr_ci_level",
                    "a hazard-ratio interval is given: say its confidence level (95, 90 or 80)",
                )
            )
        if level and not has_ci:
            out.append(Problem(file, line, "hr_ci_level", "is set but no hazard-ratio interval is given"))
        for endpoint in split_ids(row.get("headline_for", "")):
            key = (row["trial_id"], endpoint)
            seen = first_headline.setdefault(key, (row["population"], row["analysis"], line))
            if seen[:2] != (row["population"], row["analysis"]):
                out.append(
                    Problem(
                        file,
                        line,
                        "headline_for",
                        f"{endpoint} headline of {row['trial_id']} is already row {seen[2]} ({seen[0]}, {seen[1]}): "
                        "one population and analysis per trial and endpoint",
                    )
                )
            has_result = any(row.get(c) and row.get(c) != "not reported" for c in columns.get(endpoint, ()))
            with_result.setdefault(key, False)
            with_result[key] = with_result[key] or has_result
    for (trial_id, endpoint), found in with_result.items():
        if not found:
            out.append(
                Problem(
                    file,
                    first_headline[(trial_id, endpoint)][2],
                    "headline_for",
                    f"names {endpoint} for {trial_id} but no headline row has an {endpoint} result",
                )
            )
    return out


def _decimals(text: str) -> int:
    return len(text.split(".", 1)[1]) if "." in text else 0


def _outcome_problems(outcomes: pd.DataFrame, trials: pd.DataFrame) -> list[Problem]:
    out = []
    file = "outcomes.csv"
    for i, row in enumerate(outcomes.itertuples(index=False)):
        line = i + FIRST_DATA_ROW
        for endpoint in ("pfs", "os"):
            value, status = getattr(row, f"median_{endpoint}_months"), getattr(row, f"median_{endpoint}_status")
            if value and status != "reached":
                out.append(
                    Problem(
                        file,
                        line,
                        f"median_{endpoint}_status",
                        f'is "{status}" but median_{endpoint}_months has a value',
                    )
                )
            if not value and status == "reached":
                out.append(
                    Problem(
                        file, line, f"median_{endpoint}_months", f"is empty but median_{endpoint}_status says reached"
                    )
                )
            hr, low, high = (_num(getattr(row, f"{endpoint}_hr{s}")) for s in ("", "_ci_low", "_ci_high"))
            if hr is not None and row.arm_role != "experimental":
                out.append(Problem(file, line, f"{endpoint}_hr", "hazard ratios belong on the experimental arm's row"))
            if (low is None) != (high is None):
                out.append(Problem(file, line, f"{endpoint}_hr_ci_low", "give both CI bounds or neither"))
            if (low is not None or high is not None) and hr is None:
                out.append(Problem(file, line, f"{endpoint}_hr", "CI given without the hazard ratio"))
            if hr is not None and low is not None and high is not None and not (low <= hr <= high):
                out.append(
                    Problem(
                        file, line, f"{endpoint}_hr_ci_low", f"CI {low}-{high} does not contain the hazard ratio {hr}"
                    )
                )
        n, responders, pct = _num(row.n), _num(row.orr_responders), _num(row.orr_pct)
        if n and responders is not None:
            if responders > n:
                out.append(Problem(file, line, "orr_responders", f"{responders:g} responders exceed n = {n:g}"))
            elif pct is not None:
                tolerance = 0.5 * 10 ** -_decimals(row.orr_pct) + 1e-9
                if abs(100 * responders / n - pct) > tolerance:
                    out.append(
                        Problem(
                            file,
                            line,
                            "orr_pct",
                            f"{pct:g}% disagrees with {responders:g}/{n:g} = {100 * responders / n:.2f}%",
                        )
                    )
    key = ["trial_id", "arm_id", "population", "analysis", "assessment", "orr_confirmed", "source_id"]
    dup = outcomes.duplicated(subset=key, keep="first")
    for i in dup[dup].index:
        out.append(
            Problem(
                file,
                int(i) + FIRST_DATA_ROW,
                "population",
                "repeats another row's trial, arm, population, analysis, assessment, ORR confirmation and source",
            )
        )
    roles = outcomes.groupby(["trial_id", "arm_id"])["arm_role"].nunique()
    for (trial_id, arm_id), _count in roles[roles > 1].items():
        first = outcomes.index[(outcomes.trial_id == trial_id) & (outcomes.arm_id == arm_id)][0]
        out.append(
            Problem(
                file,
                int(first) + FIRST_DATA_ROW,
                "arm_role",
                f"arm {arm_id} of {trial_id} is both experimental and control",
            )
        )
    design = dict(zip(trials.trial_id, trials.design, strict=True))
    for trial_id, group in outcomes.groupby("trial_id"):
        roles_here = set(group.arm_role)
        first = int(group.index[0]) + FIRST_DATA_ROW
        has_hr = group[["pfs_hr", "os_hr"]].ne("").any(axis=None)
        missing_roles = sorted({"experimental", "control"} - roles_here)
        if design.get(trial_id) == "randomised" and has_hr and missing_roles:
            missing = missing_roles[0]
            out.append(
                Problem(
                    file,
                    first,
                    "arm_role",
                    f"randomised trial {trial_id} reports hazard ratios but has no {missing} arm row",
                )
            )
        if design.get(trial_id) == "single-arm" and "control" in roles_here:
            out.append(Problem(file, first, "arm_role", f"single-arm trial {trial_id} has a control arm row"))
    return out


def _eligibility_problems(frames: dict[str, pd.DataFrame]) -> list[Problem]:
    """The fit rules a table schema cannot express: one owner per row, prior-therapy groups naming real
    agents, a PD-L1 threshold only with its scoring, superseding within one agency, evidence that exists."""
    out = []
    file = "eligibility.csv"
    agents = set(frames["agents"]["agent_id"])
    agency = dict(zip(frames["approvals"]["approval_id"], frames["approvals"]["agency"], strict=True))
    populations = {
        (t, p) for t, p in zip(frames["outcomes"]["trial_id"], frames["outcomes"]["population"], strict=True)
    }
    for i, row in enumerate(frames["eligibility"].itertuples(index=False)):
        line = i + FIRST_DATA_ROW
        if bool(row.approval_id) == bool(row.trial_id):
            out.append(Problem(file, line, "approval_id", "fill exactly one of approval_id and trial_id"))
        for group in split_ids(row.prior_required):
            for item in group.split("|"):
                if item not in agents:
                    out.append(Problem(file, line, "prior_required", f'"{item}" not found in agents.csv (agent_id)'))
        low, high = _num(row.pdl1_min), _num(row.pdl1_max)
        if (low is not None or high is not None) and row.pdl1_scoring not in {"CPS", "TAP"}:
            out.append(Problem(file, line, "pdl1_scoring", "a PD-L1 threshold needs its scoring (CPS or TAP)"))
        if row.pdl1_scoring in {"CPS", "TAP"} and low is None and high is None:
            out.append(
                Problem(
                    file,
                    line,
                    "pdl1_min",
                    f"{row.pdl1_scoring} scoring given without a threshold (pdl1_min or pdl1_max)",
                )
            )
        if low is not None and high is not None and low >= high:
            out.append(Problem(file, line, "pdl1_max", f"pdl1_max {high:g} must exceed pdl1_min {low:g}"))
        if "any" in split_ids(row.her2_levels) and len(split_ids(row.her2_levels)) > 1:
            out.append(Problem(file, line, "her2_levels", '"any" stands alone'))
        if row.superseded_by:
            if not row.approval_id:
                out.append(Problem(file, line, "superseded_by", "only an approval row can be superseded"))
            elif row.superseded_by == row.approval_id:
                out.append(Problem(file, line, "superseded_by", "an approval cannot supersede itself"))
            elif agency.get(row.superseded_by) not in (None, agency.get(row.approval_id)):
                out.append(Problem(file, line, "superseded_by", f"{row.superseded_by} is another agency's decision"))
        if row.evidence_population:
            trials = split_ids(row.evidence_trial_ids)
            if not any((t, row.evidence_population) in populations for t in trials):
                out.append(
                    Problem(
                        file,
                        line,
                        "evidence_population",
                        f"no outcome of {', '.join(trials) or 'the evidence trials'} "
                        f'has the population "{row.evidence_population}"',
                    )
                )
    return out
