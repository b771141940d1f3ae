"""The site map: every page of the dashboard once (slug, title, icon, file, the URL keys it owns). The entry
script, the sidebar, the tests, the benchmark and the load script all read it. (Named so that "registry" means
only ClinicalTrials.gov.)"""

from __future__ import annotations

from dataclasses import dataclass

from landscape import board
from landscape.paths import PROJECT_DIR


@dataclass(frozen=True)
class PageSpec:
    slug: str  # URL path of the page ("" for the landing page)
    title: str
    icon: str
    file: str  # relative to the project directory
    url_keys: tuple[str, ...] = ()  # the page's own URL parameters (never a shared filter's key)
    default: bool = False
    shared_filters: bool = True  # whether the page shows the shared sidebar filters (the board has its own profile)
    main_element: str = '[data-testid="stDataFrame"]'  # what shows the page's main content (a browser waits for it)

    @property
    def path(self) -> str:
        return str(PROJECT_DIR / self.file)

    @property
    def name(self) -> str:
        """A short name for tests and reports (the file's stem)."""
        return self.file.rsplit("/", 1)[-1].removesuffix(".py")


_METRIC = '[data-testid="stMetric"]'
_CHART = '[data-testid="stPlotlyChart"] .main-svg'
_MAP = '[data-testid="stDeckGlJsonChart"] canvas'
PAGES: tuple[PageSpec, ...] = (
    PageSpec("", "Overview", ":material/home:", "pages/overview.py", ("context",), default=True, main_element=_METRIC),
    PageSpec("agents", "Agents", ":material/medication:", "pages/agents.py", ("agent", "her2only")),
    PageSpec("trials", "Trials", ":material/science:", "pages/trials.py", ("trial",)),
    PageSpec(
        "efficacy",
        "Efficacy",
        ":material/bar_chart:",
        "pages/efficacy.py",
        ("view", "rows", "order", "tiers", "anchor", "bh_efficacy", "bh_harm", "bh_show"),
        main_element=_CHART,
    ),
    PageSpec(
        "pipeline",
        "Pipeline",
        ":material/view_kanban:",
        "pages/pipeline.py",
        ("group", "cell"),
        main_element=_CHART,
    ),
    PageSpec("timeline", "Timeline", ":material/calendar_month:", "pages/timeline.py", ("view",), main_element=_CHART),
    PageSpec("map", "Map", ":material/map:", "pages/map.py", ("colour",), main_element=_MAP),
    PageSpec(
        "board",
        "Tumour board",
        ":material/groups:",
        "pages/board.py",
        board.URL_KEYS,
        shared_filters=False,
        main_element=_CHART,
    ),
    PageSpec("sources", "Sources and data", ":material/menu_book:", "pages/sources.py"),
)
BY_NAME: dict[str, PageSpec] = {p.name: p for p in PAGES}
