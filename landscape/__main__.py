"""Command line: `python -m landscape validate [DATA_DIR]`, `geocode [DATA_DIR]`, `dictionary`,
`ctgov import FILE... [--data DIR] [--apply]`, `ctgov fetch (--nct NCT... | --query TEXT) --out FILE`,
`board --line 2L --her2 ihc3 [--cps 5] [--prior trastuzumab] --agency FDA [--countries US,CA] [--since DATE]
--format text|json|pptx [--out FILE]`."""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys

from landscape.ctgov import cli as ctgov_cli
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
    ctgov_cli.add_parser(sub)
    _add_board_parser(sub)
    args = parser.parse_args(argv)

    if args.command == "validate":
        from landscape.validate import validate_data_dir

        directory = resolve_data_dir(args.data_dir)
        problems = validate_data_dir(directory)
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
        return ctgov_cli.run(args)
    if args.command == "board":
        from landscape.board_cli import run_board

        return run_board(args)
    from landscape.dictionary import render_dictionary

    print(render_dictionary(), end="")
    return 0


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


if __name__ == "__main__":
    sys.exit(main())
