"""The tumour board on the command line (`python -m landscape board`): read the flags into a profile (an
invalid value names its flag and exits non-zero), build the one board result and write it as text, JSON or a
slide deck, in the page's words."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from landscape.board import words
from landscape.board.profile import AGENCIES, HER2_CHOICES, LINES, PUBLIC_URL, ProfileError
from landscape.paths import resolve_data_dir

FORMATS = ("text", "json", "pptx")


def add_parser(sub: argparse._SubParsersAction) -> None:
    """Add the `board` command and its flags (one per profile field)."""
    board = sub.add_parser(
        "board",
        help="tumour board: the approved options, trials and changes that fit one patient profile (no identifiers)",
    )
    board.add_argument("--line", required=True, help=f"line of therapy: {', '.join(LINES)}")
    board.add_argument("--her2", required=True, help=", ".join(HER2_CHOICES))
    board.add_argument("--cps", help="PD-L1 combined positive score (omit when unknown)")
    board.add_argument(
        "--prior", default="", help="prior therapies, comma-separated agent ids, names or aliases (trastuzumab,T-DXd)"
    )
    board.add_argument("--agency", required=True, help=f"whose labels apply: {', '.join(AGENCIES)}")
    board.add_argument(
        "--countries", default="", help="where the patient could enrol, comma-separated ISO codes (US,CA)"
    )
    board.add_argument(
        "--since", help="list what changed after this date (YYYY-MM-DD; default 30 days before the as-of date)"
    )
    board.add_argument("--format", default="text", help=", ".join(FORMATS))
    board.add_argument("--out", metavar="FILE", help="write here instead of standard output (required for pptx)")
    board.add_argument(
        "--data", metavar="DIR", help="data directory; defaults to $LANDSCAPE_DATA_DIR or the bundled data/"
    )
    board.add_argument(
        "--base-url", default=None, help="address of the dashboard for the link that reproduces the view"
    )


def _option_lines(option) -> list[str]:
    name, detail = words.option_heading(option)
    out = [f"- [{words.verdict_label(option.verdict)}] {name}{words.SEPARATOR}{detail}"]
    out += [f"    {line}" for line in words.option_details(option)]
    out += [f"    evidence: {words.evidence_text(row)}" for row in option.evidence]
    if option.verdict != "superseded":
        out += [f"    {words.SAFETY_TITLE.lower()}: {line}" for line in words.safety_lines(option.safety)]
        out += [f"    {words.guideline_line(option)}"]
    return out + [f"    sources: {', '.join(option.source_ids)}"]


def _trial_lines(trial) -> list[str]:
    name, detail = words.trial_heading(trial)
    heading = f"- [{words.verdict_label(trial.verdict)}] {name}{words.SEPARATOR}{detail}"
    out = [f"{heading}{words.SEPARATOR}{trial.nct_id or words.NO_NCT_ID}"]
    out += [f"    {line}" for line in words.trial_details(trial)]
    return out + ([f"    registry: {trial.registry_url}"] if trial.registry_url else [])


def render_text(result, link: str) -> str:
    """Return the board as plain text, the same sections and words as the page and the deck."""
    profile = result.profile
    out = [
        f"{words.TITLE}: {result.profile_words}",
        f"{words.evidence_as_of(result.as_of)}{words.SEPARATOR}{words.NOT_ADVICE}",
        f"View: {link}",
        "",
        words.options_title(profile.agency),
    ]
    out += [line for option in result.approved for line in _option_lines(option)] or [
        f"- {words.no_options(profile.agency)}"
    ]
    out += [words.CROSS_TRIAL_CAUTION] if result.cross_trial else []
    out += ["", words.TRIALS_TITLE]
    out += [line for trial in result.offered_trials for line in _trial_lines(trial)] or [f"- {words.NO_TRIALS}"]
    out += [line for trial in result.trials if trial.verdict == "does not fit" for line in _trial_lines(trial)]
    out += [f"- {words.NOT_ASSESSED_TITLE}: {words.not_assessed_line(t)}" for t in result.not_assessed]
    out += ["", words.changes_title(result.since)]
    changes = [f"- {': '.join(words.change_heading(c))} [{c.source_id}]" for c in result.changes]
    out += changes or [f"- {words.no_changes(result.since)}"]
    out += ["", f"{words.SOURCES_TITLE}: " + ", ".join(result.source_ids())]
    return "\n".join(out) + "\n"


def _write(args: argparse.Namespace, landscape, result, link: str, asked: bool = True) -> None:
    if args.format == "pptx":
        from landscape.board.deck import build_deck

        # A deck travels: it carries a link only to an address someone gave, never the local default.
        Path(args.out).write_bytes(build_deck(landscape, result, link if asked else None))
        print(f"wrote {args.out}")
        return
    if args.format == "json":
        text = json.dumps(result.to_json() | {"link": link}, indent=2, ensure_ascii=False) + "\n"
    else:
        text = render_text(result, link)
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")
        print(f"wrote {args.out}")
    else:
        sys.stdout.write(text)


def run_board(args: argparse.Namespace) -> int:
    from landscape.board.engine import build_board
    from landscape.board.profile import Vocabulary, board_link, profile_from_flags
    from landscape.load import load_tables
    from landscape.model import build_landscape

    if args.format not in FORMATS:
        print(f'--format: "{args.format}" is not one of {", ".join(FORMATS)}', file=sys.stderr)
        return 2
    if args.format == "pptx" and not args.out:
        print("--out: a slide deck needs a file to write (--out board.pptx)", file=sys.stderr)
        return 2
    loaded = load_tables(resolve_data_dir(args.data))
    if not loaded.ok:
        for problem in loaded.problems:
            print(problem, file=sys.stderr)
        return 1
    landscape = build_landscape(loaded.tables)
    vocab = Vocabulary.of(landscape)
    try:
        profile = profile_from_flags(vars(args), vocab)
    except ProfileError as err:
        print(f"--{err.param}: {err.message}", file=sys.stderr)
        return 2
    base = args.base_url or os.environ.get("LANDSCAPE_PUBLIC_URL")
    link = board_link(profile, vocab, base or PUBLIC_URL, present=True)
    _write(args, landscape, build_board(landscape, profile), link, asked=bool(base))
    return 0
