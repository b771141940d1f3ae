"""Synthetic scale-up of a data directory for benchmarks and scale tests: k copies of every row with
fresh ids (copy 0 is the curated data itself), every key and reference rewritten consistently."""

from __future__ import annotations

import csv
import json
import re
import shutil
from pathlib import Path

from landscape import schema

# table -> columns holding an id (or ';'-separated ids) that must be rewritten per copy
ID_COLUMNS = {
    "sources": ["source_id"],
    "agents": ["agent_id", "source_ids"],
    "trials": ["trial_id", "agent_ids", "source_ids"],
    "outcomes": ["outcome_id", "trial_id", "agent_ids", "source_id"],
    "approvals": ["approval_id", "agent_id", "source_id"],
    "sites": ["site_id", "trial_id", "source_id"],
    "safety": ["safety_id", "trial_id", "agent_id", "source_id"],
    "guidelines": ["guideline_id", "agent_ids", "source_id"],
    "events": ["event_id", "trial_id", "agent_ids", "source_id"],
    "eligibility": [
        "eligibility_id",
        "approval_id",
        "trial_id",
        "prior_required",
        "prior_excluded",
        "superseded_by",
        "evidence_trial_ids",
        "source_id",
    ],
}
LABEL_COLUMNS = {"agents": "name", "trials": "acronym"}


def _rename(value: str, copy: int) -> str:
    if copy == 0 or not value:
        return value
    # Id lists are ';'-separated; prior-therapy rules also use '|' between alternatives.
    return re.sub(r"[^;|]+", lambda m: f"{m.group(0)}_s{copy}", value)


def scale_data_dir(source: Path, target: Path, factor: int) -> dict[str, int]:
    """Write `factor` copies of every table of `source` into `target`; return the row counts."""
    if factor < 1:
        raise ValueError("factor must be at least 1")
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy(source / "datapackage.json", target / "datapackage.json")
    counts = {}
    for table in schema.TABLES:
        with (source / f"{table}.csv").open(encoding="utf-8", newline="") as f:
            rows = list(csv.DictReader(f))
        out = []
        for copy in range(factor):
            for row in rows:
                new = dict(row)
                for column in ID_COLUMNS[table]:
                    new[column] = _rename(row[column], copy)
                label = LABEL_COLUMNS.get(table)
                if label and copy:
                    new[label] = f"{row[label]} #{copy}"
                out.append(new)
        with (target / f"{table}.csv").open("w", encoding="utf-8", newline="") as f:
            writer = csv.DictWriter(f, fieldnames=schema.columns(table), lineterminator="\n")
            writer.writeheader()
            writer.writerows(out)
        counts[table] = len(out)
    (target / "SYNTHETIC.json").write_text(json.dumps({"factor": factor, "from": str(source)}), encoding="utf-8")
    return counts
