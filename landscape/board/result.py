"""The board's one result, as frozen dataclasses: the approved options with their fit (one card per drug,
the drug's other approvals of the agency noted on it), the trials, the trials of the line not assessed, the
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
    tumour_type: str
    verdict: str
    reasons: tuple[str, ...]
    superseded_by: str | None
    evidence: tuple[dict, ...]
    # The approval's source and the fit rule's (what the verdict rests on), then those of the other approvals
    # noted on the card.
    label_source_ids: tuple[str, ...]
    summary: str
    safety: SafetyBlock | None = None  # the label's warnings (the profile's agency) and the pivotal trial's rates
    guidelines: tuple[GuidelinePosition, ...] = ()  # recorded positions of the regimen in the profile's line
    # The same drug's other current approvals of the agency (another regimen, another line, tumour-agnostic),
    # each read against the profile: notes on this card, never cards of their own.
    other_approvals: tuple[OptionFit, ...] = ()

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
    reasons: tuple[str, ...]  # the decisive first (see rules.decisive)
    excluding: str | None  # what keeps a trial that nearly fits from fitting (its first reason)
    countries: tuple[str, ...]
    in_countries: bool | None
    registry_url: str | None
    source_ids: tuple[str, ...]

    @property
    def fits(self) -> bool:
        return self.verdict == "fits"


@dataclass(frozen=True)
class NotAssessed:
    """A trial of the profile's line that may enrol but that the board could not read against the profile."""

    trial_id: str
    acronym: str
    reason: str


@dataclass(frozen=True)
class Change:
    date: str
    kind: str  # approval, label change, readout
    text: str
    source_id: str
    imprecise: bool = False


def _complete_option(item: dict, option: OptionFit) -> None:
    """Give an option's JSON (and that of each approval noted on it) what its properties and blocks say."""
    item.update(
        fits=option.fits,
        source_ids=list(option.source_ids),
        safety=option.safety.to_json() if option.safety else None,
        guidelines=[g.to_json() for g in option.guidelines],
    )
    for other, approval in zip(item["other_approvals"], option.other_approvals, strict=True):
        _complete_option(other, approval)


@dataclass(frozen=True)
class BoardResult:
    profile: Profile
    profile_words: str
    as_of: str
    since: str
    approved: tuple[OptionFit, ...]
    trials: tuple[TrialFit, ...]
    changes: tuple[Change, ...]
    not_assessed: tuple[NotAssessed, ...] = field(default=())

    @property
    def offered_trials(self) -> tuple[TrialFit, ...]:
        """The trials worth a look: every verdict but 'does not fit'."""
        return tuple(t for t in self.trials if t.verdict != "does not fit")

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
            _complete_option(item, option)
        for item, trial in zip(out["trials"], self.trials, strict=True):
            item["fits"] = trial.fits
        out["cross_trial_caution"] = CROSS_TRIAL_CAUTION if self.cross_trial else None
        out["source_ids"] = self.source_ids()
        return out
