"""Cross-field checks of agents.csv: a HER2-directed agent cites a source, and its scope agrees."""

from __future__ import annotations

import pandas as pd

from landscape.validate.problems import Problem, cell_problem


def agent_problems(agents: pd.DataFrame) -> list[Problem]:
    out = []
    for i, row in enumerate(agents.itertuples(index=False)):
        directed = row.her2_directed.lower() == "true"
        if directed and not row.source_ids:
            out.append(cell_problem("agents", i, "source_ids", "a HER2-directed agent needs a source for its status"))
        scope = getattr(row, "scope", "")
        if scope and (scope == "HER2-directed") != directed:
            out.append(
                cell_problem("agents", i, "scope", f'"{scope}" disagrees with her2_directed = {row.her2_directed}')
            )
    return out
