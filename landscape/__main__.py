"""Command line: `python -m landscape validate [DATA_DIR]`, `geocode [DATA_DIR]`, `dictionary`,
`ctgov import FILE... [--data DIR] [--apply]`, `ctgov fetch (--nct NCT... | --query TEXT) --out FILE`,
`board --line 2L --her2 ihc3 [--cps 5] [--prior trastuzumab] --agency FDA [--countries US,CA] [--since DATE]
--format text|json|pptx [--out FILE]`."""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys

from landscape.paths import resolve_data_dir


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m landscape", description="Curate and check the landscape data package."
    )
    sub = parser.add_subparsers(dest="command", required=True)
    check = sub.add_parser("validate", help="check a data directory; print every problem as file:row: column: message")
    check.add_argument("data_dir", nargs="?", help="defaults to $LANDSCAPE_DATA_DIR or the bundled data/")
    check.add_argument("--json", action="store_true", help="one JSON object per problem (file, row, column, message)")
    geo = sub.add_parser("geocode", help="fill site coordinates from the gazetteer and add country rows")
    geo.add_argument("data_dir", nargs="?")
    sub.add_parser("dictionary", help="print the data dictionary (Markdown) generated from datapackage.json")
    _add_ctgov_parser(sub)
    _add_board_parser(sub)
    args = parser.parse_args(argv)

    if args.command == "validate":
        from landscape.load import check_data_dir

        directory = resolve_data_dir(args.data_dir)
        problems = check_data_dir(directory)
        for problem in problems:
            print(json.dumps(dataclasses.asdict(problem)) if args.json else problem)
        if problems:
            print(f"{len(problems)} problem(s) in {directory}", file=sys.stderr)
            return 1
        print(f"{directory}: valid")
        return 0
    if args.command == "geocode":
        from landscape.geo import geocode_sites

        for line in geocode_sites(resolve_data_dir(args.data_dir)):
            print(line)
        return 0
    if args.command == "ctgov":
        return _run_ctgov(args)
    if args.command == "board":
        from landscape.board_cli import run_board

        return run_board(args)
    from landscape.dictionary import render_dictionary

    print(render_dictionary(), end="")
    return 0


def _add_ctgov_parser(sub: argparse._SubParsersAction) -> None:
    ctgov = sub.add_parser("ctgov", help="ClinicalTrials.gov registry records: import downloaded files, or fetch them")
    actions = ctgov.add_subparsers(dest="ctgov_command", required=True)
    imp = actions.add_parser(
        "import",
        help="show (or with --apply write) what the registry records change for trials already in the landscape",
    )
    imp.add_argument(
        "paths",
        nargs="+",
        metavar="PATH",
        help="JSON from ClinicalTrials.gov: the website download (a list), an API v2 page, or one study",
    )
    imp.add_argument(
        "--data", metavar="DIR", help="data directory; defaults to $LANDSCAPE_DATA_DIR or the bundled data/"
    )
    imp.add_argument("--apply", action="store_true", help="write the changes (only if the whole result validates)")
    fetch = actions.add_parser("fetch", help="download study records from the ClinicalTrials.gov API v2 into one file")
    which = fetch.add_mutually_exclusive_group(required=True)
    which.add_argument("--nct", nargs="+", metavar="NCT", help="NCT ids")
    which.add_argument("--query", metavar="TEXT", help="search text (query.term)")
    fetch.add_argument("--out", required=True, metavar="FILE", help="where to write the studies (an API v2 page)")
    fetch.add_argument(
        "--base-url", help="API base (default $LANDSCAPE_CTGOV_BASE_URL or https://clinicaltrials.gov/api/v2)"
    )
    fetch.add_argument("--page-size", type=int, default=100)
    fetch.add_argument("--timeout", type=float, default=30.0, help="seconds per request")
    fetch.add_argument("--retries", type=int, default=3, help="retries of a failed request, with exponential backoff")


def _add_board_parser(sub: argparse._SubParsersAction) -> None:
    board = sub.add_parser(
        "board",
        help="tumour board: the approved options, trials and changes that fit one patient profile (no identifiers)",
    )
    board.add_argument("--line", required=True, help="line of therapy: 1L, 2L or 3L+")
    board.add_argument("--her2", required=True, help="ihc3, ihc2-ish-pos, ihc2-ish-neg, ihc1, ihc0 or unknown")
    board.add_argument("--cps", help="PD-L1 combined positive score (omit when unknown)")
    board.add_argument(
        "--prior", default="", help="prior therapies, comma-separated agent ids, names or aliases (trastuzumab,T-DXd)"
    )
    board.add_argument("--agency", required=True, help="whose labels apply: FDA, EMA, PMDA or NMPA")
    board.add_argument(
        "--countries", default="", help="where the patient could enrol, comma-separated ISO codes (US,CA)"
    )
    board.add_argument(
        "--since", help="list what changed after this date (YYYY-MM-DD; default 30 days before the as-of date)"
    )
    board.add_argument("--format", default="text", help="text, json or pptx")
    board.add_argument("--out", metavar="FILE", help="write here instead of standard output (required for pptx)")
    board.add_argument(
        "--data", metavar="DIR", help="data directory; defaults to $LANDSCAPE_DATA_DIR or the bundled data/"
    )
    board.add_argument(
        "--base-url", default=None, help="address of the dashboard for the link that reproduces the view"
    )


def _run_ctgov(args: argparse.Namespace) -> int:
    from pathlib import Path

    if args.ctgov_command == "import":
        from landscape.ctgov_import import run_import

        outcome = run_import([Path(p) for p in args.paths], resolve_data_dir(args.data), apply=args.apply)
        for line in outcome.lines:
            print(line)
        for problem in outcome.problems:
            print(problem, file=sys.stderr)
        return outcome.exit_code
    from landscape.ctgov import NCT_PATTERN
    from landscape.ctgov_fetch import FetchError, fetch_studies, write_studies

    malformed = [n for n in args.nct or [] if not NCT_PATTERN.match(n)]
    if malformed:
        print(f"not NCT numbers (NCT and 8 digits): {', '.join(malformed)}", file=sys.stderr)
        return 1
    if args.page_size < 1 or args.page_size > 1000:
        print("--page-size must be between 1 and 1000 (the API's limit)", file=sys.stderr)
        return 1
    try:
        studies = fetch_studies(
            nct_ids=args.nct,
            query=args.query,
            base=args.base_url,
            page_size=args.page_size,
            timeout=args.timeout,
            retries=args.retries,
        )
    except FetchError as err:
        print(f"fetch failed: {err}", file=sys.stderr)
        return 1
    write_studies(Path(args.out), studies)
    print(f"wrote {len(studies)} stud{'y' if len(studies) == 1 else 'ies'} to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
