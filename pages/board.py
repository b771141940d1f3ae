"""Tumour board: a patient profile bound to the address gives the approved options, key evidence, trials and
changes that fit, with reasons and sources; a projector view and a slide deck of the same result."""

import datetime as dt
from functools import partial

import streamlit as st

from landscape import charts, text, ui
from landscape.board import PRESENT_KEY, PROFILE_KEYS, engine, words
from landscape.board import profile as board_profile
from landscape.board.profile import DEFAULT, Profile
from landscape.model import country_name, flatten_ids
from landscape.vocab import REGIMENS

PRESENT_CHART_TEXT_PX = 20  # the chart's text on a projector; tick labels 2 px smaller, never under 18
# The board's sections, each a header with its own anchor, linked from the top of the page.
SECTIONS = {"options": "options", "evidence": "evidence", "trials": "trials", "changes": "changes"}
SECTION_NAMES = {"options": "Options", "evidence": "Evidence", "trials": "Trials", "changes": "What changed"}
TONE_COLOURS = {"good": "green", "caution": "orange", "bad": "red", "muted": "gray"}
# Cards shown before the rest is listed in one line: a board discusses a handful of options, and a page of
# hundreds of cards would not read on a projector (nor render fast).
CARDS_MAX = 12
KEY = PROFILE_KEYS


def verdict_words(verdict: str) -> str:
    """Return the verdict as coloured words (constant Markdown), readable at body size on a projector."""
    return f":{TONE_COLOURS[words.VERDICT_TONES[verdict]]}[**{words.verdict_label(verdict)}**]"


def bullets(lines) -> str:
    return "\n".join(f"- {text.md_escape(line)}" for line in lines)


def widget_values(profile: Profile, as_of: str) -> dict:
    """Return what each bound widget holds for this profile, by its key."""
    since = dt.date.fromisoformat(profile.since or board_profile.default_since(as_of))
    return {
        KEY["line"]: profile.line,
        KEY["her2"]: profile.her2,
        KEY["cps"]: profile.cps,
        KEY["prior"]: list(profile.prior),
        KEY["agency"]: profile.agency,
        KEY["countries"]: list(profile.countries),
        KEY["since"]: since,
    }


def read_link(landscape, vocab) -> board_profile.LinkReading:
    """Read the profile the address asks for; a link in another form (old key names, agent ids, comma lists,
    bad values, unknown keys) is rewritten once into the form the bound widgets read, with one notice."""
    reading = board_profile.read_link(ui.read_query_params(), vocab)
    if not reading.canonical:
        ui.rewrite_link(reading.query, widget_values(reading.profile, landscape.as_of), reading.notice)
    return reading


def country_options(landscape, linked: Profile) -> list[str]:
    """Return the countries to choose from: where trials enrol, and any a link or this session chose."""
    countries = set(flatten_ids(landscape.trials["countries"]))
    countries |= {*linked.countries, *st.session_state.get(KEY["countries"], [])}
    return sorted(countries, key=country_name)


def regimen_help(agent_names) -> str:
    """What entering a regimen tells the board: each regimen (landscape.vocab) and the agents it counts as."""
    listing = "; ".join(f"{r.name} = {', '.join(agent_names.get(a, a) for a in r.agent_ids)}" for r in REGIMENS)
    return text.md_escape(
        "A regimen counts as each of its agents, so a label that asks for a prior fluoropyrimidine or platinum "
        f"can be read: {listing}. An agent entered alone (trastuzumab) says nothing of the chemotherapy given "
        "with it, and the board then asks."
    )


def profile_widgets(landscape, vocab, linked: Profile, present: bool) -> Profile:
    """Show the profile inputs, bound to the address (each change is a browser history entry), and return
    the profile they describe."""
    names = vocab.prior_names  # the standard regimens first, then the agents by name
    as_of = dt.date.fromisoformat(landscape.as_of)
    default_since = dt.date.fromisoformat(board_profile.default_since(landscape.as_of))
    bound = {"bind": "query-params", "on_change": ui.count_bound_change}
    with st.expander(words.PROFILE_HEADING, expanded=not present):
        left, middle, right = st.columns(3)
        lines, her2s, agencies = board_profile.LINES, board_profile.HER2_CHOICES, board_profile.AGENCIES
        line = left.segmented_control(
            "Line of therapy", lines, default=DEFAULT.line, key=KEY["line"], required=True, **bound
        )
        her2 = left.selectbox(
            "HER2", her2s, index=her2s.index(DEFAULT.her2), format_func=words.HER2_WORDS.get, key=KEY["her2"], **bound
        )
        cps = middle.number_input(
            "PD-L1 CPS (leave empty when unknown)",
            min_value=0.0,
            max_value=float(board_profile.CPS_MAX),
            value=None,
            step=1.0,
            key=KEY["cps"],
            placeholder="unknown",
            **bound,
        )
        prior = middle.multiselect(
            "Prior therapies (regimens or agents)",
            list(names),
            format_func=names.get,
            key=KEY["prior"],
            help=regimen_help(vocab.agent_names),
            **bound,
        )
        agency = right.segmented_control(
            "Labels of", agencies, default=DEFAULT.agency, key=KEY["agency"], required=True, **bound
        )
        chosen = right.multiselect(
            "Countries where the patient could enrol (optional)",
            country_options(landscape, linked),
            format_func=country_name,
            key=KEY["countries"],
            **bound,
        )
        since = right.date_input(
            "Changes since",
            value=default_since,
            min_value=dt.date.fromisoformat(board_profile.EARLIEST_SINCE),
            max_value=as_of,
            key=KEY["since"],
            **bound,
        )
        st.caption(
            "Nothing typed here is stored on the server: the profile lives only in this page's address, "
            "so the link reproduces the view."
        )
    ui.keep_bound_changes_in_history()
    return profile_of(line, her2, cps, prior, agency, chosen, since, default_since)


def profile_of(line, her2, cps, prior, agency, countries, since, default_since: dt.date) -> Profile:
    """Return the profile the widgets' values describe (a cleared input is the default)."""
    return Profile(
        line=line or DEFAULT.line,
        her2=her2 or DEFAULT.her2,
        cps=None if cps is None else float(cps),
        prior=tuple(prior),
        agency=agency or DEFAULT.agency,
        countries=tuple(countries),
        since=since.isoformat() if isinstance(since, dt.date) and since != default_since else None,
    )


SAFETY_STYLES = {"boxed_warning": ":red[**{}**]", "warning": "**{}**", "rates": "_{}_", "monitoring": "**{}**"}


def show_safety(option) -> None:
    """The option's Safety block (boxed warnings first, in red) and its Guidelines line."""
    parts = words.safety_parts(option.safety)
    if not parts:
        return
    lines = []
    for kind, heading, body in parts:
        if kind == "note":
            lines.append(f"- _{text.md_escape(body)}_")
        elif heading:
            joint = ", " if kind == "rates" else ": "
            lines.append(f"- {SAFETY_STYLES[kind].format(text.md_escape(heading))}{joint}{text.md_escape(body)}")
        else:
            lines.append(f"- {text.md_escape(body)}")
    st.markdown(f"**{words.SAFETY_TITLE}**\n\n" + "\n".join(lines))
    heading, body = words.guideline_line(option).split(": ", 1)
    st.markdown(f"**{text.md_escape(heading)}**: {text.md_escape(body)}")


def show_options(result, present: bool) -> None:
    agency = result.profile.agency
    st.header(words.options_title(agency), anchor=SECTIONS["options"])
    if not result.approved:
        st.info(words.no_options(agency), icon=":material/search_off:")
        return
    shown = [o for o in result.approved if o.verdict != "superseded"]
    superseded = [o for o in result.approved if o.verdict == "superseded"]
    carded = [o for o in shown if not (present and o.verdict == "does not fit")]
    for option in carded[:CARDS_MAX]:
        name, detail = words.option_heading(option)
        with st.container(border=True):
            st.markdown(f"{verdict_words(option.verdict)} · **{text.md_escape(name)}** · {text.md_escape(detail)}")
            st.markdown(bullets(words.option_details(option)))
            if option.verdict == "does not fit":  # kept, but folded: the options that may be given come first
                with st.expander(f"{words.SAFETY_TITLE} and guidelines"):
                    show_safety(option)
            else:
                show_safety(option)
    if len(carded) > CARDS_MAX:
        rest = carded[CARDS_MAX:]
        st.caption(
            text.md_escape(
                f"…and {len(rest)} more (fits first above; all of them in the deck and on the command line): "
                + "; ".join(f"{o.regimen} ({o.approval_date}, {o.verdict})" for o in rest[:CARDS_MAX])
                + ("; …" if len(rest) > CARDS_MAX else "")
            )
        )
    hidden = [o for o in shown if o.verdict == "does not fit"] if present else []
    if hidden:
        listing = "; ".join(f"{o.regimen} ({o.approval_date})" for o in hidden)
        st.caption(text.md_escape(f"Not fitting this profile: {listing}."))
    if superseded:
        listing = "; ".join(
            f"{o.regimen} ({o.agency} {o.approval_date}, {words.option_details(o)[0]})" for o in superseded
        )
        st.caption(text.md_escape(f"Superseded, not current options: {listing}"))


def show_evidence(landscape, result, present: bool) -> None:
    """The evidence chart of the options that fit (the trial of the patient's line first) under the
    cross-trial caution, said once; on the page the results in words beneath, each trial's other populations
    folded under it, and downloads of the chart that carry the caution."""
    st.header(words.evidence_title(result.profile.line), anchor=SECTIONS["evidence"])
    if not result.fitting:
        st.info(words.NO_EVIDENCE, icon=":material/search_off:")
        return
    if result.cross_trial:
        st.warning(words.CROSS_TRIAL_CAUTION, icon=":material/compare_arrows:")
    rows = result.evidence_rows
    if present:
        dark = getattr(st.context.theme, "type", None) == "dark"
        fig = ui.memo(
            landscape,
            "board_evidence_present",
            (result.profile, dark),
            lambda: charts.for_projector(
                charts.board_evidence(rows, text_px=PRESENT_CHART_TEXT_PX), dark, size=PRESENT_CHART_TEXT_PX
            ),
        )
        config = {"displaylogo": False, "displayModeBar": False}
        st.plotly_chart(fig, theme=None, config=config, key="chart_board_evidence")
        return
    title = words.evidence_chart_title(result)
    fig = ui.memo(landscape, "board_evidence", result.profile, lambda: charts.board_evidence(rows, title))
    caption = words.evidence_chart_caption(result)
    download = ui.memo(
        landscape, "board_evidence_download", result.profile, lambda: charts.board_evidence(rows, title, caption)
    )
    ui.show_chart(fig, "board_evidence", download)
    st.markdown(outline(words.evidence_outline(rows, result.profile.line)))


def outline(lines) -> str:
    """Return (level, text) lines as nested Markdown bullets: a trial's heading in bold, its results under it."""
    out = []
    for level, line in lines:
        shown = text.md_escape(line)
        out.append(f"- **{shown}**" if level == 0 else "  " * level + f"- {shown}")
    return "\n".join(out)


def show_section_links(result) -> None:
    """Links to the board's sections, at the top (kept in view on a projector): nobody hunts for a section."""
    counts = {
        "options": f"{len(result.fitting)} fit",
        "evidence": f"{len({r['trial_id'] for r in result.evidence_rows})} trials",
        "trials": f"{len(result.offered_trials)} offered",
        "changes": f"{len(result.changes)}",
    }
    with st.container(key="board_sections"):
        st.markdown(" · ".join(f"[{SECTION_NAMES[k]} ({counts[k]})](#{anchor})" for k, anchor in SECTIONS.items()))


def show_trials(result) -> None:
    """The trials that may enrol the patient as cards (fits first), those that do not fit in one line each
    with the decisive reason, and the trials of the line the board did not assess, with why."""
    st.header(words.TRIALS_TITLE, anchor=SECTIONS["trials"])
    offered = result.offered_trials
    if not offered:
        st.info(words.NO_TRIALS, icon=":material/search_off:")
    for trial in offered[:CARDS_MAX]:
        name, detail = words.trial_heading(trial)
        link = text.safe_link(trial.registry_url) if trial.registry_url else ""
        registry = f" · [{text.md_escape(trial.nct_id)}]({link})" if link else ""
        with st.container(border=True):
            st.markdown(
                f"{verdict_words(trial.verdict)} · **{text.md_escape(name)}** · {text.md_escape(detail)}{registry}"
            )
            st.markdown(bullets(words.trial_details(trial)))
    if len(offered) > CARDS_MAX:
        rest = offered[CARDS_MAX:]
        st.caption(
            text.md_escape(
                f"…and {len(rest)} more trials (all in the deck and on the command line): "
                + ", ".join(f"{t.acronym} ({t.verdict})" for t in rest[:CARDS_MAX])
                + (", …" if len(rest) > CARDS_MAX else "")
            )
        )
    unfit = [t for t in result.trials if t.verdict == "does not fit"]
    if unfit:
        st.markdown(f"**{words.TRIALS_NOT_FITTING}**")
        st.markdown(bullets(words.trial_not_fitting(t) for t in unfit))
    if result.not_assessed:
        st.markdown(f"**{words.NOT_ASSESSED_TITLE}**")
        st.markdown(bullets(words.not_assessed_line(t) for t in result.not_assessed))


def show_changes(result) -> None:
    st.header(words.changes_title(result.since), anchor=SECTIONS["changes"])
    if not result.changes:
        st.info(words.no_changes(result.since), icon=":material/event_busy:")
        return
    st.markdown(
        "\n".join(
            f"- **{text.md_escape(heading)}**: {text.md_escape(change)}"
            for heading, change in map(words.change_heading, result.changes)
        )
    )


def deck_bytes(landscape, result, link: str) -> bytes:
    """Build the deck on click only: python-pptx (and lxml) stay out of the server until someone asks."""
    from landscape.board.deck import build_deck

    return build_deck(landscape, result, link)


def board_page() -> None:
    landscape = ui.get_landscape()
    present = ui.presentation_requested()
    if present:
        ui.apply_presentation_view()
    vocab = ui.memo(landscape, "board_vocabulary", None, lambda: board_profile.Vocabulary.of(landscape))
    linked = read_link(landscape, vocab)
    st.title(words.TITLE)
    st.caption(
        text.md_escape(
            "Options and trials for one patient profile, with reasons and sources. "
            f"{words.evidence_as_of(landscape.as_of)}. {words.NOT_ADVICE}"
        )
    )
    notice = ui.take_link_notice()
    if notice:
        st.warning(text.md_escape(notice), icon=":material/warning:")
    profile = profile_widgets(landscape, vocab, linked.profile, present)
    result = ui.memo(landscape, "board", profile, lambda: engine.build_board(landscape, profile))
    st.subheader(text.md_escape(result.profile_words))

    base = str(getattr(st.context, "url", "") or board_profile.PUBLIC_URL).split("/board")[0].split("?")[0]
    link = board_profile.board_link(profile, vocab, base, present=True)
    left, middle, right = st.columns([2, 2, 3])
    if present:
        if left.button("Leave presentation view", icon=":material/close_fullscreen:"):
            st.query_params.pop(PRESENT_KEY, None)
            st.rerun()
    elif left.button("Presentation view", icon=":material/slideshow:"):
        st.query_params[PRESENT_KEY] = "1"
        st.rerun()
    middle.download_button(
        "Download deck (PPTX)",
        partial(deck_bytes, landscape, result, link),
        file_name=f"tumour-board-{profile.line}-{profile.agency}.pptx",
        mime="application/vnd.openxmlformats-officedocument.presentationml.presentation",
        on_click="ignore",
        icon=":material/download:",
    )
    if not present:
        right.caption(text.md_escape(f"Link to this view (projector): {link}"))

    show_section_links(result)
    show_options(result, present)
    show_evidence(landscape, result, present)
    show_trials(result)
    show_changes(result)
    st.warning(words.NOT_ADVICE, icon=":material/medical_information:")
    ui.show_sources(landscape, ("board", result.profile), result.source_ids)


board_page()
