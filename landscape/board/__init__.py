"""The tumour board: one patient profile (no identifiers) read against the structured fit rules of
eligibility.csv, giving the approved options, the trials and what changed since a date, as one result that
the page, the slide deck and the command line render.

    profile    the profile, how it reads from a link or the command line, the link that reproduces it
    rules      one function per criterion (line, HER2, PD-L1, prior therapy, status, countries), the verdicts
    evidence   the pivotal results behind an option that fits
    changes    approvals, label changes and readouts dated after a day
    result     the result's dataclasses and its JSON
    engine     build_board: the one result
    words      every word the three surfaces show
    deck, cli  the slide deck (python-pptx) and the command line

The profile's URL keys are declared here, once: the site map reads them without loading the board."""

# Profile field (and command-line flag) -> the URL key it travels under. Keys of their own ("b_"): the shared
# filters use "line", "her2" and "agency" with other meanings. "present" is the board's too (no filter uses it).
PROFILE_KEYS = {
    "line": "b_line",
    "her2": "b_her2",
    "cps": "b_cps",
    "prior": "b_prior",
    "agency": "b_agency",
    "countries": "b_countries",
    "since": "b_since",
}
PRESENT_KEY = "present"  # the projector view (present=1)
URL_KEYS = (*PROFILE_KEYS.values(), PRESENT_KEY)
