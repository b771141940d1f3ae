"""The tumour board on the command line: read the flags into a profile (an invalid value names its flag
and exits non-zero), build the one board result and write it as text, JSON or a slide deck."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from landscape import board
from landscape.paths import resolve_data_dir

FORMATS = ("text", "json", "pptx")


def profile_from_args(args: argparse.Namespace, landscape) -> board.Profile:
    """Return the profile the flags describe; raise board.ProfileError naming the flag."""
    return board.Profile(
        line=board.parse_line(args.line),
        her2=board.parse_her2(args.her2),
        cps=board.parse_cps(args.cps),
        prior=board.parse_prior([args.prior], landscape.agents) if args.prior else (),
        agency=board.parse_agency(args.agency),
        countries=board.parse_countries([args.countries]) if args.countries else (),
        since=board.parse_since(args.since, landscape.as_of),
    )


def render_text(result: board.BoardResult, link: str) -> str:
    """Return the board as plain text, the same sections as the page and the deck."""
    out = [
        f"Tumour board: {result.profile_words}",
        f"Evidence as of {result.as_of} · {board.NOT_ADVICE}",
        f"View: {link}",
        "",
        "Approved options",
    ]
    for option in result.approved:
        tag = "" if option.her2_directed else " [not HER2-directed]"
        out.append(f"- [{option.verdict}] {option.agency} {option.approval_date}: {option.regimen}{tag}")
        out += [f"    {reason}" for reason in option.reasons]
        out += [f"    evidence: {board.option_evidence_text(row)}" for row in option.evidence]
        out.append(f"    sources: {', '.join(option.source_ids)}")
    if result.cross_trial:
        out.append(board.CROSS_TRIAL_CAUTION)
    out += ["", "Trials"]
    if not result.trials:
        out.append("- no open trial in the data fits or nearly fits this profile")
    for trial in result.trials:
        cohort = f" ({trial.cohort})" if trial.cohort else ""
        out.append(f"- [{trial.verdict}] {trial.acronym}{cohort} · {trial.phase} · {trial.nct_id or 'no NCT id'}")
        if trial.excluding:
            out.append(f"    excluded by: {trial.excluding}")
        out += [f"    {reason}" for reason in trial.reasons]
        if trial.registry_url:
            out.append(f"    registry: {trial.registry_url}")
    if result.not_assessed:
        out.append(f"- not assessed (criteria not recorded): {', '.join(result.not_assessed)}")
    out += ["", f"Changed since {result.since}"]
    if not result.changes:
        out.append("- nothing dated after that in the data")
    for change in result.changes:
        out.append(
            f"- {change.date} {change.kind}: {change.text} [{change.source_id}]"
            + (" (date imprecise)" if change.imprecise else "")
        )
    out += ["", "Sources: " + ", ".join(result.source_ids())]
    return "\n".join(out) + "\n"


def run_board(args: argparse.Namespace) -> int:
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
    try:
        profile = profile_from_args(args, landscape)
    except board.ProfileError as err:
        print(f"--{err.param}: {err.message}", file=sys.stderr)
        return 2
    result = board.build_board(landscape, profile)
    link = board.board_link(
        profile, args.base_url or os.environ.get("LANDSCAPE_PUBLIC_URL", board.PUBLIC_URL), present=True
    )
    if args.format == "pptx":
        from landscape.deck import build_deck

        Path(args.out).write_bytes(build_deck(landscape, result, link))
        print(f"wrote {args.out}")
        return 0
    text = (
        json.dumps(result.to_json() | {"link": link}, indent=2, ensure_ascii=False) + "\n"
        if args.format == "json"
        else render_text(result, link)
    )
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")
        print(f"wrote {args.out}")
    else:
        sys.stdout.write(text)
    return 0
