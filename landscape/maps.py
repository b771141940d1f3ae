"""Map builders: pydeck decks of trial sites and per-country aggregates over a bundled country
outline, with no basemap token and no tile fetch, so the map works offline."""

from __future__ import annotations

import json
import urllib.parse
from functools import lru_cache

import pandas as pd
import pydeck as pdk

from landscape.paths import ASSETS_DIR

# An empty MapLibre style as a data URL: no tiles, no token, nothing fetched from the network.
OFFLINE_STYLE = "data:application/json," + urllib.parse.quote(
    json.dumps({"version": 8, "sources": {}, "layers": [{"id": "background", "type": "background", "paint": {"background-color": "#dce6ef"}}]})
)
STATUS_COLOURS = {
    "Recruiting": [0, 158, 115],
    "Not yet recruiting": [86, 180, 233],
    "Active, not recruiting": [0, 114, 178],
    "Completed": [230, 159, 0],
    "Terminated": [213, 94, 0],
    "Withdrawn": [213, 94, 0],
    "Suspended": [204, 121, 167],
}
PHASE_COLOURS = {"Phase 1": [86, 180, 233], "Phase 1/2": [0, 158, 115], "Phase 2": [0, 114, 178], "Phase 2/3": [204, 121, 167], "Phase 3": [213, 94, 0]}
OTHER_COLOUR = [153, 153, 153]


@lru_cache(maxsize=1)
def country_outlines() -> dict:
    """Return the bundled Natural Earth 1:110m country outlines (GeoJSON)."""
    return json.loads((ASSETS_DIR / "countries-110m.geojson").read_text(encoding="utf-8"))


def colour_legend(color_by: str) -> dict[str, list[int]]:
    """Return the colour of each category for the chosen colouring (status or phase)."""
    return STATUS_COLOURS if color_by == "status" else PHASE_COLOURS


def site_points(sites: pd.DataFrame, color_by: str = "status") -> pd.DataFrame:
    """Return one point per site row with its colour and tooltip fields (plain strings)."""
    legend = colour_legend(color_by)
    column = "status" if color_by == "status" else "phase"
    # Sites the gazetteer could not place stay in the tables but cannot be drawn.
    sites = sites[sites["latitude"].notna() & sites["longitude"].notna()]
    points = pd.DataFrame(
        {
            "lon": sites["longitude"].astype(float),
            "lat": sites["latitude"].astype(float),
            "facility": sites["facility"].fillna("Country-level record (site not listed)").astype(str),
            "city": sites["city"].fillna("").astype(str),
            "country": sites["country_name"].astype(str),
            "trial": sites["acronym"].astype(str),
            "status": sites["status"].fillna("status not recorded").astype(str),
            "phase": sites["phase"].astype(str),
            "level": sites["level"].astype(str),
        }
    )
    points["colour"] = [legend.get(v, OTHER_COLOUR) + [200] for v in sites[column].fillna("")]
    points["radius"] = [9000 if lvl == "site" else 60000 for lvl in points["level"]]
    return points


def country_counts(sites: pd.DataFrame) -> pd.DataFrame:
    """Return per-country trial and named-site counts, placed at the country's marker."""
    if sites.empty:
        return pd.DataFrame(columns=["country", "country_name", "trials", "named_sites", "lat", "lon", "trial_list"])
    country_rows = sites[sites["level"] == "country"].drop_duplicates("country").set_index("country")
    grouped = sites.groupby("country")
    out = pd.DataFrame(
        {
            "country_name": grouped["country_name"].first(),
            "trials": grouped["trial_id"].nunique(),
            "named_sites": grouped["level"].apply(lambda s: int((s == "site").sum())),
            "trial_list": grouped["acronym"].apply(lambda s: "; ".join(sorted(set(s)))),
        }
    )
    first = grouped[["latitude", "longitude"]].first()
    out["lat"] = country_rows["latitude"].reindex(out.index).fillna(first["latitude"]).astype(float)
    out["lon"] = country_rows["longitude"].reindex(out.index).fillna(first["longitude"]).astype(float)
    return out.reset_index().sort_values("trials", ascending=False).reset_index(drop=True)


def _outline_layer() -> pdk.Layer:
    return pdk.Layer("GeoJsonLayer", data=country_outlines(), stroked=True, filled=True, get_fill_color=[250, 250, 248], get_line_color=[120, 120, 120], line_width_min_pixels=1, pickable=False)


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
    tooltip = {"text": "{trial} ({phase}, {status})\n{facility}\n{city} {country}"}
    return pdk.Deck(layers=[_outline_layer(), layer], initial_view_state=pdk.ViewState(latitude=25, longitude=60, zoom=0.8), map_style=OFFLINE_STYLE, map_provider=None, tooltip=tooltip)


def country_deck(sites: pd.DataFrame) -> pdk.Deck:
    """Return a deck with one circle per country sized by the number of trials enrolling there."""
    counts = country_counts(sites)
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
    tooltip = {"text": "{country_name}: {trials} trial(s), {named_sites} named site(s)\n{trial_list}"}
    return pdk.Deck(layers=[_outline_layer(), layer], initial_view_state=pdk.ViewState(latitude=25, longitude=60, zoom=0.8), map_style=OFFLINE_STYLE, map_provider=None, tooltip=tooltip)
