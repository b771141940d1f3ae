"""`python -m landscape ctgov import|fetch|refresh`: the command line of the registry import. The work is imported
when a command runs, so the other commands start without it."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from landscape.paths import resolve_data_dir


def add_parser(sub: argparse._SubParsersAction) -> None:
    """Add `ctgov import`, `ctgov fetch` and `ctgov refresh` to the command line."""
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
    refresh = actions.add_parser(
        "refresh",
        help="fetch the current record of every NCT id in the landscape, keep the download, and show (or with "
        "--apply write) what it changes",
    )
    refresh.add_argument(
        "--data", metavar="DIR", help="data directory; defaults to $LANDSCAPE_DATA_DIR or the bundled data/"
    )
    refresh.add_argument("--apply", action="store_true", help="write the changes (only if the whole result validates)")
    refresh.add_argument(
        "--base-url", help="API base (default $LANDSCAPE_CTGOV_BASE_URL or https://clinicaltrials.gov/api/v2)"
    )
    refresh.add_argument(
        "--out", metavar="FILE", help="where to keep the download (default downloads/ctgov/refresh-<UTC time>.json)"
    )
    refresh.add_argument("--batch-size", type=int, default=50, help="NCT ids per request (default 50)")
    refresh.add_argument("--page-size", type=int, default=100)
    refresh.add_argument("--timeout", type=float, default=30.0, help="seconds per request")
    refresh.add_argument("--retries", type=int, default=3, help="retries of a failed request, with exponential backoff")
    refresh.add_argument(
        "--backoff", type=float, default=1.0, help="seconds before the first retry (doubled after each)"
    )


def run(args: argparse.Namespace) -> int:
    """Run `ctgov import`, `ctgov fetch` or `ctgov refresh`; return the exit code."""
    if args.ctgov_command == "refresh":
        return run_refresh_command(args)
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
    if _bad_sizes(args):
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


def _bad_sizes(args: argparse.Namespace) -> bool:
    """Say on standard error which size option is out of range; return whether one is."""
    checks = [("--page-size", args.page_size, 1000, "the API's limit")]
    if getattr(args, "batch_size", None) is not None:
        checks.append(("--batch-size", args.batch_size, 500, "longer addresses are refused"))
    for flag, value, most, why in checks:
        if not 1 <= value <= most:
            print(f"{flag} must be between 1 and {most} ({why})", file=sys.stderr)
            return True
    if getattr(args, "retries", 0) < 0 or getattr(args, "backoff", 0) < 0:
        print("--retries and --backoff must be 0 or more", file=sys.stderr)
        return True
    return False


def run_refresh_command(args: argparse.Namespace) -> int:
    """Run `ctgov refresh`: print the diff (or what was written) on standard output, problems on standard
    error; exit 1 on any problem, an unreachable registry included."""
    from landscape.ctgov.refresh import run_refresh

    if _bad_sizes(args):
        return 1
    outcome = run_refresh(
        resolve_data_dir(args.data),
        apply=args.apply,
        base=args.base_url,
        out=Path(args.out) if args.out else None,
        batch_size=args.batch_size,
        page_size=args.page_size,
        timeout=args.timeout,
        retries=args.retries,
        backoff=args.backoff,
    )
    for line in outcome.lines:
        print(line)
    for problem in outcome.problems:
        print(problem, file=sys.stderr)
    return outcome.exit_code
