"""Map builders: pydeck decks of trial sites and per-country aggregates over a bundled country
outline, with no basemap token and no tile fetch, so the map works offline."""

from __future__ import annotations

import html
import json
import urllib.parse

import pandas as pd
import pydeck as pdk

from landscape import schema, vocab
from landscape.paths import STATIC_URL

OUTLINE_FILE = "countries-110m.geojson"

# An empty MapLibre style as a data URL: no tiles, no token, nothing fetched from the network.
OFFLINE_STYLE = "data:application/json," + urllib.parse.quote(
    json.dumps(
        {
            "version": 8,
            "sources": {},
            "layers": [{"id": "background", "type": "background", "paint": {"background-color": "#dce6ef"}}],
        }
    )
)
OTHER_COLOUR = [153, 153, 153]
# The map colours a trial by what its status means for a reader (vocab.STATUS_GROUPS: the registry status read
# with its date and the results), never by the registry's word alone: a "Recruiting" stated years ago, or
# overruled by reported results, must not look open. Every group has a colour; unverified ones stay grey.
STATUS_COLOURS = {
    vocab.OPEN: [0, 158, 115],
    vocab.ACTIVE: [0, 114, 178],
    vocab.CLOSED_INFERRED: [86, 180, 233],
    vocab.NOT_VERIFIED: [204, 204, 204],
    vocab.REPORTED: [230, 159, 0],
    vocab.COMPLETED_NO_RESULTS: [240, 228, 66],
    vocab.STOPPED: [213, 94, 0],
    vocab.UNKNOWN: OTHER_COLOUR,
    vocab.NOT_RECORDED: [102, 102, 102],
}
PHASE_COLOURS = dict(
    zip(
        schema.enum("trials", "phase"),
        ([86, 180, 233], [0, 158, 115], [0, 114, 178], [204, 121, 167], [213, 94, 0]),
        strict=True,
    )
)


def colour_legend(color_by: str) -> dict[str, list[int]]:
    """Return the colour of each category for the chosen colouring (status or phase)."""
    return STATUS_COLOURS if color_by == "status" else PHASE_COLOURS


def legend_svg(color_by: str) -> str:
    """Return the colour key as a small SVG (swatch and name per category), for st.image."""
    legend = colour_legend(color_by)
    if color_by != "status":  # every status group has its own entry; a phase may be blank
        legend = {**legend, "other / not recorded": OTHER_COLOUR}
    items, x = [], 0
    for name, (r, g, b) in legend.items():
        label = html.escape(name)
        items.append(
            f'<circle cx="{x + 9}" cy="14" r="8" fill="rgb({r},{g},{b})" stroke="#444" stroke-width="1"/>'
            f'<text x="{x + 22}" y="19" font-family="sans-serif" font-size="14" fill="#888">{label}</text>'
        )
        x += 30 + 8 * len(name)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{x}" height="28" viewBox="0 0 {x} 28">{"".join(items)}</svg>'
    )


TOOLTIP_TRIALS = 8


def _trial_list(names: pd.Series) -> str:
    unique = sorted(set(names))
    more = len(unique) - TOOLTIP_TRIALS
    return "; ".join(unique[:TOOLTIP_TRIALS]) + (f"; and {more} more" if more > 0 else "")


def site_points(sites: pd.DataFrame, color_by: str = "status") -> pd.DataFrame:
    """Return one point per place and colour category (trials at the same site or capital share a
    marker, so none hides another), with plain-string tooltip fields."""
    legend = colour_legend(color_by)
    column = "status_group" if color_by == "status" else "phase"
    # Sites the gazetteer could not place stay in the tables but cannot be drawn.
    placed = sites[sites["latitude"].notna() & sites["longitude"].notna()]
    frame = pd.DataFrame(
        {
            "lon": placed["longitude"].astype(float),
            "lat": placed["latitude"].astype(float),
            "level": placed["level"].astype(str),
            "category": placed[column].fillna("not recorded").astype(str),
            "facility": placed["facility"].fillna("Country-level record (site not listed)").astype(str),
            "city": placed["city"].fillna("").astype(str),
            "country": placed["country_name"].astype(str),
            "trial": placed["acronym"].astype(str),
        }
    )
    if frame.empty:
        return frame.assign(trials=[], n_trials=[], colour=[], radius=[])
    points = (
        frame.groupby(["lon", "lat", "level", "category"], sort=False)
        .agg(
            trials=("trial", _trial_list),
            n_trials=("trial", "nunique"),
            facility=("facility", "first"),
            city=("city", "first"),
            country=("country", "first"),
        )
        .reset_index()
    )
    points["colour"] = [legend.get(v, OTHER_COLOUR) + [200] for v in points["category"]]
    points["radius"] = [9000 if lvl == "site" else 60000 for lvl in points["level"]]
    return points


COUNTRY_COLUMNS = [
    "country",
    "country_name",
    "trials",
    "enrolling",
    "named_sites",
    "lat",
    "lon",
    "enrolling_list",
    "other_list",
]


def _names(frame: pd.DataFrame) -> pd.Series:
    """Return each country's trial acronyms, each once, alphabetically, joined."""
    return (
        frame.drop_duplicates(["country", "acronym"])
        .sort_values("acronym")
        .groupby("country")["acronym"]
        .agg("; ".join)
    )


def country_counts(sites: pd.DataFrame) -> pd.DataFrame:
    """Return per country its trials, how many of them are enrolling, its named sites, and the trials listed
    apart: enrolling (the open status group: recruiting, not yet recruiting or enrolling by invitation, as a
    source dated within 12 months says, and not closed by reported results) and every other trial (active,
    completed, stopped, unknown or not verified). Placed at the country's marker."""
    if sites.empty:
        return pd.DataFrame(columns=COUNTRY_COLUMNS)
    open_ = sites["status_group"].eq(vocab.OPEN).fillna(False).astype(bool)
    grouped = sites.assign(_site=(sites["level"] == "site").astype(int)).groupby("country", sort=False)
    out = grouped.agg(
        country_name=("country_name", "first"), trials=("trial_id", "nunique"), named_sites=("_site", "sum")
    )
    out["enrolling"] = sites[open_].groupby("country")["trial_id"].nunique().reindex(out.index).fillna(0).astype(int)
    out["enrolling_list"] = _names(sites[open_]).reindex(out.index).fillna("")
    # A trial enrolling in a country is not also "other" there (its rows share one status group).
    out["other_list"] = _names(sites[~open_]).reindex(out.index).fillna("")
    # Place the marker at the country row (the capital) where there is one, else at the first site.
    placed = sites[sites["latitude"].notna()].sort_values("level")
    first = placed.groupby("country")[["latitude", "longitude"]].first()
    out["lat"] = first["latitude"].reindex(out.index).astype(float)
    out["lon"] = first["longitude"].reindex(out.index).astype(float)
    return (
        out.reset_index()[COUNTRY_COLUMNS]
        .sort_values(["enrolling", "trials", "country_name"], ascending=[False, False, True])
        .reset_index(drop=True)
    )


def _outline_layer() -> pdk.Layer:
    # The outline is fetched by the browser from this server's static files: sending 170 kB of GeoJSON
    # inside every deck on every rerun was the slowest part of the map page.
    return pdk.Layer(
        "GeoJsonLayer",
        data=f"{STATIC_URL}/{OUTLINE_FILE}",
        stroked=True,
        filled=True,
        get_fill_color=[250, 250, 248],
        get_line_color=[120, 120, 120],
        line_width_min_pixels=1,
        pickable=False,
    )


def site_deck(sites: pd.DataFrame, color_by: str = "status") -> pdk.Deck:
    """Return a deck of trial sites (small) and country-level records (large), coloured by status or phase."""
    points = site_points(sites, color_by)
    layer = pdk.Layer(
        "ScatterplotLayer",
        data=points,
        get_position=["lon", "lat"],
        get_fill_color="colour",
        get_radius="radius",
        radius_min_pixels=4,
        radius_max_pixels=18,
        pickable=True,
        stroked=True,
        get_line_color=[40, 40, 40],
        line_width_min_pixels=1,
    )
    tooltip = {"text": f"{{trials}}\n{color_by}: {{category}}\n{{facility}}\n{{city}} {{country}}"}
    return _offline_deck(layer, tooltip)


def _offline_deck(layer: pdk.Layer, tooltip: dict) -> pdk.Deck:
    """Return a deck of the layer over the bundled outline, with no basemap: nothing fetched, no token."""
    return pdk.Deck(
        layers=[_outline_layer(), layer],
        initial_view_state=pdk.ViewState(latitude=25, longitude=60, zoom=0.8),
        map_style=OFFLINE_STYLE,
        map_provider=None,
        tooltip=tooltip,
    )


def country_deck(sites: pd.DataFrame) -> pdk.Deck:
    """Return a deck with one circle per country sized by the number of its trials (any status)."""
    counts = country_counts(sites)
    counts = counts[counts["lat"].notna()].copy()
    counts["radius"] = counts["trials"].astype(float).pow(0.5) * 150000
    layer = pdk.Layer(
        "ScatterplotLayer",
        data=counts,
        get_position=["lon", "lat"],
        get_fill_color=[0, 114, 178, 170],
        get_radius="radius",
        pickable=True,
        stroked=True,
        get_line_color=[255, 255, 255],
        line_width_min_pixels=1,
    )
    tooltip = {
        "text": "{country_name}: {trials} trial(s), {enrolling} enrolling, {named_sites} named site(s)\n"
        "Enrolling: {enrolling_list}\nOther trials: {other_list}"
    }
    return _offline_deck(layer, tooltip)
