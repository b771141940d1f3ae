"""The catalyst calendar on the command line: `python -m landscape catalysts [--within MONTHS] [--since DATE]
[--format text|json|csv|ics] [--out FILE] [--data DIR]`, for analysts who script."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from landscape import dates
from landscape.status import READOUT_WINDOW_MONTHS

FORMATS = ("text", "json", "csv", "ics")


def add_parser(sub: argparse._SubParsersAction) -> None:
    cmd = sub.add_parser(
        "catalysts", help="readouts, regulatory and guideline events, conference presentations: upcoming and overdue"
    )
    cmd.add_argument(
        "--within", type=int, default=READOUT_WINDOW_MONTHS, metavar="MONTHS", help="window after the as-of date"
    )
    cmd.add_argument("--since", metavar="DATE", help="also list what happened from this date on (YYYY, YYYY-MM, ...)")
    cmd.add_argument("--format", choices=FORMATS, default="text")
    cmd.add_argument("--out", metavar="FILE", help="write to a file instead of standard output")
    cmd.add_argument(
        "--data", metavar="DIR", help="data directory; defaults to $LANDSCAPE_DATA_DIR or the bundled data/"
    )


def run_catalysts(args: argparse.Namespace) -> int:
    from landscape import catalysts
    from landscape.load import load_tables
    from landscape.model import build_landscape

    if args.within < 0:
        print("--within: give a number of months, 0 or more", file=sys.stderr)
        return 2
    if args.since and dates.parse(args.since) is None:
        print(f"--since: {args.since!r} is not a date (YYYY, YYYY-MM or YYYY-MM-DD)", file=sys.stderr)
        return 2
    loaded = load_tables(args.data)
    if not loaded.ok:
        for problem in loaded.problems:
            print(problem, file=sys.stderr)
        return 1
    landscape = build_landscape(loaded.tables)
    items = catalysts.build_catalysts(landscape, args.within, args.since)
    if args.format == "ics":
        payload: bytes = catalysts.to_ics(items, landscape)
    else:
        render = {"text": catalysts.to_text, "json": catalysts.to_json, "csv": catalysts.to_csv}[args.format]
        payload = render(items).encode("utf-8")
    if args.out:
        Path(args.out).write_bytes(payload)
        print(f"{len(items)} catalyst(s) written to {args.out}", file=sys.stderr)
    else:
        sys.stdout.buffer.write(payload)
        sys.stdout.flush()
    return 0
