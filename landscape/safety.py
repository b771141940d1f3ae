"""Harm beside benefit: the label warnings, trial-arm safety rates and guideline positions that go with an
agent, a trial or an approved option, chosen from the safety and guideline tables. Pure functions over the
model's frames; every surface (pages, tumour board, deck, command line) renders what these return."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import pandas as pd

from landscape import schema
from landscape.values import is_missing, split_ids
from landscape.vocab import LABEL_MEASURES, expand_line

RATE_MEASURES = tuple(m for m in schema.enum("safety", "measure") if m not in LABEL_MEASURES)
# What each measure reads as beside a number. The attribution (all-cause or treatment-related) is part of the
# words, so two definitions never read alike.
MEASURE_WORDS = {
    "grade3plus_ae_pct": "grade >= 3 adverse events",
    "grade3plus_trae_pct": "grade >= 3 treatment-related adverse events",
    "serious_ae_pct": "serious adverse events",
    "discontinuation_ae_pct": "discontinued for adverse events",
    "treatment_related_deaths_n": "treatment-related deaths",
    "ild_any_pct": "interstitial lung disease, any grade",
    "ild_grade3plus_pct": "interstitial lung disease, grade >= 3",
    "ild_grade5_n": "interstitial lung disease, grade 5 (deaths)",
    "neutropenia_grade3plus_pct": "neutropenia, grade >= 3",
    "cardiac_event_pct": "cardiac events (LVEF decrease or cardiac failure)",
    "diarrhoea_grade3plus_pct": "diarrhoea, grade >= 3",
    "peripheral_neuropathy_any_pct": "peripheral neuropathy, any grade",
    "infusion_reaction_pct": "infusion-related reactions",
    "immune_mediated_ae_pct": "immune-mediated adverse events",
    "boxed_warning": "boxed warning",
    "warning": "warning",
    "monitoring": "monitoring the label asks for",
}
# The measures a short summary (a board card, a deck line) shows first: the overall burden, then the
# signature toxicities that decide between HER2-directed options.
KEY_RATE_MEASURES = (
    "grade3plus_ae_pct",
    "grade3plus_trae_pct",
    "discontinuation_ae_pct",
    "ild_any_pct",
    "ild_grade5_n",
    "treatment_related_deaths_n",
)
AGENCY_PREFERENCE = tuple(schema.enum("approvals", "agency"))


@dataclass(frozen=True)
class LabelItem:
    agent_id: str
    agent_name: str
    agency: str
    label_date: str
    measure: str
    topic: str
    source_id: str


@dataclass(frozen=True)
class RateItem:
    trial_id: str
    acronym: str
    arm_id: str
    regimen: str
    measure: str
    value: float
    unit: str
    attribution: str
    population: str
    n_safety: int | None
    analysis: str
    source_id: str
    ild_adjudicated: bool | None = None
    arm_role: str = ""  # experimental, control, single (from the trial's outcome rows), "" when not known
    safety_id: str = ""

    @property
    def number(self) -> str:
        """The value as printed with its unit: '54.2%', '3 patients'."""
        if self.unit == "percent":
            return f"{self.value:g}%"
        return f"{self.value:g} {self.unit}" if self.unit else f"{self.value:g}"

    @property
    def what(self) -> str:
        """The measure in words with its attribution: 'grade >= 3 adverse events (all-cause)'; a source that
        does not say whether all-cause or treatment-related reads '(attribution not stated)'."""
        what = MEASURE_WORDS.get(self.measure, self.measure)
        if self.attribution == "not stated" and "treatment-related" not in what:
            what = f"{what} (attribution not stated)"
        elif self.attribution and self.attribution != "not stated" and "treatment-related" not in what:
            what = f"{what} ({self.attribution})"
        if self.ild_adjudicated is True:
            what += ", adjudicated"
        return what

    @property
    def plain(self) -> str:
        """The measure in words without its attribution (for a line that states it once for all its rates)."""
        what = MEASURE_WORDS.get(self.measure, self.measure)
        return what + (", adjudicated" if self.ild_adjudicated is True else "")

    @property
    def words(self) -> str:
        """The rate in words: 'grade >= 3 adverse events (all-cause): 54.2%'."""
        return f"{self.what}: {self.number}"


@dataclass(frozen=True)
class SafetyBlock:
    """What a clinician weighs against an option's benefit: boxed warnings first, then warnings, then the
    monitoring the label asks for, then the pivotal trial's rates arm by arm."""

    boxed_warnings: tuple[LabelItem, ...]
    warnings: tuple[LabelItem, ...]
    monitoring: tuple[LabelItem, ...]
    trial_rates: tuple[RateItem, ...]
    label_agency: str | None  # whose label the items come from (None: no label held)
    wanted_agency: str | None  # the agency asked for

    @property
    def label_note(self) -> str:
        """Say whose label is shown when it is not the one asked for, or that none is held."""
        if self.label_agency is None:
            return "No label warnings recorded."
        if self.wanted_agency and self.label_agency != self.wanted_agency:
            return f"{self.wanted_agency} label not recorded; warnings from the {self.label_agency} label."
        return ""

    @property
    def source_ids(self) -> tuple[str, ...]:
        items = (*self.boxed_warnings, *self.warnings, *self.monitoring, *self.trial_rates)
        return tuple(dict.fromkeys(i.source_id for i in items))

    @property
    def empty(self) -> bool:
        return not (self.boxed_warnings or self.warnings or self.monitoring or self.trial_rates)

    def arms(self) -> list[tuple[RateItem, tuple[RateItem, ...]]]:
        """Return the trial rates arm by arm: (the arm's first row, its rows), in the block's order."""
        groups: dict[tuple[str, str], list[RateItem]] = {}
        for item in self.trial_rates:
            groups.setdefault((item.trial_id, item.arm_id), []).append(item)
        return [(rows[0], tuple(rows)) for rows in groups.values()]

    def to_json(self) -> dict:
        """The block as the command line's JSON: label items by topic, agency and source; rates as printed."""
        label = lambda i: {"topic": i.topic, "agency": i.agency, "source_id": i.source_id}  # noqa: E731
        return {
            "boxed_warnings": [label(i) for i in self.boxed_warnings],
            "warnings": [label(i) for i in self.warnings],
            "monitoring": [label(i) for i in self.monitoring],
            "label_note": self.label_note or None,
            "trial_rates": [
                {
                    "trial_id": r.trial_id,
                    "acronym": r.acronym,
                    "arm": r.arm_id,
                    "arm_role": r.arm_role or None,
                    "regimen": r.regimen,
                    "measure": r.measure,
                    "value": r.value,
                    "unit": r.unit,
                    "attribution": r.attribution or None,
                    "population": r.population or None,
                    "source_id": r.source_id,
                }
                for r in self.trial_rates
            ],
        }


@dataclass(frozen=True)
class GuidelinePosition:
    organisation: str
    version: str
    line_of_therapy: str
    regimen: str
    her2_condition: str
    pdl1_condition: str
    position: str
    scale: str
    source_id: str

    def to_json(self) -> dict:
        return {
            "organisation": self.organisation,
            "version": self.version,
            "position": self.position,
            "source_id": self.source_id,
        }

    @property
    def words(self) -> str:
        """'ESMO 2022: I, A' (with the PD-L1 condition when the position has one)."""
        condition = f" ({self.pdl1_condition})" if self.pdl1_condition else ""
        return f"{self.organisation} {self.version}{condition}: {self.position}"


def _text(value: object) -> str:
    return "" if is_missing(value) else str(value)


def label_items(
    safety: pd.DataFrame, agent_ids: Iterable[str], agency: str | None
) -> tuple[tuple[LabelItem, ...], str | None]:
    """Return the label rows of the agents under one agency's label, boxed warnings first (then warnings,
    then monitoring; each agent's items in the label's order as curated), and that agency.

    When the agency asked for has no label rows for these agents, the first agency (in the schema's order)
    that has them stands in, and is returned so the caller can name it; (), None when no label is held."""
    wanted = set(agent_ids)
    rows = safety[safety["measure"].isin(LABEL_MEASURES) & safety["agent_id"].isin(wanted)]
    if rows.empty:
        return (), None
    held = set(rows["agency"].dropna())
    chosen = agency if agency in held else next(a for a in AGENCY_PREFERENCE if a in held)
    rows = rows[rows["agency"] == chosen]
    order = {m: i for i, m in enumerate(LABEL_MEASURES)}
    items = [
        LabelItem(
            agent_id=r.agent_id,
            agent_name=_text(r.agent_name) or r.agent_id,
            agency=r.agency,
            label_date=_text(r.label_date),
            measure=r.measure,
            topic=r.topic,
            source_id=r.source_id,
        )
        for r in rows.itertuples(index=False)
    ]
    # Within a kind, each agent's items in the label's own order (as curated): the first boxed warning first.
    items.sort(key=lambda i: (order[i.measure], i.agent_name.lower()))
    return tuple(items), chosen


ROLE_ORDER = {"experimental": 0, "single": 1, "": 1, "control": 2}


def arm_roles(outcomes: pd.DataFrame) -> dict[tuple[str, str], str]:
    """Return each trial arm's role (experimental, control) as the trial's outcome rows record it."""
    rows = outcomes.dropna(subset=["trial_id", "arm_id", "arm_role"]).drop_duplicates(["trial_id", "arm_id"])
    return {(t, a): str(r) for t, a, r in zip(rows["trial_id"], rows["arm_id"], rows["arm_role"], strict=True)}


def arm_rates(
    safety: pd.DataFrame,
    trial_ids: Iterable[str],
    measures: Iterable[str] = RATE_MEASURES,
    roles: Mapping[tuple[str, str], str] | None = None,
) -> tuple[RateItem, ...]:
    """Return the rate rows of the trials' arms, trial by trial in the order given, arm by arm (the
    experimental arm before its control when `roles` names them, else as curated), measure by measure in
    the schema's order. Rows of different definitions stay separate rows."""
    roles = roles or {}
    trials = list(dict.fromkeys(trial_ids))
    measures = tuple(measures)
    rows = safety[safety["trial_id"].isin(trials) & safety["measure"].isin(measures)]
    if rows.empty:
        return ()
    trial_order = {t: i for i, t in enumerate(trials)}
    measure_order = {m: i for i, m in enumerate(measures)}
    arm_order = {key: i for i, key in enumerate(dict.fromkeys(zip(rows["trial_id"], rows["arm_id"], strict=True)))}
    items = []
    for r in rows.itertuples(index=False):
        items.append(
            RateItem(
                trial_id=r.trial_id,
                acronym=_text(r.acronym) or r.trial_id,
                arm_id=r.arm_id,
                regimen=r.regimen,
                measure=r.measure,
                value=float(r.value),
                unit=r.unit,
                attribution=_text(r.attribution),
                population=_text(r.population),
                n_safety=None if is_missing(r.n_safety) else int(r.n_safety),
                analysis=_text(r.analysis),
                source_id=r.source_id,
                ild_adjudicated=None if is_missing(r.ild_adjudicated) else bool(r.ild_adjudicated),
                arm_role=roles.get((r.trial_id, r.arm_id), ""),
                safety_id=_text(r.safety_id),
            )
        )
    items.sort(
        key=lambda i: (
            trial_order[i.trial_id],
            ROLE_ORDER.get(i.arm_role, 1),
            arm_order[(i.trial_id, i.arm_id)],
            measure_order[i.measure],
        )
    )
    return tuple(items)


def option_safety(
    safety: pd.DataFrame,
    agent_ids: Iterable[str],
    agency: str | None,
    evidence_trial_ids: Iterable[str],
    measures: Iterable[str] = KEY_RATE_MEASURES,
    roles: Mapping[tuple[str, str], str] | None = None,
) -> SafetyBlock:
    """Return the Safety block of an approved option: its agents' label under the agency (or the stand-in
    label, named), and the key rates of its pivotal trial(s), every arm, so the control arm sits beside."""
    items, chosen = label_items(safety, agent_ids, agency)
    return SafetyBlock(
        boxed_warnings=tuple(i for i in items if i.measure == "boxed_warning"),
        warnings=tuple(i for i in items if i.measure == "warning"),
        monitoring=tuple(i for i in items if i.measure == "monitoring"),
        trial_rates=arm_rates(safety, evidence_trial_ids, measures, roles),
        label_agency=chosen,
        wanted_agency=agency,
    )


def guideline_positions(
    guidelines: pd.DataFrame, agent_ids: Iterable[str], line: str | None, key_agents: Iterable[str] | None = None
) -> tuple[GuidelinePosition, ...]:
    """Return the recorded guideline positions of a regimen: rows whose named agents, less the backbone
    (agents outside key_agents, e.g. chemotherapy), are exactly the option's agents, in the line asked for
    (a 2L+ position covers 2L and 3L+); newest version first within each organisation."""
    wanted = frozenset(agent_ids)
    keys = None if key_agents is None else frozenset(key_agents)
    out = []
    for r in guidelines.itertuples(index=False):
        named = frozenset(split_ids(r.agent_ids))
        core = named if keys is None else named & keys
        if core != wanted:
            continue
        if line is not None and line not in expand_line(r.line_of_therapy) and line != r.line_of_therapy:
            continue
        out.append(
            GuidelinePosition(
                organisation=r.organisation,
                version=r.version,
                line_of_therapy=r.line_of_therapy,
                regimen=r.regimen,
                her2_condition=_text(r.her2_condition),
                pdl1_condition=_text(r.pdl1_condition),
                position=r.position,
                scale=r.scale,
                source_id=r.source_id,
            )
        )
    return tuple(_newest_first_within(out))


def _version_key(version: str) -> tuple:
    """Sort key of a version as printed ('2022', 'Version 2.2025', '2024 update'): the year, then the rest."""
    digits = [int(part) for part in "".join(c if c.isdigit() else " " for c in version).split()]
    years = [d for d in digits if d >= 1990]
    return (max(years) if years else 0, digits)


def _newest_first_within(positions: list[GuidelinePosition]) -> list[GuidelinePosition]:
    by_org: dict[str, list[GuidelinePosition]] = {}
    for g in positions:
        by_org.setdefault(g.organisation, []).append(g)
    return [
        g for org in sorted(by_org) for g in sorted(by_org[org], key=lambda g: _version_key(g.version), reverse=True)
    ]


LABEL_KIND_WORDS = {"boxed_warning": "boxed warning", "warning": "warning", "monitoring": "monitoring"}
LABEL_TABLE_COLUMNS = ["agency", "label_date", "kind", "topic", "source_id", "source_url"]
RATE_TABLE_COLUMNS = [
    "acronym",
    "arm_role",
    "regimen",
    "measure_words",
    "value",
    "unit",
    "attribution",
    "population",
    "n_safety",
    "analysis",
    "data_cutoff",
    "notes",
    "source_id",
    "source_url",
]


def label_table(safety: pd.DataFrame, agent_id: str) -> pd.DataFrame:
    """Return an agent's label rows as a table, agency by agency (the schema's order), boxed warnings first
    within each label: agency, label date, kind in words, topic, source."""
    rows = safety[(safety["agent_id"] == agent_id) & safety["measure"].isin(LABEL_MEASURES)]
    agency_order = {a: i for i, a in enumerate(AGENCY_PREFERENCE)}
    measure_order = {m: i for i, m in enumerate(LABEL_MEASURES)}
    out = rows.assign(
        kind=rows["measure"].map(LABEL_KIND_WORDS),
        _agency=rows["agency"].map(agency_order).fillna(len(agency_order)),
        _measure=rows["measure"].map(measure_order),
    )
    out = out.sort_values(["_agency", "_measure"], kind="stable")
    return out.reindex(columns=LABEL_TABLE_COLUMNS).reset_index(drop=True)


def rate_table(
    safety: pd.DataFrame, trial_ids: Iterable[str], roles: Mapping[tuple[str, str], str] | None = None
) -> pd.DataFrame:
    """Return the trials' arm-level safety rows as a table, in arm_rates' order (experimental before
    control), each measure in words with its attribution, population, safety n, analysis and source."""
    items = arm_rates(safety, trial_ids, RATE_MEASURES, roles)
    if not items:
        return pd.DataFrame(columns=RATE_TABLE_COLUMNS)
    by_id = safety.set_index("safety_id")
    records = []
    for i in items:
        row = by_id.loc[i.safety_id] if i.safety_id in by_id.index else None
        records.append(
            {
                "acronym": i.acronym,
                "arm_role": i.arm_role or None,
                "regimen": i.regimen,
                "measure_words": MEASURE_WORDS.get(i.measure, i.measure)
                + (", adjudicated" if i.ild_adjudicated is True else ""),
                "value": i.value,
                "unit": i.unit,
                "attribution": i.attribution or None,
                "population": i.population or None,
                "n_safety": i.n_safety,
                "analysis": i.analysis or None,
                "data_cutoff": None if row is None else (_text(row.get("data_cutoff")) or None),
                "notes": None if row is None else (_text(row.get("notes")) or None),
                "source_id": i.source_id,
                "source_url": None if row is None else (_text(row.get("source_url")) or None),
            }
        )
    return pd.DataFrame.from_records(records, columns=RATE_TABLE_COLUMNS)


# Benefit beside harm, arm by arm: the efficacy measures a reader can put against a grade >= 3 rate, and
# the two definitions of that rate (never both on one axis).
EFFICACY_MEASURES = {
    "orr_pct": "ORR (%)",
    "median_pfs_months": "median PFS (months)",
    "median_os_months": "median OS (months)",
}
HARM_MEASURES = {
    "grade3plus_ae_pct": "grade >= 3 adverse events, all-cause (%)",
    "grade3plus_trae_pct": "grade >= 3 treatment-related adverse events (%)",
}
BENEFIT_HARM_COLUMNS = [
    "trial_id",
    "acronym",
    "arm_id",
    "arm_role",
    "regimen",
    "line_of_therapy",
    "efficacy",
    "efficacy_population",
    "efficacy_analysis",
    "n",
    "efficacy_source_id",
    "harm",
    "harm_attribution",
    "harm_population",
    "n_safety",
    "harm_analysis",
    "harm_source_id",
    "harm_notes",
]


def benefit_harm(outcomes: pd.DataFrame, safety: pd.DataFrame, efficacy: str, harm: str) -> pd.DataFrame:
    """Return one row per trial arm that has both the efficacy measure and the harm rate: the efficacy row
    is the arm's ITT row where it holds the measure, else its headline row for it, else none (a subgroup
    or a response-evaluable row that is not a headline never stands in); the harm row is the arm's first
    curated row of that definition. Rows keep each side's own population, analysis and source."""
    if efficacy not in EFFICACY_MEASURES or harm not in HARM_MEASURES:
        raise ValueError(f"efficacy must be one of {list(EFFICACY_MEASURES)}, harm one of {list(HARM_MEASURES)}")
    rows = outcomes[outcomes[efficacy].notna()]
    itt = (rows["population_type"].fillna("") == "ITT").to_numpy(dtype=bool)
    headline = (rows["headline_for"].fillna("") != "").to_numpy(dtype=bool)
    keep = itt | headline
    # An ITT headline row first, then any ITT row, then a headline row in another population.
    rows = rows[keep].assign(_rank=((~itt).astype(int) * 2 + (~headline).astype(int))[keep])
    rows = rows.sort_values(["_rank"], kind="stable").drop_duplicates(["trial_id", "arm_id"])
    harms = safety[(safety["measure"] == harm) & safety["value"].notna() & safety["trial_id"].notna()]
    harms = harms.drop_duplicates(["trial_id", "arm_id"])
    if rows.empty or harms.empty:
        return pd.DataFrame(columns=BENEFIT_HARM_COLUMNS)
    efficacy_side = pd.DataFrame(
        {
            "trial_id": rows["trial_id"],
            "acronym": rows["acronym"] if "acronym" in rows else rows["trial_id"],
            "arm_id": rows["arm_id"],
            "arm_role": rows["arm_role"],
            "regimen": rows["regimen"],
            "line_of_therapy": rows["line_of_therapy"] if "line_of_therapy" in rows else None,
            "efficacy": rows[efficacy].astype(float),
            "efficacy_population": rows["population"],
            "efficacy_analysis": rows["analysis"],
            "n": rows["n"],
            "efficacy_source_id": rows["source_id"],
        }
    )
    harm_side = pd.DataFrame(
        {
            "trial_id": harms["trial_id"],
            "arm_id": harms["arm_id"],
            "harm": harms["value"].astype(float),
            "harm_attribution": harms["attribution"],
            "harm_population": harms["population"],
            "n_safety": harms["n_safety"],
            "harm_analysis": harms["analysis"],
            "harm_source_id": harms["source_id"],
            "harm_notes": harms["notes"] if "notes" in harms else None,
        }
    )
    joined = efficacy_side.merge(harm_side, on=["trial_id", "arm_id"], how="inner", validate="one_to_one")
    role = joined["arm_role"].map(ROLE_ORDER).fillna(1)
    joined = joined.assign(_role=role).sort_values(["acronym", "_role"], kind="stable").drop(columns="_role")
    return joined[BENEFIT_HARM_COLUMNS].reset_index(drop=True)
