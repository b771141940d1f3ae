"""The page, the slide deck and the command line say the same thing in the same words for the same result:
every verdict, heading, reason, tag, evidence line, change and caution, table-driven over profiles."""

from __future__ import annotations

import io

import pytest
from pptx import Presentation

from landscape import schema
from landscape.board import words
from landscape.board.cli import render_text
from landscape.board.deck import build_deck
from landscape.board.engine import build_board
from landscape.board.profile import Profile, Vocabulary, board_link, link_query
from tests.test_pages import run_page, texts

PROFILES = [
    Profile("2L", "ihc3", 5, ("trastuzumab",), "FDA", ("US", "CA")),
    Profile("1L", "ihc3", 0, (), "FDA", since="2026-01-01"),
    Profile("2L", "ihc0", None, (), "EMA", since=schema.as_of()),
    Profile("3L+", "ihc2-ish-neg", None, ("trastuzumab_xelox",), "NMPA"),
]


def page_text(profile: Profile, vocab: Vocabulary) -> str:
    at = run_page("pages/board.py", link_query(profile, vocab))
    assert not at.exception, [e.value for e in at.exception]
    parts = [texts(at), *(h.value for h in at.header), *(s.value for s in at.subheader)]
    return "\n".join(parts).replace("\\", "").replace("**", "")


def deck_text(landscape, result, link: str) -> str:
    prs = Presentation(io.BytesIO(build_deck(landscape, result, link, png=None)))
    text = "\n".join(s.text_frame.text for slide in prs.slides for s in slide.shapes if s.has_text_frame)
    return text.replace("\u2011", "-").replace("\u00a0", " ")  # the deck keeps dates whole with these


def expected_wording(result, surface: str = "page") -> list[str]:
    """Every piece of wording all three surfaces must carry for this result (the deck lists superseded
    approvals in one line, by name and date)."""
    out = [result.profile_words, words.NOT_ADVICE, words.evidence_as_of(result.as_of)]
    out += [words.options_title(result.profile.agency), words.TRIALS_TITLE, words.changes_title(result.since)]
    for option in result.approved:
        name, detail = words.option_heading(option)
        out += [f"{name}{words.SEPARATOR}{detail}" if option.verdict != "superseded" else name]
        out += [words.verdict_label(option.verdict)] if option.verdict != "superseded" else []
        if option.verdict != "superseded" or surface != "deck":
            out += list(words.option_details(option))
    for trial in result.offered_trials:
        name, detail = words.trial_heading(trial)
        out += [words.verdict_label(trial.verdict), f"{name}{words.SEPARATOR}{detail}", *words.trial_details(trial)]
    # A trial that does not fit: its name and the decisive reason (the page lists it in one line).
    out += [part for t in result.trials if t.verdict == "does not fit" for part in (t.acronym, t.reasons[0])]
    out += [words.evidence_text(row) for row in result.evidence_rows]
    out += [text for change in result.changes for text in words.change_heading(change)]
    out += [words.CROSS_TRIAL_CAUTION] if result.cross_trial else []
    out += [words.TUMOUR_AGNOSTIC] if any(o.tumour_agnostic for o in result.approved) else []
    out += [words.not_assessed_line(t) for t in result.not_assessed]
    out += [] if result.trials else [words.NO_TRIALS]
    out += [] if result.changes else [words.no_changes(result.since)]
    out += [] if result.approved else [words.no_options(result.profile.agency)]
    return out


@pytest.mark.parametrize("profile", PROFILES, ids=[f"{p.agency}-{p.line}-{p.her2}" for p in PROFILES])
def test_page_deck_and_command_line_say_the_same(landscape, profile):
    vocab = Vocabulary.of(landscape)
    result = build_board(landscape, profile)
    link = board_link(profile, vocab, present=True)
    surfaces = {
        "page": page_text(profile, vocab),
        "deck": deck_text(landscape, result, link),
        "command line": render_text(result, link),
    }
    for surface, shown in surfaces.items():
        missing = [w for w in expected_wording(result, surface) if w not in shown]
        assert not missing, f"{surface} lacks: {missing}"


def test_the_cases_cover_tags_cautions_and_empty_states(landscape):
    results = [build_board(landscape, p) for p in PROFILES]
    assert any(o.tumour_agnostic for r in results for card in r.approved for o in (card, *card.other_approvals))
    assert any(card.other_approvals for r in results for card in r.approved)
    assert any(not o.her2_directed for r in results for o in r.approved)
    assert any(r.cross_trial for r in results) and any(r.trials for r in results)
    assert any(t.verdict == "does not fit" for r in results for t in r.trials)
    assert any(r.not_assessed for r in results)
    assert any(not r.offered_trials for r in results) and any(not r.fitting for r in results)
    assert any(c.imprecise for r in results for c in r.changes)
