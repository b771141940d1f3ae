"""`python -m landscape ctgov refresh`: fetch the current ClinicalTrials.gov record of every NCT id in the
landscape (in batches, each followed through its pages), keep the download, and run the import on it: the
field-by-field diff, or with --apply the import's validated, atomic write."""

from __future__ import annotations

import csv
import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from landscape.ctgov.fetch import FetchError, fetch_studies, write_studies
from landscape.ctgov.importer import ImportOutcome, run_import
from landscape.ctgov.records import NCT_PATTERN
from landscape.paths import PROJECT_DIR

# Downloads are kept so a curator can re-read what the registry said; the directory is gitignored.
DOWNLOAD_DIR = PROJECT_DIR / "downloads" / "ctgov"
# 50 ids make an address of about 700 characters: far below what servers and proxies refuse.
BATCH_SIZE = 50


@dataclass
class RefreshOutcome:
    lines: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    download: Path | None = None
    imported: ImportOutcome | None = None

    @property
    def exit_code(self) -> int:
        return 1 if self.problems else 0


def landscape_nct_ids(data_dir: Path) -> list[str]:
    """Return the NCT ids of the trials in data_dir, sorted, each once (blank and malformed cells skipped:
    the validator names those)."""
    with (data_dir / "trials.csv").open(encoding="utf-8", newline="") as f:
        cells = [(row.get("nct_id") or "").strip() for row in csv.DictReader(f)]
    return sorted({c for c in cells if NCT_PATTERN.match(c)})


def batches(ids: list[str], size: int) -> list[list[str]]:
    """Return ids in consecutive groups of at most size."""
    return [ids[i : i + size] for i in range(0, len(ids), size)]


def default_download(now: dt.datetime | None = None) -> Path:
    """Return a new timestamped download path under DOWNLOAD_DIR (UTC, to the second)."""
    stamp = (now or dt.datetime.now(dt.UTC)).strftime("%Y%m%dT%H%M%SZ")
    return DOWNLOAD_DIR / f"refresh-{stamp}.json"


def fetch_in_batches(ids: list[str], batch_size: int, **fetch_options: Any) -> list[dict[str, Any]]:
    """Return the registry's studies for the ids, one request chain (with its pages) per batch."""
    studies: list[dict[str, Any]] = []
    for batch in batches(ids, batch_size):
        studies += fetch_studies(nct_ids=batch, **fetch_options)
    return studies


def _returned_ids(studies: list[dict[str, Any]]) -> set[str]:
    found = set()
    for study in studies:
        try:
            found.add(study["protocolSection"]["identificationModule"]["nctId"])
        except (KeyError, TypeError):
            continue  # the import names a study without an id, with its file and position
    return found


def run_refresh(
    data_dir: Path,
    apply: bool,
    base: str | None = None,
    out: Path | None = None,
    batch_size: int = BATCH_SIZE,
    page_size: int = 100,
    timeout: float = 30.0,
    retries: int = 3,
    backoff: float = 1.0,
    sleep: Callable[[float], None] = time.sleep,
) -> RefreshOutcome:
    """Fetch every landscape trial's record, write the download, and diff (or apply) it against data_dir."""
    outcome = RefreshOutcome()
    if not (data_dir / "trials.csv").is_file():
        outcome.problems.append(f"{data_dir}: not a data directory (trials.csv missing); nothing fetched")
        return outcome
    ids = landscape_nct_ids(data_dir)
    if not ids:
        outcome.problems.append(f"{data_dir / 'trials.csv'}: no trial has an NCT id; nothing to refresh")
        return outcome
    try:
        studies = fetch_in_batches(
            ids,
            batch_size,
            base=base,
            page_size=page_size,
            timeout=timeout,
            retries=retries,
            backoff=backoff,
            sleep=sleep,
        )
    except FetchError as err:
        outcome.problems.append(f"refresh failed: {err}")
        return outcome
    target = out or default_download()
    target.parent.mkdir(parents=True, exist_ok=True)
    write_studies(target, studies)
    outcome.download = target
    count = len(batches(ids, batch_size))
    outcome.lines.append(
        f"fetched {len(studies)} of {len(ids)} NCT ids in {count} batch{'es' if count != 1 else ''}; "
        f"download kept in {target}"
    )
    missing = sorted(set(ids) - _returned_ids(studies))
    if missing:
        outcome.lines.append(f"not returned by the registry (left as they are): {', '.join(missing)}")
    imported = run_import([target], data_dir, apply=apply)
    outcome.imported = imported
    outcome.lines += imported.lines
    outcome.problems += imported.problems
    return outcome
