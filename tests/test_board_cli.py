"""`python -m landscape board`: text, JSON and PPTX from the same result as the page; a bad value exits
non-zero naming its flag."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from pptx import Presentation

from landscape.__main__ import main
from landscape.board import words
from landscape.board.engine import build_board
from landscape.board.profile import Profile
from tests.conftest import ROOT

BASE = ["board", "--line", "2L", "--her2", "ihc3", "--cps", "5", "--prior", "trastuzumab", "--agency", "FDA"]


def test_text(capsys):
    assert main([*BASE, "--countries", "US,CA"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(
        "Tumour board: 2L · HER2 IHC 3+ · PD-L1 CPS 5 · prior Trastuzumab · FDA labels · "
        "could enrol in United States, Canada"
    )
    assert "- [FITS] Fam-trastuzumab deruxtecan-nxki monotherapy 6.4 mg/kg q3w · FDA 2021-01-15\n" in out
    assert "    Also approved: Fam-trastuzumab deruxtecan-nxki monotherapy (FDA 2024-04-05 label, 2L, 3L+; " in out
    assert "- [FITS] Fam-trastuzumab deruxtecan-nxki monotherapy · FDA 2024-04-05" not in out, "one card per drug"
    assert "- [NOT DETERMINED] Ramucirumab + paclitaxel · FDA 2014-11-05 · not HER2-directed\n" in out
    assert "- [DOES NOT FIT] DESTINY-Gastric03 · Part 1 (dose escalation) · Phase 1/2" in out
    assert "· FDA 2021-05-05" in out and "- [SUPERSEDED] " in out
    assert words.NOT_ADVICE in out


def test_json_matches_the_board(capsys, landscape):
    assert main([*BASE, "--format", "json", "--since", "2026-01-01"]) == 0
    data = json.loads(capsys.readouterr().out)
    expected = build_board(landscape, Profile("2L", "ihc3", 5.0, ("trastuzumab",), "FDA", since="2026-01-01")).to_json()
    assert {k: v for k, v in data.items() if k != "link"} == json.loads(json.dumps(expected))
    assert data["link"].endswith("/board?b_line=2L&b_cps=5&b_prior=Trastuzumab&b_since=2026-01-01&present=1")
    fitting = [o["approval_id"] for o in data["approved"] if o["fits"]]
    assert fitting == ["fda_trastuzumab_deruxtecan_2021"]
    notes = data["approved"][0]["other_approvals"]
    assert [(o["approval_id"], o["fits"]) for o in notes] == [("fda_trastuzumab_deruxtecan_2024_pantumor", True)]
    assert all(set(t) == {"trial_id", "acronym", "reason"} for t in data["not_assessed"]) and data["not_assessed"]


@pytest.mark.parametrize(
    ("prior", "words_"),
    [
        ("Trastuzumab + XELOX", "prior Trastuzumab + XELOX (CAPOX) · FDA labels"),
        ("trastuzumab+capox,paclitaxel", "prior Trastuzumab + XELOX (CAPOX), paclitaxel · FDA labels"),
        ("trastuzumab_cf", "prior Trastuzumab + CF (cisplatin + 5-FU) · FDA labels"),
    ],
)
def test_prior_takes_regimen_names(prior, words_, capsys):
    args = [*BASE[:-4], "--prior", prior, "--agency", "FDA"]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert words_ in out.splitlines()[0]
    assert "- [FITS] Ramucirumab + paclitaxel · FDA 2014-11-05 · not HER2-directed\n" in out


def deck_links(path) -> tuple[str, set[str]]:
    """Return a deck's text and every hyperlink in it."""
    prs = Presentation(str(path))
    frames = [s.text_frame for slide in prs.slides for s in slide.shapes if s.has_text_frame]
    links = {r.hyperlink.address for f in frames for p in f.paragraphs for r in p.runs if r.hyperlink.address}
    return "\n".join(f.text for f in frames), links


# (--base-url, LANDSCAPE_PUBLIC_URL) -> the base of the deck's link, None for no link at all
LINK_BASES = [
    (None, None, None),
    ("https://board.example.org/", None, "https://board.example.org/board?"),
    (None, "https://env.example.org", "https://env.example.org/board?"),
    ("https://flag.example.org", "https://env.example.org", "https://flag.example.org/board?"),
]


@pytest.mark.parametrize(("flag", "env", "base"), LINK_BASES, ids=["none", "flag", "env", "flag-over-env"])
def test_pptx_opens_with_the_summary_and_links_only_to_an_address_given(tmp_path, monkeypatch, flag, env, base):
    out = tmp_path / "board.pptx"
    if env:
        monkeypatch.setenv("LANDSCAPE_PUBLIC_URL", env)
    else:
        monkeypatch.delenv("LANDSCAPE_PUBLIC_URL", raising=False)
    assert main([*BASE, "--format", "pptx", "--out", str(out), *(["--base-url", flag] if flag else [])]) == 0
    assert Presentation(str(out)).slides[0].shapes[0].text_frame.text == words.SUMMARY_TITLE
    text, links = deck_links(out)
    assert "localhost" not in text and not any("localhost" in link or "127.0.0.1" in link for link in links)
    board_links = [link for link in links if "/board?" in link]
    if base is None:
        assert board_links == [] and words.NO_LINK in text
    else:
        assert board_links == [base + "b_line=2L&b_cps=5&b_prior=Trastuzumab&present=1"]


@pytest.mark.parametrize(
    ("flag", "value"),
    [
        ("--line", "4L"),
        ("--her2", "positive"),
        ("--cps", "high"),
        ("--agency", "WHO"),
        ("--prior", "nosuchdrug"),
        ("--countries", "USA"),
        ("--since", "tomorrow"),
        ("--format", "pdf"),
    ],
)
def test_a_bad_value_exits_non_zero_naming_the_flag(flag, value, capsys):
    args = list(BASE)
    if flag in args:
        args[args.index(flag) + 1] = value
    else:
        args += [flag, value]
    assert main(args) != 0
    assert capsys.readouterr().err.startswith(f"{flag}: ")


def test_pptx_needs_out(capsys):
    assert main([*BASE, "--format", "pptx"]) != 0
    assert "--out" in capsys.readouterr().err


def test_as_a_command():
    done = subprocess.run(
        [sys.executable, "-m", "landscape", "board", "--line", "1L", "--her2", "unknown", "--agency", "NMPA"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "HER2 status unknown" in done.stdout
    missing = subprocess.run(
        [sys.executable, "-m", "landscape", "board", "--her2", "ihc3", "--agency", "FDA"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert missing.returncode != 0 and "--line" in missing.stderr


def test_the_readme_documents_every_json_field(landscape):
    """The README's JSON contract falls behind the code: this fails."""
    readme = " ".join((ROOT / "README.md").read_text(encoding="utf-8").split())  # Markdown wraps lines anywhere
    result = build_board(landscape, Profile("3L+", "ihc2-ish-neg", None, (), "NMPA")).to_json()
    documented = [*result, "link", *result["not_assessed"][0], "other_approvals", "excluding", "verdict", "reasons"]
    missing = [key for key in documented if f"`{key}`" not in readme and f'"{key}"' not in readme]
    assert not missing, f"README lacks: {missing}"
    for verdict in words.TRIAL_VERDICTS + words.OPTION_VERDICTS:
        assert verdict == "superseded" or f"`{verdict}`" in readme, verdict
