"""No function in the package or the pages runs over MAX_LINES lines unless a comment in it (or just above
it) says why, starting "# long because": a long function is then a choice someone made and wrote down, not
one that grew. The few that are long without such a comment are listed in ALLOWED, each with its reason and
the length it may not grow past."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.conftest import ROOT

MAX_LINES = 60
MARK = "# long because"
SCANNED = ("landscape", "pages")
# path::function -> (lines it may not grow past, why it is long). Shorten or annotate one and its entry goes.
ALLOWED: dict[str, tuple[int, str]] = {}


def functions(path: Path) -> list[tuple[str, int, bool]]:
    """Return (name, lines, marked) of every function and method defined in the file, nested ones included:
    lines from its first decorator to its last line; marked when MARK is in it or in the comment lines
    right above it."""
    lines = path.read_text(encoding="utf-8").splitlines()
    out = []
    for node in ast.walk(ast.parse("\n".join(lines), filename=str(path))):
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        first = min([d.lineno for d in node.decorator_list] + [node.lineno])
        above = first - 1
        while above > 0 and lines[above - 1].lstrip().startswith("#"):
            above -= 1
        marked = any(MARK in line for line in lines[above : node.end_lineno])
        out.append((node.name, node.end_lineno - first + 1, marked))
    return out


def long_functions(root: Path = ROOT) -> dict[str, int]:
    """Return path::function -> lines of every unmarked function over MAX_LINES in the scanned folders."""
    found = {}
    for folder in SCANNED:
        for path in sorted((root / folder).rglob("*.py")):
            for name, length, marked in functions(path):
                if length > MAX_LINES and not marked:
                    found[f"{path.relative_to(root).as_posix()}::{name}"] = length
    return found


def test_no_function_is_long_without_a_reason():
    found = long_functions()
    unexplained = {where: n for where, n in found.items() if where not in ALLOWED}
    grown = {where: (n, ALLOWED[where][0]) for where, n in found.items() if where in ALLOWED and n > ALLOWED[where][0]}
    assert not unexplained, (
        f"functions over {MAX_LINES} lines with no '{MARK} …' comment (split them, or say why): {unexplained}"
    )
    assert not grown, f"allowed long functions that grew past their limit (lines, limit): {grown}"


@pytest.mark.parametrize(
    ("source", "flagged"),
    [
        ("def f():\n" + "    x = 1\n" * 60, {"f"}),  # 61 lines
        ("def f():\n" + "    x = 1\n" * 59, set()),  # 60 lines: at the limit
        ("def f():\n    # long because one table of cases\n" + "    x = 1\n" * 60, set()),
        ("# long because one table of cases\ndef f():\n" + "    x = 1\n" * 60, set()),
        ("@decorate\ndef f():\n" + "    x = 1\n" * 59, {"f"}),  # the decorator counts
        ("class C:\n    def m(self):\n" + "        x = 1\n" * 60, {"m"}),  # methods too
        ("def outer():\n    x = 1\n    def inner():\n" + "        x = 1\n" * 60, {"outer", "inner"}),
        ("# a comment that says nothing\ndef f():\n" + "    x = 1\n" * 60, {"f"}),
    ],
    ids=["long", "at-limit", "marked-inside", "marked-above", "decorated", "method", "nested", "other-comment"],
)
def test_the_check_finds_long_unmarked_functions(tmp_path, source, flagged):
    (tmp_path / "landscape").mkdir()
    (tmp_path / "pages").mkdir()
    (tmp_path / "landscape" / "mod.py").write_text(source, encoding="utf-8")
    assert set(long_functions(tmp_path)) == {f"landscape/mod.py::{name}" for name in flagged}
