"""The landscape model: the validated tables joined and enriched once (names, regions, dates, CIs
and the facet columns the filter model reads), so pages only filter and show."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

import pandas as pd

from landscape import dates, evidence, filters, stats, status, vocab
from landscape.filters import Inherit, Lookups
from landscape.load import Tables
from landscape.places import AGENCY_REGION, country_name, country_region
from landscape.text import short_regimen
from landscape.values import is_missing, split_ids

PUBLICATION_KINDS = ("journal article", "congress abstract")


@dataclass(frozen=True)
class Landscape:
    """Every page's view of the data; frames are shared and must not be mutated."""

    agents: pd.DataFrame
    trials: pd.DataFrame
    outcomes: pd.DataFrame
    approvals: pd.DataFrame
    sites: pd.DataFrame
    sources: pd.DataFrame
    eligibility: pd.DataFrame
    safety: pd.DataFrame
    guidelines: pd.DataFrame
    events: pd.DataFrame
    as_of: str
    data_dir: str
    version: tuple = ()  # identifies the data files it was built from (paths, sizes, mtimes)

    def frames(self) -> tuple[pd.DataFrame, ...]:
        return (self.agents, self.trials, self.outcomes, self.approvals, self.sites)


def rows_with_id(frame: pd.DataFrame, column: str, item: str) -> pd.DataFrame:
    """Return the rows whose ';'-separated id column contains the item (an agent's trials, arms, approvals)."""
    return frame[pd.Series([item in split_ids(cell) for cell in frame[column]], index=frame.index, dtype=bool)]


def flatten_ids(cells: Iterable[object]) -> list[str]:
    """Return the items of many ';'-separated cells, in order (for 'the sources of these rows')."""
    return [item for cell in cells for item in split_ids(cell)]


CHEMOTHERAPY_WORDS = (
    "chemotherapy",
    "cisplatin",
    "oxaliplatin",
    "fluoropyrimidine",
    "fluorouracil",
    "capecitabine",
    "paclitaxel",
    "docetaxel",
    "irinotecan",
    "s-1",
)


def _mentions_chemotherapy(regimen: object) -> bool:
    return isinstance(regimen, str) and any(word in regimen.lower() for word in CHEMOTHERAPY_WORDS)


def _haystack(*parts: object) -> str:
    return " ".join(
        str(p) for p in parts if p is not None and p is not pd.NA and not (isinstance(p, float) and pd.isna(p))
    ).lower()


_INTERNED: dict[frozenset, frozenset] = {}


def _fs(values) -> frozenset[str]:
    """Return the facet set of the values, interned: most rows share a handful of distinct sets, and
    one object per distinct set keeps a 100x-size landscape small in memory."""
    key = frozenset(v for v in values if v is not None and v is not pd.NA and v != "")
    return _INTERNED.setdefault(key, key)


def _add_facets(frame: pd.DataFrame, table: str, lookups: Lookups) -> None:
    """Add the facet columns the filter specs derive from this table's own columns (filters.FILTERS)."""
    for column, derive in filters.derived_facets(table):
        frame[column] = frame[derive.column].map(lambda cell, values=derive.values: _fs(values(cell, lookups)))


def build_landscape(tables: Tables) -> Landscape:
    """Return the enriched model of validated tables."""
    sources = tables.sources.copy()
    agents_raw = tables.agents
    names = dict(zip(agents_raw["agent_id"], agents_raw["name"], strict=True))
    modality = dict(zip(agents_raw["agent_id"], agents_raw["modality"], strict=True))
    aliases = dict(zip(agents_raw["agent_id"], agents_raw["aliases"].fillna(""), strict=True))
    source_url = dict(zip(sources["source_id"], sources["url"], strict=True))
    source_kind = dict(zip(sources["source_id"], sources["kind"], strict=True))
    source_citation = dict(zip(sources["source_id"], sources["citation"], strict=True))

    lookups = Lookups(agents=agents_raw.set_index("agent_id").to_dict("index"))
    trials = _build_trials(tables.trials, names, modality, aliases, source_url, source_kind, tables.as_of, lookups)
    trials = _with_status(trials, tables)
    outcomes = _build_outcomes(tables.outcomes, trials, names, source_url, source_citation, source_kind)
    approvals = _build_approvals(
        tables.approvals,
        names,
        aliases,
        source_url,
        source_citation,
        dict(zip(agents_raw["agent_id"], agents_raw["scope"], strict=True)),
        lookups,
    )
    sites = _build_sites(tables.sites, trials, source_url, lookups)
    agents = _build_agents(agents_raw, trials, approvals, lookups)
    eligibility = tables.eligibility.copy()
    # An indication a later decision replaced (a label restriction, a conversion, a withdrawal) is history.
    superseded = eligibility.dropna(subset=["approval_id", "superseded_by"])
    approvals["superseded_by"] = (
        approvals["approval_id"].map(dict(zip(superseded["approval_id"], superseded["superseded_by"], strict=True)))
    ).astype("string")
    eligibility["source_url"] = eligibility["source_id"].map(source_url).astype("string")
    safety = _with_source(tables.safety, source_url, source_citation)
    acronyms = dict(zip(trials["trial_id"], trials["acronym"], strict=True))
    safety["acronym"] = safety["trial_id"].map(acronyms).astype("string")
    safety["agent_name"] = safety["agent_id"].map(names).astype("string")
    guidelines = _with_source(tables.guidelines, source_url, source_citation)
    events = _with_source(tables.events, source_url, source_citation)
    events["acronym"] = events["trial_id"].map(acronyms).astype("string")
    return Landscape(
        agents,
        trials,
        outcomes,
        approvals,
        sites,
        sources,
        eligibility,
        safety,
        guidelines,
        events,
        tables.as_of,
        str(tables.data_dir),
    )


def _with_status(trials: pd.DataFrame, tables: Tables) -> pd.DataFrame:
    """Return the trials with what the evidence says of their status (see landscape.status): primary results,
    the enrolment inference (which overrules an older registry status in status_group) and the readout."""
    found = status.trials_with_status(
        tables.trials,
        tables.outcomes,
        tables.eligibility,
        tables.approvals,
        tables.events,
        tables.sources,
        tables.as_of,
    )
    out = pd.concat([trials, found.set_axis(trials.index)], axis=1)
    inferred = out["enrolment_inferred"].fillna("").ne("")
    out.loc[inferred, "status_group"] = vocab.CLOSED_INFERRED
    out["overdue"] = out["readout_state"].eq("overdue").fillna(False).astype(bool)
    return out


def _with_source(frame: pd.DataFrame, source_url: dict, source_citation: dict) -> pd.DataFrame:
    """Return a copy of a sourced table with each row's source link and citation beside its id."""
    out = frame.copy()
    out["source_url"] = out["source_id"].map(source_url).astype("string")
    out["source_citation"] = out["source_id"].map(source_citation).astype("string")
    return out


def arms_label(trial) -> str:
    """Return a trial's arms in words, never merged: the experimental arm(s) ('|' between several) and,
    for a randomised trial, 'vs' its control ('T-DXd vs ramucirumab + paclitaxel')."""
    experimental = getattr(trial, "experimental_regimen", None)
    if is_missing(experimental) or not str(experimental).strip():
        experimental = trial.key_agents
    control = trial.control_regimen
    if trial.design == "randomised" and not is_missing(control) and str(control).strip():
        return f"{experimental} vs {short_regimen(control, 60)}"
    if trial.design == "randomised":
        return f"{experimental} vs control (not recorded)"
    return str(experimental)


def status_group(status: object, status_as_of: object, results_reported: object, as_of: str) -> str:
    """Return what a trial's status means for a reader (one of vocab.STATUS_GROUPS): an open or active status
    counts only when a source dated within 12 months of the as-of date states it; unknown and blank
    statuses are their own groups, never "open"."""
    if is_missing(status):
        return vocab.NOT_RECORDED
    if status == "Unknown status":
        return vocab.UNKNOWN
    if status in vocab.STOPPED_STATUSES:
        return vocab.STOPPED
    if status == "Completed":
        return (
            vocab.REPORTED
            if not is_missing(results_reported) and bool(results_reported)
            else vocab.COMPLETED_NO_RESULTS
        )
    stated = dates.first_timestamp(status_as_of)
    if is_missing(stated) or (pd.Timestamp(as_of) - stated).days > vocab.STALE_AFTER_DAYS:
        return vocab.NOT_VERIFIED
    return vocab.OPEN if status in vocab.OPEN_STATUSES else vocab.ACTIVE


def registry_staleness(registry_last_updated: object, status: object, status_as_of: object, as_of: str) -> str:
    """Return why a trial's registry facts may be out of date ("" when they are current or final): no
    status recorded; or a status that can still change (not completed, terminated or withdrawn) whose
    registry record was last updated more than 12 months before the as-of date, or that is not dated."""
    if is_missing(status):
        return vocab.NOT_RECORDED
    if status in vocab.FINAL_STATUSES:
        return ""
    reasons = []
    updated = dates.first_timestamp(registry_last_updated)
    if not is_missing(updated) and (pd.Timestamp(as_of) - updated).days > vocab.STALE_AFTER_DAYS:
        reasons.append(f"registry last updated {registry_last_updated}")
    stated = dates.first_timestamp(status_as_of)
    if is_missing(stated):
        reasons.append("status not dated")
    elif (pd.Timestamp(as_of) - stated).days > vocab.STALE_AFTER_DAYS:
        reasons.append(f"status as of {status_as_of}")
    return "; ".join(reasons)


def _build_trials(raw, names, modality, aliases, source_url, source_kind, as_of, lookups) -> pd.DataFrame:
    trials = raw.copy()
    agent_lists = trials["agent_ids"].map(split_ids)
    countries = trials["countries"].map(split_ids)
    trials["agent_names"] = agent_lists.map(lambda ids: "; ".join(names.get(a, a) for a in ids))
    trials["key_agents"] = agent_lists.map(
        lambda ids: " + ".join(names.get(a, a) for a in ids if modality.get(a) != "chemotherapy") or "chemotherapy"
    ).astype("string")
    trials["arms_label"] = pd.array([arms_label(t) for t in trials.itertuples(index=False)], dtype="string")
    trials["country_names"] = countries.map(lambda cs: "; ".join(country_name(c) for c in cs))
    trials["registry_url"] = (
        trials["nct_id"].map(lambda n: vocab.study_url(n) if isinstance(n, str) else pd.NA).astype("string")
    )
    source_lists = trials["source_ids"].map(split_ids)
    trials["publication_url"] = source_lists.map(
        lambda ids: next((source_url[s] for s in ids if source_kind.get(s) in PUBLICATION_KINDS), pd.NA)
    ).astype("string")
    for column in ("start_date", "primary_completion_date", "completion_date"):
        trials[column.replace("_date", "")] = trials[column].map(dates.first_timestamp)
    trials["status_group"] = pd.Series(
        [status_group(t.status, t.status_as_of, t.results_reported, as_of) for t in trials.itertuples(index=False)],
        index=trials.index,
        dtype="string",
    )
    trials["registry_stale"] = pd.Series(
        [
            registry_staleness(t.registry_last_updated, t.status, t.status_as_of, as_of)
            for t in trials.itertuples(index=False)
        ],
        index=trials.index,
        dtype="string",
    )
    _add_facets(trials, "trials", lookups)
    trials["f_text"] = [
        _haystack(
            t.trial_id,
            t.acronym,
            t.title,
            t.nct_id,
            t.other_ids,
            t.sponsor,
            t.agent_names,
            " ".join(aliases.get(a, "") for a in ids),
            t.country_names,
        )
        for t, ids in zip(trials.itertuples(index=False), agent_lists, strict=True)
    ]
    return trials


TRIAL_CONTEXT = [
    "acronym",
    "phase",
    "line_of_therapy",
    "design",
    "her2_category",
    "her2_criterion",
    "pdl1_criterion",
    "status",
    "nct_id",
    "registry_url",
]


def _build_outcomes(raw, trials, names, source_url, source_citation, source_kind) -> pd.DataFrame:
    outcomes = stats.add_orr_ci(raw)
    facets = filters.inherited_facets("outcomes", Inherit.TRIAL)
    context = trials[["trial_id", *TRIAL_CONTEXT, *facets, "f_text"]].rename(columns={"f_text": "trial_text"})
    outcomes = outcomes.merge(context, on="trial_id", how="left", validate="many_to_one")
    outcomes["region"] = outcomes["f_region"].map(lambda regions: ", ".join(sorted(regions)) or pd.NA).astype("string")
    outcomes = evidence.add_evidence_columns(
        outcomes, source_kind, dict(zip(trials["trial_id"], trials["control_regimen"], strict=True))
    )
    outcomes["source_kind"] = outcomes["source_id"].map(source_kind).astype("string")
    outcomes["display_name"] = pd.array(
        [
            f"{r.acronym} · {r.regimen} · {r.population} · {r.analysis} ({r.arm_role})"
            for r in outcomes.itertuples(index=False)
        ],
        dtype="string",
    )
    outcomes["source_url"] = outcomes["source_id"].map(source_url).astype("string")
    outcomes["source_citation"] = outcomes["source_id"].map(source_citation).astype("string")
    outcomes["agent_names"] = outcomes["agent_ids"].map(lambda v: "; ".join(names.get(a, a) for a in split_ids(v)))
    outcomes["f_text"] = [
        _haystack(t, r, p)
        for t, r, p in zip(outcomes["trial_text"], outcomes["regimen"], outcomes["population"], strict=True)
    ]
    return outcomes.drop(columns=["trial_text"])


def _build_approvals(raw, names, aliases, source_url, source_citation, scope, lookups) -> pd.DataFrame:
    approvals = raw.copy()
    ids = approvals["agent_id"].map(split_ids)
    approvals["agent_names"] = ids.map(lambda v: " + ".join(names.get(a, a) for a in v))
    approvals["regimen_short"] = [
        n + (" + chemotherapy" if _mentions_chemotherapy(r) else "")
        for n, r in zip(approvals["agent_names"], approvals["regimen"], strict=True)
    ]
    approvals["biomarker_label"] = approvals["biomarker"].map(
        lambda b: "not biomarker-selected" if not isinstance(b, str) or b.lower().startswith("none") else b
    )
    approvals["date"] = approvals["approval_date"].map(dates.first_timestamp)
    approvals["region"] = approvals["agency"].map(AGENCY_REGION).astype("string")
    approvals["other_tumour"] = approvals["tumour_type"] != "gastric/GEJ adenocarcinoma"
    approvals["her2_directed"] = ids.map(lambda v: any(scope.get(a) == vocab.HER2_SCOPE for a in v)).astype(bool)
    approvals["source_url"] = approvals["source_id"].map(source_url).astype("string")
    approvals["source_citation"] = approvals["source_id"].map(source_citation).astype("string")
    _add_facets(approvals, "approvals", lookups)
    approvals["f_text"] = [
        _haystack(
            r.agent_names, " ".join(aliases.get(a, "") for a in v), r.regimen, r.agency, r.indication, r.tumour_type
        )
        for r, v in zip(approvals.itertuples(index=False), ids, strict=True)
    ]
    return approvals.sort_values("date", ascending=False, kind="stable").reset_index(drop=True)


def _build_sites(raw, trials, source_url, lookups) -> pd.DataFrame:
    sites = raw.copy()
    facets = filters.inherited_facets("sites", Inherit.TRIAL)
    context = trials[["trial_id", "acronym", "phase", "status", "status_group", "line_of_therapy", *facets, "f_text"]]
    sites = sites.merge(context, on="trial_id", how="left", validate="many_to_one")
    sites["country_name"] = sites["country"].map(country_name).astype("string")
    sites["region"] = sites["country"].map(country_region).astype("string")
    _add_facets(sites, "sites", lookups)
    sites["source_url"] = sites["source_id"].map(source_url).astype("string")
    return sites


def _build_agents(raw, trials, approvals, lookups) -> pd.DataFrame:
    agents = raw.copy()
    # One pass over the trials: each agent collects its trials' acronyms and facet values.
    from_trials = filters.inherited_facets("agents", Inherit.AGENT_TRIALS)
    acronyms: dict[str, list[str]] = {}
    facets: dict[str, dict[str, set[str]]] = {column: {} for column in from_trials}
    columns = [trials[c] for c in from_trials]
    for acronym, ids, *values in zip(trials["acronym"], trials["agent_ids"].map(split_ids), *columns, strict=True):
        for agent_id in ids:
            acronyms.setdefault(agent_id, []).append(acronym)
            for column, cell in zip(from_trials, values, strict=True):
                facets[column].setdefault(agent_id, set()).update(cell)
    gastric = approvals[~approvals["other_tumour"]]
    approved_by: dict[str, set[str]] = {}
    for agency, ids in zip(gastric["agency"], gastric["agent_id"].map(split_ids), strict=True):
        for agent_id in ids:
            approved_by.setdefault(agent_id, set()).add(agency)

    ids = agents["agent_id"]
    agents["n_trials"] = ids.map(lambda a: len(acronyms.get(a, []))).astype("Int64")
    agents["approved_by"] = ids.map(lambda a: ", ".join(sorted(approved_by.get(a, set())))).astype("string")
    agents["trial_acronyms"] = ids.map(lambda a: "; ".join(acronyms.get(a, []))).astype("string")
    for column in from_trials:
        agents[column] = ids.map(lambda a, c=column: _fs(facets[c].get(a, ())))
    # The lines an agent's trials run in, in clinical order (a 2L+ trial counts in 2L and 3L+).
    lines_of = facets.get(filters.SPECS["line"].facet, {})
    agents["lines"] = ids.map(lambda a: ", ".join(x for x in vocab.LINES if x in lines_of.get(a, ())) or pd.NA)
    agents["lines"] = agents["lines"].astype("string")
    _add_facets(agents, "agents", replace(lookups, approved_by=approved_by))
    agents["f_text"] = [
        _haystack(r.agent_id, r.name, r.aliases, r.target, r.developer, r.modality)
        for r in agents.itertuples(index=False)
    ]
    return agents
