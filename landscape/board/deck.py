"""The tumour-board slide deck (PPTX, 16:9) rendered from the one board result: title, approved options,
key evidence with its chart, the safety of the options that fit, trials, what changed, sources. Every
numbered slide carries a footer with the
sources of what it shows and the as-of date; no text is smaller than 12 pt."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import partial

import pandas as pd
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.util import Emu, Inches, Pt

from landscape import charts, export
from landscape.board import words
from landscape.board.result import BoardResult, OptionFit, TrialFit
from landscape.model import Landscape

WIDTH, HEIGHT = Inches(13.333), Inches(7.5)
MARGIN = Inches(0.5)
BODY_TOP = Inches(1.3)
CHART_TOP, CHART_BOTTOM = Inches(1.2), Inches(6.05)
MIN_PT = 12
INK = RGBColor(0x1F, 0x1F, 0x1F)
MUTED = RGBColor(0x55, 0x55, 0x55)
LINK = RGBColor(0x00, 0x5A, 0x9C)
TONE_COLOURS = {
    "good": RGBColor(0x00, 0x7A, 0x4D),
    "caution": RGBColor(0x8A, 0x5A, 0x00),
    "bad": RGBColor(0x9C, 0x1C, 0x1C),
    "muted": MUTED,
}
OPTIONS_PER_SLIDE = 3  # each option: its heading, reasons and guideline line
EVIDENCE_PER_SLIDE = 6
SAFETY_PER_SLIDE = 1  # one fitting option's Safety block per slide: boxed warnings, arms, monitoring
EVIDENCE_WITHOUT_CHART = 8  # result lines on the evidence slide when the chart cannot be drawn
TRIALS_PER_SLIDE = 3
CHANGES_PER_SLIDE = 10
SOURCES_PER_SLIDE = 7
FOOTER_IDS_MAX = 5


@dataclass(frozen=True)
class Style:
    size: int
    bold: bool = False
    colour: RGBColor = INK


TITLE = Style(32, bold=True)
LEAD = Style(20, bold=True)
LEAD_TEXT = Style(20)
BODY = Style(18)
STRONG = Style(18, bold=True)
NUMBERS = Style(16)
SMALL = Style(14)
SMALL_STRONG = Style(14, bold=True)
NOTE = Style(14, colour=MUTED)
LINKED = Style(14, colour=LINK)
FOOTER = Style(12, colour=MUTED)


def verdict_style(verdict: str) -> Style:
    return Style(STRONG.size, True, TONE_COLOURS[words.VERDICT_TONES[verdict]])


@dataclass(frozen=True)
class Run:
    text: str
    style: Style = BODY
    link: str | None = None


Paragraph = list[Run]


class _Deck:
    def __init__(self, as_of: str):
        self.prs = Presentation()
        self.prs.slide_width, self.prs.slide_height = WIDTH, HEIGHT
        self.layout = self.prs.slide_layouts[6]  # blank
        self.as_of = as_of
        self.number = 0

    def slide(self, title: str, source_ids: Iterable[str] | None):
        """Add a slide with its title; with `source_ids` (None: the title slide) a numbered one whose footer
        names those sources (the first FOOTER_IDS_MAX, then how many more) and the as-of date."""
        slide = self.prs.slides.add_slide(self.layout)
        self.text(slide, [Run(title, TITLE)], (MARGIN, Inches(0.3), WIDTH - 2 * MARGIN, Inches(0.9)))
        if source_ids is None:
            return slide
        self.number += 1
        ids = list(dict.fromkeys(source_ids))
        more = len(ids) - FOOTER_IDS_MAX
        shown = ", ".join(ids[:FOOTER_IDS_MAX]) + (f" and {more} more (Sources slides)" if more > 0 else "")
        footer = f"Sources: {shown or 'none on this slide'} · {words.evidence_as_of(self.as_of)}"
        footer_box = (MARGIN, HEIGHT - Inches(0.8), WIDTH - 2 * MARGIN - Inches(0.8), Inches(0.7))
        self.text(slide, [Run(footer, FOOTER)], footer_box).name = "footer"
        number_box = (WIDTH - MARGIN - Inches(0.6), HEIGHT - Inches(0.75), Inches(0.6), Inches(0.5))
        self.text(slide, [Run(str(self.number), FOOTER)], number_box).name = "slide number"
        return slide

    def text(self, slide, runs: Paragraph, box: tuple) -> object:
        """Add one text box of one paragraph at (left, top, width, height)."""
        return self.paragraphs(slide, [runs], *box)

    def paragraphs(self, slide, paragraphs: Sequence[Paragraph], left=MARGIN, top=BODY_TOP, width=None, height=None):
        """Add one text box of paragraphs, each of styled runs (a run with a link is a hyperlink)."""
        width = width or WIDTH - 2 * MARGIN
        box = slide.shapes.add_textbox(left, top, width, height or (HEIGHT - top - Inches(0.9)))
        frame = box.text_frame
        frame.word_wrap = True
        for i, runs in enumerate(paragraphs):
            paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
            paragraph.space_after = Pt(4)
            for item in runs:
                run = paragraph.add_run()
                run.text = item.text
                run.font.size = Pt(max(item.style.size, MIN_PT))
                run.font.bold = item.style.bold
                run.font.color.rgb = item.style.colour
                if item.link:
                    run.hyperlink.address = item.link
        return box

    def picture(self, slide, png: bytes) -> None:
        """Add the chart picture between the title and the caution, scaled down to fit and centred."""
        pic = slide.shapes.add_picture(io.BytesIO(png), MARGIN, CHART_TOP, width=WIDTH - 2 * MARGIN)
        scale = (CHART_BOTTOM - CHART_TOP) / pic.height
        if scale < 1:
            pic.height, pic.width = Emu(int(pic.height * scale)), Emu(int(pic.width * scale))
            pic.left = Emu(int((WIDTH - pic.width) / 2))
        pic.name = "evidence chart"

    def save(self) -> bytes:
        out = io.BytesIO()
        self.prs.save(out)
        return out.getvalue()


def _chunks(items: Sequence, size: int) -> list[Sequence]:
    return [items[i : i + size] for i in range(0, len(items), size)] or [[]]


def add_pages(
    deck: _Deck,
    title: str,
    items: Sequence,
    per_slide: int,
    sources: Callable[[Sequence], Iterable[str]],
    render: Callable[[Sequence], list[Paragraph]],
    empty: str,
    ending: Sequence[Paragraph] = (),
) -> None:
    """Add the items over as many slides as they need ('Trials (2 of 3)'), each slide's footer naming the
    sources of its items; `empty` says there are none; `ending` closes the last slide."""
    pages = _chunks(items, per_slide)
    for i, page in enumerate(pages):
        slide = deck.slide(title if len(pages) == 1 else f"{title} ({i + 1} of {len(pages)})", sources(page))
        paragraphs = render(page) if page else [[Run(empty)]]
        deck.paragraphs(slide, paragraphs + (list(ending) if i == len(pages) - 1 else []))


def _option_paragraphs(options: Sequence[OptionFit]) -> list[Paragraph]:
    out = []
    for option in options:
        name, detail = words.option_heading(option)
        label = Run(f"{words.verdict_label(option.verdict)}  ", verdict_style(option.verdict))
        out += [
            [label, Run(f"{name}{words.SEPARATOR}{detail}", STRONG)],
            [Run("; ".join(words.option_details(option)), NOTE)],
        ]
        if option.verdict != "superseded":
            heading, body = words.guideline_line(option).split(": ", 1)
            out.append([Run(f"{heading}: ", SMALL_STRONG), Run(body, SMALL)])
    return out


SAFETY_HEADING_STYLES = {
    "boxed_warning": Style(14, bold=True, colour=TONE_COLOURS["bad"]),
    "warning": SMALL_STRONG,
    "rates": SMALL_STRONG,
    "monitoring": SMALL_STRONG,
}


def _safety_paragraphs(options: Sequence[OptionFit]) -> list[Paragraph]:
    """An option's Safety block: boxed warnings first (in red), warnings, the pivotal trial arm by arm,
    the monitoring the label asks for; then its guideline line."""
    out = []
    for option in options:
        name, detail = words.option_heading(option)
        out.append([Run(f"{name}{words.SEPARATOR}{detail}", STRONG)])
        for kind, heading, body in words.safety_parts(option.safety):
            if kind == "note" or not heading:
                out.append([Run(body, NOTE)])
            else:
                joint = ", " if kind == "rates" else ": "
                out.append([Run(f"{heading}{joint}", SAFETY_HEADING_STYLES[kind]), Run(body, SMALL)])
        heading, body = words.guideline_line(option).split(": ", 1)
        out.append([Run(f"{heading}: ", SMALL_STRONG), Run(body, SMALL)])
    return out


def _safety_sources(options: Sequence[OptionFit]) -> list[str]:
    return [
        s for o in options for s in (*(o.safety.source_ids if o.safety else ()), *(g.source_id for g in o.guidelines))
    ]


def _trial_paragraphs(trials: Sequence[TrialFit]) -> list[Paragraph]:
    out = []
    for trial in trials:
        name, detail = words.trial_heading(trial)
        heading = [Run(f"{words.verdict_label(trial.verdict)}  ", verdict_style(trial.verdict))]
        heading.append(Run(f"{name}{words.SEPARATOR}{detail}", STRONG))
        if trial.registry_url:
            heading.append(Run(f"  {trial.nct_id}", LINKED, trial.registry_url))
        out += [heading, [Run("; ".join(words.trial_details(trial)), NOTE)]]
    return out


def _change_paragraphs(changes: Sequence) -> list[Paragraph]:
    return [[Run(f"{heading}: ", STRONG), Run(text)] for heading, text in map(words.change_heading, changes)]


def _source_paragraphs(sources: pd.DataFrame, ids: Sequence[str]) -> list[Paragraph]:
    out = []
    for source_id in ids:
        row = sources.loc[source_id]
        url = (
            str(row["url"]) if isinstance(row["url"], str) and row["url"].startswith(("https://", "http://")) else None
        )
        out.append(
            [
                Run(f"{source_id}: ", SMALL_STRONG),
                Run(f"{row['citation']} ({row['kind']}) ", SMALL),
                Run("link", LINKED, url),
            ]
        )
    return out


def evidence_chart(result: BoardResult, height: int | None = None):
    """Return the evidence chart of the options that fit (the page draws the same one from the result)."""
    return charts.board_evidence(
        result.evidence_rows, words.evidence_chart_title(result), words.evidence_chart_caption(result), height=height
    )


def chart_png(result: BoardResult) -> bytes | None:
    """Return the evidence chart as PNG, or None when no browser can render it."""
    if export.image_browser() is None:
        return None
    return evidence_chart(result).to_image(format="png", width=1600, height=860, scale=1)


def _evidence_slide(deck: _Deck, result: BoardResult, png: bytes | None) -> None:
    """The chart of the evidence that fits, or (without Chromium) what to install and the first results."""
    rows = result.evidence_rows if png else result.evidence_rows[:EVIDENCE_WITHOUT_CHART]
    slide = deck.slide(words.evidence_title(result.profile.line), [r["source_id"] for r in rows])
    if png:
        deck.picture(slide, png)
    else:
        lines = [[Run(words.evidence_text(row), SMALL)] for row in rows]
        deck.paragraphs(slide, [[Run(words.CHART_INSTALL_HINT, STRONG)], *lines])
    if result.cross_trial:
        caution = (MARGIN, CHART_BOTTOM + Inches(0.05), WIDTH - 2 * MARGIN, Inches(0.6))
        deck.text(slide, [Run(words.CROSS_TRIAL_CAUTION, NOTE)], caution)


def _title_slide(deck: _Deck, result: BoardResult, link: str) -> None:
    slide = deck.slide(words.TITLE, None)
    paragraphs = [
        [Run(f"{words.PROFILE_HEADING}: ", LEAD), Run(result.profile_words, LEAD_TEXT)],
        [Run(f"{words.evidence_as_of(result.as_of)}; changes since {result.since}.")],
        [Run("Open this view: "), Run(link, LINKED, link)],
        [Run(words.NOT_ADVICE, STRONG)],
        [Run(words.LANDSCAPE_LINE, NOTE)],
    ]
    deck.paragraphs(slide, paragraphs, top=Inches(1.6))


def build_deck(landscape: Landscape, result: BoardResult, link: str, png: bytes | None | bool = True) -> bytes:
    """Return the deck as PPTX bytes. `png` is the chart picture, True to render it here (when Chromium
    is available), or None/False for the slide that says what to install."""
    deck = _Deck(result.as_of)
    profile = result.profile
    _title_slide(deck, result, link)
    option_sources = lambda page: [  # noqa: E731
        s for o in page for s in (*o.label_source_ids, *(g.source_id for g in o.guidelines))
    ]
    title, empty = words.options_title(profile.agency), words.no_options(profile.agency)
    add_pages(deck, title, result.approved, OPTIONS_PER_SLIDE, option_sources, _option_paragraphs, empty)
    if result.fitting:
        _evidence_slide(deck, result, chart_png(result) if png is True else (png or None))
        numbers = lambda page: [[Run(words.evidence_text(row), NUMBERS)] for row in page]  # noqa: E731
        row_sources = lambda page: [r["source_id"] for r in page]  # noqa: E731
        title = words.evidence_numbers_title(profile.line)
        add_pages(deck, title, result.evidence_rows, EVIDENCE_PER_SLIDE, row_sources, numbers, "")
        title = words.safety_title(profile.line)
        add_pages(deck, title, result.fitting, SAFETY_PER_SLIDE, _safety_sources, _safety_paragraphs, "")
    ending = [[Run(words.not_assessed(result.not_assessed), NOTE)]] if result.not_assessed else []
    trial_sources = lambda page: [s for t in page for s in t.source_ids]  # noqa: E731
    title = words.TRIALS_TITLE
    add_pages(deck, title, result.trials, TRIALS_PER_SLIDE, trial_sources, _trial_paragraphs, words.NO_TRIALS, ending)
    change_sources = lambda page: [c.source_id for c in page]  # noqa: E731
    title, empty = words.changes_title(result.since), words.no_changes(result.since)
    add_pages(deck, title, result.changes, CHANGES_PER_SLIDE, change_sources, _change_paragraphs, empty)
    sources = landscape.sources.set_index("source_id")
    ids = [s for s in result.source_ids() if s in sources.index]
    render = partial(_source_paragraphs, sources)
    add_pages(deck, words.SOURCES_TITLE, ids, SOURCES_PER_SLIDE, list, render, words.NO_SOURCES)
    return deck.save()
