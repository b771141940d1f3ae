"""Facts several modules share, each written once: the lines of therapy, what 2L+ covers and the setting
(advanced or perioperative) of each, the PD-L1 facet's two values, the safety table's label measures, what
a trial's recorded status means for a reader, and a study's registry address."""

from __future__ import annotations

from collections.abc import Iterable

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

# Safety rows that come from a label (a topic, no number), as against rates measured in a trial arm.
LABEL_MEASURES = ("boxed_warning", "warning", "monitoring")

REGISTRY_STUDY_URL = "https://clinicaltrials.gov/study/{}"


def study_url(nct_id: str) -> str:
    """Return the ClinicalTrials.gov page of a study."""
    return REGISTRY_STUDY_URL.format(nct_id)
