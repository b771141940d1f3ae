"""Facts several modules share, each written once: the lines of therapy, what 2L+ covers and how many prior
regimens a line means, the settings (advanced, perioperative) the lines fall in, the PD-L1 facet's two values,
the programme statuses, the safety table's label measures, what a trial's recorded status means for a reader
(and which statuses are closed to enrolment), a study's registry address, the drug classes a label names and
the standard regimens a prior therapy can be entered as."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from landscape import schema
from landscape.values import is_missing

# Lines of therapy in the schema's (clinical) order. "2L+" is a trial's line, not a line of its own: it counts
# as both 2L and 3L+ wherever lines are chosen or grouped.
LINES_OF_THERAPY = schema.enum("trials", "line_of_therapy")
COMBINED_LINES = {"2L+": ("2L", "3L+")}
LINES = tuple(line for line in LINES_OF_THERAPY if line not in COMBINED_LINES)  # the lines one can choose
PERIOPERATIVE = "perioperative"
ADVANCED_LINES = tuple(line for line in LINES if line != PERIOPERATIVE)  # 1L, 2L, 3L+: the board columns


def expand_line(line: object) -> tuple[str, ...]:
    """Return the lines a recorded line of therapy covers (2L+ covers 2L and 3L+; missing covers none)."""
    if is_missing(line):
        return ()
    return COMBINED_LINES.get(str(line), (str(line),))


# Prior regimens for advanced disease each line means (fewest, most; None: no upper bound): the board reads a
# label's "after two or more prior regimens" against the line, as the profile gives no count of its own.
PRIOR_REGIMENS: dict[str, tuple[int, int | None]] = {"1L": (0, 0), "2L": (1, 1), "3L+": (2, None)}


# The disease setting of a trial, read from its line: perioperative (resectable disease, around surgery) or
# advanced (unresectable or metastatic, any line). Results of the two settings answer different questions, so
# efficacy comparisons show advanced disease unless perioperative results are asked for.
ADVANCED = "advanced"
SETTINGS = (ADVANCED, PERIOPERATIVE)
DEFAULT_SETTINGS = (ADVANCED,)


def setting_of(line: object) -> str:
    """Return the setting of a line of therapy: 'perioperative' for the perioperative line, else 'advanced'."""
    return PERIOPERATIVE if line == PERIOPERATIVE else ADVANCED


def chosen_settings(settings: Iterable[str] = (), lines: Iterable[str] = ()) -> tuple[str, ...]:
    """Return the settings a reader asked for, in SETTINGS order: the settings chosen, else the settings of the
    lines chosen (choosing the perioperative line asks for perioperative results), else advanced only."""
    wanted = set(settings) or {setting_of(line) for line in lines}
    return tuple(s for s in SETTINGS if s in wanted) or DEFAULT_SETTINGS


def line_settings(line: object) -> tuple[str, ...]:
    """Return the settings a recorded line falls in, as a facet's values: one, or none when the line is missing."""
    return () if is_missing(line) else (setting_of(line),)


# An agent's programme in G/GEJ cancer (agents.programme_status); a blank cell of a programme reads "not
# recorded", never "active". Comparators and context agents have no programme.
PROGRAMME_NOT_RECORDED = "not recorded"
PROGRAMME_STATUSES = (*schema.enum("agents", "programme_status"), PROGRAMME_NOT_RECORDED)
NO_PROGRAMME_SCOPE = "comparator or context"
HER2_SCOPE = "HER2-directed"


# The PD-L1 facet: whether a trial or an approval asks for a PD-L1 CPS threshold.
PDL1_REQUIRED = "PD-L1 CPS threshold required"
PDL1_NOT_REQUIRED = "No PD-L1 requirement"
PDL1_OPTIONS = (PDL1_REQUIRED, PDL1_NOT_REQUIRED)

# Registry statuses (trials.status) by what they mean.
OPEN_STATUSES = frozenset({"Recruiting", "Not yet recruiting", "Enrolling by invitation"})
ONGOING_STATUSES = OPEN_STATUSES | {"Active, not recruiting"}
STOPPED_STATUSES = frozenset({"Terminated", "Withdrawn", "Suspended"})
FINAL_STATUSES = frozenset({"Completed", "Terminated", "Withdrawn"})
# A status older than this before the as-of date, or with no date, is "not verified": never shown as open.
STALE_AFTER_DAYS = 365

# What a trial's status means for a reader (model.status_group), in the order pages list them.
OPEN = "open"
ACTIVE = "active, not recruiting"
# Primary results reported while the registry still says otherwise (see landscape.status).
CLOSED_INFERRED = "enrolment closed (inferred from results)"
NOT_VERIFIED = "open or active: status not verified in the last 12 months"
REPORTED = "reported (completed)"
COMPLETED_NO_RESULTS = "completed, no results found"
STOPPED = "stopped"
UNKNOWN = "unknown status"
NOT_RECORDED = "status not recorded"
STATUS_GROUPS = (
    OPEN,
    ACTIVE,
    CLOSED_INFERRED,
    NOT_VERIFIED,
    REPORTED,
    COMPLETED_NO_RESULTS,
    STOPPED,
    UNKNOWN,
    NOT_RECORDED,
)
INVESTIGATIONAL_GROUPS = (OPEN, ACTIVE)  # a dated source within STALE_AFTER_DAYS gives the trial as open or active
UNVERIFIED_GROUPS = (NOT_VERIFIED, UNKNOWN, NOT_RECORDED)  # the status must be checked before it is relied on
# Closed to enrolment (by the registry or by the results): the tumour board offers none of these, nor a trial
# whose last stated status, however old, says enrolment is over (a registry does not reopen such a trial).
CLOSED_GROUPS = (ACTIVE, CLOSED_INFERRED, REPORTED, COMPLETED_NO_RESULTS, STOPPED)
ENROLMENT_OVER_STATUSES = FINAL_STATUSES | STOPPED_STATUSES | {"Active, not recruiting"}


def closed_to_enrolment(status_group: object, status: object) -> bool:
    """Return whether a trial is closed to enrolment: its status group says so, or its last stated status does
    (an unverified 'Active, not recruiting' is not verified, but it is not open either)."""
    return status_group in CLOSED_GROUPS or (not is_missing(status) and status in ENROLMENT_OVER_STATUSES)


# Safety rows that come from a label (a topic, no number), as against rates measured in a trial arm.
LABEL_MEASURES = ("boxed_warning", "warning", "monitoring")

REGISTRY_STUDY_URL = "https://clinicaltrials.gov/study/{}"


def study_url(nct_id: str) -> str:
    """Return the ClinicalTrials.gov page of a study."""
    return REGISTRY_STUDY_URL.format(nct_id)


# Drug classes a label's prior-therapy requirement names ("after a fluoropyrimidine or platinum"), by agent id:
# the board says "a fluoropyrimidine" where a requirement accepts every agent of the class.
DRUG_CLASSES: dict[str, tuple[str, ...]] = {
    "a fluoropyrimidine": ("fluorouracil", "capecitabine", "s1"),
    "a platinum": ("cisplatin", "oxaliplatin", "carboplatin"),
    "a taxane": ("paclitaxel", "docetaxel"),
}


@dataclass(frozen=True)
class Regimen:
    """A standard regimen a prior therapy can be entered as: it counts as each of its agents (agent ids)."""

    regimen_id: str
    name: str
    agent_ids: tuple[str, ...]
    aliases: tuple[str, ...] = ()


# The standard first-line regimens of HER2-positive disease (ToGA's trastuzumab + fluoropyrimidine + platinum
# and its usual backbones; KEYNOTE-811's and HERIZON-GEA-01's), and the second-line standard. A regimen is
# entered as what the patient received, so it tells the board the fluoropyrimidine and platinum a label asks
# about; "trastuzumab" alone does not.
_XELOX = ("capecitabine", "oxaliplatin")
_FOLFOX = ("fluorouracil", "leucovorin", "oxaliplatin")
_SOX = ("s1", "oxaliplatin")
_CF = ("cisplatin", "fluorouracil")
_XP = ("capecitabine", "cisplatin")
_SP = ("s1", "cisplatin")
REGIMENS: tuple[Regimen, ...] = (
    Regimen("trastuzumab_xelox", "Trastuzumab + XELOX (CAPOX)", ("trastuzumab", *_XELOX), ("trastuzumab + capox",)),
    Regimen("trastuzumab_folfox", "Trastuzumab + FOLFOX", ("trastuzumab", *_FOLFOX)),
    Regimen("trastuzumab_sox", "Trastuzumab + SOX", ("trastuzumab", *_SOX)),
    Regimen("trastuzumab_cf", "Trastuzumab + CF (cisplatin + 5-FU)", ("trastuzumab", *_CF), ("trastuzumab + fp",)),
    Regimen("trastuzumab_xp", "Trastuzumab + XP (capecitabine + cisplatin)", ("trastuzumab", *_XP)),
    Regimen("trastuzumab_sp", "Trastuzumab + SP (S-1 + cisplatin)", ("trastuzumab", *_SP)),
    Regimen(
        "pembrolizumab_trastuzumab_xelox",
        "Pembrolizumab + trastuzumab + XELOX (CAPOX)",
        ("pembrolizumab", "trastuzumab", *_XELOX),
        ("pembrolizumab + trastuzumab + capox",),
    ),
    Regimen(
        "pembrolizumab_trastuzumab_cf",
        "Pembrolizumab + trastuzumab + CF (cisplatin + 5-FU)",
        ("pembrolizumab", "trastuzumab", *_CF),
        ("pembrolizumab + trastuzumab + fp",),
    ),
    Regimen(
        "pembrolizumab_trastuzumab_folfox",
        "Pembrolizumab + trastuzumab + FOLFOX",
        ("pembrolizumab", "trastuzumab", *_FOLFOX),
    ),
    Regimen("zanidatamab_xelox", "Zanidatamab + XELOX (CAPOX)", ("zanidatamab", *_XELOX), ("zanidatamab + capox",)),
    Regimen(
        "zanidatamab_tislelizumab_xelox",
        "Zanidatamab + tislelizumab + XELOX (CAPOX)",
        ("zanidatamab", "tislelizumab", *_XELOX),
        ("zanidatamab + tislelizumab + capox",),
    ),
    Regimen("ramucirumab_paclitaxel", "Ramucirumab + paclitaxel", ("ramucirumab", "paclitaxel")),
)
REGIMEN = {r.regimen_id: r for r in REGIMENS}


def expand_regimens(prior: tuple[str, ...] | list[str]) -> tuple[str, ...]:
    """Return the agents a prior therapy list stands for: each regimen as its agents, each agent as itself,
    each once, in order."""
    return tuple(dict.fromkeys(a for item in prior for a in (REGIMEN[item].agent_ids if item in REGIMEN else (item,))))
