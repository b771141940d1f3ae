"""Pure text helpers: Markdown escaping, safe link targets, source listings and column headings in words.
No Streamlit here, so every surface (page, CSV, deck, command line) can share them."""

from __future__ import annotations

import re

import pandas as pd

from landscape.values import is_missing

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~$:])")
# Headings that are not just the column name with spaces.
_HEADINGS = {
    "nct_id": "NCT id",
    "orr_pct": "ORR (%)",
    "dcr_pct": "DCR (%)",
    "orr_ci": "ORR 95% CI",
    "n": "n",
    "median_pfs": "median PFS (months)",
    "median_os": "median OS (months)",
    "median_pfs_months": "median PFS (months)",
    "median_os_months": "median OS (months)",
    "median_dor_months": "median DoR (months)",
    "pfs_hr": "PFS HR",
    "os_hr": "OS HR",
    "pfs_hr_95ci": "PFS HR (95% CI)",
    "os_hr_95ci": "OS HR (95% CI)",
    "line_of_therapy": "line",
    "her2_criterion": "HER2 criterion",
    "her2_category": "HER2 category",
    "pdl1_criterion": "PD-L1 criterion",
    "pdl1_required": "PD-L1 required",
    "agent_names": "agents",
    "country_names": "countries",
    "country_name": "country",
    "source_ids": "sources",
    "source_id": "source",
    "url": "link",
}


def md_escape(text: object) -> str:
    """Return data text escaped so Markdown shows it literally (no links, emphasis or HTML)."""
    return _MD_SPECIAL.sub(r"\\\1", "" if is_missing(text) else str(text))


def safe_link(url: object) -> str:
    """Return a URL fit for a Markdown link target: http(s) only (the schema enforces it), with the
    characters that could end the link percent-encoded."""
    text = str(url)
    if not text.startswith(("https://", "http://")):
        return ""
    return text.replace(" ", "%20").replace("(", "%28").replace(")", "%29").replace("<", "%3C").replace(">", "%3E")


def source_listing(table: pd.DataFrame) -> str:
    """Return the sources as one Markdown list: escaped citation, kind and year, and a link."""
    lines = []
    for row in table.itertuples(index=False):
        year = f", {md_escape(row.published)}" if isinstance(row.published, str) else ""
        link = safe_link(row.url)
        lines.append(
            f"- {md_escape(row.citation)} ({md_escape(row.kind)}{year})" + (f" [open]({link})" if link else "")
        )
    return "\n".join(lines)


def column_heading(column: str) -> str:
    """Return a column's heading in words ("enrolment type", not "enrollment_type")."""
    if column in _HEADINGS:
        return _HEADINGS[column]
    return column.replace("enrollment", "enrolment").replace("_", " ").strip()


_PARENS = re.compile(r"\s*\([^()]*\)")
_UNIT = r"(?:mg/kg|mg/m2|mg/m²|mg|g/m2|µg|mcg)(?:/day|/d)?"
_DOSE = re.compile(
    rf"\s*\b\d[\d.,/\-–]*\s*{_UNIT}(?:\s*(?:loading|load|maintenance))?(?:\s*,?\s*then\s+\d[\d.,/\-–]*\s*{_UNIT})?\b"
    r"|\s*\bAUC\s*\d+\b",
    re.IGNORECASE,
)
_SCHEDULE = re.compile(
    r"\s*\b(?:q\d+[wd]|qw|bid|tid|once daily|twice daily|daily|weekly|IV"
    r"|d\d+(?:\s*[,\-–]\s*\d+)*|days?\s+\d+(?:\s*[,&\-–]\s*\d+)*)\b",
    re.IGNORECASE,
)


def short_regimen(regimen: object, width: int = 48) -> str:
    """Return a regimen without doses, schedules or parenthesised detail, for a chart label (the full
    text stays in the hover and the tables): 'Trastuzumab 8 mg/kg then 6 mg/kg q3w + cisplatin 80 mg/m2'
    -> 'Trastuzumab + cisplatin'."""
    if not isinstance(regimen, str):
        return ""
    text = _SCHEDULE.sub("", _DOSE.sub("", _PARENS.sub("", regimen)))
    text = re.sub(r"\s*\+\s*(?:\+\s*)*", " + ", text)
    text = re.sub(r"\s{2,}", " ", text).strip(" +,;·-")
    text = text or regimen
    return text if len(text) <= width else text[: width - 1] + "…"


_FIRST_AUTHOR = re.compile(
    r"^(?P<name>[A-Z][A-Za-z'\-]+(?: [A-Z][A-Za-z'\-]+)?) (?P<initials>[A-Z]{1,3})(?:,| et al\b)"
)
_JOURNAL_YEAR = re.compile(r"\.\s+(?P<journal>[A-Z][A-Za-z.&\- ]{1,40}?)\s+(?P<year>(?:19|20)\d{2})\s*[;:,.(]")
_SENTENCE_END = re.compile(r"(?<!\bet al)(?:(?<=[a-z0-9)\]])|(?<=[A-Z]{2}))\.\s+|:\s+")
_YEAR = re.compile(r"\b(?:19|20)\d{2}\b")


def short_citation(citation: object, published: object = None, width: int = 80) -> str:
    """Return a source's citation in a few words for a slide footer: 'Shitara K et al. N Engl J Med 2025' for
    a paper or abstract with an author list; otherwise its opening (the first sentence, two when the first
    is a bare name such as 'US FDA') cut at a word, with the year when the opening lacks one. Never a ';',
    which separates citations in a footer."""
    if is_missing(citation):
        return ""
    text = " ".join(str(citation).split()).replace(";", ",")
    year = "" if is_missing(published) else str(published)[:4]
    author = _FIRST_AUTHOR.match(text)
    if author:
        journals = list(_JOURNAL_YEAR.finditer(str(citation)))
        if journals:
            return f"{author['name']} {author['initials']} et al. {journals[-1]['journal']} {journals[-1]['year']}"
        venue = re.split(r"\.\s+", text.rstrip(". "))[-1]  # 'ASCO Annual Meeting abstract 4048'
        where = [venue] if len(venue) <= 45 and not venue.startswith(author["name"]) else []
        return " ".join([f"{author['name']} {author['initials']} et al.", *where, *([year] if year else [])])
    sentences = [s for s in _SENTENCE_END.split(text) if s]
    opening = sentences[0] if sentences else text
    if len(opening) < 25 and len(sentences) > 1:
        opening = f"{opening}. {sentences[1]}"
    opening = opening.rstrip(" .,")
    if len(opening) > width:
        opening = opening[: width - 1].rsplit(" ", 1)[0].rstrip(" ,(") + "…"
    return opening if not year or _YEAR.search(opening) else f"{opening}, {year}"
