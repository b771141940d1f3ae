"""Command line: `python -m landscape validate [DATA_DIR]`, `geocode [DATA_DIR]`, `dictionary`,
`ctgov import FILE... [--data DIR] [--apply]`, `ctgov fetch (--nct NCT... | --query TEXT) --out FILE`,
`ctgov refresh [--data DIR] [--apply] [--base-url URL] [--out FILE]`,
`board --line 2L --her2 ihc3 [--cps 5] [--prior trastuzumab] --agency FDA [--countries US,CA] [--since DATE]
--format text|json|pptx [--out FILE]`,
`catalysts [--within MONTHS] [--since DATE] [--format text|json|csv|ics] [--out FILE]`."""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys

from landscape import catalysts_cli
from landscape.board import cli as board_cli
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
    board_cli.add_parser(sub)
    catalysts_cli.add_parser(sub)
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
        return ctgov_cli.run(args)
    if args.command == "board":
        return board_cli.run_board(args)
    if args.command == "catalysts":
        return catalysts_cli.run_catalysts(args)
    from landscape.dictionary import render_dictionary

    print(render_dictionary(), end="")
    return 0


if __name__ == "__main__":
    sys.exit(main())
