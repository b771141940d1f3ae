"""Sponsor names read one way everywhere: a trial's lead sponsor and an agent's developers, as the sponsor
facet, the pipeline's sponsor table and the tables show them. Pure text, no Streamlit."""

from __future__ import annotations

import re

from landscape.values import is_missing

NO_SPONSOR = "sponsor not recorded"

# Legal forms say nothing about who sponsors: "RemeGen Co., Ltd." and "RemeGen" are one sponsor.
_LEGAL_FORM = re.compile(r"(?:,?\s+(?:inc|co\.?,?\s*ltd|ltd|llc|ab|gmbh|ag|plc|corp|corporation)\.?)+$", re.I)
# Words that stand in for a name ("various (academic; ...)"): the names are inside the brackets.
_PLACEHOLDERS = frozenset({"various", "academic"})
# One company under several names in the sources. Each entry is a rename, a spelling, or a name the data's own
# cells pair with its group ("Hoffmann-La Roche (Genentech)", "ImClone LLC (Eli Lilly)", "CSPC Pharmaceutical
# Group (Shanghai JMT-Bio)"). Keyed by the name's letters and digits, so spacing and hyphens do not matter.
_ALIASES = {
    "hoffmannlaroche": "Roche",
    "genentech": "Roche",
    "mercksharpdohme": "MSD",
    "merckco": "MSD",
    "memorialsloanketteringcancercenter": "Memorial Sloan Kettering Cancer Center",
    "jiangsuhengruimedicine": "Jiangsu Hengrui Pharmaceuticals",
    "imclone": "Eli Lilly",
    "shanghaijmtbio": "CSPC Pharmaceutical Group",
}


def _key(name: str) -> str:
    return re.sub(r"[^0-9a-z]", "", name.casefold())


def _split_outside(text: str) -> list[str]:
    """Return the parts of text split at each ';' outside brackets, brackets kept in their part."""
    parts, current, depth = [], [], 0
    for char in text:
        depth += (char == "(") - (char == ")" and depth > 0)
        if char == ";" and depth == 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return parts


def _outside_and_inside(part: str) -> tuple[str, list[str]]:
    """Return the text of part outside brackets (spaces collapsed) and the text of each outer bracket."""
    outside, inside, current, depth = [], [], [], 0
    for char in part:
        if char == "(":
            depth += 1
            if depth == 1:
                continue
        elif char == ")" and depth:
            depth -= 1
            if depth == 0:
                inside.append("".join(current))
                current = []
                continue
        (current if depth else outside).append(char)
    return " ".join("".join(outside).split()), inside


def _names(part: str) -> list[str]:
    """Return the sponsor names of one ';'-part of a cell: brackets dropped ("Zymeworks (originator)"), "A / B"
    as two, legal forms dropped, aliases applied; a placeholder's names read from its brackets."""
    text, inside = _outside_and_inside(part)
    if text.casefold() in _PLACEHOLDERS:
        return [name for bracket in inside for piece in _split_outside(bracket) for name in _names(piece)]
    names = []
    for piece in text.split(" / "):
        clean = _LEGAL_FORM.sub("", piece.strip()).strip(" ,")
        if clean and clean.casefold() not in _PLACEHOLDERS:
            names.append(_ALIASES.get(_key(clean), clean))
    return names


def companies(cell: object) -> tuple[str, ...]:
    """Return every company of a developer cell, each once ("Zymeworks (originator); Jazz Pharmaceuticals
    (US/EU/Japan); BeOne Medicines (formerly BeiGene; Asia-Pacific ex-Japan)" is three); NO_SPONSOR for a
    blank cell."""
    if is_missing(cell) or not str(cell).strip():
        return (NO_SPONSOR,)
    found = [name for part in _split_outside(str(cell)) for name in _names(part)]
    return tuple(dict.fromkeys(found)) or (NO_SPONSOR,)


def lead_sponsor(cell: object) -> tuple[str, ...]:
    """Return a trial's lead sponsor (the first name of its cell; collaborators after a ';' or in brackets are
    not the lead); NO_SPONSOR for a blank cell."""
    if is_missing(cell) or not str(cell).strip():
        return (NO_SPONSOR,)
    for part in _split_outside(str(cell)):
        names = _names(part)
        if names:
            return (names[0],)
    return (NO_SPONSOR,)
