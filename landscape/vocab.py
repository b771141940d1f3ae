"""Facts several modules share, each written once: the lines of therapy and what 2L+ covers, the settings
(advanced, perioperative) the lines fall in, the PD-L1 facet's two values, the programme statuses, the safety
table's label measures, what a trial's recorded status means for a reader, and a study's registry address."""

from __future__ import annotations

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


# The setting a line falls in: results from resectable disease (perioperative) and from advanced disease answer
# different questions, so efficacy comparisons show one setting unless the reader picks both.
ADVANCED = "advanced"
SETTINGS = (ADVANCED, PERIOPERATIVE)


def setting_of(line: object) -> tuple[str, ...]:
    """Return the setting of a recorded line of therapy: perioperative, else advanced (missing: none)."""
    if is_missing(line):
        return ()
    return (PERIOPERATIVE,) if str(line) == PERIOPERATIVE else (ADVANCED,)


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

# Safety rows that come from a label (a topic, no number), as against rates measured in a trial arm.
LABEL_MEASURES = ("boxed_warning", "warning", "monitoring")

REGISTRY_STUDY_URL = "https://clinicaltrials.gov/study/{}"


def study_url(nct_id: str) -> str:
    """Return the ClinicalTrials.gov page of a study."""
    return REGISTRY_STUDY_URL.format(nct_id)
