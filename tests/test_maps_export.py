"""Map decks (offline, layer types, tooltips) and exports (formula-safe CSV, images)."""

from __future__ import annotations

import html
import io
import os

import pandas as pd
import pytest

from landscape import export, maps, vocab


def test_site_deck_is_offline(landscape):
    deck = maps.site_deck(landscape.sites)
    assert deck.map_style.startswith("data:application/json,")
    assert "mapbox" not in deck.to_json().lower() and "carto" not in deck.to_json().lower()
    types = [layer.type for layer in deck.layers]
    assert types == ["GeoJsonLayer", "ScatterplotLayer"]
    assert "{facility}" in deck._tooltip["text"] and "{trials}" in deck._tooltip["text"]


def test_site_points_colour_by_status_and_phase(landscape):
    by_status = maps.site_points(landscape.sites, "status")
    by_phase = maps.site_points(landscape.sites, "phase")
    assert by_status["colour"].map(len).eq(4).all()
    assert set(by_phase["category"]) <= set(landscape.trials["phase"])
    assert list(by_status["colour"]) != list(by_phase["colour"])


def test_trials_at_one_place_share_a_marker_and_every_trial_is_listed(landscape):
    placed = landscape.sites[landscape.sites["latitude"].notna()]
    points = maps.site_points(landscape.sites, "status")
    assert len(points) < len(placed)
    assert points["n_trials"].sum() >= placed["trial_id"].nunique()
    assert not points.duplicated(["lon", "lat", "level", "category"]).any()


def test_unplaced_sites_are_not_drawn(landscape):
    points = maps.site_points(landscape.sites, "status")
    assert points["lat"].notna().all()
    unplaced = landscape.sites[landscape.sites["latitude"].isna()]
    assert not unplaced.empty  # the bundled data has sites the gazetteer could not place
    assert not set(zip(unplaced["facility"], unplaced["city"].fillna(""), strict=True)) & set(
        zip(points["facility"], points["city"], strict=True)
    )


def test_country_counts_aggregate_trials(landscape):
    counts = maps.country_counts(landscape.sites)
    assert counts["trials"].sum() >= counts["country"].nunique()
    assert counts["lat"].between(-90, 90).all()
    expected = landscape.sites.groupby("country")["trial_id"].nunique()
    assert dict(zip(counts["country"], counts["trials"], strict=True)) == expected.to_dict()


def _site(trial: str, country: str, group: object, level: str = "country") -> dict:
    return {
        "trial_id": trial,
        "acronym": trial.upper(),
        "country": country,
        "country_name": country,
        "level": level,
        "status_group": group,
        "latitude": 1.0,
        "longitude": 2.0,
    }


@pytest.mark.parametrize(
    ("group", "enrolling"),
    [
        (vocab.OPEN, True),  # recruiting, not yet recruiting or by invitation, stated within 12 months
        (vocab.ACTIVE, False),
        (vocab.CLOSED_INFERRED, False),  # the registry says recruiting, the results say otherwise
        (vocab.NOT_VERIFIED, False),  # "Recruiting" with no recent dated source: never shown as enrolling
        (vocab.REPORTED, False),
        (vocab.COMPLETED_NO_RESULTS, False),
        (vocab.STOPPED, False),
        (vocab.UNKNOWN, False),
        (vocab.NOT_RECORDED, False),
        (pd.NA, False),
    ],
)
def test_only_the_open_status_group_counts_as_enrolling(group, enrolling):
    sites = pd.DataFrame([_site("t1", "CN", group), _site("t1", "CN", group, "site"), _site("t2", "CN", vocab.OPEN)])
    row = maps.country_counts(sites).iloc[0]
    assert row["trials"] == 2
    assert row["enrolling"] == 1 + enrolling
    assert ("T1" in row["enrolling_list"].split("; ")) is enrolling
    assert ("T1" in row["other_list"].split("; ")) is not enrolling
    assert "T2" in row["enrolling_list"] and "T2" not in row["other_list"]


def test_country_enrolling_counts_match_the_status_groups(landscape):
    counts = maps.country_counts(landscape.sites).set_index("country")
    trials = landscape.trials.set_index("trial_id")
    for country, part in landscape.sites.groupby("country"):
        groups = trials.loc[part["trial_id"].unique(), "status_group"]
        assert counts.loc[country, "enrolling"] == int((groups == vocab.OPEN).sum()), country
        named = set(filter(None, counts.loc[country, "enrolling_list"].split("; ")))
        assert named == set(trials.loc[groups.index[groups == vocab.OPEN], "acronym"]), country
    # Completed, stopped and unverified trials are there and are not counted as enrolling.
    assert (counts["enrolling"] < counts["trials"]).any()
    assert counts["other_list"].str.len().gt(0).any()


def test_outline_is_served_from_static_files(landscape):
    import json

    from landscape.paths import STATIC_DIR

    assert len(json.loads((STATIC_DIR / "countries-110m.geojson").read_text(encoding="utf-8"))["features"]) > 150
    outline = maps.site_deck(landscape.sites).layers[0]
    assert outline.data == "app/static/countries-110m.geojson"
    assert (STATIC_DIR / "countries-110m.geojson").is_file()
    config = (STATIC_DIR.parent / ".streamlit" / "config.toml").read_text(encoding="utf-8")
    assert "enableStaticServing = true" in config


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+1", "'+1"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("T-DXd", "T-DXd"),
        (3, 3),
    ],
)
def test_neutralise_formula(value, expected):
    assert export.neutralise_formula(value) == expected


def test_safe_csv_keeps_rows_and_numbers():
    frame = pd.DataFrame({"name": ["=cmd", "ok"], "hr": [-0.5, 0.7]})
    text = export.to_safe_csv(frame).decode("utf-8-sig")
    back = pd.read_csv(io.StringIO(text))
    assert list(back["name"]) == ["'=cmd", "ok"]
    assert list(back["hr"]) == [-0.5, 0.7]


def test_figure_image_png_and_svg(landscape):
    if export.image_browser() is None:
        if os.environ.get("CI"):
            pytest.fail("CI must render images: install chromium")
        pytest.skip("kaleido needs a Chromium to render images")
    from landscape import charts

    fig = charts.hr_forest(landscape.outcomes, "os")
    png = export.figure_image(fig, "png")
    svg = export.figure_image(fig, "svg")
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert b"<svg" in svg[:500]
    width = int.from_bytes(png[16:20], "big")
    assert width == export.PROJECTOR_WIDTH_PX * export.PNG_SCALE


def test_status_legend_covers_every_status_group():
    assert set(maps.colour_legend("status")) == set(vocab.STATUS_GROUPS)
    svg = maps.legend_svg("status")
    for name in vocab.STATUS_GROUPS:
        assert html.escape(name) in svg


def test_phase_legend_covers_every_phase_the_schema_allows():
    from landscape import schema

    allowed = schema.enum("trials", "phase")
    assert set(maps.colour_legend("phase")) == set(allowed)
    svg = maps.legend_svg("phase")
    for name in allowed:
        assert html.escape(name) in svg
    assert "other / not recorded" in svg


def test_status_colours_follow_what_a_status_means_not_the_registry_word():
    colours = maps.colour_legend("status")
    assert colours[vocab.OPEN] not in (colours[g] for g in vocab.STATUS_GROUPS if g != vocab.OPEN)
    sites = pd.DataFrame(
        {
            "latitude": [1.0, 2.0, 3.0],
            "longitude": [1.0, 2.0, 3.0],
            "level": ["site"] * 3,
            "status": ["Recruiting"] * 3,  # the registry word is the same for all three
            "status_group": [vocab.OPEN, vocab.NOT_VERIFIED, vocab.CLOSED_INFERRED],
            "phase": ["Phase 3"] * 3,
            "facility": ["A", "B", "C"],
            "city": ["a", "b", "c"],
            "country_name": ["X", "Y", "Z"],
            "acronym": ["T1", "T2", "T3"],
        }
    )
    points = maps.site_points(sites, "status")
    assert [c[:3] for c in points["colour"]] == [
        colours[vocab.OPEN],
        colours[vocab.NOT_VERIFIED],
        colours[vocab.CLOSED_INFERRED],
    ]


def test_image_browser_is_found_on_the_path_or_named_by_env(monkeypatch, tmp_path):
    monkeypatch.delenv("BROWSER_PATH", raising=False)
    monkeypatch.setattr(export.shutil, "which", lambda name: "/opt/x/chromium" if name == "chromium" else None)
    assert export.image_browser() == "/opt/x/chromium"
    monkeypatch.setattr(export.shutil, "which", lambda name: None)
    assert export.image_browser() is None
    fake = tmp_path / "chrome"
    fake.write_text("#!/bin/sh\n")
    fake.chmod(0o755)
    monkeypatch.setenv("BROWSER_PATH", str(fake))
    assert export.image_browser() == str(fake)


def _download_labels(at) -> list[str]:
    return [el.proto.label for el in at.get("download_button")]


def test_chart_downloads_without_a_browser_say_what_to_install(monkeypatch):
    from tests.test_pages import run_page

    monkeypatch.delenv("BROWSER_PATH", raising=False)
    monkeypatch.setattr(export.shutil, "which", lambda name: None)
    at = run_page("pages/efficacy.py")
    assert not at.exception
    assert "PNG" not in _download_labels(at) and "SVG" not in _download_labels(at)
    assert any("sudo apt-get install chromium" in c.value for c in at.caption)


def test_chart_downloads_with_a_browser_offer_png_and_svg(monkeypatch):
    from tests.test_pages import run_page

    monkeypatch.setattr(export, "image_browser", lambda: "/usr/bin/chromium")
    at = run_page("pages/efficacy.py")
    assert {"PNG", "SVG"} <= set(_download_labels(at))
    assert not any("apt-get install chromium" in c.value for c in at.caption)
