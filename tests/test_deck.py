"""The slide deck, opened with python-pptx: slides and titles, a footer with sources and the as-of date on
every numbered slide, the chart picture (or what to install), links, font sizes, 16:9."""

from __future__ import annotations

import io
import re

import pytest
from pptx import Presentation
from pptx.util import Pt

from landscape import export
from landscape.board import deck, words
from landscape.board.engine import build_board
from landscape.board.profile import Profile

LINK = "http://localhost:8501/board?b_line=2L&b_prior=Trastuzumab&present=1"
TINY_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)


def open_deck(data: bytes):
    return Presentation(io.BytesIO(data))


def titles(prs) -> list[str]:
    return [slide.shapes[0].text_frame.text for slide in prs.slides]


def runs(prs):
    for slide in prs.slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                for paragraph in shape.text_frame.paragraphs:
                    yield from paragraph.runs


@pytest.fixture(scope="module")
def result(landscape):
    return build_board(landscape, Profile("2L", "ihc3", None, ("trastuzumab",), "FDA", ("US",), "2026-01-01"))


@pytest.fixture(scope="module")
def pptx(landscape, result):
    return open_deck(deck.build_deck(landscape, result, LINK, png=TINY_PNG))


def test_slides_in_order_at_16_9(pptx, result):
    assert round(pptx.slide_width / pptx.slide_height, 3) == round(16 / 9, 3)
    names = titles(pptx)
    assert names[0] == "Tumour board"
    assert names[1].startswith("Approved options (FDA labels)")
    assert names.index("Key evidence: 2L options that fit") > 1
    assert any(t.startswith("Trials") for t in names)
    assert any(t.startswith("What changed since 2026-01-01") for t in names)
    assert names[-1].startswith("Sources")


def test_title_slide_has_profile_date_link_and_caveat(pptx, result):
    slide = pptx.slides[0]
    body = "\n".join(s.text_frame.text for s in slide.shapes if s.has_text_frame)
    assert result.profile_words in body and result.as_of in body and words.NOT_ADVICE in body
    assert LINK in [
        r.hyperlink.address for s in slide.shapes if s.has_text_frame for p in s.text_frame.paragraphs for r in p.runs
    ]
    assert not any(s.name == "footer" for s in slide.shapes)


def test_every_numbered_slide_has_a_footer_with_sources_and_as_of(pptx, result):
    for number, slide in enumerate(list(pptx.slides)[1:], start=1):
        footer = [s for s in slide.shapes if s.name == "footer"]
        assert len(footer) == 1, f"slide {number + 1} has no footer"
        text = footer[0].text_frame.text
        assert text.startswith("Sources: ") and f"Evidence as of {result.as_of}" in text
        assert [s.text_frame.text for s in slide.shapes if s.name == "slide number"] == [str(number)]


def test_option_slides_give_the_fit_and_the_reasons(pptx):
    text = "\n".join(
        s.text_frame.text
        for slide in pptx.slides
        if slide.shapes[0].text_frame.text.startswith("Approved options")
        for s in slide.shapes
        if s.has_text_frame
    )
    assert "FITS  Fam-trastuzumab deruxtecan-nxki monotherapy 6.4 mg/kg q3w · FDA 2021-01-15" in text
    assert "prior Trastuzumab (required)" in text
    assert "SUPERSEDED" in text and "DOES NOT FIT" in text


def test_evidence_slide_carries_the_chart_picture(pptx):
    slide = next(s for s in pptx.slides if s.shapes[0].text_frame.text == "Key evidence: 2L options that fit")
    pictures = [s for s in slide.shapes if s.shape_type == 13]
    assert len(pictures) == 1 and pictures[0].name == "evidence chart"
    assert pictures[0].image.blob == TINY_PNG
    assert pictures[0].top + pictures[0].height <= deck.CHART_BOTTOM, "the chart runs into the caution or the footer"


def test_without_chromium_the_evidence_slide_says_what_to_install(landscape, result, monkeypatch):
    monkeypatch.setattr(export, "image_browser", lambda: None)
    prs = open_deck(deck.build_deck(landscape, result, LINK))
    slide = next(s for s in prs.slides if s.shapes[0].text_frame.text == "Key evidence: 2L options that fit")
    assert not [s for s in slide.shapes if s.shape_type == 13]
    assert "apt-get install chromium" in "\n".join(s.text_frame.text for s in slide.shapes if s.has_text_frame)


@pytest.mark.skipif(export.image_browser() is None, reason="no Chromium for kaleido on this machine")
def test_chart_is_rendered_when_a_browser_exists(landscape, result):
    prs = open_deck(deck.build_deck(landscape, result, LINK))
    slide = next(s for s in prs.slides if s.shapes[0].text_frame.text == "Key evidence: 2L options that fit")
    picture = next(s for s in slide.shapes if s.shape_type == 13)
    assert picture.image.content_type == "image/png" and len(picture.image.blob) > 20_000


def test_sources_slides_cite_fully_with_links(pptx, landscape, result):
    slides = [s for s in pptx.slides if s.shapes[0].text_frame.text.startswith("Sources")]
    text = "\n".join(sh.text_frame.text for s in slides for sh in s.shapes if sh.has_text_frame)
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
        assert sources.loc[source_id, "citation"] in text
        assert sources.loc[source_id, "url"] in links


def test_trial_slides_link_the_registry(pptx):
    slides = [s for s in pptx.slides if s.shapes[0].text_frame.text.startswith("Trials")]
    links = {
        r.hyperlink.address
        for s in slides
        for sh in s.shapes
        if sh.has_text_frame
        for p in sh.text_frame.paragraphs
        for r in p.runs
        if r.hyperlink.address
    }
    assert "https://clinicaltrials.gov/study/NCT04379596" in links


def test_no_text_under_12_pt(pptx):
    sizes = [r.font.size for r in runs(pptx)]
    assert sizes and all(size is not None and size >= Pt(12) for size in sizes)


def test_text_boxes_stay_on_the_slide(pptx):
    for slide in pptx.slides:
        for shape in slide.shapes:
            assert shape.left >= 0 and shape.top >= 0
            assert shape.left + shape.width <= pptx.slide_width and shape.top + shape.height <= pptx.slide_height


def test_empty_board_still_makes_a_deck(landscape):
    result = build_board(landscape, Profile("2L", "ihc0", None, (), "EMA"))
    assert not result.fitting
    prs = open_deck(deck.build_deck(landscape, result, LINK, png=None))
    names = titles(prs)
    assert "Key evidence: 2L options that fit" not in names
    assert any(t.startswith("Trials") for t in names)


FOOTER = re.compile(r"^Sources: (?P<ids>.*?)(?: and (?P<more>\d+) more \(Sources slides\))? · Evidence as of \S+$")


def footer_ids(slide) -> tuple[list[str], int]:
    """Return the source ids a slide's footer names and how many more it counts."""
    text = next(s for s in slide.shapes if s.name == "footer").text_frame.text
    match = FOOTER.match(text)
    assert match, text
    ids = [] if match["ids"] == "none on this slide" else match["ids"].split(", ")
    return ids, int(match["more"] or 0)


def paragraphs(slide) -> list[str]:
    return [
        p.text
        for s in list(slide.shapes)[1:]
        if s.has_text_frame and s.name != "footer"
        for p in s.text_frame.paragraphs
    ]


def _heading(item, heading) -> str:
    name, detail = heading(item)
    return f"{words.verdict_label(item.verdict)}  {name}{words.SEPARATOR}{detail}"


# Slide title -> the items a result has for such slides, the paragraph that shows one, and its sources.
SECTIONS = [
    (
        "Approved options",
        lambda r: r.approved,
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
    ("Trials", lambda r: r.trials, lambda t: _heading(t, words.trial_heading), lambda t: t.source_ids),
    ("What changed since", lambda r: r.changes, lambda c: ": ".join(words.change_heading(c)), lambda c: [c.source_id]),
    ("Sources", lambda r: r.source_ids(), lambda s: f"{s}: ", lambda s: [s]),
]
FOOTER_CASES = [
    (Profile("2L", "ihc3", None, ("trastuzumab",), "FDA", ("US",), "2026-01-01"), TINY_PNG),
    (Profile("2L", "ihc3", None, ("trastuzumab",), "FDA", (), "2015-01-01"), None),
    (Profile("1L", "ihc3", 5, (), "NMPA", (), "2020-01-01"), TINY_PNG),
]


@pytest.mark.parametrize(("profile", "png"), FOOTER_CASES, ids=["chart", "no-chart-many-changes", "nmpa"])
def test_each_footer_names_exactly_the_sources_of_what_its_slide_shows(landscape, profile, png):
    result = build_board(landscape, profile)
    prs = open_deck(deck.build_deck(landscape, result, LINK, png=png))
    seen = {title: [] for title, *_ in SECTIONS}
    for slide in list(prs.slides)[1:]:
        title = slide.shapes[0].text_frame.text
        shown = paragraphs(slide)
        if title == words.evidence_title(profile.line):
            rows = result.evidence_rows if png else result.evidence_rows[: deck.EVIDENCE_WITHOUT_CHART]
            expected = list(dict.fromkeys(row["source_id"] for row in rows))
        else:
            section, items, paragraph, sources = next(s for s in SECTIONS if title.startswith(s[0]))
            on_slide = [item for item in items(result) if any(p.startswith(paragraph(item)) for p in shown)]
            seen[section] += on_slide
            expected = list(dict.fromkeys(s for item in on_slide for s in sources(item)))
        ids, more = footer_ids(slide)
        assert (ids, more) == (expected[: deck.FOOTER_IDS_MAX], max(0, len(expected) - deck.FOOTER_IDS_MAX)), title
    for section, items, *_ in SECTIONS:
        assert seen[section] == list(items(result)), f"{section}: every item on one slide, in order"


def test_the_footer_cases_page_and_overflow(landscape):
    results = [build_board(landscape, p) for p, _ in FOOTER_CASES]
    assert any(len(r.changes) > deck.CHANGES_PER_SLIDE for r in results), "a section over several slides"
    assert any(len(r.source_ids()) > deck.SOURCES_PER_SLIDE for r in results)
    assert any(len(r.evidence_rows) > deck.EVIDENCE_PER_SLIDE for r in results), "results over several slides"


def test_safety_slide_leads_with_the_boxed_warning_in_red_and_shows_both_arms(pptx, result):
    title = words.safety_title(result.profile.line)
    slides = [s for s in pptx.slides if s.shapes[0].text_frame.text.startswith(title)]
    assert len(slides) == len(result.fitting), "one safety slide per option that fits"
    tdxd = next(s for s in slides if "6.4 mg/kg q3w · FDA 2021-01-15" in "\n".join(paragraphs(s)))
    shown = paragraphs(tdxd)
    boxed = next(i for i, p in enumerate(shown) if p.startswith("Boxed warnings (FDA label): "))
    assert "Interstitial lung disease and pneumonitis" in shown[boxed]
    name = next(i for i, p in enumerate(shown) if p.startswith("Fam-trastuzumab deruxtecan-nxki monotherapy 6.4"))
    assert boxed == name + 1, "boxed warnings come right after the option's name"
    experimental = next(i for i, p in enumerate(shown) if p.startswith("DESTINY-Gastric04, experimental arm"))
    control = next(i for i, p in enumerate(shown) if p.startswith("DESTINY-Gastric04, control arm"))
    assert boxed < experimental < control
    assert shown[-1].startswith(f"{words.GUIDELINES_LABEL}: ")
    heading = next(
        r
        for s in tdxd.shapes
        if s.has_text_frame
        for p in s.text_frame.paragraphs
        for r in p.runs
        if r.text.startswith("Boxed warnings")
    )
    assert heading.font.bold and heading.font.color.rgb == deck.TONE_COLOURS["bad"]


def test_option_slides_carry_the_guideline_line(pptx, result):
    text = "\n".join(
        p
        for slide in pptx.slides
        if slide.shapes[0].text_frame.text.startswith("Approved options")
        for p in paragraphs(slide)
    )
    for option in result.approved:
        if option.verdict != "superseded":
            assert words.guideline_line(option) in text
