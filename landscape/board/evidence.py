"""The evidence behind an approved option that fits, as plain records the three surfaces render. For each
trial the approval rests on (the trial of the profile's line first), one record per arm in the population the
label names (else the trial's headline population), then the subgroups that match the profile, then the
trial's other headline populations (response-evaluable and the like), which the surfaces fold beneath."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from landscape import display
from landscape.board.words import result_numbers, short_population
from landscape.places import AGENCY_REGION, country_name, country_region
from landscape.values import is_missing, split_ids
from landscape.vocab import expand_line

# Where a record sits under its trial: the arm's own row, a subgroup the profile belongs to, or another
# population of the trial folded beneath the arm (never a row of its own in the chart).
MAIN, SUBGROUP, OTHER = "main", "subgroup", "other population"
PLACES = (MAIN, SUBGROUP, OTHER)

EVIDENCE_COLUMNS = [
    "outcome_id",
    "trial_id",
    "acronym",
    "phase",
    "arm_id",
    "arm_role",
    "regimen",
    "population",
    "population_type",
    "subgroup",
    "analysis",
    "analysis_stage",
    "headline_for",
    "n",
    "orr_pct",
    "orr_ci_low_pct",
    "orr_ci_high_pct",
    "orr_confirmed",
    "median_pfs",
    "median_os",
    "pfs_hr",
    "pfs_hr_ci_low",
    "pfs_hr_ci_high",
    "os_hr",
    "os_hr_ci_low",
    "os_hr_ci_high",
    "hr_ci_level",
    "pfs_hr_ci",
    "os_hr_ci",
    "line_of_therapy",
    "source_id",
]
# Added to each record: the trial's countries and their continents, the record's place, whether its trial
# is the one behind the approval for the profile's line (lead) and whether it was run in that line
# (for_line), and (for a subgroup) what in the profile it matches.
RECORD_KEYS = (*EVIDENCE_COLUMNS, "trial_countries", "trial_regions", "place", "lead", "for_line", "matches")
_EVIDENCE_INPUTS = frozenset(EVIDENCE_COLUMNS) | frozenset(display.DISPLAY_INPUTS)
_STAGES = {"primary": 0, "interim": 0, "final": 1, "updated": 2}

_CPS = re.compile(r"^PD-L1 CPS (?:(?P<op>>=|<) (?P<cut>\d+)|(?P<low>\d+)-(?P<high>\d+))$")
HER2_SUBGROUPS = {
    "HER2 IHC 3+": frozenset({"ihc3"}),
    "HER2 IHC 2+/ISH+": frozenset({"ihc2-ish-pos"}),
    "HER2 IHC 2+": frozenset({"ihc2-ish-pos", "ihc2-ish-neg"}),
}
# A region subgroup is matched by whose labels the board reads (where the patient is treated), not by the
# countries a patient could enrol in (a patient may travel to a trial).
AGENCY_COUNTRY = {"PMDA": "Japan", "NMPA": "China"}
WESTERN = ("Europe", "North America", "Oceania")


def agency_regions(agency: str) -> frozenset[str]:
    """Return the region subgroups ('region: ...' without the prefix) a patient treated under this agency's
    labels belongs to: NMPA -> China, Asia; EMA -> Europe, Western, rest of world."""
    region = AGENCY_REGION.get(agency)
    out = {region} if region else set()
    if agency in AGENCY_COUNTRY:
        out.add(AGENCY_COUNTRY[agency])
    if region in WESTERN:
        out |= {"Western (Europe, North America, Australia)", "rest of world"}
    return frozenset(out)


def subgroup_match(subgroup: str, profile) -> str | None:
    """Return what in the profile places the patient in this subgroup ('PD-L1 CPS 5', 'HER2 IHC 3+', 'NMPA
    labels: China'), or None when it does not or cannot (CPS unknown; a TAP score, which a CPS does not give)."""
    if profile is None:
        return None
    cps = _CPS.match(subgroup)
    if cps:
        if profile.cps is None:
            return None
        value = float(profile.cps)
        if cps["op"]:
            inside = value >= int(cps["cut"]) if cps["op"] == ">=" else value < int(cps["cut"])
        else:
            inside = int(cps["low"]) <= value < int(cps["high"]) + 1
        return f"PD-L1 CPS {value:g}" if inside else None
    if subgroup in HER2_SUBGROUPS:
        return subgroup if profile.her2 in HER2_SUBGROUPS[subgroup] else None
    if subgroup.startswith("region: "):
        region = subgroup.removeprefix("region: ")
        return f"{profile.agency} labels: {region}" if region in agency_regions(profile.agency) else None
    return None


def _covers(trial_line: object, line: str | None) -> bool:
    return line is not None and line in expand_line(trial_line)


def _main_mask(rows: pd.DataFrame, population: object) -> pd.Series:
    """The arm rows of one trial: the population the label names; else the trial's headline rows other than
    a response-evaluable population (whose ORR the surfaces show beside the arm, marked); else any headline."""
    if not is_missing(population) and (rows["population"] == population).any():
        return (rows["population"] == population).fillna(False).astype(bool)
    headline = rows["headline_for"].fillna("") != ""
    main = headline & (rows["population_type"] != "response-evaluable").fillna(True)
    return (main if main.any() else headline).astype(bool)


def _trial_records(rows: pd.DataFrame, population: object, profile) -> pd.DataFrame:
    """Return one trial's records in order, each with its place: the arm rows (experimental first, earlier
    analyses first), the matching subgroups, the other headline populations."""
    main = _main_mask(rows, population)
    matches = [
        subgroup_match(s, profile) if isinstance(s, str) and s and not m else None
        for s, m in zip(rows["subgroup"], main, strict=True)
    ]
    subgroup = pd.Series([m is not None for m in matches], index=rows.index)
    other = ~main & ~subgroup & (rows["headline_for"].fillna("") != "")
    place = np.select([main.to_numpy(), subgroup.to_numpy(), other.to_numpy()], [MAIN, SUBGROUP, OTHER], "")
    out = rows.assign(place=place, matches=matches)
    out = out[out["place"] != ""]
    order = out.assign(
        _place=out["place"].map(PLACES.index),
        _role=(out["arm_role"] != "experimental").astype(int),
        _stage=out["analysis_stage"].map(_STAGES).fillna(3),
    )
    order = order.sort_values(["_place", "subgroup", "_role", "arm_id", "_stage"], kind="stable", na_position="first")
    return order.drop(columns=["_place", "_role", "_stage"])


def order_trials(trial_ids: tuple[str, ...], trial_lines: Mapping[str, object], line: str | None) -> list[str]:
    """Return the trials an approval rests on with those of the profile's line first, each group in the
    curator's order (the first listed is the one behind the approval)."""
    return sorted(trial_ids, key=lambda t: not _covers(trial_lines.get(t), line))


def _plain(key: str, value: object) -> object:
    if is_missing(value):
        return None
    if key.startswith("orr_") and key != "orr_confirmed":
        return round(float(value), 1)
    if isinstance(value, np.generic):
        return value.item()
    return value


def evidence_for(
    landscape, rule: Mapping, outcomes_by_trial: Mapping[str, np.ndarray], profile=None
) -> tuple[dict, ...]:
    """Return the evidence records of an indication: per trial it rests on (the profile's line first), the
    arms in the label's population (else the headline one), the subgroups matching the profile, the other
    headline populations. `outcomes_by_trial` (trial_id -> positions of its rows in landscape.outcomes)
    saves a scan of every outcome per call on a large landscape. Without a profile, the curator's order."""
    trials = split_ids(rule["evidence_trial_ids"])
    if not trials:
        return ()
    everything = landscape.outcomes
    info = landscape.trials.set_index("trial_id")
    line = getattr(profile, "line", None)
    ordered = order_trials(trials, info["line_of_therapy"].to_dict(), line)
    # Only the columns used: a large landscape has many columns to take.
    columns = [c for c in everything.columns if c in _EVIDENCE_INPUTS]
    records: list[dict] = []
    for rank, trial_id in enumerate(ordered):
        if trial_id not in outcomes_by_trial:
            continue
        rows = display.with_display_columns(everything[columns].take(outcomes_by_trial[trial_id]))
        chosen = _trial_records(rows, rule["evidence_population"], profile)
        codes = split_ids(info["countries"].get(trial_id))
        countries = ", ".join(country_name(c) for c in codes)
        regions = ", ".join(dict.fromkeys(country_region(c) for c in codes))
        for_line = line is None or _covers(info["line_of_therapy"].get(trial_id), line)
        for record in chosen[[*EVIDENCE_COLUMNS, "place", "matches"]].to_dict("records"):
            plain = {k: _plain(k, v) for k, v in record.items()}
            extra = {
                "trial_countries": countries or None,
                "trial_regions": regions or None,
                "lead": rank == 0 and for_line,
                "for_line": for_line,
            }
            records.append(plain | extra)
    return tuple({k: r[k] for k in RECORD_KEYS} for r in records)


@dataclass(frozen=True)
class HazardRatio:
    hr: float
    low: float | None
    high: float | None
    level: int | None

    @property
    def has_95(self) -> bool:
        return self.low is not None and self.high is not None and (self.level or 95) == 95

    @property
    def words(self) -> str:
        """'0.70 (0.55-0.90)'; another level or no interval says so."""
        return display.format_hr(self.hr, self.low, self.high, self.level)


@dataclass(frozen=True)
class Arm:
    """One row of the evidence figure: an arm of a trial in one population (its own, or a subgroup that
    matches the profile), each endpoint from the first of its records that holds it."""

    trial_id: str
    acronym: str
    line: str
    regions: str | None  # the continents of the trial's countries when one or two
    lead: bool
    for_line: bool
    arm_role: str
    regimen: str
    place: str
    population: str
    population_short: str
    n: int | None
    orr: float | None
    orr_low: float | None
    orr_high: float | None
    orr_borrowed: bool  # the ORR is of another population of the arm (response-evaluable), not of this one
    orr_population: str
    median_pfs: str | None
    median_os: str | None
    pfs_hr: HazardRatio | None
    os_hr: HazardRatio | None
    analyses: str
    also: tuple[str, ...]  # the arm's other populations, in words
    source_ids: tuple[str, ...]


def _first(records: list[Mapping], key: str) -> Mapping | None:
    return next((r for r in records if r.get(key) not in (None, "not reported")), None)


def _hazard_ratio(records: list[Mapping], endpoint: str) -> HazardRatio | None:
    row = _first(records, f"{endpoint}_hr")
    if row is None:
        return None
    return HazardRatio(
        row[f"{endpoint}_hr"], row[f"{endpoint}_hr_ci_low"], row[f"{endpoint}_hr_ci_high"], row["hr_ci_level"]
    )


def _analyses(records: list[Mapping]) -> str:
    """The analysis each endpoint comes from: one name when they agree, else per endpoint."""
    used = {}
    for name, key in (("ORR", "orr_pct"), ("PFS", "median_pfs"), ("OS", "median_os")):
        row = _first(records, key)
        if row is not None:
            used[name] = row["analysis"]
    if len(set(used.values())) <= 1:
        return next(iter(used.values()), records[0]["analysis"])
    return "; ".join(f"{name}: {analysis}" for name, analysis in used.items())


def arms_of(records: Sequence[Mapping]) -> list[Arm]:
    """Return the figure's rows: the records of each arm in its population (and in each matching subgroup)
    merged into one, in the records' order, with the arm's other populations folded into it."""
    groups: dict[tuple, list[Mapping]] = {}
    others: dict[tuple, list[Mapping]] = {}
    for record in records:
        arm = (record["trial_id"], record["arm_id"])
        if record["place"] == OTHER:
            others.setdefault(arm, []).append(record)
        else:
            groups.setdefault((*arm, record["place"], record["subgroup"]), []).append(record)
    return [_arm(rows, others.get(key[:2], [])) for key, rows in groups.items()]


def _arm(rows: list[Mapping], other: list[Mapping]) -> Arm:
    head = rows[0]
    orr_row = _first(rows, "orr_pct")
    borrowed = orr_row is None and head["place"] == MAIN and _first(other, "orr_pct") is not None
    if borrowed:
        orr_row = _first(other, "orr_pct")
    median = {key: (row[key] if (row := _first(rows, key)) else None) for key in ("median_pfs", "median_os")}
    return Arm(
        trial_id=head["trial_id"],
        acronym=head["acronym"],
        line=head["line_of_therapy"] or "line not recorded",
        regions=head["trial_regions"] if (head["trial_regions"] or "").count(",") < 2 else None,
        lead=bool(head["lead"]),
        for_line=bool(head["for_line"]),
        arm_role=head["arm_role"],
        regimen=head["regimen"],
        place=head["place"],
        population=head["population"],
        population_short=short_population(head),
        n=head["n"],
        orr=orr_row["orr_pct"] if orr_row else None,
        orr_low=orr_row["orr_ci_low_pct"] if orr_row else None,
        orr_high=orr_row["orr_ci_high_pct"] if orr_row else None,
        orr_borrowed=borrowed,
        orr_population=orr_row["population"] if orr_row else "",
        median_pfs=median["median_pfs"],
        median_os=median["median_os"],
        pfs_hr=_hazard_ratio(rows, "pfs"),
        os_hr=_hazard_ratio(rows, "os"),
        analyses=_analyses(rows),
        also=tuple(f"{r['population']}, {r['analysis']}: {result_numbers(r)}" for r in other),
        source_ids=tuple(dict.fromkeys(r["source_id"] for r in [*rows, *([orr_row] if borrowed else [])])),
    )
