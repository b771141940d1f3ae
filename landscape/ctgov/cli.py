"""`python -m landscape ctgov import|fetch`: the command line of the registry import. The work is imported
when a command runs, so the other commands start without it."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from landscape.paths import resolve_data_dir


def add_parser(sub: argparse._SubParsersAction) -> None:
    """Add `ctgov import` and `ctgov fetch` to the command line."""
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


def run(args: argparse.Namespace) -> int:
    """Run `ctgov import` or `ctgov fetch`; return the exit code."""
    if args.ctgov_command == "import":
        from landscape.ctgov.importer import run_import

        outcome = run_import([Path(p) for p in args.paths], resolve_data_dir(args.data), apply=args.apply)
        for line in outcome.lines:
            print(line)
        for problem in outcome.problems:
            print(problem, file=sys.stderr)
        return outcome.exit_code
    from landscape.ctgov.fetch import FetchError, fetch_studies, write_studies
    from landscape.ctgov.records import NCT_PATTERN

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
