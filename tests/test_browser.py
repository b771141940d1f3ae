"""Every page in a real headless Chromium against a real `streamlit run` server: no exception box, no
console error, the main chart or table present, and a full-page screenshot for review."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
from pathlib import Path

import pytest

from landscape import filters, schema, sitemap
from landscape.board import words
from landscape.ui import FACETS_LABEL
from tests.conftest import ROOT
from tests.serving import served

CHROMIUM = "/usr/bin/chromium"
SHOTS = ROOT / "artifacts" / "screenshots"
# On a deep link (/agents) Streamlit's frontend first probes /agents/_stcore/health and host-config, gets
# 404, then uses the server root: a known quirk of Streamlit's multipage routing, not an app error.
BENIGN_404 = re.compile(r"/[a-z_]+/_stcore/(health|host-config)$")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--use-gl=swiftshader",
    "--enable-unsafe-swiftshader",
]

if not Path(CHROMIUM).exists() or shutil.which("chromium") is None:
    if os.environ.get("CI"):
        pytest.fail(
            "CI must run the browser tests: /usr/bin/chromium is missing (apt-get install chromium)", pytrace=False
        )
    pytest.skip(
        "no Chromium at /usr/bin/chromium (apt-get install chromium to run the browser tests)", allow_module_level=True
    )

playwright_api = pytest.importorskip("playwright.sync_api")
expect = playwright_api.expect
pytestmark = pytest.mark.browser

PAGES = [(p.name, p.slug, p.main_element) for p in sitemap.PAGES]
LOCAL_PREFIXES = ("http://127.0.0.1:", "http://localhost:", "data:", "blob:", "about:")


@pytest.fixture(scope="module")
def server():
    with served() as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    with playwright_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class Visit:
    """One page load with its console errors collected."""

    def __init__(self, browser, url: str, color_scheme: str = "light", viewport: tuple[int, int] = (1600, 1000)):
        self.context = browser.new_context(
            viewport={"width": viewport[0], "height": viewport[1]}, color_scheme=color_scheme
        )
        self.page = self.context.new_page()
        self._console: list[str] = []
        self._bad_responses: list[str] = []
        self.foreign_requests: list[str] = []
        self.dialogs: list[str] = []
        # Fully offline: nothing may be fetched from another host (fonts, favicons, basemaps, telemetry).
        self.page.on(
            "request", lambda r: self.foreign_requests.append(r.url) if not r.url.startswith(LOCAL_PREFIXES) else None
        )
        # A script injected through a link or data would show itself as a dialog.
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.page.on("console", lambda m: self._console.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self._console.append(f"page error: {e}"))
        self.page.on("response", lambda r: self._bad_responses.append(r.url) if r.status >= 400 else None)
        self.page.goto(url, wait_until="domcontentloaded")

    @property
    def errors(self) -> list[str]:
        """Console errors, failed requests (less the known benign multipage probes), requests to any
        other host, and dialogs a script opened."""
        unexpected = [url for url in self._bad_responses if not BENIGN_404.search(url)]
        console = [m for m in self._console if not (m.startswith("Failed to load resource") and not unexpected)]
        foreign = [f"request to another host: {url}" for url in self.foreign_requests]
        return console + [f"HTTP error: {url}" for url in unexpected] + foreign + [f"dialog: {m}" for m in self.dialogs]

    def settle(self, selector: str) -> None:
        """Wait until the page's main content is attached and the script has finished running."""
        expect(self.page.locator(selector).first).to_be_attached(timeout=60_000)
        # Streamlit shows a running indicator while the script runs; wait until it is gone.
        expect(self.page.locator('[data-testid="stStatusWidget"]')).to_have_count(0, timeout=60_000)
        expect(self.page.locator('[data-testid="stSkeleton"]')).to_have_count(0, timeout=60_000)

    def screenshot(self, name: str) -> Path:
        SHOTS.mkdir(parents=True, exist_ok=True)
        # Streamlit scrolls inside its main container: grow the viewport to the content first.
        height = self.page.evaluate(
            "() => Math.max(...[...document.querySelectorAll("
            '\'[data-testid="stMain"], [data-testid="stAppViewContainer"], section.main\''
            ")].map(e => e.scrollHeight), 1000)"
        )
        self.page.set_viewport_size({"width": 1600, "height": min(int(height) + 80, 16000)})
        expect(self.page.locator('[data-testid="stStatusWidget"]')).to_have_count(0, timeout=60_000)
        path = SHOTS / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path

    def close(self) -> None:
        self.context.close()


@contextlib.contextmanager
def visiting(browser, url: str, color_scheme: str = "light", viewport: tuple[int, int] = (1600, 1000)):
    """A page load, closed after the block."""
    visit = Visit(browser, url, color_scheme, viewport)
    try:
        yield visit
    finally:
        visit.close()


@pytest.mark.parametrize(("name", "path", "selector"), PAGES, ids=[p[0] for p in PAGES])
def test_page_in_browser(server, browser, name, path, selector):
    with visiting(browser, f"{server}/{path}") as visit:
        visit.settle(selector)
        assert visit.page.locator('[data-testid="stException"]').count() == 0
        assert visit.page.locator(selector).count() > 0
        assert f"as of {schema.as_of()}" in visit.page.inner_text("body")
        box = visit.page.locator(selector).first.bounding_box()
        assert box and box["height"] > 50 and box["width"] > 100, f"{name}: main content not drawn ({box})"
        title = next(p.title for p in sitemap.PAGES if p.name == name)
        assert title.split(":")[0] in visit.page.inner_text("h1") or name == "overview"
        visit.screenshot(name)
        assert visit.errors == [], visit.errors


def test_hostile_link_runs_nothing_and_gives_one_notice(server, browser):
    import urllib.parse

    params = [
        ("phase", "<img src=x onerror=alert(1)>"),
        ("q", "<script>alert(2)</script>"),
        ("line", "2L"),
        ("line", "2L"),
        ("trial", "x\x00y"),
    ]
    params += [(f"k{i}", "v" * 50) for i in range(300)] + [("view", "[x](javascript:alert(3))"), ("q", "a" * 5000)]
    query = urllib.parse.urlencode(params)
    with visiting(browser, f"{server}/trials?{query}") as visit:
        visit.settle('[data-testid="stMainBlockContainer"]')
        # "view" belongs to other pages: on Trials it is one more unknown parameter.
        expect(visit.page.get_by_text("Ignored 301 unknown link parameters", exact=False)).to_be_visible(timeout=60_000)
        body = visit.page.inner_text("body")
        assert body.count("unknown link parameter") == 1
        assert "and 291 more" in body
        assert visit.page.locator('[data-testid="stException"]').count() == 0
        assert visit.page.locator("img[src=x]").count() == 0 and visit.dialogs == []
        assert visit.errors == [], visit.errors


def test_shared_link_reproduces_the_filtered_view(server, browser):
    with visiting(browser, f"{server}/trials?line=2L&phase=Phase+3&trial=destiny_gastric04") as visit:
        visit.settle('[data-testid="stDataFrame"]')
        body = visit.page.inner_text("body")
        assert "line 2L; phase Phase 3" in body
        assert "DESTINY-Gastric04" in body and "Arms and outcomes" in body
        assert "line=2L" in visit.page.url and "trial=destiny_gastric04" in visit.page.url
        visit.screenshot("trials_shared_link")
        assert visit.errors == [], visit.errors


def test_the_filters_draw_when_opened_and_a_chosen_one_stays_when_closed(server, browser):
    facets = re.compile(re.escape(FACETS_LABEL))
    with visiting(browser, f"{server}/trials") as visit:
        visit.settle('[data-testid="stDataFrame"]')
        sidebar = visit.page.locator('[data-testid="stSidebar"]')
        widgets = sidebar.locator('[data-testid="stMultiSelect"]')
        expect(widgets).to_have_count(0)  # a plain link draws only the search box
        sidebar.get_by_text(facets).click()
        expect(widgets).to_have_count(len(filters.FILTERS), timeout=60_000)
        widgets.first.click()
        visit.page.get_by_role("option", name="2L", exact=True).click()
        visit.page.keyboard.press("Escape")
        expect(visit.page).to_have_url(re.compile(r"/trials\?line=2L$"), timeout=60_000)
        expect(visit.page.get_by_text("trials: line 2L.", exact=False)).to_be_visible(timeout=60_000)
        sidebar.get_by_text(facets).click()  # closed with a filter chosen: the filter stays
        visit.settle('[data-testid="stDataFrame"]')
        expect(visit.page).to_have_url(re.compile(r"/trials\?line=2L$"))
        expect(visit.page.get_by_text("trials: line 2L.", exact=False)).to_be_visible()
        visit.page.reload()  # the link alone gives the same view, with the filters open
        visit.settle('[data-testid="stDataFrame"]')
        expect(visit.page.get_by_text("trials: line 2L.", exact=False)).to_be_visible(timeout=60_000)
        expect(widgets).to_have_count(len(filters.FILTERS))
        assert visit.page.locator('[data-testid="stException"]').count() == 0
        assert visit.errors == [], visit.errors


def test_bad_link_shows_a_notice_not_an_error(server, browser):
    with visiting(browser, f"{server}/efficacy?phase=Phase+9&view=Table&nonsense=%3Cscript%3E") as visit:
        visit.settle('[data-testid="stDataFrame"]')
        body = visit.page.inner_text("body")
        assert '"Phase 9" for phase' in body
        assert "Ignored 1 unknown link parameter: nonsense" in body
        assert visit.page.locator('[data-testid="stException"]').count() == 0


def test_dark_theme_renders(browser):
    with served(theme="dark") as url, visiting(browser, f"{url}/efficacy", color_scheme="dark") as visit:
        visit.settle('[data-testid="stPlotlyChart"] .main-svg')
        visit.screenshot("efficacy_dark")
        background = visit.page.evaluate(
            "() => getComputedStyle(document.querySelector('[data-testid=\"stApp\"]')).backgroundColor"
        )
        assert background != "rgb(255, 255, 255)"
        assert visit.errors == [], visit.errors


def test_broken_data_shows_problem_list_in_browser(browser, data_copy):
    text = (data_copy / "trials.csv").read_text(encoding="utf-8")
    (data_copy / "trials.csv").write_text(text.replace("Phase 3", "Phase 9", 1), encoding="utf-8")
    with served(env={"LANDSCAPE_DATA_DIR": str(data_copy)}) as url, visiting(browser, f"{url}/trials") as visit:
        visit.settle('[data-testid="stAlert"]')
        assert "did not validate" in visit.page.inner_text("body")
        assert visit.page.locator('[data-testid="stException"]').count() == 0
        visit.screenshot("broken_data")


def test_deep_link_on_a_fresh_server_runs_through_the_entry_point(browser):
    # The first request a new server sees is a shared link to a page (the tumour-board invitation case).
    with served() as url, visiting(browser, f"{url}/efficacy?view=Table&line=2L") as visit:
        visit.settle('[data-testid="stDataFrame"]')
        nav = visit.page.inner_text('[data-testid="stSidebarNav"]')
        assert "Sources and data" in nav and "dashboard" not in nav
        width = visit.page.evaluate(
            "() => document.querySelector('[data-testid=\"stMainBlockContainer\"]').getBoundingClientRect().width"
        )
        assert width > 1000, f"page did not get the wide layout ({width}px)"
        body = visit.page.inner_text("body")
        assert "Showing" in body and "line 2L" in body
        assert visit.errors == [], visit.errors


BOARD_LINK = "board?b_line=2L&b_cps=5&b_prior=Trastuzumab&b_countries=United+States&b_countries=Canada&present=1"
CHART = '[data-testid="stPlotlyChart"] .main-svg'
# What the projector view must hold: the largest rendered width of anything; the size of every text of the page
# outside the chart (each element with text of its own) and of every text in the chart; the boxes of the
# chart's tick labels; what is hidden.
MEASURE = """() => {
  const main = document.querySelector('[data-testid="stMain"]');
  const widest = Math.max(
    ...[...document.querySelectorAll('[data-testid="stMain"] *')].map(e => e.getBoundingClientRect().right)
  );
  const shown = e => e.checkVisibility({visibilityProperty: true, opacityProperty: true});
  const ownText = e => [...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
  // Icons are ligatures of a symbol font ("download"), not text to read.
  const skip = '[data-testid="stPlotlyChart"], [data-testid="stIconMaterial"], [data-testid="stAlertDynamicIcon"]';
  const page = [...main.querySelectorAll('*')]
    .filter(e => !e.closest(skip) && ownText(e) && shown(e))
    .map(e => [parseFloat(getComputedStyle(e).fontSize), e.textContent.trim().slice(0, 60)]);
  const smallest = page.reduce((a, b) => (b[0] < a[0] ? b : a), [1e9, '']);
  const chartTexts = [...document.querySelectorAll('[data-testid="stPlotlyChart"] svg text')]
    .filter(e => e.textContent.trim() && shown(e))
    .map(e => [parseFloat(getComputedStyle(e).fontSize), e.textContent.trim().slice(0, 40)]);
  const chartSmallest = chartTexts.reduce((a, b) => (b[0] < a[0] ? b : a), [1e9, '']);
  // Plotly classes a subplot's ticks x2tick, x3tick ...: every tick label sits in an axis layer.
  const ticks = [...document.querySelectorAll(
    '[data-testid="stPlotlyChart"] .xaxislayer-above text, [data-testid="stPlotlyChart"] .yaxislayer-above text'
  )].filter(e => e.textContent.trim()).map(e => {
    const r = e.getBoundingClientRect();
    return {text: e.textContent.trim().slice(0, 40), x0: r.left, y0: r.top, x1: r.right, y1: r.bottom};
  });
  const overlaps = [];
  ticks.forEach((a, i) => ticks.slice(i + 1).forEach(b => {
    if (Math.min(a.x1, b.x1) - Math.max(a.x0, b.x0) > 0.5 && Math.min(a.y1, b.y1) - Math.max(a.y0, b.y0) > 0.5) {
      overlaps.push(a.text + ' | ' + b.text);
    }
  }));
  const chart = document.querySelector('[data-testid="stPlotlyChart"]').getBoundingClientRect();
  const visible = sel => {
    const e = document.querySelector(sel);
    return !!e && e.offsetParent !== null && e.getBoundingClientRect().width > 0;
  };
  const svgText = [...document.querySelectorAll('[data-testid="stPlotlyChart"] svg text')].map(e => e.textContent);
  return {
    scrollWidth: document.documentElement.scrollWidth,
    mainScrollWidth: main.scrollWidth,
    widest,
    minFont: smallest[0],
    minFontText: smallest[1],
    fonts: page.length,
    chartMinFont: chartSmallest[0],
    chartMinFontText: chartSmallest[1],
    chartTexts: chartTexts.length,
    ticks: ticks.length,
    overlaps,
    cautionInChart: svgText.some(t => t.includes('Cross-trial')),
    chartWidth: chart.width,
    chartHeight: chart.height,
    sidebar: visible('[data-testid="stSidebar"]'),
    header: visible('[data-testid="stHeader"]'),
    toolbar: visible('[data-testid="stToolbar"]'),
    color: getComputedStyle(document.querySelector('[data-testid="stMarkdownContainer"] p')).color,
    background: getComputedStyle(document.querySelector('[data-testid="stApp"]')).backgroundColor,
  };
}"""
PRESENT_BODY_PX = 24  # every text of the page, read from the back of a room
PRESENT_CHART_PX = 18  # every text of the chart


def _check_projector_view(visit, width: int, height: int) -> dict:
    visit.settle(CHART)
    assert visit.page.locator('[data-testid="stException"]').count() == 0
    body = visit.page.inner_text("body")
    assert "Tumour board" in body and "Leave presentation view" in body and schema.as_of() in body
    assert body.count(words.CROSS_TRIAL_CAUTION) == 1, "the cross-trial caution once"
    m = visit.page.evaluate(MEASURE)
    assert not m["sidebar"] and not m["header"] and not m["toolbar"], m
    assert m["scrollWidth"] <= width and m["mainScrollWidth"] <= width and m["widest"] <= width + 1, m
    assert m["fonts"] > 10 and m["minFont"] >= PRESENT_BODY_PX, (m["minFont"], m["minFontText"])
    assert m["chartTexts"] > 10 and m["chartMinFont"] >= PRESENT_CHART_PX, (m["chartMinFont"], m["chartMinFontText"])
    assert m["ticks"] > 10 and m["overlaps"] == [], m["overlaps"]
    assert not m["cautionInChart"]
    assert m["chartWidth"] <= width and m["chartHeight"] <= height, m
    return m


@pytest.mark.parametrize("size", [(1920, 1080), (1280, 720)], ids=["1920x1080", "1280x720"])
def test_board_presentation_view_fits_the_projector(server, browser, size):
    width, height = size
    with visiting(browser, f"{server}/{BOARD_LINK}", viewport=size) as visit:
        _check_projector_view(visit, width, height)
        SHOTS.mkdir(parents=True, exist_ok=True)
        visit.page.screenshot(path=str(SHOTS / f"board_present_{width}x{height}.png"))
        visit.page.locator('[data-testid="stPlotlyChart"]').scroll_into_view_if_needed()
        visit.page.wait_for_timeout(500)
        visit.page.screenshot(path=str(SHOTS / f"board_present_{width}x{height}_chart.png"))
        assert visit.errors == [], visit.errors


def test_board_presentation_view_in_the_dark_theme(browser):
    with served(theme="dark") as url:
        for size in ((1920, 1080), (1280, 720)):
            with visiting(browser, f"{url}/{BOARD_LINK}", color_scheme="dark", viewport=size) as visit:
                m = _check_projector_view(visit, *size)
                assert m["background"] != "rgb(255, 255, 255)"
                red, green, blue = (int(v) for v in re.findall(r"\d+", m["color"])[:3])
                assert min(red, green, blue) > 150, f"text is not light on the dark background: {m['color']}"
                name = f"board_present_{size[0]}x{size[1]}_dark"
                visit.page.screenshot(path=str(SHOTS / f"{name}.png"))
                visit.page.locator('[data-testid="stPlotlyChart"]').scroll_into_view_if_needed()
                visit.page.wait_for_timeout(500)
                visit.page.screenshot(path=str(SHOTS / f"{name}_chart.png"))
                assert visit.errors == [], visit.errors


SECTION_LINKS = {"Options": "options", "Evidence": "evidence", "Trials": "trials", "What changed": "changes"}


def test_board_present_sections_are_one_click_away_and_the_links_stay_in_view(server, browser):
    with visiting(browser, f"{server}/{BOARD_LINK}", viewport=(1920, 1080)) as visit:
        visit.settle(CHART)
        for name, anchor in SECTION_LINKS.items():
            visit.page.locator(".st-key-board_sections").get_by_role("link", name=re.compile(f"^{name} \\(")).click()
            heading = visit.page.locator(f'[data-testid="stMain"] [id="{anchor}"]')
            expect(heading).to_be_in_viewport(timeout=10_000)
            top = heading.evaluate("e => e.getBoundingClientRect().top")
            main = visit.page.locator('[data-testid="stMain"]')
            at_end = main.evaluate("e => e.scrollTop + e.clientHeight >= e.scrollHeight - 2")
            assert top < 1080 / 2 or at_end, f"{name}: the section starts at {top}px, not at the top"
            links = visit.page.locator(".st-key-board_sections").bounding_box()
            assert links and 0 <= links["y"] < 100, f"the section links left the screen ({links})"
        assert "#changes" in visit.page.url or visit.page.url.endswith("present=1")
        visit.page.screenshot(path=str(SHOTS / "board_present_1920x1080_changes.png"))
        assert visit.errors == [], visit.errors


def test_board_presentation_button_and_bad_link(server, browser):
    with visiting(browser, f"{server}/board?b_line=7L&b_agency=EMA", viewport=(1920, 1080)) as visit:
        visit.settle(CHART)
        assert "Ignored b_line" in visit.page.inner_text("body")
        visit.page.get_by_role("button", name="Presentation view").click()
        visit.page.wait_for_function("() => location.search.includes('present=1')", timeout=30_000)
        visit.settle(CHART)
        assert visit.page.get_by_role("button", name="Leave presentation view").is_visible()
        assert visit.errors == [], visit.errors


def test_board_deck_and_chart_downloads_work_in_the_browser(server, browser, tmp_path):
    """The buttons a user clicks: the deck is built on click (python-pptx loaded only then) and opens."""
    from pptx import Presentation

    with visiting(browser, f"{server}/{BOARD_LINK}", viewport=(1920, 1080)) as visit:
        visit.settle('[data-testid="stPlotlyChart"] .main-svg')
        with visit.page.expect_download(timeout=120_000) as download:
            visit.page.get_by_role("button", name="Download deck (PPTX)").click()
        path = tmp_path / "board.pptx"
        download.value.save_as(path)
        deck = Presentation(str(path))
        texts = [" ".join(sh.text_frame.text for sh in s.shapes if sh.has_text_frame) for s in deck.slides]
        assert len(deck.slides) >= 5 and any("Key evidence" in t for t in texts), texts[:3]
        assert visit.errors == [], visit.errors


def _profile_shown(visit, words: str) -> None:
    expect(visit.page.locator("h3").filter(has_text="HER2 IHC")).to_contain_text(words, timeout=60_000)


def test_board_back_and_forward_restore_the_profile(server, browser):
    with visiting(browser, f"{server}/board") as visit:
        visit.settle(CHART)
        _profile_shown(visit, "1L · HER2 IHC 3+")
        visit.page.locator('[data-testid="stButtonGroup"]').first.get_by_text("2L", exact=True).click()
        _profile_shown(visit, "2L · HER2 IHC 3+")
        expect(visit.page).to_have_url(re.compile(r"/board\?b_line=2L$"))
        visit.page.go_back()
        _profile_shown(visit, "1L · HER2 IHC 3+")
        expect(visit.page).to_have_url(re.compile(r"/board$"))
        visit.page.go_forward()
        _profile_shown(visit, "2L · HER2 IHC 3+")
        expect(visit.page).to_have_url(re.compile(r"/board\?b_line=2L$"))
        visit.settle(CHART)
        assert visit.page.locator('[data-testid="stException"]').count() == 0
        assert visit.errors == [], visit.errors


def test_an_old_board_link_opens_under_the_new_names_and_back_keeps_it(server, browser):
    with visiting(browser, f"{server}/board?line=2L&her2=ihc3&prior=trastuzumab&countries=US,CA") as visit:
        visit.settle(CHART)
        _profile_shown(visit, "2L · HER2 IHC 3+ · PD-L1 CPS unknown · prior Trastuzumab")
        expect(visit.page.get_by_text("old parameter names", exact=False)).to_have_count(1)
        expect(visit.page).to_have_url(
            re.compile(r"/board\?b_line=2L&b_prior=Trastuzumab&b_countries=United\+States&b_countries=Canada$")
        )
        # The browser's entry before is the link as it was given: it reads the same way again.
        visit.page.go_back()
        _profile_shown(visit, "2L · HER2 IHC 3+ · PD-L1 CPS unknown · prior Trastuzumab")
        expect(visit.page).to_have_url(re.compile(r"/board\?.*b_line=2L"))
        visit.settle(CHART)
        assert visit.page.locator('[data-testid="stException"]').count() == 0
        assert visit.errors == [], visit.errors
