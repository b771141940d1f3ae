"""ClinicalTrials.gov API v2 study records: the vocabularies, the three JSON shapes a curator has, and the
pure mapping from one study object to a typed record. No files, no network: see importer and fetch."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import pycountry

from landscape import dates
from landscape.vocab import study_url

# overallStatus (v2 enum) -> the wording the registry's website shows, which trials.status uses.
STATUS_WORDING: dict[str, str] = {
    "NOT_YET_RECRUITING": "Not yet recruiting",
    "RECRUITING": "Recruiting",
    "ENROLLING_BY_INVITATION": "Enrolling by invitation",
    "ACTIVE_NOT_RECRUITING": "Active, not recruiting",
    "SUSPENDED": "Suspended",
    "TERMINATED": "Terminated",
    "COMPLETED": "Completed",
    "WITHDRAWN": "Withdrawn",
    "UNKNOWN": "Unknown status",
    # Expanded-access records only; trials.status has no such values.
    "WITHHELD": "Withheld",
    "NO_LONGER_AVAILABLE": "No longer available",
    "AVAILABLE": "Available",
    "APPROVED_FOR_MARKETING": "Approved for marketing",
    "TEMPORARILY_NOT_AVAILABLE": "Temporarily not available",
}

PHASE_WORDING: dict[str, str] = {
    "EARLY_PHASE1": "Early Phase 1",
    "PHASE1": "Phase 1",
    "PHASE2": "Phase 2",
    "PHASE3": "Phase 3",
    "PHASE4": "Phase 4",
    "NA": "Not Applicable",
}

DATE_TYPES: dict[str, str] = {"ACTUAL": "actual", "ESTIMATED": "estimated"}

# Registry country names that pycountry does not know by that name (older or informal ISO names).
COUNTRY_ALIASES: dict[str, str] = {
    "korea, republic of": "KR",
    "south korea": "KR",
    "taiwan": "TW",
    "türkiye": "TR",
    "turkiye": "TR",
    "turkey": "TR",
    "macedonia, the former yugoslav republic of": "MK",
    "palestinian territory, occupied": "PS",
    "libyan arab jamahiriya": "LY",
    "macau": "MO",
    "cape verde": "CV",
    "swaziland": "SZ",
    "reunion": "RE",
}

NCT_PATTERN = re.compile(r"^NCT\d{8}$")
_PARTIAL_DATE = re.compile(r"^\d{4}-\d{2}(-\d{2})?$")
_FULL_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class StudyShapeError(ValueError):
    """The JSON document is none of the three shapes a study file can have."""


class FieldError(ValueError):
    """One field of a study is missing, mistyped or outside the registry's vocabulary."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{path}: {message}")
        self.path = path
        self.message = message


@dataclass(frozen=True)
class RegistryDate:
    date: str
    type: str | None  # "actual", "estimated", or None when the record does not say

    def describe(self) -> str:
        return f"{self.date} ({self.type})" if self.type else self.date


@dataclass(frozen=True)
class Location:
    facility: str
    city: str
    country: str  # as the registry spells it
    country_code: str | None  # ISO 3166-1 alpha-2, None when the name is not recognised
    latitude: float | None
    longitude: float | None


@dataclass(frozen=True)
class RegistryRecord:
    nct_id: str
    brief_title: str
    acronym: str
    overall_status: str | None  # v2 enum value
    start: RegistryDate | None
    primary_completion: RegistryDate | None
    completion: RegistryDate | None
    enrollment: int | None
    enrollment_type: str | None
    phases: tuple[str, ...]
    lead_sponsor: str
    last_updated: str | None  # lastUpdatePostDate, YYYY-MM-DD
    locations: tuple[Location, ...] | None  # None when the record has no locations list

    @property
    def status_wording(self) -> str | None:
        return STATUS_WORDING[self.overall_status] if self.overall_status else None

    @property
    def phase_label(self) -> str | None:
        return phase_label(self.phases)

    @property
    def url(self) -> str:
        return study_url(self.nct_id)


def studies_in(document: Any) -> tuple[str, list[Any]]:
    """Return (shape, study objects) of a parsed JSON document: a bare list of studies (the website's
    download), an API v2 page {"studies": [...]} or one study object (/studies/{nct})."""
    if isinstance(document, list):
        return "list of studies", document
    if isinstance(document, dict):
        if "studies" in document:
            if not isinstance(document["studies"], list):
                raise StudyShapeError('"studies" is not a list')
            return "API v2 page", document["studies"]
        if "protocolSection" in document:
            return "single study", [document]
    raise StudyShapeError(
        'not a list of studies, an API v2 page ({"studies": [...]}) '
        'or a single study (an object with "protocolSection")'
    )


def phase_label(phases: tuple[str, ...] | list[str]) -> str | None:
    """Return the registry phases in the landscape's wording: ["PHASE2", "PHASE3"] is "Phase 2/3"."""
    order = list(PHASE_WORDING)
    ranked = sorted(set(phases), key=order.index)
    numbered = [p for p in ranked if p.startswith("PHASE")]
    if numbered and len(numbered) == len(ranked):
        return "Phase " + "/".join(p.removeprefix("PHASE") for p in numbered)
    return " / ".join(PHASE_WORDING[p] for p in ranked) or None


def country_code(name: str) -> str | None:
    """Return the ISO alpha-2 code of a registry country name, or None when it is not recognised."""
    cleaned = name.strip()
    if not cleaned:
        return None
    if cleaned.casefold() in COUNTRY_ALIASES:
        return COUNTRY_ALIASES[cleaned.casefold()]
    try:
        return pycountry.countries.lookup(cleaned).alpha_2
    except LookupError:
        return None


def parse_study(study: Any) -> RegistryRecord:
    """Return the record of one v2 study object; raise FieldError naming the first bad field."""
    if not isinstance(study, dict):
        raise FieldError("(study)", f"is a {_kind(study)}, not a study object")
    nct_id = _get(study, "protocolSection.identificationModule.nctId", str)
    if nct_id is None or not nct_id.strip():
        raise FieldError("protocolSection.identificationModule.nctId", "is missing")
    if not NCT_PATTERN.match(nct_id):
        raise FieldError(
            "protocolSection.identificationModule.nctId", f'"{nct_id}" is not an NCT number (NCT and 8 digits)'
        )
    status = _get(study, "protocolSection.statusModule.overallStatus", str)
    if status is not None and status not in STATUS_WORDING:
        raise FieldError(
            "protocolSection.statusModule.overallStatus",
            f'"{status}" is not a ClinicalTrials.gov status (known: {", ".join(STATUS_WORDING)})',
        )
    phases = _get(study, "protocolSection.designModule.phases", list) or []
    for i, phase in enumerate(phases):
        if phase not in PHASE_WORDING:
            raise FieldError(
                f"protocolSection.designModule.phases[{i}]",
                f'"{phase}" is not a ClinicalTrials.gov phase (known: {", ".join(PHASE_WORDING)})',
            )
    count = _get(study, "protocolSection.designModule.enrollmentInfo.count", int)
    if count is not None and count < 0:
        raise FieldError("protocolSection.designModule.enrollmentInfo.count", f"{count} is negative")
    last_updated = _get(study, "protocolSection.statusModule.lastUpdatePostDateStruct.date", str)
    if last_updated is not None:
        _check_date(last_updated, "protocolSection.statusModule.lastUpdatePostDateStruct.date", full=True)
    return RegistryRecord(
        nct_id=nct_id,
        brief_title=(_get(study, "protocolSection.identificationModule.briefTitle", str) or "").strip(),
        acronym=(_get(study, "protocolSection.identificationModule.acronym", str) or "").strip(),
        overall_status=status,
        start=_date_struct(study, "startDateStruct"),
        primary_completion=_date_struct(study, "primaryCompletionDateStruct"),
        completion=_date_struct(study, "completionDateStruct"),
        enrollment=count,
        enrollment_type=_enum(study, "protocolSection.designModule.enrollmentInfo.type", DATE_TYPES),
        phases=tuple(phases),
        lead_sponsor=(_get(study, "protocolSection.sponsorCollaboratorsModule.leadSponsor.name", str) or "").strip(),
        last_updated=last_updated,
        locations=_locations(study),
    )


def _kind(value: Any) -> str:
    return {dict: "object", list: "list", str: "string", bool: "boolean", int: "number", float: "number"}.get(
        type(value), "null" if value is None else type(value).__name__
    )


_EXPECTED: dict[Any, str] = {
    str: "a string",
    int: "a whole number",
    list: "a list",
    dict: "an object",
    (int, float): "a number",
}


def _get(obj: dict[str, Any], path: str, expected: type | tuple[type, ...], base: str = "") -> Any:
    """Return the value at a dotted path, None when any step is absent; raise FieldError on a wrong type."""
    current: Any = obj
    walked = base
    for part in path.split("."):
        if current is None:
            return None
        if not isinstance(current, dict):
            raise FieldError(walked, f"is a {_kind(current)}, not an object")
        current = current.get(part)
        walked = f"{walked}.{part}" if walked else part
    if current is None:
        return None
    wrong_int = expected is int and isinstance(current, bool)
    if not isinstance(current, expected) or wrong_int:
        raise FieldError(walked, f"is a {_kind(current)}, expected {_EXPECTED.get(expected, 'another type')}")
    return current


def _enum(study: dict[str, Any], path: str, vocabulary: dict[str, str]) -> str | None:
    value = _get(study, path, str)
    if value is None:
        return None
    if value not in vocabulary:
        raise FieldError(path, f'"{value}" is not one of {", ".join(vocabulary)}')
    return vocabulary[value]


def _check_date(value: str, path: str, full: bool = False) -> None:
    pattern = _FULL_DATE if full else _PARTIAL_DATE
    if not pattern.match(value):
        raise FieldError(path, f'"{value}" is not a date ({"YYYY-MM-DD" if full else "YYYY-MM or YYYY-MM-DD"})')
    if dates.parse(value) is None:
        raise FieldError(path, f'"{value}" is not a real calendar date')


def _date_struct(study: dict[str, Any], struct: str) -> RegistryDate | None:
    path = f"protocolSection.statusModule.{struct}"
    value = _get(study, path + ".date", str)
    kind = _enum(study, path + ".type", DATE_TYPES)
    if value is None:
        return None
    _check_date(value, path + ".date")
    return RegistryDate(value, kind)


def _locations(study: dict[str, Any]) -> tuple[Location, ...] | None:
    base = "protocolSection.contactsLocationsModule.locations"
    items = _get(study, base, list)
    if items is None:
        return None
    out = []
    for i, item in enumerate(items):
        here = f"{base}[{i}]"
        if not isinstance(item, dict):
            raise FieldError(here, f"is a {_kind(item)}, not an object")
        country = (_get(item, "country", str, here) or "").strip()
        lat, lon = _get(item, "geoPoint.lat", (int, float), here), _get(item, "geoPoint.lon", (int, float), here)
        if (lat is None) != (lon is None):
            raise FieldError(f"{here}.geoPoint", "has only one of lat and lon")
        if (
            isinstance(lat, bool)
            or isinstance(lon, bool)
            or (lat is not None and not (-90 <= lat <= 90 and -180 <= lon <= 180))
        ):
            raise FieldError(f"{here}.geoPoint", f"({lat}, {lon}) is not a point on Earth")
        out.append(
            Location(
                facility=" ".join((_get(item, "facility", str, here) or "").split()),
                city=" ".join((_get(item, "city", str, here) or "").split()),
                country=country,
                country_code=country_code(country),
                latitude=float(lat) if lat is not None else None,
                longitude=float(lon) if lon is not None else None,
            )
        )
    return tuple(out)
