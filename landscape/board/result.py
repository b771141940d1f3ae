"""The board's one result, as frozen dataclasses: the approved options with their fit, the trials, the
changes; and its JSON (the command line's --format json)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from landscape.board.profile import Profile
from landscape.board.words import CROSS_TRIAL_CAUTION
from landscape.safety import GuidelinePosition, SafetyBlock


def _unique(ids) -> tuple[str, ...]:
    return tuple(dict.fromkeys(ids))


@dataclass(frozen=True)
class OptionFit:
    approval_id: str
    agency: str
    regimen: str
    agent_ids: tuple[str, ...]
    approval_date: str
    approval_type: str
    lines: str
    her2_directed: bool
    tumour_agnostic: bool
    verdict: str
    reasons: tuple[str, ...]
    superseded_by: str | None
    evidence: tuple[dict, ...]
    label_source_ids: tuple[str, ...]  # the approval's source and the fit rule's: what the verdict rests on
    summary: str
    safety: SafetyBlock | None = None  # the label's warnings (the profile's agency) and the pivotal trial's rates
    guidelines: tuple[GuidelinePosition, ...] = ()  # recorded positions of the regimen in the profile's line

    @property
    def fits(self) -> bool:
        return self.verdict == "fits"

    @property
    def source_ids(self) -> tuple[str, ...]:
        """The label's sources, then those of the evidence, the safety block and the guideline positions."""
        return _unique(
            [
                *self.label_source_ids,
                *(row["source_id"] for row in self.evidence),
                *(self.safety.source_ids if self.safety else ()),
                *(g.source_id for g in self.guidelines),
            ]
        )


@dataclass(frozen=True)
class TrialFit:
    trial_id: str
    nct_id: str | None
    acronym: str
    phase: str
    line_of_therapy: str
    status: str | None
    status_group: str
    verdict: str
    cohort: str | None
    reasons: tuple[str, ...]
    excluding: str | None
    countries: tuple[str, ...]
    in_countries: bool | None
    registry_url: str | None
    source_ids: tuple[str, ...]

    @property
    def fits(self) -> bool:
        return self.verdict == "fits"


@dataclass(frozen=True)
class Change:
    date: str
    kind: str  # approval, label change, readout
    text: str
    source_id: str
    imprecise: bool = False


@dataclass(frozen=True)
class BoardResult:
    profile: Profile
    profile_words: str
    as_of: str
    since: str
    approved: tuple[OptionFit, ...]
    trials: tuple[TrialFit, ...]
    changes: tuple[Change, ...]
    not_assessed: tuple[str, ...] = field(default=())

    @property
    def fitting(self) -> tuple[OptionFit, ...]:
        return tuple(o for o in self.approved if o.fits)

    @property
    def evidence_rows(self) -> list[dict]:
        """Every evidence row of the fitting options, each once."""
        rows = {row["outcome_id"]: row for option in self.fitting for row in option.evidence}
        return list(rows.values())

    @property
    def cross_trial(self) -> bool:
        return len({r["trial_id"] for r in self.evidence_rows}) > 1

    def source_ids(self) -> list[str]:
        """Every source the result rests on, in order of first use."""
        return list(
            _unique(
                [s for o in self.approved for s in o.source_ids]
                + [s for t in self.trials for s in t.source_ids]
                + [c.source_id for c in self.changes]
            )
        )

    def to_json(self) -> dict:
        """Return the result as the command line's JSON: every field, with what the properties say."""
        out = asdict(self)
        out["profile"]["in_words"] = out.pop("profile_words")
        for item, option in zip(out["approved"], self.approved, strict=True):
            item.update(
                fits=option.fits,
                source_ids=list(option.source_ids),
                safety=option.safety.to_json() if option.safety else None,
                guidelines=[g.to_json() for g in option.guidelines],
            )
        for item, trial in zip(out["trials"], self.trials, strict=True):
            item["fits"] = trial.fits
        out["cross_trial_caution"] = CROSS_TRIAL_CAUTION if self.cross_trial else None
        out["source_ids"] = self.source_ids()
        return out
