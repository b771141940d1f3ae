"""Every word the tumour board shows, once: verdicts and their tone, HER2 results, tags, headings, the
sentences of an option, a trial, a result and a change, the cautions. The page, the slide deck and the
command line all take their wording from here, so the three cannot drift. Plain text: each surface
escapes or styles it."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from landscape.board.profile import Profile
    from landscape.board.result import BoardResult, Change, OptionFit, TrialFit

TITLE = "Tumour board"
PROFILE_HEADING = "Patient profile (no identifiers)"
NOT_ADVICE = (
    "For information and research only; not medical advice. "
    "Numbers come from different trials and populations; check each source before any clinical decision."
)
CROSS_TRIAL_CAUTION = (
    "Cross-trial comparison: these results come from different trials, lines, populations and analyses; "
    "they are not a head-to-head comparison."
)
ONE_TRIAL_CAPTION = "Results of one trial: arms compared within the trial."
LANDSCAPE_LINE = "HER2-positive advanced gastric and GEJ adenocarcinoma: treatment landscape."

HER2_WORDS = {
    "ihc3": "IHC 3+",
    "ihc2-ish-pos": "IHC 2+/ISH+",
    "ihc2-ish-neg": "IHC 2+/ISH-",
    "ihc1": "IHC 1+",
    "ihc0": "IHC 0",
    "unknown": "unknown",
    "any": "any HER2 (not HER2-selected)",
}

# Verdicts, in the order the board lists them; each reads as its label, in a tone the page and the deck colour.
OPTION_VERDICTS = ("fits", "not determined", "does not fit", "superseded")
TRIAL_VERDICTS = ("fits", "nearly fits", "status not verified", "criteria not recorded")
VERDICT_TONES = {
    "fits": "good",
    "nearly fits": "caution",
    "not determined": "caution",
    "status not verified": "caution",
    "criteria not recorded": "caution",
    "does not fit": "bad",
    "superseded": "muted",
}

NOT_HER2_DIRECTED = "not HER2-directed"
TUMOUR_AGNOSTIC = "tumour-agnostic"
DATE_IMPRECISE = "(date imprecise)"
NO_NCT_ID = "no NCT id"
SEPARATOR = " · "

NO_EVIDENCE = "No approved option fits this profile, so there is no evidence to show."
NO_TRIALS = "No open trial in the data fits or nearly fits this profile."
NO_SOURCES = "No sources."
TRIALS_TITLE = "Trials"
SOURCES_TITLE = "Sources"
CHART_INSTALL_HINT = (
    "The chart needs Chromium on this machine to be drawn as a picture: "
    "install it (Debian/Ubuntu: sudo apt-get install chromium) and build the deck again."
)


def verdict_label(verdict: str) -> str:
    """Return the verdict as the board shows it: 'FITS', 'NEARLY FITS'."""
    return verdict.upper()


def her2_list(levels: Sequence[str]) -> str:
    """Return HER2 levels in words: 'IHC 3+ or IHC 2+/ISH+'."""
    return " or ".join(HER2_WORDS.get(level, level) for level in levels)


def describe_profile(profile: Profile, agent_names: Mapping[str, str], country_name: Callable[[str], str]) -> str:
    """Return the profile in words: '2L · HER2 IHC 3+ · PD-L1 CPS 5 · prior Trastuzumab · FDA labels'."""
    parts = [
        profile.line,
        f"HER2 {HER2_WORDS[profile.her2]}",
        f"PD-L1 CPS {profile.cps:g}" if profile.cps is not None else "PD-L1 CPS unknown",
        "prior " + ", ".join(agent_names.get(a, a) for a in profile.prior)
        if profile.prior
        else "no prior therapy entered",
        f"{profile.agency} labels",
    ]
    if profile.countries:
        parts.append("could enrol in " + ", ".join(country_name(c) for c in profile.countries))
    return SEPARATOR.join(parts)


def evidence_as_of(as_of: str) -> str:
    return f"Evidence as of {as_of}"


def options_title(agency: str) -> str:
    return f"Approved options ({agency} labels)"


def no_options(agency: str) -> str:
    return f"No {agency} approval in the data has recorded fit rules."


def evidence_title(line: str) -> str:
    return f"Key evidence: {line} options that fit"


def evidence_numbers_title(line: str) -> str:
    return f"Key evidence in numbers: {line}"


def evidence_chart_title(result: BoardResult) -> str:
    return f"Key evidence, {result.profile.line}: approved options that fit ({result.profile.agency})"


def evidence_chart_caption(result: BoardResult) -> str:
    return CROSS_TRIAL_CAUTION if result.cross_trial else ONE_TRIAL_CAPTION


def changes_title(since: str) -> str:
    return f"What changed since {since}"


def no_changes(since: str) -> str:
    return f"Nothing in the data is dated after {since}."


def option_tags(option: OptionFit) -> tuple[str, ...]:
    """Return what sets an option apart: not HER2-directed, tumour-agnostic."""
    return tuple(
        tag
        for tag, applies in ((NOT_HER2_DIRECTED, not option.her2_directed), (TUMOUR_AGNOSTIC, option.tumour_agnostic))
        if applies
    )


def option_heading(option: OptionFit) -> tuple[str, str]:
    """Return an option's name and what follows it: ('Trastuzumab + chemotherapy', 'FDA 2010-10-20 · tags')."""
    return option.regimen, SEPARATOR.join((f"{option.agency} {option.approval_date}", *option_tags(option)))


def option_details(option: OptionFit) -> tuple[str, ...]:
    """Return the reasons shown under an option: all of them, or for a superseded one why it is not current."""
    return option.reasons[:1] if option.verdict == "superseded" else option.reasons


def trial_heading(trial: TrialFit) -> tuple[str, str]:
    """Return a trial's name and what follows it: ('DESTINY-Gastric03', 'Part 1 · Phase 2')."""
    return trial.acronym, SEPARATOR.join(part for part in (trial.cohort, trial.phase) if part)


def trial_details(trial: TrialFit) -> tuple[str, ...]:
    """Return the lines shown under a trial: what excludes the patient (when it nearly fits), then the reasons."""
    return ((f"excluded by: {trial.excluding}",) if trial.excluding else ()) + trial.reasons


def not_assessed(acronyms: Sequence[str]) -> str:
    return f"Not assessed (criteria not recorded): {', '.join(acronyms)}"


def change_heading(change: Change) -> tuple[str, str]:
    """Return a change's date and kind, and its text: ('2026-08-25 · approval', 'FDA: ... (date imprecise)')."""
    return f"{change.date}{SEPARATOR}{change.kind}", change.text + (f" {DATE_IMPRECISE}" if change.imprecise else "")


def evidence_text(row: Mapping) -> str:
    """Return one evidence row in words: 'KEYNOTE-811, experimental arm (...), PD-L1 CPS>=1, final analysis:
    n 298 · ORR 73% (95% CI 67.6-78.0) · median PFS 10.9 months · median OS 20.1 months · OS HR 0.79 (0.66-0.95)'."""
    parts = [f"n {row['n']}" if row.get("n") is not None else "n not reported"]
    if row.get("orr_pct") is not None:
        ci = (
            f" (95% CI {row['orr_ci_low_pct']:.1f}-{row['orr_ci_high_pct']:.1f})"
            if row.get("orr_ci_low_pct") is not None
            else ""
        )
        parts.append(f"ORR {row['orr_pct']:g}%{ci}")
    for label, key in (("median PFS", "median_pfs"), ("median OS", "median_os")):
        if row.get(key) and row[key] != "not reported":
            parts.append(f"{label} {row[key]}" + (" months" if row[key] != "not reached" else ""))
    for label, key in (("PFS HR", "pfs_hr_ci"), ("OS HR", "os_hr_ci")):
        if row.get(key):
            parts.append(f"{label} {row[key]}")
    return (
        f"{row['acronym']}, {row['arm_role']} arm ({row['regimen']}), {row['population']}, {row['analysis']}: "
        + SEPARATOR.join(parts)
    )
