"""The tumour-board slide deck (PPTX, 16:9) rendered from the one board result: a summary first (the options
that fit, each with one line of evidence, its key safety warning and guideline position), the approved options
on one slide when they fit, the evidence chart (the trial behind the approval for the patient's line first)
and its numbers, safety, trials, what changed, sources. Every slide's footer cites its sources in words and
gives the as-of date; no text is smaller than 12 pt, a date never breaks across lines, and slides fill by
measured text (Arial metrics), so no text box overflows."""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cache

import pandas as pd
import plotly.graph_objects as go
from PIL import ImageFont
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.util import Emu, Inches, Pt

from landscape import charts, export
from landscape.board import words
from landscape.board.result import BoardResult, OptionFit, TrialFit
from landscape.model import Landscape
from landscape.text import short_citation

WIDTH, HEIGHT = Inches(13.333), Inches(7.5)
MARGIN = Inches(0.5)
BODY_TOP = Inches(1.2)
FOOTER_TOP = HEIGHT - Inches(0.8)
BODY_BOTTOM = FOOTER_TOP - Inches(0.05)
CHART_TOP = Inches(1.1)
MIN_PT = 12
# Arial everywhere: PowerPoint has it, and LibreOffice draws it with Liberation Sans, its metric twin, whose
# widths the fit check measures. One font, one set of widths, so what fits here fits there.
FONT = "Arial"
FONT_FILES = {False: "LiberationSans-Regular.ttf", True: "LiberationSans-Bold.ttf"}
LINE_SPACING = 1.17  # a line's height per point of its largest text (Arial single spacing: about 1.15)
# Lines are filled to this share of their width: renderers differ by a few characters a line (kerning,
# where a line may break), and a line that just fits here may wrap there.
FIT_MARGIN = 0.95
SPACE_AFTER_PT = 4
INSET_X, INSET_Y = Inches(0.1), Inches(0.05)  # python-pptx's default text-box insets
INDENT = Inches(0.35)
# The chart: its text in pixels, and the pixels per point at which it is placed, so its smallest text (two
# pixels smaller, the tick labels) is 12 pt or more on the slide.
CHART_TEXT_PX = 20
CHART_PX_PER_PT = (CHART_TEXT_PX - 2) / MIN_PT
INK = RGBColor(0x1F, 0x1F, 0x1F)
MUTED = RGBColor(0x55, 0x55, 0x55)
LINK = RGBColor(0x00, 0x5A, 0x9C)
TONE_COLOURS = {
    "good": RGBColor(0x00, 0x7A, 0x4D),
    "caution": RGBColor(0x8A, 0x5A, 0x00),
    "bad": RGBColor(0x9C, 0x1C, 0x1C),
    "muted": MUTED,
}
FOOTER_LINES = 2


@dataclass(frozen=True)
class Style:
    size: int
    bold: bool = False
    colour: RGBColor = INK


TITLE = Style(30, bold=True)
BODY = Style(16)
STRONG = Style(16, bold=True)
OPTION = Style(15, bold=True)
NUMBERS = Style(14)
SMALL = Style(14)
SMALL_STRONG = Style(14, bold=True)
NOTE = Style(13, colour=MUTED)
LINKED = Style(14, colour=LINK)
FOOTER = Style(12, colour=MUTED)
WARNING = Style(14, bold=True, colour=TONE_COLOURS["bad"])
# The summary: one slide for the options that fit, each in four lines.
SUMMARY_LEAD = Style(16, bold=True)
SUMMARY_LEAD_TEXT = Style(16)
SUMMARY_HEADING = 14
DETAIL = Style(12)
DETAIL_STRONG = Style(12, bold=True)
DETAIL_WARNING = Style(12, bold=True, colour=TONE_COLOURS["bad"])
DETAIL_NOTE = Style(12, colour=MUTED)
DETAIL_LINK = Style(12, colour=LINK)


def verdict_style(verdict: str, size: int = STRONG.size) -> Style:
    return Style(size, True, TONE_COLOURS[words.VERDICT_TONES[verdict]])


@dataclass(frozen=True)
class Run:
    text: str
    style: Style = BODY
    link: str | None = None


@dataclass(frozen=True)
class Para:
    runs: tuple[Run, ...]
    level: int = 0  # 1: indented under the paragraph before


def para(*runs: Run, level: int = 0) -> Para:
    return Para(tuple(runs), level)


_ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})(?:-(\d{2}))?\b")
_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?"
# '15 January 2021', 'January 15, 2021', 'January 2021': the longer forms first.
_WORD_DATE = re.compile(
    rf"\b(?:\d{{1,2}} {_MONTH},? \d{{4}}|{_MONTH} \d{{1,2}}(?:st|nd|rd|th)?, \d{{4}}|{_MONTH} \d{{4}})\b"
)


def keep_dates_whole(value: str) -> str:
    """Return text whose dates cannot break across lines: '2021-01-15' with non-breaking hyphens (U+2011),
    '15 January 2021', 'January 15, 2021' and 'January 2021' with non-breaking spaces."""
    value = _ISO_DATE.sub(lambda m: "\u2011".join(p for p in m.groups() if p), value)
    return _WORD_DATE.sub(lambda m: m.group(0).replace(" ", "\u00a0"), value)


# Text fitting: a paragraph's lines as the slide will wrap them, from the font's own advance widths.
@cache
def _font(bold: bool, size: int) -> ImageFont.FreeTypeFont | None:
    try:
        return ImageFont.truetype(FONT_FILES[bold], size * 10)
    except OSError:  # no Liberation fonts: a generous average width below
        return None


def text_width_pt(value: str, style: Style) -> float:
    """Return the width of text in points in the deck's font (0.6 em a character without the font files)."""
    font = _font(style.bold, style.size)
    if font is None:
        return len(value) * style.size * 0.6
    return font.getlength(value) / 10


def _tokens(runs: Iterable[Run]) -> list[tuple[str, Style]]:
    """Split runs into the pieces a line may break after: words with their trailing space."""
    out = []
    for run in runs:
        out += [(piece, run.style) for piece in re.findall(r"\S+\s*|\s+", keep_dates_whole(run.text))]
    return out


def paragraph_lines(paragraph: Para, width_pt: float) -> int:
    """Return how many lines a paragraph takes at this width (a word longer than a line takes its own)."""
    lines, used = 1, 0.0
    room = (width_pt - (Emu(INDENT).pt if paragraph.level else 0)) * FIT_MARGIN
    for piece, style in _tokens(paragraph.runs):
        width = text_width_pt(piece.rstrip(), style)
        if used and used + width > room:
            lines += 1 + int(width // room)
            used = text_width_pt(piece, style) % room
        else:
            used += text_width_pt(piece, style)
    return lines


def text_height(paragraphs: Sequence[Para], width: int) -> int:
    """Return the height (EMU) a text box of this width needs for the paragraphs, insets included."""
    inner = Emu(width - 2 * INSET_X).pt
    points = 0.0
    for paragraph in paragraphs:
        size = max((max(r.style.size, MIN_PT) for r in paragraph.runs), default=MIN_PT)
        points += paragraph_lines(paragraph, inner) * size * LINE_SPACING + SPACE_AFTER_PT
    return int(Pt(points)) + 2 * INSET_Y


class _Deck:
    def __init__(self, landscape: Landscape, as_of: str):
        self.prs = Presentation()
        self.prs.slide_width, self.prs.slide_height = WIDTH, HEIGHT
        self.layout = self.prs.slide_layouts[6]  # blank
        self.as_of = as_of
        self.number = 0
        sources = landscape.sources.set_index("source_id")
        self.sources = sources
        self.citations = {s: short_citation(row["citation"], row["published"]) for s, row in sources.iterrows()}

    def slide(self, title: str, source_ids: Iterable[str]):
        """Add a numbered slide with its title and a footer citing its sources in words (as many as two lines
        hold, then how many more) and the as-of date."""
        slide = self.prs.slides.add_slide(self.layout)
        self.text(slide, [para(Run(title, TITLE))], (MARGIN, Inches(0.3), WIDTH - 2 * MARGIN, Inches(0.85)))
        self.number += 1
        footer_box = (MARGIN, FOOTER_TOP, WIDTH - 2 * MARGIN - Inches(0.8), Inches(0.7))
        self.text(slide, [para(Run(self.footer(source_ids, footer_box[2]), FOOTER))], footer_box).name = "footer"
        number_box = (WIDTH - MARGIN - Inches(0.6), FOOTER_TOP + Inches(0.05), Inches(0.6), Inches(0.5))
        self.text(slide, [para(Run(str(self.number), FOOTER))], number_box).name = "slide number"
        return slide

    def footer(self, source_ids: Iterable[str], width: int) -> str:
        """Return 'Sources: Shitara K et al. N Engl J Med 2025; ... and 3 more (Sources slides) · Evidence
        as of ...': the citations in words that fit in FOOTER_LINES lines, then how many more."""
        cited = list(dict.fromkeys(self.citations.get(s, s) for s in source_ids))
        end = f"{words.SEPARATOR}{words.evidence_as_of(self.as_of)}"
        room = Emu(width - 2 * INSET_X).pt
        for shown in range(len(cited), 0, -1):
            more = len(cited) - shown
            text = "Sources: " + "; ".join(cited[:shown]) + (f" and {more} more (Sources slides)" if more else "")
            if paragraph_lines(para(Run(text + end, FOOTER)), room) <= FOOTER_LINES:
                return text + end
        return f"Sources: {len(cited)} (Sources slides){end}" if cited else f"Sources: none on this slide{end}"

    def text(self, slide, paragraphs: Sequence[Para], box: tuple) -> object:
        """Add a text box of paragraphs at (left, top, width, height); each run styled, dates kept whole
        (links keep their address as written), a run with a link a hyperlink."""
        left, top, width, height = box
        shape = slide.shapes.add_textbox(left, top, width, height)
        frame = shape.text_frame
        frame.word_wrap = True
        for i, paragraph in enumerate(paragraphs):
            out = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
            out.space_after = Pt(SPACE_AFTER_PT)
            if paragraph.level:
                out._pPr.set("marL", str(int(INDENT)))  # python-pptx has no paragraph indent of its own
            for item in paragraph.runs:
                run = out.add_run()
                run.text = item.text if item.link else keep_dates_whole(item.text)
                run.font.name = FONT
                run.font.size = Pt(max(item.style.size, MIN_PT))
                run.font.bold = item.style.bold
                run.font.color.rgb = item.style.colour
                if item.link:
                    run.hyperlink.address = item.link
        return shape

    def body(self, slide, paragraphs: Sequence[Para], top: int = BODY_TOP, bottom: int = BODY_BOTTOM) -> object:
        return self.text(slide, paragraphs, (MARGIN, top, WIDTH - 2 * MARGIN, bottom - top))

    def picture(self, slide, png: bytes, width_px: int, height_px: int, top: int) -> None:
        """Add the chart picture at CHART_PX_PER_PT (its smallest text 12 pt), centred."""
        width, height = Pt(width_px / CHART_PX_PER_PT), Pt(height_px / CHART_PX_PER_PT)
        pic = slide.shapes.add_picture(io.BytesIO(png), int((WIDTH - width) / 2), top, width=width, height=height)
        pic.name = "evidence chart"

    def save(self) -> bytes:
        out = io.BytesIO()
        self.prs.save(out)
        return out.getvalue()


BODY_HEIGHT = BODY_BOTTOM - BODY_TOP
BODY_WIDTH = WIDTH - 2 * MARGIN


def pack(blocks: Sequence[Sequence[Para]], height: int = BODY_HEIGHT, ending: Sequence[Para] = ()) -> list[list[int]]:
    """Return the blocks' indices page by page, each page's paragraphs fitting the height (a block taller than
    a page takes a page of its own); the ending goes after the last block, on a page of its own if need be."""
    pages: list[list[int]] = [[]]
    used: list[Para] = []
    for i, block in enumerate(blocks):
        if pages[-1] and text_height([*used, *block], BODY_WIDTH) > height:
            pages.append([])
            used = []
        pages[-1].append(i)
        used += list(block)
    if ending and used and text_height([*used, *ending], BODY_WIDTH) > height:
        pages.append([])
    return pages


def add_pages(
    deck: _Deck,
    title: str,
    items: Sequence,
    sources: Callable[[Sequence], Iterable[str]],
    render: Callable[[object], list[Para]],
    empty: str,
    ending: Sequence[Para] = (),
    ending_sources: Sequence[str] = (),
) -> None:
    """Add the items over as few slides as they fit ('Trials (2 of 3)'), each slide's footer citing the
    sources of its items; `empty` says there are none; `ending` (with its sources) closes the last slide."""
    blocks = [render(item) for item in items]
    pages = pack(blocks, ending=ending) if items else [[]]
    for n, page in enumerate(pages):
        last = n == len(pages) - 1
        shown = [items[i] for i in page]
        cited = [*sources(shown), *(ending_sources if last else ())]
        slide = deck.slide(title if len(pages) == 1 else f"{title} ({n + 1} of {len(pages)})", cited)
        paragraphs = [p for i in page for p in blocks[i]] if items else [para(Run(empty))]
        deck.body(slide, paragraphs + (list(ending) if last else []))


def _heading(verdict: str, name: str, detail: str, size: int = STRONG.size) -> Para:
    return para(
        Run(f"{words.verdict_label(verdict)}  ", verdict_style(verdict, size)),
        Run(f"{name}{words.SEPARATOR}{detail}", Style(size, bold=True)),
    )


def _option_block(option: OptionFit) -> list[Para]:
    """A current option in one paragraph: its verdict, name and approval, then every reason."""
    heading = _heading(option.verdict, *words.option_heading(option), size=OPTION.size)
    return [para(*heading.runs, Run(": " + "; ".join(words.option_details(option)), NOTE))]


def _superseded_line(options: Sequence[OptionFit]) -> list[Para]:
    """The superseded approvals in one paragraph: each regimen once, with the agency and dates of its
    superseded approvals (the options' reasons say by what; the page and the command line print them)."""
    if not options:
        return []
    dates: dict[str, list[str]] = {}
    for option in options:
        dates.setdefault(option.regimen, []).append(f"{option.agency} {option.approval_date}")
    listing = words.SEPARATOR.join(f"{regimen} ({', '.join(when)})" for regimen, when in dates.items())
    return [para(Run(f"{words.SUPERSEDED_HEADING}: ", SMALL_STRONG), Run(listing, NOTE))]


def _option_sources(options: Sequence[OptionFit]) -> list[str]:
    return [s for o in options for s in (*o.label_source_ids, *(g.source_id for g in o.guidelines))]


SUMMARY_TOPICS = 3  # safety topics named on the summary; the safety slide has them all


def _key_safety(option: OptionFit) -> Para | None:
    """The option's key safety warning: its boxed warnings, else its first warnings (the rest counted), or
    None when the label records none."""
    parts = {kind: (heading, body) for kind, heading, body in reversed(words.safety_parts(option.safety))}
    for kind in ("boxed_warning", "warning"):
        if kind in parts:
            heading, body = parts[kind]
            topics = body.split(words.SEPARATOR)
            more = len(topics) - SUMMARY_TOPICS
            shown = words.SEPARATOR.join(topics[:SUMMARY_TOPICS]) + (
                f" and {more} more (Safety slide)" if more > 0 else ""
            )
            return para(Run(f"{heading}: ", DETAIL_WARNING), Run(shown, DETAIL), level=1)
    return None


def _summary_block(option: OptionFit, compact: bool = False) -> list[Para]:
    """A fitting option on the summary: heading, one line of evidence, its key safety warning, its guideline
    position; what is not recorded of these in one line (compact: at the end of the line before it)."""
    out = [_heading(option.verdict, *words.option_heading(option), size=SUMMARY_HEADING)]
    missing = []
    if option.evidence:
        evidence = words.evidence_summary(option)
        out.append(para(Run(f"{words.EVIDENCE_LABEL}: ", DETAIL_STRONG), Run(evidence, DETAIL), level=1))
    else:
        missing.append(words.NO_EVIDENCE_RECORDED)
    safety = _key_safety(option)
    out += [safety] if safety else []
    missing += [] if safety else [words.NO_LABEL_WARNING]
    if option.guidelines:
        heading, body = words.guideline_line(option).split(": ", 1)
        out.append(para(Run(f"{heading}: ", DETAIL_STRONG), Run(body, DETAIL), level=1))
    else:
        missing.append(words.NO_GUIDELINE)
    if missing and compact and len(out) > 1:
        out[-1] = para(*out[-1].runs, Run(" · " + "; ".join(missing), DETAIL_NOTE), level=1)
    elif missing:
        out.append(para(Run("; ".join(missing), DETAIL_NOTE), level=1))
    return out


def _undetermined_block(option: OptionFit) -> list[Para]:
    """An option the board could not decide, in one paragraph: its heading, then what to enter."""
    missing = option.summary.split(": ", 1)[1] if ": " in option.summary else option.summary
    heading = _heading(option.verdict, *words.option_heading(option), size=SUMMARY_HEADING)
    return [para(*heading.runs, Run(f": {missing}", DETAIL_NOTE))]


def _summary_sources(options: Sequence[OptionFit]) -> list[str]:
    out = []
    for option in options:
        lead = option.evidence[0]["trial_id"] if option.evidence else None
        out += option.label_source_ids
        out += [r["source_id"] for r in option.evidence if r["trial_id"] == lead and r["place"] == "main"]
        out += option.safety.source_ids if option.safety else ()
        out += [g.source_id for g in option.guidelines]
    return out


def _summary_slides(deck: _Deck, result: BoardResult, link: str | None) -> None:
    """The first slide(s): the profile, the options that fit (evidence, key safety warning, guideline), those
    not determined, what else the deck holds; the as-of date, the link and the caveat at the foot."""
    profile = result.profile
    undetermined = [o for o in result.approved if o.verdict == "not determined"]
    counts = {v: sum(o.verdict == v for o in result.approved) for v in ("does not fit", "superseded")}
    opening = [para(Run(f"{words.PROFILE_HEADING}: ", SUMMARY_LEAD), Run(result.profile_words, SUMMARY_LEAD_TEXT))]
    if not result.fitting:
        opening.append(para(Run(words.no_fitting_option(profile.agency), STRONG)))
    closing_lines = [para(Run(words.rest_of_options(counts, profile.agency), DETAIL_NOTE))]
    foot = [
        para(Run(f"{words.evidence_as_of(result.as_of)}; changes since {result.since}.", DETAIL)),
        para(
            Run(f"{words.LINK_LABEL}: ", DETAIL),
            Run(link, DETAIL_LINK, link) if link else Run(words.NO_LINK, DETAIL_NOTE),
        ),
        para(Run(words.NOT_ADVICE, DETAIL_STRONG)),
    ]
    foot_top = BODY_BOTTOM - text_height(foot, BODY_WIDTH)
    items = [*result.fitting, *undetermined]
    # The summary is one slide when it can be: what is not recorded moves up onto the line before it if needed.
    for compact in (False, True):
        blocks = [opening] + [_summary_block(o, compact) if o.fits else _undetermined_block(o) for o in items]
        pages = pack(blocks, foot_top - BODY_TOP, ending=closing_lines)
        if len(pages) == 1:
            break
    for n, page in enumerate(pages):
        shown = [items[i - 1] for i in page if i > 0]
        title = words.SUMMARY_TITLE if len(pages) == 1 else f"{words.SUMMARY_TITLE} ({n + 1} of {len(pages)})"
        slide = deck.slide(title, _summary_sources(shown))
        last = n == len(pages) - 1
        deck.body(slide, [p for i in page for p in blocks[i]] + (closing_lines if last else []), bottom=foot_top)
        deck.body(slide, foot, top=foot_top)


def _safety_block(option: OptionFit) -> list[Para]:
    """An option's Safety block: boxed warnings first (in red), warnings, the pivotal trial arm by arm, the
    monitoring the label asks for; then its guideline line."""
    name, detail = words.option_heading(option)
    out = [para(Run(f"{name}{words.SEPARATOR}{detail}", STRONG))]
    for kind, heading, body in words.safety_parts(option.safety):
        if kind == "note" or not heading:
            out.append(para(Run(body, NOTE)))
        else:
            joint = ", " if kind == "rates" else ": "
            style = WARNING if kind == "boxed_warning" else SMALL_STRONG
            out.append(para(Run(f"{heading}{joint}", style), Run(body, SMALL)))
    heading, body = words.guideline_line(option).split(": ", 1)
    out.append(para(Run(f"{heading}: ", SMALL_STRONG), Run(body, SMALL)))
    return out


def _safety_sources(options: Sequence[OptionFit]) -> list[str]:
    return [
        s for o in options for s in (*(o.safety.source_ids if o.safety else ()), *(g.source_id for g in o.guidelines))
    ]


def _trial_block(trial: TrialFit) -> list[Para]:
    name, detail = words.trial_heading(trial)
    heading = _heading(trial.verdict, name, detail)
    if trial.registry_url:
        heading = para(*heading.runs, Run(f"  {trial.nct_id}", LINKED, trial.registry_url))
    return [heading, para(Run("; ".join(words.trial_details(trial)), NOTE))]


def _change_block(change) -> list[Para]:
    heading, text = words.change_heading(change)
    return [para(Run(f"{heading}: ", STRONG), Run(text))]


def _source_block(sources: pd.DataFrame, source_id: str) -> list[Para]:
    row = sources.loc[source_id]
    url = str(row["url"]) if isinstance(row["url"], str) and row["url"].startswith(("https://", "http://")) else None
    link = [Run("link", LINKED, url)] if url else []
    return [para(Run(f"{row['citation']} ({row['kind']}) ", SMALL), *link)]


# The evidence: the chart in as many slides as keep its text at 12 pt (whole trials per slide, the trial behind
# the approval for the line first), then the numbers in words, each trial's other populations indented.
def _trial_groups(rows: Sequence[dict]) -> list[list[dict]]:
    groups: list[list[dict]] = []
    for row in rows:
        if not groups or groups[-1][0]["trial_id"] != row["trial_id"]:
            groups.append([])
        groups[-1].append(row)
    return groups


def chart_room(result: BoardResult) -> tuple[int, int]:
    """Return the largest chart (width, height) in pixels an evidence slide holds at CHART_PX_PER_PT, with the
    notes and the caution beneath it."""
    below = text_height(_chart_notes(result, result.evidence_rows), BODY_WIDTH)
    height = Emu(BODY_BOTTOM - CHART_TOP - below).pt
    return int(Emu(BODY_WIDTH).pt * CHART_PX_PER_PT), int(height * CHART_PX_PER_PT)


def _figure(rows: Sequence[dict]) -> go.Figure:
    """The chart as a slide shows it: white, its notes written beneath it on the slide."""
    return charts.board_evidence(rows, text_px=CHART_TEXT_PX, notes=False).update_layout(template="plotly_white")


def evidence_figures(result: BoardResult) -> list[tuple[go.Figure, list[dict]]]:
    """Return the evidence chart slide by slide: whole trials, in the board's order, as many per slide as
    keep the chart within the slide at its text size; each figure with its rows."""
    _, room = chart_room(result)
    out: list[list[dict]] = []
    for group in _trial_groups(result.evidence_rows):
        if out and _figure([*out[-1], *group]).layout.height <= room:
            out[-1] += group
        else:
            out.append(list(group))
    return [(_figure(rows), rows) for rows in out]


def chart_png(fig: go.Figure, width: int, height: int) -> bytes:
    """Return the figure as PNG at its size in pixels (kaleido, with the machine's Chromium)."""
    return fig.to_image(format="png", width=width, height=height, scale=1)


def _chart_notes(result: BoardResult, rows: Sequence[dict]) -> list[Para]:
    notes = [para(Run(n, NOTE)) for n in charts.evidence_notes(rows)]
    return notes + ([para(Run(words.CROSS_TRIAL_CAUTION, NOTE))] if result.cross_trial else [])


def _evidence_slides(deck: _Deck, result: BoardResult, render: Callable | None) -> None:
    """The chart slides, or (without Chromium) one slide that says what to install."""
    title = words.evidence_title(result.profile.line)
    if render is None:
        slide = deck.slide(title, [])
        deck.body(slide, [para(Run(words.CHART_INSTALL_HINT, STRONG)), *_chart_notes(result, result.evidence_rows)])
        return
    width, _ = chart_room(result)
    figures = evidence_figures(result)
    for n, (fig, rows) in enumerate(figures):
        named = title if len(figures) == 1 else f"{title} ({n + 1} of {len(figures)})"
        slide = deck.slide(named, [r["source_id"] for r in rows])
        height = int(fig.layout.height)
        deck.picture(slide, render(fig, width, height), width, height, CHART_TOP)
        deck.body(slide, _chart_notes(result, rows), top=CHART_TOP + Pt(height / CHART_PX_PER_PT))


def _numbers_block(group: Sequence[dict], line: str) -> list[Para]:
    styles = {0: SMALL_STRONG, 1: NUMBERS, 2: NOTE}
    return [para(Run(t, styles[level]), level=min(level, 1)) for level, t in words.evidence_outline(group, line)]


def _renderer(png: Callable | bool | None) -> Callable | None:
    if callable(png):
        return png
    if png and export.image_browser() is not None:
        return chart_png
    return None


def build_deck(
    landscape: Landscape, result: BoardResult, link: str | None, png: Callable | bool | None = True
) -> bytes:
    """Return the deck as PPTX bytes. `link` opens this view (None: the summary says how to add one). `png`
    renders a chart figure to PNG (figure, width, height): True for kaleido when Chromium is available,
    a function of one's own, or None/False for the slide that says what to install."""
    deck = _Deck(landscape, result.as_of)
    profile = result.profile
    _summary_slides(deck, result, link)
    current = [o for o in result.approved if o.verdict != "superseded"]
    superseded = [o for o in result.approved if o.verdict == "superseded"]
    title, empty = words.options_title(profile.agency), words.no_options(profile.agency)
    ending = _superseded_line(superseded)
    add_pages(deck, title, current, _option_sources, _option_block, empty, ending, _option_sources(superseded))
    if result.fitting:
        _evidence_slides(deck, result, _renderer(png))
        groups = _trial_groups(result.evidence_rows)
        render = lambda group: _numbers_block(group, profile.line)  # noqa: E731
        row_sources = lambda page: [r["source_id"] for group in page for r in group]  # noqa: E731
        add_pages(deck, words.evidence_numbers_title(profile.line), groups, row_sources, render, "")
        add_pages(deck, words.safety_title(profile.line), result.fitting, _safety_sources, _safety_block, "")
    # Trials that do not fit, and those not assessed, close the trials slides in one line each: none is dropped.
    unfit = [t for t in result.trials if t.verdict == "does not fit"]
    ending = [para(Run(f"{words.TRIALS_NOT_FITTING}: " + "; ".join(map(words.trial_not_fitting, unfit)), NOTE))]
    ending = ending if unfit else []
    ending += [para(Run(words.not_assessed(result.not_assessed), NOTE))] if result.not_assessed else []
    trial_sources = lambda page: [s for t in page for s in t.source_ids]  # noqa: E731
    offered = result.offered_trials
    add_pages(deck, words.TRIALS_TITLE, offered, trial_sources, _trial_block, words.NO_TRIALS, ending)
    change_sources = lambda page: [c.source_id for c in page]  # noqa: E731
    title, empty = words.changes_title(result.since), words.no_changes(result.since)
    add_pages(deck, title, result.changes, change_sources, _change_block, empty)
    ids = [s for s in result.source_ids() if s in deck.sources.index]
    add_pages(deck, words.SOURCES_TITLE, ids, list, lambda s: _source_block(deck.sources, s), words.NO_SOURCES)
    return deck.save()
