"""Every word the tumour board shows, once: verdicts and their tone, HER2 results, tags, headings, the
sentences of an option, a trial, a result and a change, the cautions. The page, the slide deck and the
command line all take their wording from here, so the three cannot drift. Plain text: each surface
escapes or styles it."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING

from landscape.text import short_regimen

if TYPE_CHECKING:
    from landscape.board.profile import Profile
    from landscape.board.result import BoardResult, Change, NotAssessed, OptionFit, TrialFit
    from landscape.safety import RateItem, SafetyBlock

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
TRIAL_VERDICTS = (
    "fits",
    "nearly fits",
    "status not verified",
    "not determined",
    "criteria not recorded",
    "does not fit",
)
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
TRIALS_NOT_FITTING = "Trials that do not fit this profile"
NOT_ASSESSED_TITLE = "Not assessed"
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
    """Return the profile in words: '2L · HER2 IHC 3+ · PD-L1 CPS 5 · prior Trastuzumab · FDA labels'
    (`agent_names` names the regimens entered too)."""
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


def other_approval_line(option: OptionFit, other: OptionFit) -> str:
    """Return another approval of the option's drug as a note on its card: 'Also approved: Fam-trastuzumab
    deruxtecan-nxki monotherapy (FDA 2024-04-05 label, 2L, 3L+; tumour-agnostic (...); accelerated): fits',
    with the decisive reason when it does not fit."""
    facts = [f"{other.agency} {other.approval_date} label, {other.lines}"]
    facts += [other.tumour_type] if other.tumour_agnostic else []
    facts += [other.approval_type] if other.approval_type in {"accelerated", "conditional"} else []
    verdict = other.verdict if other.fits or not other.reasons else f"{other.verdict}: {other.reasons[0]}"
    return f"Also approved: {other.regimen} ({'; '.join(facts)}): {verdict}"


def option_details(option: OptionFit) -> tuple[str, ...]:
    """Return the lines shown under an option: its reasons (the decisive first), then the drug's other
    approvals noted on its card; for a superseded one, why it is not current."""
    if option.verdict == "superseded":
        return option.reasons[:1]
    return option.reasons + tuple(other_approval_line(option, o) for o in option.other_approvals)


def trial_heading(trial: TrialFit) -> tuple[str, str]:
    """Return a trial's name and what follows it: ('DESTINY-Gastric03', 'Part 1 · Phase 2')."""
    return trial.acronym, SEPARATOR.join(part for part in (trial.cohort, trial.phase) if part)


def trial_details(trial: TrialFit) -> tuple[str, ...]:
    """Return the lines shown under a trial: its reasons, the decisive first (what keeps a trial that nearly
    fits from fitting leads)."""
    return trial.reasons


def trial_not_fitting(trial: TrialFit) -> str:
    """Return a trial that does not fit in one line, with its decisive reason: 'DESTINY-Gastric03 (Parts 3b,
    4b (first line, HER2-low)): the trial covers 1L; patient is 3L+'."""
    name = f"{trial.acronym} ({trial.cohort})" if trial.cohort else trial.acronym
    return f"{name}: {trial.reasons[0]}" if trial.reasons else name


def not_assessed_line(item: NotAssessed) -> str:
    """Return a trial the board did not assess, with why: 'RC48-C007: eligibility criteria not recorded; ...'."""
    return f"{item.acronym}: {item.reason}"


def not_assessed(items: Sequence[NotAssessed]) -> str:
    """Return the trials of the line the board did not assess, in one line."""
    return f"{NOT_ASSESSED_TITLE}: " + SEPARATOR.join(not_assessed_line(i) for i in items)


def change_heading(change: Change) -> tuple[str, str]:
    """Return a change's date and kind, and its text: ('2026-08-25 · approval', 'FDA: ... (date imprecise)')."""
    return f"{change.date}{SEPARATOR}{change.kind}", change.text + (f" {DATE_IMPRECISE}" if change.imprecise else "")


def result_numbers(row: Mapping) -> str:
    """Return one evidence record's numbers: 'n 298 · ORR 73% (95% CI 67.6-78.0) · median PFS 10.9 months ·
    median OS 20.1 months · OS HR 0.79 (0.66-0.95)'."""
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
    return SEPARATOR.join(parts)


def evidence_text(row: Mapping) -> str:
    """Return one evidence record in words: 'KEYNOTE-811, experimental arm (...), PD-L1 CPS>=1, final analysis:
    n 298 · ORR 73% (95% CI 67.6-78.0) · median PFS 10.9 months · median OS 20.1 months · OS HR 0.79 (0.66-0.95)';
    a subgroup says what in the profile it matches."""
    matches = f" (subgroup matching the profile: {row['matches']})" if row.get("matches") else ""
    return (
        f"{row['acronym']}, {row['arm_role']} arm ({row['regimen']}), {row['population']}{matches}, "
        f"{row['analysis']}: {result_numbers(row)}"
    )


SHORT_POPULATIONS = {"ITT": "ITT", "treated": "treated population", "per-protocol": "per-protocol population"}


def short_population(row: Mapping) -> str:
    """Return an evidence record's population in short: 'ITT', 'subgroup PD-L1 CPS >= 1', 'PD-L1 CPS>=1'."""
    if row.get("place") == "subgroup":
        return f"subgroup {row['subgroup']}"
    return SHORT_POPULATIONS.get(row.get("population_type") or "") or row.get("subgroup") or row["population"]


def evidence_trial_heading(row: Mapping, line: str) -> str:
    """Return the heading of a trial's evidence: 'DESTINY-Gastric04 · Phase 3 · 2L: the trial behind the
    approval for 2L', or for a trial of another line its line and countries."""
    name = SEPARATOR.join(str(part) for part in (row["acronym"], row.get("phase"), row["line_of_therapy"]) if part)
    if row.get("lead"):
        return f"{name}: the trial behind the approval for {line}"
    if row.get("for_line"):
        return f"{name}: further evidence for {line}"
    where = f" ({row['trial_countries']})" if row.get("trial_countries") else ""
    return f"{name}{where}: another line than the patient's {line}, supporting evidence"


def evidence_outline(rows: Sequence[Mapping], line: str) -> list[tuple[int, str]]:
    """Return the evidence as (level, text) lines: each trial's heading (0), its arms and matching subgroups
    (1), the other populations of the trial folded beneath (2)."""
    out: list[tuple[int, str]] = []
    trial = None
    for row in rows:
        if row["trial_id"] != trial:
            trial = row["trial_id"]
            out.append((0, evidence_trial_heading(row, line)))
        out.append((2 if row.get("place") == "other population" else 1, evidence_text(row)))
    return out


def evidence_summary(option: OptionFit) -> str:
    """Return an option's evidence in one line, from the trial behind it for the line: 'DESTINY-Gastric04
    (Phase 3, 2L), ITT, vs Ramucirumab + paclitaxel: OS HR 0.70 (95% CI 0.55-0.90); median OS 14.7 vs 11.4
    months', the PFS HR when no OS HR, the ORR of a single-arm trial; or that none is recorded."""
    rows = [r for r in option.evidence if r["trial_id"] == option.evidence[0]["trial_id"]] if option.evidence else []
    main = [r for r in rows if r.get("place") == "main"]
    if not main:
        return NO_EVIDENCE_RECORDED
    experimental = next((r for r in main if r["arm_role"] == "experimental"), main[0])
    control = next((r for r in main if r["arm_role"] == "control"), None)
    head = f"{experimental['acronym']} ({experimental.get('phase') or 'phase not recorded'}, "
    head += f"{experimental['line_of_therapy']}), {short_population(experimental)}"
    head += f", vs {short_regimen(control['regimen'], 60)}" if control else ", single arm"
    parts = []
    for endpoint, name in (("os", "OS"), ("pfs", "PFS")):
        row = next((r for r in main if r.get(f"{endpoint}_hr") is not None), None)
        if row is not None:
            parts.append(f"{name} HR {_hr_words(row, endpoint)}")
            break
    for key, name in (("median_os", "median OS"), ("median_pfs", "median PFS")):
        mine = _median_of(main, experimental, key)
        if mine is not None:
            theirs = _median_of(main, control, key) if control else None
            parts.append(f"{name} {mine}" + (f" vs {theirs}" if theirs is not None else "") + " months")
            break
    if experimental.get("orr_pct") is not None and (control is None or not parts):
        parts.append(f"ORR {experimental['orr_pct']:g}%")
    return f"{head}: " + ("; ".join(parts) or "no number recorded in this population")


def _hr_words(row: Mapping, endpoint: str) -> str:
    hr, low, high = row[f"{endpoint}_hr"], row.get(f"{endpoint}_hr_ci_low"), row.get(f"{endpoint}_hr_ci_high")
    level = row.get("hr_ci_level") or 95
    if low is None or high is None:
        return f"{hr:.2f} (no CI reported)"
    return f"{hr:.2f} ({level}% CI {low:.2f}-{high:.2f})"


def _median_of(rows: Sequence[Mapping], arm: Mapping | None, key: str) -> str | None:
    """The arm's median from the first of its records that holds one ('not reached' kept)."""
    if arm is None:
        return None
    for row in rows:
        if row["arm_id"] == arm["arm_id"] and row.get(key) not in (None, "not reported"):
            return row[key]
    return None


NO_EVIDENCE_RECORDED = "no trial result recorded for this approval"

# The deck's summary slide and its options slide.
SUMMARY_TITLE = "Tumour board: summary"
EVIDENCE_LABEL = "Evidence"
KEY_SAFETY = "Key safety warning"
NO_LABEL_WARNING = "no label warning recorded"
SUPERSEDED_HEADING = "Superseded, not current options"
LINK_LABEL = "Open this view"
NO_LINK = "no address given (set --base-url or LANDSCAPE_PUBLIC_URL to add the link)"


def no_fitting_option(agency: str) -> str:
    return f"No approved option ({agency} labels) fits this profile."


def rest_of_options(counts: Mapping[str, int], agency: str) -> str:
    """Return what else the options slide lists: 'Also on the approved options slide (FDA labels): 6 that do
    not fit, 4 superseded.'"""
    parts = [f"{n} {'that do not fit' if verdict == 'does not fit' else verdict}" for verdict, n in counts.items() if n]
    return f"Also on the approved options slide ({agency} labels): {', '.join(parts) or 'nothing else'}."


# Harm beside benefit: the Safety block and the Guidelines line of an approved option.
SAFETY_TITLE = "Safety"
GUIDELINES_LABEL = "Guidelines"
NO_GUIDELINE = "no guideline position recorded"
NO_TRIAL_RATES = "no safety rates of the pivotal trial recorded"


def safety_title(line: str) -> str:
    return f"Safety: {line} options that fit"


def label_heading(block: SafetyBlock, measure: str) -> str:
    """Return what a label line starts with: 'Boxed warnings (FDA label)', 'Warnings (EMA label)'."""
    what = {"boxed_warning": "Boxed warnings", "warning": "Warnings", "monitoring": "Monitoring the label asks for"}
    return f"{what[measure]} ({block.label_agency} label)"


def label_line(block: SafetyBlock, measure: str) -> str | None:
    """Return one kind of label item in a line: 'Boxed warnings (FDA label): Interstitial lung disease ...;
    Embryo-fetal toxicity', naming the agent when the option has more than one; None when there is none."""
    items = {"boxed_warning": block.boxed_warnings, "warning": block.warnings, "monitoring": block.monitoring}[measure]
    if not items:
        return None
    several = len({i.agent_id for i in (*block.boxed_warnings, *block.warnings, *block.monitoring)}) > 1
    topics = [f"{i.agent_name}: {i.topic}" if several else i.topic for i in items]
    return f"{label_heading(block, measure)}: " + SEPARATOR.join(topics)


def arm_label(first: RateItem) -> str:
    """Return whose rates these are: 'DESTINY-Gastric04, control arm (Ramucirumab + paclitaxel)'."""
    role = f"{first.arm_role} arm" if first.arm_role else "arm"
    return f"{first.acronym}, {role} ({first.regimen})"


ATTRIBUTION_WORDS = {
    "all-cause": "all-cause",
    "treatment-related": "treatment-related",
    "not stated": "attribution (all-cause or treatment-related) not stated",
}


def _shared_attribution(rows: Sequence[RateItem]) -> str | None:
    found = {r.attribution for r in rows}
    return next(iter(found)) if len(found) == 1 and "" not in found else None


def arm_context(first: RateItem, rows: Sequence[RateItem] = ()) -> str:
    """Return the population, its size and the analysis of an arm's rates, and their attribution when every
    rate of the arm shares it."""
    population = first.population or "safety population not stated"
    n = f", n {first.n_safety}" if first.n_safety is not None else ""
    analysis = f", {first.analysis}" if first.analysis else ""
    shared = _shared_attribution(rows)
    attribution = f"; {ATTRIBUTION_WORDS.get(shared, shared)}" if shared else ""
    return f"{population}{n}{analysis}{attribution}"


def arm_line(first: RateItem, rows: Sequence[RateItem]) -> str:
    """Return one arm's rates in a line, with their attribution: 'DESTINY-Gastric04, experimental arm (...),
    safety population not stated, primary OS analysis; attribution (...) not stated: grade >= 3 adverse
    events 50% · ...'."""
    return f"{arm_label(first)}, {arm_context(first, rows)}: {_rates(rows)}"


def safety_parts(block: SafetyBlock | None) -> tuple[tuple[str, str, str], ...]:
    """Return the Safety block as (kind, heading, body) parts, in the order a board reads them: whose label
    (when a stand-in), boxed warnings, warnings, the pivotal trial's rates arm by arm (experimental before
    control), then the monitoring the label asks for. Kinds: note, boxed_warning, warning, rates, monitoring."""
    if block is None:
        return ()
    out = [("note", "", block.label_note)] if block.label_note else []
    for measure in ("boxed_warning", "warning"):
        if line := label_line(block, measure):
            heading, body = line.split(": ", 1)
            out.append((measure, heading, body))
    arms = [("rates", arm_label(first), f"{arm_context(first, rows)}: {_rates(rows)}") for first, rows in block.arms()]
    out += arms or [("rates", "", NO_TRIAL_RATES)]
    if line := label_line(block, "monitoring"):
        heading, body = line.split(": ", 1)
        out.append(("monitoring", heading, body))
    return tuple(out)


def _rates(rows: Sequence[RateItem]) -> str:
    """The arm's rates; each names its attribution unless the arm's context already says it for all."""
    shared = _shared_attribution(rows) is not None
    return SEPARATOR.join(f"{r.plain if shared else r.what} {r.number}" for r in rows)


def part_line(kind: str, heading: str, body: str) -> str:
    """One part of the Safety block as a line: 'heading: body' ('heading, body' for an arm's rates)."""
    if not heading:
        return body
    return f"{heading}, {body}" if kind == "rates" else f"{heading}: {body}"


def safety_lines(block: SafetyBlock | None) -> tuple[str, ...]:
    """Return the Safety block in lines, in the order of safety_parts."""
    return tuple(part_line(*part) for part in safety_parts(block))


def guideline_line(option: OptionFit) -> str:
    """Return the option's guideline positions in a line: 'Guidelines: ESMO 2022: I, A · NCCN ...', or that
    none is recorded."""
    positions = SEPARATOR.join(g.words for g in option.guidelines) or NO_GUIDELINE
    return f"{GUIDELINES_LABEL}: {positions}"
