"""The slide deck, opened with python-pptx and rendered by LibreOffice: a summary first, the options on one
slide when they fit, the evidence chart with the pivotal trial first and its text at 12 pt or more, a footer
citing sources in words and the as-of date on every slide, dates that never break, no text box that
overflows, and every slide drawn."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image
from pptx import Presentation
from pptx.util import Emu, Pt

from landscape import export
from landscape.board import deck, words
from landscape.board.engine import build_board
from landscape.board.profile import Profile, Vocabulary, board_link
from landscape.text import short_citation
from tests.conftest import ROOT

LINK = "https://board.example.org/board?b_line=2L&b_prior=Trastuzumab&b_since=2026-01-01&present=1"
TINY_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)
SHOTS = ROOT / "artifacts" / "screenshots"
T = "trastuzumab"
ISO_DATE = re.compile(r"\b\d{4}-\d{2}(?:-\d{2})?\b")


class Renderer:
    """A chart renderer for tests: records what it was asked to draw, returns a tiny PNG."""

    def __init__(self):
        self.calls: list[tuple] = []

    def __call__(self, fig, width: int, height: int) -> bytes:
        self.calls.append((fig, width, height))
        return TINY_PNG


def open_deck(data: bytes):
    return Presentation(io.BytesIO(data))


def title_of(slide) -> str:
    return slide.shapes[0].text_frame.text


def titles(prs) -> list[str]:
    return [title_of(slide) for slide in prs.slides]


def plain(text: str) -> str:
    """Deck text as the other surfaces write it: dates with ordinary hyphens and spaces."""
    return text.replace("\u2011", "-").replace("\u00a0", " ")


def runs(prs):
    for slide in prs.slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                for paragraph in shape.text_frame.paragraphs:
                    yield from paragraph.runs


def paragraphs(slide) -> list[str]:
    return [
        plain(p.text)
        for s in list(slide.shapes)[1:]
        if s.has_text_frame and s.name not in {"footer", "slide number"}
        for p in s.text_frame.paragraphs
    ]


def slides_titled(prs, start: str) -> list:
    return [s for s in prs.slides if title_of(s).startswith(start)]


PROFILE_2L = Profile("2L", "ihc3", None, (T,), "FDA", ("US",), "2026-01-01")


@pytest.fixture(scope="module")
def result(landscape):
    return build_board(landscape, PROFILE_2L)


@pytest.fixture(scope="module")
def renderer():
    return Renderer()


@pytest.fixture(scope="module")
def pptx(landscape, result, renderer):
    return open_deck(deck.build_deck(landscape, result, LINK, png=renderer))


def test_slides_in_order_at_16_9(pptx, result):
    assert round(pptx.slide_width / pptx.slide_height, 3) == round(16 / 9, 3)
    names = titles(pptx)
    assert names[0] == words.SUMMARY_TITLE
    assert names[1].startswith("Approved options (FDA labels)")
    assert names.index(words.evidence_title("2L")) > 1
    order = ["Approved options", "Key evidence: ", "Key evidence in numbers", "Safety", "Trials", "What changed"]
    firsts = [next(i for i, n in enumerate(names) if n.startswith(o)) for o in order]
    assert firsts == sorted(firsts)
    assert names[-1].startswith("Sources")


def test_the_summary_comes_first_with_evidence_safety_and_guidelines_of_each_fitting_option(pptx, result):
    shown = paragraphs(pptx.slides[0])
    text = "\n".join(shown)
    assert result.profile_words in text and words.NOT_ADVICE in text and result.as_of in text
    assert result.fitting
    for option in result.fitting:
        name, detail = words.option_heading(option)
        at = shown.index(f"FITS  {name}{words.SEPARATOR}{detail}")
        expected = [f"{words.EVIDENCE_LABEL}: {words.evidence_summary(option)}"] if option.evidence else []
        expected.append("Boxed warnings (FDA label): Interstitial lung disease and pneumonitis · Embryo-fetal toxicity")
        expected += [words.guideline_line(option)] if option.guidelines else []
        missing = [] if option.evidence else [words.NO_EVIDENCE_RECORDED]
        missing += [] if option.guidelines else [words.NO_GUIDELINE]
        expected += ["; ".join(missing)] if missing else []
        assert shown[at + 1 : at + 1 + len(expected)] == expected
    assert "OS HR 0.70 (95% CI 0.55-0.90)" in text, "the pivotal 2L trial's hazard ratio"
    assert f"{words.LINK_LABEL}: {LINK}" in text
    links = [
        r.hyperlink.address
        for s in pptx.slides[0].shapes
        if s.has_text_frame
        for p in s.text_frame.paragraphs
        for r in p.runs
        if r.hyperlink.address
    ]
    assert links == [LINK]


def test_the_summary_names_the_first_warnings_and_counts_the_rest(landscape):
    result = build_board(landscape, Profile("3L+", "ihc3", None, (T,), "PMDA"))
    prs = open_deck(deck.build_deck(landscape, result, LINK, png=None))
    text = "\n".join(paragraphs(prs.slides[0]))
    ram = next(o for o in result.fitting if o.approval_id == "pmda_ramucirumab_2015")
    warnings = next(body for kind, _, body in words.safety_parts(ram.safety) if kind == "warning").split(" · ")
    assert len(warnings) > deck.SUMMARY_TOPICS
    shown = " · ".join(warnings[: deck.SUMMARY_TOPICS])
    assert f"{shown} and {len(warnings) - deck.SUMMARY_TOPICS} more (Safety slide)" in text


@pytest.mark.parametrize(
    "profile",
    [
        PROFILE_2L,
        Profile("1L", "ihc3", None, (), "EMA"),
        Profile("1L", "ihc3", 5, (), "NMPA"),
        Profile("3L+", "ihc3", None, (T,), "PMDA"),
    ],
    ids=["FDA-2L", "EMA-1L", "NMPA-1L", "PMDA-3L"],
)
def test_the_summary_takes_one_slide(landscape, profile):
    prs = open_deck(deck.build_deck(landscape, build_board(landscape, profile), LINK, png=None))
    assert titles(prs).count(words.SUMMARY_TITLE) == 1 and titles(prs)[1].startswith("Approved options")


def test_a_board_without_a_fitting_option_says_so_first(landscape):
    result = build_board(landscape, Profile("2L", "ihc0", None, (), "EMA"))
    assert not result.fitting
    prs = open_deck(deck.build_deck(landscape, result, None, png=None))
    text = "\n".join(paragraphs(prs.slides[0]))
    assert words.no_fitting_option("EMA") in text and words.NO_LINK in text
    assert words.evidence_title("2L") not in titles(prs) and any(t.startswith("Trials") for t in titles(prs))


# profile -> whether all its current options must share one slide (they measure to fit)
OPTION_CASES = [
    (Profile("1L", "ihc3", None, (), "EMA"), True),
    (Profile("1L", "ihc3", 5, (), "NMPA"), True),
    (PROFILE_2L, None),
    (Profile("3L+", "ihc2-ish-neg", None, (T,), "NMPA"), None),
]


@pytest.mark.parametrize(("profile", "one_slide"), OPTION_CASES, ids=["EMA-1L", "NMPA-1L", "FDA-2L", "NMPA-3L"])
def test_current_options_share_a_slide_when_they_fit_and_superseded_ones_take_one_paragraph(
    landscape, profile, one_slide
):
    result = build_board(landscape, profile)
    prs = open_deck(deck.build_deck(landscape, result, LINK, png=None))
    slides = slides_titled(prs, words.options_title(profile.agency))
    current = [o for o in result.approved if o.verdict != "superseded"]
    superseded = [o for o in result.approved if o.verdict == "superseded"]
    blocks = [deck._option_block(o) for o in current]
    expected = len(deck.pack(blocks, ending=deck._superseded_line(superseded)))
    assert len(slides) == expected
    if one_slide:
        assert expected == 1
    shown = [p for s in slides for p in paragraphs(s)]
    for option in current:
        name, detail = words.option_heading(option)
        assert (
            sum(p.startswith(f"{words.verdict_label(option.verdict)}  {name}{words.SEPARATOR}{detail}:") for p in shown)
            == 1
        )
    lines = [p for p in shown if p.startswith(words.SUPERSEDED_HEADING)]
    assert len(lines) == (1 if superseded else 0)
    if superseded:
        assert lines[0] in paragraphs(slides[-1]) and all(o.regimen in lines[0] for o in superseded)
        assert len(slides) == 1 or paragraphs(slides[-1]) != lines, "never a slide of superseded entries alone"


def test_every_slide_has_a_footer_citing_its_sources_in_words(pptx, result, landscape):
    ids = set(landscape.sources["source_id"])
    for number, slide in enumerate(pptx.slides, start=1):
        footer = [s for s in slide.shapes if s.name == "footer"]
        assert len(footer) == 1, f"slide {number} has no footer"
        text = plain(footer[0].text_frame.text)
        assert text.startswith("Sources: ") and text.endswith(f"Evidence as of {result.as_of}")
        assert [s.text_frame.text for s in slide.shapes if s.name == "slide number"] == [str(number)]
    every = "\n".join(s.text_frame.text for slide in pptx.slides for s in slide.shapes if s.has_text_frame)
    assert not {w for w in re.findall(r"[a-z0-9_]+", every) if w in ids and "_" in w}, "a source id on a slide"


FOOTER = re.compile(r"^Sources: (?P<cited>.*?)(?: and (?P<more>\d+) more \(Sources slides\))? · Evidence as of \S+$")


def footer_citations(slide) -> tuple[list[str], int]:
    """Return the citations a slide's footer names and how many more it counts."""
    text = plain(next(s for s in slide.shapes if s.name == "footer").text_frame.text)
    match = FOOTER.match(text)
    assert match, text
    cited = [] if match["cited"] == "none on this slide" else match["cited"].split("; ")
    return cited, int(match["more"] or 0)


def _heading(item, heading) -> str:
    name, detail = heading(item)
    return f"{words.verdict_label(item.verdict)}  {name}{words.SEPARATOR}{detail}"


# Slide title -> the items a result has for such slides, the paragraph that shows one, and its sources.
SECTIONS = [
    (
        "Approved options",
        lambda r: [o for o in r.approved if o.verdict != "superseded"],
        lambda o: _heading(o, words.option_heading),
        lambda o: [*o.label_source_ids, *(g.source_id for g in o.guidelines)],
    ),
    ("Key evidence in numbers", lambda r: r.evidence_rows, words.evidence_text, lambda row: [row["source_id"]]),
    (
        "Safety",
        lambda r: r.fitting,
        lambda o: words.SEPARATOR.join(words.option_heading(o)),
        lambda o: [*o.safety.source_ids, *(g.source_id for g in o.guidelines)],
    ),
    ("Trials", lambda r: r.offered_trials, lambda t: _heading(t, words.trial_heading), lambda t: t.source_ids),
    ("What changed since", lambda r: r.changes, lambda c: ": ".join(words.change_heading(c)), lambda c: [c.source_id]),
]
FOOTER_CASES = [
    (PROFILE_2L, True),
    (Profile("2L", "ihc3", None, (T,), "FDA", (), "2015-01-01"), None),
    (Profile("1L", "ihc3", 5, (), "NMPA", (), "2020-01-01"), True),
]


@pytest.mark.parametrize(("profile", "charts"), FOOTER_CASES, ids=["chart", "no-chart-many-changes", "nmpa"])
def test_each_footer_cites_exactly_the_sources_of_what_its_slide_shows(landscape, profile, charts):
    result = build_board(landscape, profile)
    prs = open_deck(deck.build_deck(landscape, result, LINK, png=Renderer() if charts else None))
    superseded = [s for o in result.approved if o.verdict == "superseded" for s in SECTIONS[0][3](o)]
    citation = dict(zip(landscape.sources["source_id"], landscape.sources["citation"], strict=True))
    published = dict(zip(landscape.sources["source_id"], landscape.sources["published"], strict=True))
    seen = {title: [] for title, *_ in SECTIONS}
    for slide in list(prs.slides)[1:]:
        title = title_of(slide)
        shown = paragraphs(slide)
        if title.startswith(words.evidence_title(profile.line)):
            continue  # the chart's sources: test_evidence_chart_slides_*
        if title.startswith("Sources"):
            expected = [s for s in result.source_ids() if citation[s] in "\n".join(shown)]
        else:
            section, items, paragraph, sources = next(s for s in SECTIONS if title.startswith(s[0]))
            on_slide = [item for item in items(result) if any(p.startswith(paragraph(item)) for p in shown)]
            seen[section] += on_slide
            expected = [s for item in on_slide for s in sources(item)]
            if any(p.startswith(words.SUPERSEDED_HEADING) for p in shown):
                expected += superseded
        named = list(dict.fromkeys(short_citation(citation[s], published[s]) for s in expected))
        cited, more = footer_citations(slide)
        assert bool(cited) == bool(named), title
        assert cited == named[: len(cited)] and more == len(named) - len(cited), title
    for section, items, *_ in SECTIONS:
        assert seen[section] == list(items(result)), f"{section}: every item on one slide, in order"


def test_the_footer_cases_page_and_overflow(landscape):
    results = [build_board(landscape, p) for p, _ in FOOTER_CASES]
    assert any(len(r.changes) > 12 for r in results), "a section over several slides"
    assert any(len(r.source_ids()) > 9 for r in results)


def _fonts(fig) -> list[float]:
    base = fig.layout.font.size
    sizes = [base]
    sizes += [(a.tickfont.size or base) for a in [*fig.select_xaxes(), *fig.select_yaxes()]]
    sizes += [(a.font.size or base) for a in fig.layout.annotations]
    sizes += [(t.textfont.size or base) for t in fig.data if getattr(t, "text", None) is not None]
    return sizes


def test_evidence_chart_slides_keep_chart_text_at_12_pt_with_the_pivotal_trial_first(pptx, renderer, result):
    slides = slides_titled(pptx, words.evidence_title("2L"))
    pictures = [s for slide in slides for s in slide.shapes if s.shape_type == 13]
    assert len(pictures) == len(renderer.calls) == len(slides) >= 1
    for picture, (fig, width, height) in zip(pictures, renderer.calls, strict=True):
        assert picture.name == "evidence chart" and picture.image.blob == TINY_PNG
        assert fig.layout.height == height and fig.layout.template.layout.paper_bgcolor == "white"
        points_per_pixel = Emu(picture.width).pt / width
        assert Emu(picture.height).pt / height == pytest.approx(points_per_pixel, rel=1e-3)
        assert min(_fonts(fig)) * points_per_pixel >= 12 - 1e-6, "chart text under 12 pt at slide size"
        assert picture.left >= 0 and picture.left + picture.width <= pptx.slide_width
        assert picture.top + picture.height <= deck.BODY_BOTTOM
    first = renderer.calls[0][0].layout.yaxis.ticktext[0]
    assert first.startswith("<b>DESTINY-Gastric04</b> · 2L"), "the 2L pivotal trial leads the chart"
    assert "DESTINY-Gastric01" in " ".join(t for fig, *_ in renderer.calls for t in fig.layout.yaxis.ticktext)


def test_the_chart_is_split_by_whole_trials_when_it_would_not_fit(landscape):
    result = build_board(landscape, Profile("2L", "ihc3", None, (T, "cisplatin", "capecitabine"), "FDA"))
    figures = deck.evidence_figures(result)
    _, room = deck.chart_room(result)
    assert all(fig.layout.height <= room for fig, _ in figures)
    trials = [[r["trial_id"] for r in rows] for _, rows in figures]
    flat = [t for group in trials for t in dict.fromkeys(group)]
    assert len(flat) == len(set(flat)), "a trial never split over two slides"
    assert [r["outcome_id"] for _, rows in figures for r in rows] == [r["outcome_id"] for r in result.evidence_rows]


def test_without_chromium_the_evidence_slide_says_what_to_install(landscape, result, monkeypatch):
    monkeypatch.setattr(export, "image_browser", lambda: None)
    prs = open_deck(deck.build_deck(landscape, result, LINK))
    slide = next(s for s in prs.slides if title_of(s) == words.evidence_title("2L"))
    assert not [s for s in slide.shapes if s.shape_type == 13]
    assert "apt-get install chromium" in "\n".join(paragraphs(slide))


def test_evidence_numbers_head_each_trial_and_indent_other_populations(pptx, result):
    slides = slides_titled(pptx, "Key evidence in numbers")
    frames = [
        s.text_frame
        for slide in slides
        for s in list(slide.shapes)[1:]
        if s.has_text_frame and s.name.startswith("TextBox")
    ]
    levels = {plain(p.text): p._pPr.get("marL") if p._pPr is not None else None for f in frames for p in f.paragraphs}
    assert levels["DESTINY-Gastric04 · Phase 3 · 2L: the trial behind the approval for 2L"] is None
    indented = [t for t, m in levels.items() if m]
    assert any(t.startswith("DESTINY-Gastric04, experimental arm") and "response-evaluable" in t for t in indented)


@pytest.mark.skipif(export.image_browser() is None, reason="no Chromium for kaleido on this machine")
def test_chart_is_rendered_when_a_browser_exists(landscape, result):
    prs = open_deck(deck.build_deck(landscape, result, LINK))
    slide = next(s for s in prs.slides if title_of(s) == words.evidence_title("2L"))
    picture = next(s for s in slide.shapes if s.shape_type == 13)
    assert picture.image.content_type == "image/png" and len(picture.image.blob) > 20_000
    width, height = picture.image.size
    assert Emu(picture.width).pt / width * (deck.CHART_TEXT_PX - 2) >= 12 - 1e-6


def test_sources_slides_cite_fully_with_links_and_no_ids(pptx, landscape, result):
    slides = slides_titled(pptx, "Sources")
    text = "\n".join(p for s in slides for p in paragraphs(s))
    links = {
        r.hyperlink.address
        for s in slides
        for sh in s.shapes
        if sh.has_text_frame
        for p in sh.text_frame.paragraphs
        for r in p.runs
        if r.hyperlink.address
    }
    sources = landscape.sources.set_index("source_id")
    for source_id in result.source_ids():
        assert sources.loc[source_id, "citation"] in text and source_id not in text
        assert sources.loc[source_id, "url"] in links


def test_trial_slides_link_the_registry(landscape):
    result = build_board(landscape, Profile("2L", "ihc3", None, (T,), "FDA"))  # no country: trials are offered
    pptx = open_deck(deck.build_deck(landscape, result, LINK, png=None))
    links = {
        r.hyperlink.address
        for s in slides_titled(pptx, "Trials")
        for sh in s.shapes
        if sh.has_text_frame
        for p in sh.text_frame.paragraphs
        for r in p.runs
        if r.hyperlink.address
    }
    offered = [t.registry_url for t in result.offered_trials if t.registry_url]
    assert offered and set(offered) <= links


def test_no_text_under_12_pt_and_all_in_arial(pptx):
    fonts = [(r.font.size, r.font.name) for r in runs(pptx)]
    assert fonts and all(size is not None and size >= Pt(12) and name == deck.FONT for size, name in fonts)


def test_dates_never_break_across_lines(pptx):
    for run in runs(pptx):
        if not run.hyperlink.address:
            assert not ISO_DATE.search(run.text), run.text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("FDA 2021-01-15 label", "FDA 2021\u201101\u201115 label"),
        ("EMA 2023-08", "EMA 2023\u201108"),
        ("ORR 40.5% (95% CI 31.8-49.6)", "ORR 40.5% (95% CI 31.8-49.6)"),
        ("Healio, December 2014.", "Healio, December\u00a02014."),
        ("US FDA, January 15, 2021.", "US FDA, January\u00a015,\u00a02021."),
        ("RNS 29 May 2020.", "RNS 29\u00a0May\u00a02020."),
        ("no date", "no date"),
    ],
)
def test_keep_dates_whole(text, expected):
    assert deck.keep_dates_whole(text) == expected


@pytest.mark.parametrize(
    ("citation", "published", "expected"),
    [
        (
            "Shitara K, Bang YJ, Iwasa S, et al. Trastuzumab deruxtecan in previously treated HER2-positive gastric "
            "cancer. N Engl J Med 2020;382:2419-2430.",
            "2020",
            "Shitara K et al. N Engl J Med 2020",
        ),
        (
            "Yamaguchi K, Bang YJ, Iwasa S, et al. Trastuzumab deruxtecan: final overall survival results. ASCO "
            "Annual Meeting abstract 4048.",
            "",
            "Yamaguchi K et al. ASCO Annual Meeting abstract 4048",
        ),
        (
            "Targeted Oncology, July 7, 2025. DESTINY-Gastric04 trial shows OS benefit.",
            "2025",
            "Targeted Oncology, July 7, 2025",
        ),
        (
            "Genentech. FDA Approves Herceptin for HER2-Positive Metastatic Stomach Cancer. Business Wire.",
            "2010",
            "Genentech. FDA Approves Herceptin for HER2-Positive Metastatic Stomach Cancer, 2010",
        ),
        ("A; b", "", "A, b"),
    ],
)
def test_short_citation(citation, published, expected):
    assert short_citation(citation, published) == expected


def shape_paragraphs(shape) -> list[deck.Para]:
    """The shape's paragraphs as the deck measures them, from the runs python-pptx reads back."""
    out = []
    for p in shape.text_frame.paragraphs:
        runs_ = tuple(deck.Run(r.text, deck.Style(int(r.font.size.pt), bool(r.font.bold))) for r in p.runs)
        out.append(deck.Para(runs_, 1 if p._pPr is not None and p._pPr.get("marL") else 0))
    return out


def test_no_text_box_overflows_and_every_shape_stays_on_the_slide(pptx):
    for number, slide in enumerate(pptx.slides, start=1):
        for shape in slide.shapes:
            assert shape.left >= 0 and shape.top >= 0
            assert shape.left + shape.width <= pptx.slide_width and shape.top + shape.height <= pptx.slide_height
            if shape.has_text_frame:
                need = deck.text_height(shape_paragraphs(shape), shape.width)
                assert need <= shape.height, f"slide {number}: {shape.name} needs {Emu(need).inches:.2f} in"
            if shape.name not in {"footer", "slide number"} and shape.top > 0:
                assert shape.top + shape.height <= deck.FOOTER_TOP, f"slide {number}: {shape.name} runs into the footer"


def test_safety_slide_leads_with_the_boxed_warning_in_red_and_shows_both_arms(pptx, result):
    slides = slides_titled(pptx, words.safety_title("2L"))
    tdxd = next(s for s in slides if "6.4 mg/kg q3w · FDA 2021-01-15" in "\n".join(paragraphs(s)))
    shown = paragraphs(tdxd)
    name = next(i for i, p in enumerate(shown) if p.startswith("Fam-trastuzumab deruxtecan-nxki monotherapy 6.4"))
    assert shown[name + 1].startswith("Boxed warnings (FDA label): Interstitial lung disease and pneumonitis")
    experimental = next(i for i, p in enumerate(shown) if p.startswith("DESTINY-Gastric04, experimental arm"))
    control = next(i for i, p in enumerate(shown) if p.startswith("DESTINY-Gastric04, control arm"))
    assert name + 1 < experimental < control
    heading = next(
        r
        for s in tdxd.shapes
        if s.has_text_frame
        for p in s.text_frame.paragraphs
        for r in p.runs
        if r.text.startswith("Boxed warnings")
    )
    assert heading.font.bold and heading.font.color.rgb == deck.TONE_COLOURS["bad"]
    assert len(slides) <= len(result.fitting)


# The deck drawn as a reader sees it: LibreOffice converts it to PDF, poppler draws each page.
RENDER_CASES = {
    "fda_2l_ihc3": Profile("2L", "ihc3", None, (T,), "FDA"),
    "ema_1l": Profile("1L", "ihc3", None, (), "EMA"),
}
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
if (SOFFICE is None or shutil.which("pdftoppm") is None) and os.environ.get("CI"):
    pytest.fail("CI must render the deck: install libreoffice-impress and poppler-utils", pytrace=False)
needs_office = pytest.mark.skipif(
    SOFFICE is None or shutil.which("pdftoppm") is None,
    reason="no LibreOffice or poppler (apt-get install libreoffice-impress poppler-utils)",
)


def render(pptx_path: Path, out: Path) -> tuple[Path, list[Path]]:
    """Convert the deck to PDF (LibreOffice, headless, its own profile) and each page to PNG."""
    profile = out / "office-profile"
    command = [
        SOFFICE,
        f"-env:UserInstallation=file://{profile}",
        "--headless",
        "--convert-to",
        "pdf",
        "--outdir",
        str(out),
        str(pptx_path),
    ]
    subprocess.run(command, check=True, capture_output=True, timeout=300)
    pdf = out / (pptx_path.stem + ".pdf")
    subprocess.run(["pdftoppm", "-png", "-r", "80", str(pdf), str(out / "slide")], check=True, timeout=300)
    return pdf, sorted(out.glob("slide-*.png"))


def text_lines(pdf: Path) -> list[list[tuple[float, float, float, float, str]]]:
    """Return each page's text lines with their boxes, from poppler's bbox layout."""
    xhtml = subprocess.run(
        ["pdftotext", "-bbox-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    pages = []
    for page in xhtml.split("<page ")[1:]:
        lines = []
        for match in re.finditer(
            r'<line xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</line>', page, re.S
        ):
            text = " ".join(re.findall(r">([^<]*)</word>", match[5]))
            lines.append((*(float(match[i]) for i in range(1, 5)), text))
        pages.append(lines)
    return pages


@needs_office
@pytest.mark.parametrize("name", list(RENDER_CASES))
def test_every_slide_renders_without_overlapping_text_or_broken_dates(landscape, name, tmp_path):
    profile = RENDER_CASES[name]
    result = build_board(landscape, profile)
    link = board_link(profile, Vocabulary.of(landscape), "https://board.example.org", present=True)
    path = tmp_path / f"{name}.pptx"
    path.write_bytes(deck.build_deck(landscape, result, link))
    slides = len(Presentation(str(path)).slides)
    pdf, pngs = render(path, tmp_path)
    assert len(pngs) == slides
    shots = SHOTS / f"deck_{name}"
    shutil.rmtree(shots, ignore_errors=True)
    shots.mkdir(parents=True)
    for png in pngs:
        with Image.open(png) as image:
            assert image.width / image.height == pytest.approx(16 / 9, rel=0.01)
            assert image.convert("L").getextrema()[0] < 100, f"{png.name} is blank"
        shutil.copy(png, shots / png.name)
    pages = text_lines(pdf)
    assert len(pages) == slides
    for number, lines in enumerate(pages, start=1):
        for i, (x0, y0, x1, y1, text) in enumerate(lines):
            assert x0 >= 0 and y0 >= 0 and x1 <= 960.5 and y1 <= 540.5, f"slide {number}: off the page: {text}"
            assert not re.search(r"\b\d{4}[-\u2011]\d{0,2}$", text), f"slide {number}: a date broken: {text}"
            for a0, b0, a1, b1, other in lines[i + 1 :]:
                overlap = min(x1, a1) - max(x0, a0) > 1 and min(y1, b1) - max(y0, b0) > 2
                assert not overlap, f"slide {number}: '{text}' overlaps '{other}'"
