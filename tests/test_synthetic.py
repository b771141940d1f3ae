"""Synthetic scale-up keeps the data valid: fresh ids, consistent references."""

from __future__ import annotations

from landscape.load import load_tables
from landscape.paths import BUNDLED_DATA_DIR
from landscape.synthetic import scale_data_dir


def test_scaled_copy_validates_with_fresh_ids(tmp_path):
    counts = scale_data_dir(BUNDLED_DATA_DIR, tmp_path / "x3", 3)
    original = load_tables(BUNDLED_DATA_DIR).tables
    result = load_tables(tmp_path / "x3")
    assert result.ok, "\n".join(map(str, result.problems[:10]))
    assert counts["outcomes"] == 3 * len(original.outcomes)
    assert result.tables.trials["trial_id"].is_unique
    assert "toga_s2" in set(result.tables.trials["trial_id"])
    assert set(result.tables.outcomes.loc[result.tables.outcomes["trial_id"] == "toga_s1", "source_id"]) <= {
        s + "_s1" for s in original.sources["source_id"]
    }
