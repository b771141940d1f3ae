"""The tumour-board slide deck (PPTX, 16:9) rendered from the one board result: title, approved options,
key evidence with its chart, trials, what changed, sources. Every numbered slide carries a footer with its
sources and the as-of date; no text is smaller than 12 pt."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.util import Emu, Inches, Pt

from landscape import board, export
from landscape.model import Landscape

WIDTH, HEIGHT = Inches(13.333), Inches(7.5)
MARGIN = Inches(0.5)
BODY_TOP = Inches(1.3)
CHART_TOP, CHART_BOTTOM = Inches(1.2), Inches(6.05)
TITLE_PT = 32
BODY_PT = 18
SMALL_PT = 14
FOOTER_PT = 12
MIN_PT = 12
INK = RGBColor(0x1F, 0x1F, 0x1F)
MUTED = RGBColor(0x55, 0x55, 0x55)
LINK = RGBColor(0x00, 0x5A, 0x9C)
VERDICT_COLOURS = {
    "fits": RGBColor(0x00, 0x7A, 0x4D),
    "nearly fits": RGBColor(0x8A, 0x5A, 0x00),
    "not determined": RGBColor(0x8A, 0x5A, 0x00),
    "status not verified": RGBColor(0x8A, 0x5A, 0x00),
    "criteria not recorded": RGBColor(0x8A, 0x5A, 0x00),
    "does not fit": RGBColor(0x9C, 0x1C, 0x1C),
    "superseded": MUTED,
}
OPTIONS_PER_SLIDE = 4
TRIALS_PER_SLIDE = 3
CHANGES_PER_SLIDE = 10
SOURCES_PER_SLIDE = 7
FOOTER_IDS_MAX = 5
CHART_INSTALL_HINT = (
    "The chart needs Chromium on this machine to be drawn as a picture: "
    "install it (Debian/Ubuntu: sudo apt-get install chromium) and build the deck again."
)


class _Deck:
    def __init__(self, landscape: Landscape, result: board.BoardResult):
        self.prs = Presentation()
        self.prs.slide_width, self.prs.slide_height = WIDTH, HEIGHT
        self.layout = self.prs.slide_layouts[6]  # blank
        self.landscape = landscape
        self.result = result
        self.number = 0

    def slide(self, title: str, source_ids: Iterable[str], numbered: bool = True):
        slide = self.prs.slides.add_slide(self.layout)
        self.text(slide, title, MARGIN, Inches(0.3), WIDTH - 2 * MARGIN, Inches(0.9), TITLE_PT, bold=True)
        if numbered:
            self.number += 1
            ids = list(dict.fromkeys(source_ids))
            shown = ", ".join(ids[:FOOTER_IDS_MAX]) + (
                f" and {len(ids) - FOOTER_IDS_MAX} more (Sources slides)" if len(ids) > FOOTER_IDS_MAX else ""
            )
            footer = f"Sources: {shown or 'none on this slide'} · Evidence as of {self.result.as_of}"
            box = self.text(
                slide,
                footer,
                MARGIN,
                HEIGHT - Inches(0.8),
                WIDTH - 2 * MARGIN - Inches(0.8),
                Inches(0.7),
                FOOTER_PT,
                colour=MUTED,
            )
            box.name = "footer"
            number = self.text(
                slide,
                str(self.number),
                WIDTH - MARGIN - Inches(0.6),
                HEIGHT - Inches(0.75),
                Inches(0.6),
                Inches(0.5),
                FOOTER_PT,
                colour=MUTED,
            )
            number.name = "slide number"
        return slide

    def text(
        self,
        slide,
        text: str,
        left,
        top,
        width,
        height,
        size: int,
        bold: bool = False,
        colour: RGBColor = INK,
        link: str | None = None,
    ):
        box = slide.shapes.add_textbox(left, top, width, height)
        frame = box.text_frame
        frame.word_wrap = True
        self._add_run(frame.paragraphs[0], text, size, bold, colour, link)
        return box

    def _add_run(self, paragraph, text: str, size: int, bold: bool, colour: RGBColor, link: str | None) -> None:
        """Add a styled run to the paragraph, as a hyperlink when link is given."""
        run = paragraph.add_run()
        run.text = text
        self._style(run, size, bold, colour)
        if link:
            run.hyperlink.address = link
            run.font.color.rgb = LINK

    @staticmethod
    def _style(run, size: int, bold: bool = False, colour: RGBColor = INK) -> None:
        run.font.size = Pt(max(size, MIN_PT))
        run.font.bold = bold
        run.font.color.rgb = colour

    def bullets(
        self, slide, items: Sequence[Sequence[tuple[str, int, bool, RGBColor, str | None]]], top=BODY_TOP, height=None
    ):
        """Add one text box of paragraphs; each paragraph is runs of (text, size, bold, colour, link)."""
        box = slide.shapes.add_textbox(MARGIN, top, WIDTH - 2 * MARGIN, height or (HEIGHT - top - Inches(0.9)))
        frame = box.text_frame
        frame.word_wrap = True
        for i, runs in enumerate(items):
            paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
            paragraph.space_after = Pt(4)
            for text, size, bold, colour, link in runs:
                self._add_run(paragraph, text, size, bold, colour, link)
        return box


def _chunks(items: Sequence, size: int) -> list[Sequence]:
    return [items[i : i + size] for i in range(0, len(items), size)] or [[]]


def _part(title: str, index: int, total: int) -> str:
    return title if total == 1 else f"{title} ({index + 1} of {total})"


def chart_png(result: board.BoardResult) -> bytes | None:
    """Return the evidence chart as PNG, or None when no browser can render it."""
    if export.image_browser() is None:
        return None
    return board.evidence_figure(result).to_image(format="png", width=1600, height=860, scale=1)


def build_deck(landscape: Landscape, result: board.BoardResult, link: str, png: bytes | None | bool = True) -> bytes:
    """Return the deck as PPTX bytes. `png` is the chart picture, True to render it here (when Chromium
    is available), or None/False for the slide that says what to install."""
    deck = _Deck(landscape, result)

    title = deck.slide("Tumour board", (), numbered=False)
    deck.bullets(
        title,
        [
            [
                ("Patient profile (no identifiers): ", BODY_PT + 2, True, INK, None),
                (result.profile_words, BODY_PT + 2, False, INK, None),
            ],
            [(f"Evidence as of {result.as_of}; changes since {result.since}.", BODY_PT, False, INK, None)],
            [("Open this view: ", BODY_PT, False, INK, None), (link, SMALL_PT, False, LINK, link)],
            [(board.NOT_ADVICE, BODY_PT, True, INK, None)],
            [
                (
                    "HER2-positive advanced gastric and GEJ adenocarcinoma: treatment landscape.",
                    SMALL_PT,
                    False,
                    MUTED,
                    None,
                )
            ],
        ],
        top=Inches(1.6),
    )

    options = list(result.approved)
    pages = _chunks(options, OPTIONS_PER_SLIDE)
    for i, page in enumerate(pages):
        slide = deck.slide(
            _part(f"Approved options ({result.profile.agency} labels)", i, len(pages)),
            [s for o in page for s in o.source_ids[:2]],
        )
        items = []
        if not page:
            items.append(
                [
                    (
                        f"No {result.profile.agency} approval in the data has recorded fit rules.",
                        BODY_PT,
                        False,
                        INK,
                        None,
                    )
                ]
            )
        for option in page:
            tag = "" if option.her2_directed else " (not HER2-directed)"
            tag += " (tumour-agnostic)" if option.tumour_agnostic else ""
            items.append(
                [
                    (f"{option.verdict.upper()}  ", BODY_PT, True, VERDICT_COLOURS[option.verdict], None),
                    (f"{option.regimen}{tag} · {option.agency} {option.approval_date}", BODY_PT, True, INK, None),
                ]
            )
            reasons = [r for r in option.reasons] if option.verdict != "superseded" else option.reasons[:1]
            items.append([("; ".join(reasons), SMALL_PT, False, MUTED, None)])
        deck.bullets(slide, items)

    fitting = result.fitting
    if fitting:
        evidence_ids = [s for o in fitting for s in o.source_ids]
        slide = deck.slide(f"Key evidence: {result.profile.line} options that fit", evidence_ids)
        picture = chart_png(result) if png is True else (png or None)
        if picture:
            pic = slide.shapes.add_picture(io.BytesIO(picture), MARGIN, CHART_TOP, width=WIDTH - 2 * MARGIN)
            scale = (CHART_BOTTOM - CHART_TOP) / pic.height
            if scale < 1:
                pic.height = Emu(int(pic.height * scale))
                pic.width = Emu(int(pic.width * scale))
                pic.left = Emu(int((WIDTH - pic.width) / 2))
            pic.name = "evidence chart"
        else:
            lines = [[(CHART_INSTALL_HINT, BODY_PT, True, INK, None)]]
            lines += [
                [(board.option_evidence_text(row), SMALL_PT, False, INK, None)] for row in result.evidence_rows[:8]
            ]
            deck.bullets(slide, lines)
        if result.cross_trial:
            deck.text(
                slide,
                board.CROSS_TRIAL_CAUTION,
                MARGIN,
                CHART_BOTTOM + Inches(0.05),
                WIDTH - 2 * MARGIN,
                Inches(0.6),
                SMALL_PT,
                colour=MUTED,
            )
        rows = result.evidence_rows
        table_pages = _chunks(rows, 6)
        for i, page in enumerate(table_pages):
            slide = deck.slide(
                _part(f"Key evidence in numbers: {result.profile.line}", i, len(table_pages)),
                [r["source_id"] for r in page],
            )
            deck.bullets(slide, [[(board.option_evidence_text(row), SMALL_PT + 2, False, INK, None)] for row in page])

    trials = list(result.trials)
    pages = _chunks(trials, TRIALS_PER_SLIDE)
    for i, page in enumerate(pages):
        slide = deck.slide(_part("Trials", i, len(pages)), [s for t in page for s in t.source_ids])
        items = []
        if not page:
            items.append([("No open trial in the data fits or nearly fits this profile.", BODY_PT, False, INK, None)])
        for trial in page:
            cohort = f" · {trial.cohort}" if trial.cohort else ""
            runs = [
                (f"{trial.verdict.upper()}  ", BODY_PT, True, VERDICT_COLOURS[trial.verdict], None),
                (f"{trial.acronym}{cohort} · {trial.phase}", BODY_PT, True, INK, None),
            ]
            if trial.registry_url:
                runs.append((f"  {trial.nct_id}", SMALL_PT, False, LINK, trial.registry_url))
            items.append(runs)
            detail = ([f"excluded by: {trial.excluding}"] if trial.excluding else []) + list(trial.reasons)
            items.append([("; ".join(detail), SMALL_PT, False, MUTED, None)])
        if result.not_assessed and i == len(pages) - 1:
            items.append(
                [
                    (
                        f"Not assessed (criteria not recorded): {', '.join(result.not_assessed)}",
                        SMALL_PT,
                        False,
                        MUTED,
                        None,
                    )
                ]
            )
        deck.bullets(slide, items)

    changes = list(result.changes)
    pages = _chunks(changes, CHANGES_PER_SLIDE)
    for i, page in enumerate(pages):
        slide = deck.slide(_part(f"What changed since {result.since}", i, len(pages)), [c.source_id for c in page])
        items = [
            [
                (f"{c.date} · {c.kind}: ", BODY_PT, True, INK, None),
                (c.text + (" (date imprecise)" if c.imprecise else ""), BODY_PT, False, INK, None),
            ]
            for c in page
        ]
        deck.bullets(slide, items or [[("Nothing in the data is dated after that.", BODY_PT, False, INK, None)]])

    sources = landscape.sources.set_index("source_id")
    ids = [s for s in result.source_ids() if s in sources.index]
    pages = _chunks(ids, SOURCES_PER_SLIDE)
    for i, page in enumerate(pages):
        slide = deck.slide(_part("Sources", i, len(pages)), page)
        items = []
        for source_id in page:
            row = sources.loc[source_id]
            url = (
                str(row["url"])
                if isinstance(row["url"], str) and row["url"].startswith(("https://", "http://"))
                else None
            )
            items.append(
                [
                    (f"{source_id}: ", SMALL_PT, True, INK, None),
                    (f"{row['citation']} ({row['kind']}) ", SMALL_PT, False, INK, None),
                    ("link", SMALL_PT, False, LINK, url),
                ]
            )
        deck.bullets(slide, items or [[("No sources.", BODY_PT, False, INK, None)]])
    out = io.BytesIO()
    deck.prs.save(out)
    return out.getvalue()
