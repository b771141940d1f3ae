"""The one Streamlit module of the package: cached loading, the data-problem screen, the sidebar
filters bound to the URL, and the shared pieces every page shows (summary, empty state, chart with
downloads, table with CSV download, provenance line)."""

from __future__ import annotations

import copy
from collections.abc import Callable, Hashable, Iterable, Mapping
from functools import cache, partial
from typing import NoReturn, TypeVar

import pandas as pd
import plotly.graph_objects as go
import streamlit as st
from streamlit.errors import StreamlitAPIException

from landscape import evidence, export, filters, server, sitemap
from landscape.board import PRESENT_KEY, words
from landscape.export import figure_image, to_safe_csv
from landscape.load import data_signature
from landscape.model import Landscape
from landscape.paths import STATIC_DIR, resolve_data_dir
from landscape.prepare import prepare_landscape
from landscape.server import run_slot as run_slot  # dashboard.py runs each page in a slot
from landscape.text import column_heading, md_escape, source_listing
from landscape.validate import Problem

PAGE_ICON = str(STATIC_DIR / "favicon.png")
NOT_ADVICE = words.NOT_ADVICE
ENTRY_FLAG = "_entered_through_dashboard"
MEMO_SIZE = 256  # figures, decks and summaries: small (charts are capped at MAX_ROWS rows)
MEMO_LARGE_SIZE = 8  # table-sized frames
TABLE_SHOW_MAX = 5000  # rows a table sends to the browser; the CSV download always has every row
LISTING_MAX = 150  # sources listed under a view before "…and N more"
T = TypeVar("T")


def skip_repl_check() -> None:
    """Streamlit gotcha, written against Streamlit 1.67.0: the first element a process draws asks whether it
    runs in a Python REPL, to print a hint there (delta_generator._maybe_print_use_warning), through
    inspect.stack(), which reads the source file of every frame on the stack: ~0.15 s of a fresh server's first
    run. Under a server (`streamlit run`) that hint is never printed, so there the check is marked as done;
    `python dashboard.py` still gets its hint. Proved by
    tests/test_pages.py::test_the_repl_check_is_skipped_under_a_server; if a Streamlit upgrade renames the
    flag, that test fails."""
    from streamlit import delta_generator, runtime

    if runtime.exists():
        delta_generator._use_warning_has_been_displayed = True


skip_repl_check()


def mark_entrypoint() -> None:
    """Called by dashboard.py on every run, before the page runs."""
    st.session_state[ENTRY_FLAG] = True


def ensure_entrypoint() -> None:
    """Make a shared deep link work on a fresh server (the one place that touches Streamlit internals).

    Streamlit gotcha, written against Streamlit 1.67.0 (requirements.txt): while a `pages/` folder sits
    beside the entry script, the first request to a fresh server that names a page (/efficacy?...) runs
    that page file alone in legacy multipage mode: no dashboard.py, so no wide layout and a navigation of
    raw file names. Switch the server to st.navigation and rerun the session through dashboard.py,
    keeping the URL and its parameters. Proved by
    tests/test_browser.py::test_deep_link_on_a_fresh_server_runs_through_the_entry_point; if a Streamlit
    upgrade breaks it, that test fails.
    """
    if st.session_state.get(ENTRY_FLAG):
        return
    from streamlit.runtime.pages_manager import PagesManager

    PagesManager.uses_pages_directory = False
    st.rerun()


@st.cache_resource(max_entries=4, show_spinner="Loading the landscape data…")
def _load(data_dir: str, signature: tuple) -> tuple[Landscape | None, list[Problem]]:
    # Keyed on each file's size and mtime (signature), so an edited CSV is re-read without a restart; the
    # same content is validated and built once, then read back from the cache (landscape.prepare).
    landscape, problems = prepare_landscape(data_dir, signature)
    # Loading and building freed Arrow buffers; hand them back to the system now.
    server.release_arrow_memory()
    server.keep_loaded_objects()
    return landscape, problems


def hand_out(value: T) -> T:
    """Return a copy of a shared memo result that a session may change without touching what other
    sessions see: frames are copied shallowly (pandas copy-on-write keeps the original intact),
    figures and decks rebuilt from their data, containers deep-copied; immutable values as they are."""
    if isinstance(value, pd.DataFrame | pd.Series):
        return value.copy(deep=False)
    if isinstance(value, go.Figure):
        # Rebuilt from its plain data without re-validating it (validated once when built): ~2 ms, not ~45.
        return go.Figure(value.to_dict(), _validate=False)
    if isinstance(value, str | int | float | bool | bytes | type(None)):
        return value
    return copy.deepcopy(value)


def memo(landscape: Landscape, name: str, key: Hashable, build: Callable[[], T], large: bool = False) -> T:
    """Return a copy of the shared result of build() (see _shared)."""
    return hand_out(_shared(landscape, name, key, build, large))


def memo_chart(landscape: Landscape, name: str, key: Hashable, build: Callable[[], go.Figure]) -> None:
    """Show the shared figure of build() with its downloads. The figure never leaves this module (show_chart
    only reads it), so no session can change it and no copy is made: a copy costs more than the chart."""
    show_chart(_shared(landscape, name, key, build, False), name)


def _shared(landscape: Landscape, name: str, key: Hashable, build: Callable[[], T], large: bool = False) -> T:
    """Return build() for this data version and key, computed once per process and shared by every
    session (figures, decks and summaries that depend only on the data and the filters). The object itself
    is shared: memo hands out copies, memo_chart keeps it inside this module. `large` results (frames as
    long as a table) go to a cache that keeps only a few, so exploring many filter combinations cannot
    grow memory without bound."""
    return (_shared_large if large else _shared_small)(landscape.version, name, key, build)


# st.cache_resource gives what the memo needs: one result per (version, name, key) shared by every session,
# at most max_entries kept (least recently used dropped), and two sessions asking for the same key at once
# build it once (the second waits on Streamlit's per-key lock). `_build` is not part of the key (leading
# underscore): the name and key say what it builds.
@st.cache_resource(max_entries=MEMO_SIZE, show_spinner=False)
def _shared_small(version: tuple, name: str, key: Hashable, _build: Callable[[], T]) -> T:
    return _build()


@st.cache_resource(max_entries=MEMO_LARGE_SIZE, show_spinner=False)
def _shared_large(version: tuple, name: str, key: Hashable, _build: Callable[[], T]) -> T:
    return _build()


def get_landscape() -> Landscape:
    """Return the validated landscape, or show every data problem and stop the page."""
    ensure_entrypoint()
    data_dir = resolve_data_dir()
    landscape, problems = _load(str(data_dir), data_signature(data_dir))
    server.release_freed_memory()
    if landscape is None:
        show_data_problems(problems)
        st.stop()
    return landscape


def show_data_problems(problems: list[Problem]) -> None:
    """Show the validator's messages instead of any data, so nothing is half-shown."""
    st.error(
        f"The landscape data did not validate ({len(problems)} problem(s)), so nothing is shown. Fix these and reload:"
    )
    st.dataframe(
        pd.DataFrame(
            [{"file": p.file, "row": p.row, "column": p.column or "", "problem": p.message} for p in problems]
        ),
        hide_index=True,
    )
    st.caption("Run `python -m landscape validate` to see the same list in a terminal.")


def read_query_params() -> dict[str, list[str]]:
    """Return the URL query parameters, every key with its list of values."""
    return {key: st.query_params.get_all(key) for key in st.query_params.keys()}


def filter_sidebar(landscape: Landscape, page: str) -> filters.FilterState:
    """Render the shared filters in the sidebar, bound to the URL, and return the state they make.
    `page` names the page in the site map, whose own URL keys are not "unknown" parameters.

    The search box is always there; the other filters sit in an expander whose widgets are drawn only once
    it is opened or the address carries one of them (see facets_drawn)."""
    params = read_query_params()
    st.sidebar.header("Filters")
    text = st.sidebar.text_input(
        "Search (agent, alias, trial, NCT, sponsor)",
        key=filters.TEXT_KEY,
        bind="query-params",
        max_chars=200,
        placeholder="e.g. T-DXd, DS-8201, KEYNOTE-811",
    )
    expander, drawn = facets_expander(params)
    # The options are read only when a widget or a link needs them: at 100x they cost a pass over every row.
    options = filter_options(landscape) if drawn else {}
    _, notices = filters.state_from_query(params, options, sitemap.BY_NAME[page].url_keys)
    for notice in notices:
        st.warning(md_escape(notice), icon=":material/warning:")
    selections = {}
    if drawn:
        for spec in filters.FILTERS:
            chosen = expander.multiselect(
                spec.label, options[spec.key], key=spec.key, bind="query-params", help=spec.help or None
            )
            if chosen:
                selections[spec.key] = tuple(chosen)
    st.sidebar.caption("The filters live in the page address: copy the link to share this exact view.")
    return filters.FilterState(selections, text or "")


def filter_options(landscape: Landscape) -> dict[str, list[str]]:
    """Return every shared filter's options in this data (computed once per data version)."""
    return memo(
        landscape,
        "filter_options",
        None,
        lambda: {spec.key: filters.filter_options(landscape.frames(), spec.key) for spec in filters.FILTERS},
    )


FACETS_OPEN_KEY = "_facets_open"
FACETS_LABEL = "Line, phase, status and more"


def facets_expander(params: Mapping[str, list[str]]):
    """Return the sidebar expander that holds the filters other than the search, and whether to draw their
    widgets in it this run.

    Nine multiselects were the most expensive thing the browser drew on a cold start (each is a full select
    component), so they are drawn only when needed: when the reader has opened the expander (it reruns the
    page then), or when the address carries any of their keys (a shared link; the expander starts open). A
    widget bound to the address that is not drawn in a run has its parameter removed by Streamlit (1.67,
    QueryParamsStore.remove_stale_bindings), so the widgets stay drawn, inside a closed expander, as long as
    any of them has a value (in the address or in the session): closing the expander never drops a filter. The label and
    `expanded` stay constant: they are part of a stateful expander's identity, and a new identity would reset
    whether it is open. Proved by tests/test_pages.py (facet tests) and the URL round-trip tests."""
    linked = any(spec.key in params for spec in filters.FILTERS)
    if linked and FACETS_OPEN_KEY not in st.session_state:
        st.session_state[FACETS_OPEN_KEY] = True  # a shared link opens the filters it sets, once
    # A value chosen in the last run counts too: the browser writes it to the address, but only after the run.
    chosen = any(st.session_state.get(spec.key) for spec in filters.FILTERS)
    expander = st.sidebar.expander(FACETS_LABEL, key=FACETS_OPEN_KEY, on_change="rerun")
    return expander, bool(expander.open) or linked or chosen


def record_selector(
    landscape: Landscape,
    label: str,
    records: pd.DataFrame,
    id_column: str,
    name_column: str,
    param: str,
    placeholder: str,
) -> str | None:
    """Return the record chosen in a selector (ordered by name) whose choice lives in the URL as its
    stable id (?trial=destiny_gastric04); an unknown id in the URL gives a notice and an empty selector."""

    def build() -> tuple[dict, list]:
        names = dict(zip(records[id_column], records[name_column], strict=True))
        return names, sorted(names, key=lambda i: str(names[i]).lower())

    names, ids = memo(landscape, "record_choices", (id_column, name_column), build)
    current = st.query_params.get(param)
    if current and current not in names:
        st.warning(
            md_escape(f'Ignored "{current[:80]}" for {param}: no such {param} in the data.'), icon=":material/warning:"
        )
    index = ids.index(current) if current in ids else None
    choice = st.selectbox(label, ids, index=index, format_func=lambda i: names.get(i, i), placeholder=placeholder)
    if choice:
        st.query_params[param] = choice
    elif param in st.query_params:
        del st.query_params[param]
    return choice


def show_filter_summary(state: filters.FilterState, noun: str, shown: pd.DataFrame, total: pd.DataFrame) -> None:
    """Say the active filters in words above the results."""
    st.caption(md_escape(filters.describe_filters(state, noun, len(shown), len(total), total)))


def show_filter_result(state: filters.FilterState, noun: str, shown: pd.DataFrame, total: pd.DataFrame) -> bool:
    """Say the filters in words; for an empty result say what to loosen. Return whether rows remain."""
    show_filter_summary(state, noun, shown, total)
    if shown.empty:
        show_empty_state(state, total, noun)
        return False
    return True


def show_empty_state(state: filters.FilterState, frame: pd.DataFrame, noun: str) -> None:
    """Explain an empty result and what to loosen."""
    tips = filters.suggest_loosening(state, frame)
    message = f"No {noun} match these filters. " + (" ".join(tips) if tips else "Clear some filters in the sidebar.")
    st.info(md_escape(message), icon=":material/search_off:")


# A table's width at 1440 x 900 with the sidebar open (measured in the browser: ~980 px). The columns a reader
# needs first must fit in it; the rest follow to the right.
TABLE_FIRST_SCREEN_PX = 940


def lead_columns(columns: Iterable[tuple[str, str, int]]) -> dict:
    """Return the column config of the columns a table shows first, given as (column, heading, width in px):
    the first pinned so it stays in view when the reader scrolls right. Raise if they would not fit on the
    first screen at 1440 px (TABLE_FIRST_SCREEN_PX)."""
    columns = list(columns)
    total = sum(width for *_, width in columns)
    if total > TABLE_FIRST_SCREEN_PX:
        raise ValueError(f"lead columns are {total} px wide; {TABLE_FIRST_SCREEN_PX} px fit at 1440 px")
    return {
        column: st.column_config.Column(heading, width=width, pinned=i == 0)
        for i, (column, heading, width) in enumerate(columns)
    }


def show_frame(frame: pd.DataFrame, column_config: dict | None = None, **kwargs) -> None:
    """Show a table: headings in words, missing values blank (never "None"), no index."""
    config = {column: column_heading(column) for column in frame.columns} | (column_config or {})
    kwargs.setdefault("hide_index", True)
    st.dataframe(frame, column_config=config, placeholder="", **kwargs)


def show_table(
    frame: pd.DataFrame, name: str, column_config: dict | None = None, key: str | None = None, **kwargs
) -> None:
    """Show a table of these rows (the first TABLE_SHOW_MAX on screen) with a CSV download of all of them."""
    show_frame(frame.head(TABLE_SHOW_MAX), column_config=column_config, key=key, **kwargs)
    if len(frame) > TABLE_SHOW_MAX:
        st.caption(
            f"Showing the first {TABLE_SHOW_MAX:,} of {len(frame):,} rows: search or filter to narrow, or download all."
        )
    csv_download(frame, name, f"Download these {len(frame)} rows (CSV)", f"csv_{key or name}")


def csv_download(
    frame: pd.DataFrame | Callable[[], pd.DataFrame], name: str, label: str, key: str, container=st
) -> None:
    """Offer rows as a formula-safe CSV, built only when clicked (a CSV of thousands of rows must not cost
    every rerun). Pass a function that returns the rows to keep even the selection out of memory until
    then: the button holds on to what it is given for as long as the session lives."""
    build = frame if callable(frame) else (lambda: frame)
    container.download_button(
        label, lambda: to_safe_csv(build()), file_name=f"{name}.csv", mime="text/csv", key=key, on_click="ignore"
    )


def show_chart(fig: go.Figure, name: str, download: go.Figure | None = None) -> None:
    """Show a figure with PNG (projector resolution) and SVG downloads (of `download` when given: a figure
    that carries what the page says beside the chart, such as a caution)."""
    download = fig if download is None else download
    config = {"displaylogo": False, "toImageButtonOptions": {"format": "png", "filename": name, "scale": 3}}
    st.plotly_chart(fig, config=config, key=f"chart_{name}")
    if not fig.data:
        return
    if export.image_browser() is None:
        st.caption(export.INSTALL_HINT)
        return
    formats = (("png", "image/png", ":material/image:"), ("svg", "image/svg+xml", ":material/shape_line:"))
    for col, (fmt, mime, icon) in zip(st.columns([1, 1, 6])[:2], formats, strict=True):
        col.download_button(
            fmt.upper(),
            partial(figure_image, download, fmt),
            file_name=f"{name}.{fmt}",
            mime=mime,
            key=f"{fmt}_{name}",
            on_click="ignore",
            icon=icon,
        )


def source_table(landscape: Landscape, source_ids: Iterable[str]) -> pd.DataFrame:
    """Return the sources behind the given ids, for a 'sources for this view' list."""
    ids = list(dict.fromkeys(s for s in source_ids if isinstance(s, str)))
    table = landscape.sources.set_index("source_id").reindex(ids).reset_index()
    return table[["source_id", "kind", "citation", "published", "url"]]


def show_sources(
    landscape: Landscape, view: Hashable, collect: Callable[[], Iterable[str]], label: str = "Sources for this view"
) -> None:
    """Show the provenance line (as-of date, count) and the list of the view's sources with links.
    `view` identifies the page and its filters; `collect` returns the source ids of what is shown."""

    def build() -> tuple[int, str]:
        ids = tuple(dict.fromkeys(s for s in collect() if isinstance(s, str)))
        listing = source_listing(source_table(landscape, ids[:LISTING_MAX]))
        if len(ids) > LISTING_MAX:
            listing += f"\n\n…and {len(ids) - LISTING_MAX} more: every source is on the Sources and data page."
        return len(ids), listing

    count, listing = memo(landscape, "sources_for_view", view, build)
    st.caption(
        md_escape(
            f"Data as of {landscape.as_of} · {count} source(s) · every number traces to the source named in its row."
        )
    )
    with st.expander(f"{label} ({count})"):
        st.markdown(listing)
    # The provenance line closes every page: hand back what this run freed, not only what earlier ones did.
    server.release_freed_memory()


def chart_caption(landscape: Landscape, frame: pd.DataFrame, what: str = "sources") -> str:
    """Return the source line printed under a figure."""
    count = frame["source_id"].nunique() if "source_id" in frame.columns else 0
    return f"Sources: {count} {what}, named in each point's hover and listed below · data as of {landscape.as_of}"


def tier_legend(outcomes: pd.DataFrame) -> str:
    """Return the one-line key to the evidence tiers with the count of rows of each in view."""
    counts = evidence.tier_counts(outcomes)
    return "Evidence tiers (lighter = lower): " + " · ".join(
        f"{text} ({counts[tier]})" for tier, text in evidence.TIERS.items()
    )


# Streamlit 1.67 has no per-page switch for the header and toolbar: the presentation view hides them with
# this constant style sheet (no data in it), and dashboard.py hides the navigation (position="hidden") and
# collapses the sidebar. Every text of the page is at least 24 px on a 1920x1080 projector (read from the back
# of a room); the board's section links (st.container key "board_sections") stay at the top while scrolling.
PRESENT_BODY_PX = 26
PRESENT_SMALL_PX = 24
PRESENTATION_CSS = f"""<style>
[data-testid="stHeader"],
[data-testid="stToolbar"],
[data-testid="stSidebar"],
[data-testid="stSidebarCollapsedControl"],
[data-testid="stDecoration"] {{ display: none !important; }}
[data-testid="stMainBlockContainer"] {{ max-width: 100% !important; padding: 1.2rem 2.5rem 2rem 2.5rem !important; }}
[data-testid="stMain"] [data-testid="stMarkdownContainer"] p,
[data-testid="stMain"] [data-testid="stMarkdownContainer"] li,
[data-testid="stMain"] [data-testid="stAlert"] p {{
  font-size: {PRESENT_BODY_PX}px !important; line-height: 1.4 !important;
}}
[data-testid="stMain"] [data-testid="stCaptionContainer"],
[data-testid="stMain"] [data-testid="stCaptionContainer"] p,
[data-testid="stMain"] [data-testid="stExpander"] summary,
[data-testid="stMain"] [data-testid="stExpander"] summary p,
[data-testid="stMain"] [data-testid="stWidgetLabel"] p,
[data-testid="stMain"] button,
[data-testid="stMain"] button p,
[data-testid="stMain"] [data-testid="stMarkdownContainer"] code {{ font-size: {PRESENT_SMALL_PX}px !important; }}
[data-testid="stMain"] h1 {{ font-size: 48px !important; }}
[data-testid="stMain"] h2 {{ font-size: 38px !important; }}
[data-testid="stMain"] h3 {{ font-size: 32px !important; }}
[data-testid="stMain"] h1 a, [data-testid="stMain"] h2 a, [data-testid="stMain"] h3 a {{ display: none; }}
[data-testid="stLayoutWrapper"]:has(> .st-key-board_sections) {{ position: sticky; top: 0; z-index: 100; }}
.st-key-board_sections {{
  position: sticky; top: 0; z-index: 100; padding: 0.3rem 0.8rem; border-radius: 0.5rem;
  background: rgba(128, 128, 128, 0.22); backdrop-filter: blur(10px);
}}
</style>"""


def presentation_requested() -> bool:
    """Return True when the address asks for the projector view (present=1)."""
    return st.query_params.get(PRESENT_KEY) == "1"


def apply_presentation_view() -> None:
    """Hide the header, toolbar and sidebar and enlarge the text (see PRESENTATION_CSS)."""
    st.html(PRESENTATION_CSS)


def page_intro(title: str, landscape: Landscape, blurb: str) -> None:
    """Title, one-line purpose and the as-of date."""
    st.title(title)
    st.caption(f"{blurb} Evidence as of {landscape.as_of}. {NOT_ADVICE}")


# --- links whose widgets are bound to the address (the tumour board) -------------------------------------
LINK_NOTICE_KEY = "_link_notice"
BOUND_CHANGES_KEY = "_bound_changes"
# Streamlit 1.67 writes a bound widget's new value into the address with history.replaceState, so the
# browser's Back leaves the page instead of going to the previous value (Back and Forward do restore bound
# widgets from the address, but no history entry was made for them). This script, constant and with no data
# in it, turns each change the user made into an entry: when the count of changes grows, it puts the address
# the page showed before back on the current entry and pushes the new one. Proven by
# tests/test_browser.py::test_board_back_and_forward_restore_the_profile.
_HISTORY_JS = """
const memory = (window.__landscapeBoundHistory ??= { shown: null, changes: null });
if (!memory.listening) {
  memory.listening = true;
  window.addEventListener("popstate", () => { memory.shown = window.location.href; });
}
export default function ({ data }) {
  const here = window.location.href;
  if (memory.changes !== null && data.changes > memory.changes && memory.shown && memory.shown !== here) {
    window.history.replaceState(window.history.state, "", memory.shown);
    window.history.pushState(window.history.state, "", here);
  }
  memory.changes = data.changes;
  memory.shown = here;
}
"""


def count_bound_change() -> None:
    """The on_change of every widget bound to the address: counts the changes the user made."""
    st.session_state[BOUND_CHANGES_KEY] = st.session_state.get(BOUND_CHANGES_KEY, 0) + 1


@cache
def _history_component():
    return st.components.v2.component("landscape_bound_history", js=_HISTORY_JS)


def keep_bound_changes_in_history() -> None:
    """Give each change of a bound widget its own browser history entry (see _HISTORY_JS)."""
    _history_component()(data={"changes": st.session_state.get(BOUND_CHANGES_KEY, 0)}, key="bound_history", height=0)


def rewrite_link(params: Mapping[str, list[str]], bound: Mapping[str, object], notice: str | None) -> NoReturn:
    """Put these parameters in the address and run the page again, carrying the notice to that run: bound
    widgets read the address only at the start of a run. A parameter already bound to a widget of this page
    cannot be written (the browser went back to the entry of a link that was rewritten, and the page has run
    since): then the bound widgets take their values from session state instead (`bound`, by key)."""
    if notice:
        st.session_state[LINK_NOTICE_KEY] = notice
    try:
        st.query_params.from_dict(params)
    except StreamlitAPIException:
        for key in [k for k in st.query_params.keys() if k not in params and k not in bound]:
            del st.query_params[key]
        for key, value in bound.items():
            st.session_state[key] = value
        for key, values in params.items():
            if key not in bound:
                st.query_params[key] = values
    st.rerun()


def take_link_notice() -> str | None:
    """Return the notice a rewritten link left for this run, once."""
    return st.session_state.pop(LINK_NOTICE_KEY, None)
