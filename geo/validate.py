"""What makes a gazetteer row plausible: one definition for `python -m geo check`, the
collection checker (scripts/check_collection.py) and the tests.

A point lies inside its parent's plausible area (40 km of a district's point, 75 km of a
province's: Armenia's run 100 km north to south); names are in the script of their column
(Arabic in names_ar, Latin in the others).
"""
from __future__ import annotations

import unicodedata
from typing import Iterator

from geo.gazetteer import km

# parent kind -> how far from the parent's point a place may lie
RADIUS_KM = {"district": 40.0, "county": 40.0, "province": 75.0, "region": 100.0}
# Iran's provinces (Ardabil, East Azerbaijan) run 250 km north to south
WIDE_PROVINCE_COUNTRIES = {"iran": 200.0}
LATIN_COLUMNS = ("name_en", "name_az", "name_hy", "name_alt")


def latin_only(text: str) -> bool:
    """Every letter of `text` is a Latin one (ə ş ç ğ ı ö ü included)."""
    return all(unicodedata.name(ch, "").startswith("LATIN") for ch in text if ch.isalpha())


def arabic_only(text: str) -> bool:
    """Every letter of `text` is an Arabic-script one."""
    return all(unicodedata.name(ch, "").startswith("ARABIC") for ch in text if ch.isalpha())


def radius_of(parent_kind: str, parent_country: str = "") -> float | None:
    """How far from its parent's point a place may lie (None: no limit for that kind)."""
    if parent_kind == "province" and parent_country in WIDE_PROVINCE_COUNTRIES:
        return WIDE_PROVINCE_COUNTRIES[parent_country]
    return RADIUS_KM.get(parent_kind)


def too_far(lat: float, lon: float, parent_kind: str, plat: float, plon: float,
            parent_country: str = "") -> float | None:
    """The distance when a point lies outside its parent's plausible area, else None."""
    radius = radius_of(parent_kind, parent_country)
    if radius is None:
        return None
    d = km(lat, lon, plat, plon)
    return d if d > radius else None


def problems(gazetteer) -> Iterator[str]:
    """Every implausible row of a loaded Gazetteer, as 'id: problem'."""
    for p in gazetteer:
        parent = gazetteer.get(p.parent) if p.parent else None
        if parent is not None and p.kind not in ("district", "province", "county", "region", "country"):
            country = gazetteer.country_of(parent.id)
            d = too_far(p.lat, p.lon, parent.kind, parent.lat, parent.lon, country)
            if d is not None:
                yield (f"{p.id}: {d:.0f} km from {parent.id}, over "
                       f"{radius_of(parent.kind, country):.0f} km")
        for name in p.names_ar:
            if not arabic_only(name):
                yield f"{p.id}: names_ar {name!r} is not in Arabic script"
        for col, names in (("name_en", (p.name_en,)), ("name_az", (p.name_az,)),
                           ("name_hy", (p.name_hy,)), ("name_alt", p.name_alt)):
            for name in names:
                if name and not latin_only(name):
                    yield f"{p.id}: {col} {name!r} is not in Latin script"
