"""Tumour board: a patient profile from the address gives the approved options, key evidence, trials and
changes that fit, with reasons and sources; a projector view and a slide deck of the same result."""

import datetime as dt
from functools import partial

import streamlit as st

from landscape import board, charts, text, ui
from landscape.model import country_name

PRESENT_CHART_PX = 600
# Verdicts as coloured words (constant Markdown), readable at body size on a projector.
VERDICT_WORDS = {
    "fits": ":green[**FITS**]",
    "not determined": ":orange[**NOT DETERMINED**]",
    "does not fit": ":red[**DOES NOT FIT**]",
    "superseded": ":gray[**SUPERSEDED**]",
    "nearly fits": ":orange[**NEARLY FITS**]",
    "status not verified": ":orange[**STATUS NOT VERIFIED: check the registry**]",
    "criteria not recorded": ":orange[**CRITERIA NOT RECORDED**]",
}
# Cards shown before the rest is listed in one line: a board discusses a handful of options, and a page of
# hundreds of cards would not read on a projector (nor render fast).
CARDS_MAX = 12


def profile_widgets(landscape, profile: board.Profile, present: bool) -> board.Profile:
    """Show the profile inputs (filled from the address) and return the profile they now describe."""
    names = dict(zip(landscape.agents["agent_id"], landscape.agents["name"], strict=True))
    countries = sorted(
        {c for cell in landscape.trials["countries"].dropna() for c in cell.split(";")} | set(profile.countries),
        key=country_name,
    )
    with st.expander("Patient profile (no identifiers)", expanded=not present):
        left, middle, right = st.columns(3)
        line = left.segmented_control(
            "Line of therapy", board.LINES, default=profile.line, key="board_line", required=True
        )
        her2 = left.selectbox(
            "HER2",
            board.HER2_CHOICES,
            index=board.HER2_CHOICES.index(profile.her2),
            format_func=lambda h: board.HER2_WORDS[h],
            key="board_her2",
        )
        cps = middle.number_input(
            "PD-L1 CPS (leave empty when unknown)",
            min_value=0.0,
            max_value=float(board.CPS_MAX),
            value=profile.cps,
            step=1.0,
            key="board_cps",
            placeholder="unknown",
        )
        prior = middle.multiselect(
            "Prior therapies",
            sorted(names, key=lambda a: names[a].lower()),
            default=list(profile.prior),
            format_func=lambda a: names.get(a, a),
            key="board_prior",
        )
        agency = right.segmented_control(
            "Labels of", board.AGENCIES, default=profile.agency, key="board_agency", required=True
        )
        chosen = right.multiselect(
            "Countries where the patient could enrol (optional)",
            countries,
            default=list(profile.countries),
            format_func=country_name,
            key="board_countries",
        )
        since_default = dt.date.fromisoformat(profile.since or board.default_since(landscape.as_of))
        since = right.date_input(
            "Changes since", value=since_default, max_value=dt.date.fromisoformat(landscape.as_of), key="board_since"
        )
        st.caption(
            "Nothing typed here is stored on the server: the profile lives only in this page's address, "
            "so the link reproduces the view."
        )
    since_text = since.isoformat() if isinstance(since, dt.date) else None
    return board.Profile(
        line=line or profile.line,
        her2=her2,
        cps=None if cps is None else float(cps),
        prior=tuple(prior),
        agency=agency or profile.agency,
        countries=tuple(chosen),
        since=None if since_text == board.default_since(landscape.as_of) and not profile.since else since_text,
    )


def sync_address(profile: board.Profile, present: bool) -> None:
    """Write the profile into the address (only when it changed), so the link reproduces the view."""
    wanted = profile.to_query(present)
    current = {key: st.query_params.get(key) for key in st.query_params.keys()}
    if current != wanted:
        st.query_params.from_dict(wanted)


def show_options(result: board.BoardResult, present: bool) -> None:
    st.header(f"Approved options ({result.profile.agency} labels)")
    if not result.approved:
        st.info(
            f"No {result.profile.agency} approval in the data has recorded fit rules.", icon=":material/search_off:"
        )
        return
    shown = [o for o in result.approved if o.verdict != "superseded"]
    superseded = [o for o in result.approved if o.verdict == "superseded"]
    carded = [o for o in shown if not (present and o.verdict == "does not fit")]
    for option in carded[:CARDS_MAX]:
        with st.container(border=True):
            kind = "" if option.her2_directed else " · not HER2-directed"
            kind += " · tumour-agnostic" if option.tumour_agnostic else ""
            st.markdown(
                f"{VERDICT_WORDS[option.verdict]} · **{text.md_escape(option.regimen)}** · "
                f"{text.md_escape(option.agency)} {text.md_escape(option.approval_date)}{text.md_escape(kind)}"
            )
            st.markdown("\n".join(f"- {text.md_escape(reason)}" for reason in option.reasons))
    if len(carded) > CARDS_MAX:
        rest = carded[CARDS_MAX:]
        st.caption(
            text.md_escape(
                f"…and {len(rest)} more (fits first above; all of them in the deck and on the command line): "
                + "; ".join(f"{o.regimen} ({o.approval_date}, {o.verdict})" for o in rest[:CARDS_MAX])
                + ("; …" if len(rest) > CARDS_MAX else "")
            )
        )
    if present:
        hidden = [o for o in shown if o.verdict == "does not fit"]
        if hidden:
            st.caption(
                text.md_escape(
                    f"Not fitting this profile: {'; '.join(o.regimen + ' (' + o.approval_date + ')' for o in hidden)}."
                )
            )
    if superseded:
        st.caption(
            text.md_escape(
                "Superseded, not current options: "
                + "; ".join(f"{o.regimen} ({o.agency} {o.approval_date}, {o.reasons[0]})" for o in superseded)
            )
        )


def show_evidence(landscape, result: board.BoardResult, present: bool) -> None:
    st.header(f"Key evidence: {result.profile.line}")
    if not result.fitting:
        st.info("No approved option fits this profile, so there is no evidence to show.", icon=":material/search_off:")
        return
    # On a projector the chart takes the screen's height less the title: 600 px fits 1280x720.
    height = PRESENT_CHART_PX if present else None
    fig = ui.memo(landscape, "board_evidence", (result.profile, height), lambda: board.evidence_figure(result, height))
    if present:
        dark = getattr(st.context.theme, "type", None) == "dark"
        projected = charts.for_projector(fig, dark)
        st.plotly_chart(
            projected, theme=None, config={"displaylogo": False, "displayModeBar": False}, key="chart_board_evidence"
        )
    else:
        ui.show_chart(fig, "board_evidence")
    if result.cross_trial:
        st.warning(board.CROSS_TRIAL_CAUTION, icon=":material/compare_arrows:")
    if not present:
        st.markdown("\n".join(f"- {text.md_escape(board.option_evidence_text(row))}" for row in result.evidence_rows))


def show_trials(result: board.BoardResult, present: bool) -> None:
    st.header("Trials")
    if not result.trials:
        st.info("No open trial in the data fits or nearly fits this profile.", icon=":material/search_off:")
    for trial in result.trials[:CARDS_MAX]:
        with st.container(border=True):
            cohort = f" · {trial.cohort}" if trial.cohort else ""
            link = text.safe_link(trial.registry_url) if trial.registry_url else ""
            registry = f" · [{text.md_escape(trial.nct_id)}]({link})" if link else ""
            st.markdown(
                f"{VERDICT_WORDS[trial.verdict]} · **{text.md_escape(trial.acronym)}**{text.md_escape(cohort)} · "
                f"{text.md_escape(trial.phase)}{registry}"
            )
            reasons = ([f"excluded by: {trial.excluding}"] if trial.excluding else []) + list(trial.reasons)
            st.markdown("\n".join(f"- {text.md_escape(reason)}" for reason in reasons))
    if len(result.trials) > CARDS_MAX:
        rest = result.trials[CARDS_MAX:]
        st.caption(
            text.md_escape(
                f"…and {len(rest)} more trials (all in the deck and on the command line): "
                + ", ".join(f"{t.acronym} ({t.verdict})" for t in rest[:CARDS_MAX])
                + (", …" if len(rest) > CARDS_MAX else "")
            )
        )
    if result.not_assessed:
        names = list(result.not_assessed)
        shown_names = ", ".join(names[:CARDS_MAX]) + (
            f" and {len(names) - CARDS_MAX} more" if len(names) > CARDS_MAX else ""
        )
        st.caption(text.md_escape(f"Not assessed (criteria not recorded): {shown_names}."))


def show_changes(result: board.BoardResult) -> None:
    st.header(f"What changed since {result.since}")
    if not result.changes:
        st.info(f"Nothing in the data is dated after {result.since}.", icon=":material/event_busy:")
        return
    st.markdown(
        "\n".join(
            f"- **{text.md_escape(c.date)}** · {text.md_escape(c.kind)}: {text.md_escape(c.text)}"
            + (" _(date imprecise)_" if c.imprecise else "")
            for c in result.changes
        )
    )


def deck_bytes(landscape, result: board.BoardResult, link: str) -> bytes:
    """Build the deck on click only: python-pptx (and lxml) stay out of the server until someone asks."""
    from landscape.deck import build_deck

    return build_deck(landscape, result, link)


def board_page() -> None:
    landscape = ui.get_landscape()
    present = ui.presentation_requested()
    if present:
        ui.apply_presentation_view()
    profile, notices = board.profile_from_params(ui.read_query_params(), landscape)
    st.title("Tumour board")
    st.caption(
        text.md_escape(
            "Options and trials for one patient profile, with reasons and sources. "
            f"Evidence as of {landscape.as_of}. {ui.NOT_ADVICE}"
        )
    )
    if notices:
        st.warning(text.md_escape(" ".join(notices)), icon=":material/warning:")
    profile = profile_widgets(landscape, profile, present)
    sync_address(profile, present)
    result = ui.memo(landscape, "board", profile, lambda: board.build_board(landscape, profile))
    st.subheader(text.md_escape(result.profile_words))

    base = str(getattr(st.context, "url", "") or board.PUBLIC_URL).split("/board")[0].split("?")[0]
    link = board.board_link(profile, base, present=True)
    left, middle, right = st.columns([2, 2, 3])
    if present:
        if left.button("Leave presentation view", icon=":material/close_fullscreen:"):
            st.query_params.pop("present", None)
            st.rerun()
    elif left.button("Presentation view", icon=":material/slideshow:"):
        st.query_params["present"] = "1"
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

    show_options(result, present)
    show_evidence(landscape, result, present)
    show_trials(result, present)
    show_changes(result)
    st.warning(ui.NOT_ADVICE, icon=":material/medical_information:")
    ui.show_sources(landscape, ("board", result.profile), result.source_ids)


board_page()
