"""Load gazetteer.csv into typed Place records, validating every row.

A bad gazetteer must fail loudly and point at the cell to fix: every error names the file,
the line, the column and the offending value.
"""
from __future__ import annotations

import csv
import math
import os
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Iterable, Iterator, Mapping

from geo.arabic import normalize

# INCIDENT_GAZETTEER names another gazetteer (an analyst's extended copy) for every command
DEFAULT_GAZETTEER = Path(os.environ.get("INCIDENT_GAZETTEER")
                         or Path(__file__).resolve().parent.parent / "gazetteer.csv")

COLUMNS = ("id", "name_en", "names_ar", "name_az", "name_hy", "kind", "parent",
           "lat", "lon", "geonames_id", "source")
# later columns: a file without them still loads (every value empty)
OPTIONAL_COLUMNS = ("name_alt", "source_url")
REQUIRED = ("id", "name_en", "kind", "lat", "lon")

# kind -> the codebook's precision (settlement, feature, district, region, country)
_PRECISION = {
    "country": "country", "region": "region",
    "district": "district", "province": "district", "county": "district",
    "heights": "feature", "corridor": "feature", "reservoir": "feature", "lake": "feature",
    "border_post": "feature", "front": "feature", "feature": "feature", "river": "feature",
    "city": "settlement", "town": "settlement", "village": "settlement",
    "capital": "settlement", "settlement": "settlement",
}
KINDS = frozenset(_PRECISION)
SETTLEMENT_KINDS = frozenset(k for k, v in _PRECISION.items() if v == "settlement")
AREA_KINDS = frozenset(("district", "province", "county", "region"))
# the areas an unknown village can be placed at, and a name's address names
DISTRICT_KINDS = AREA_KINDS - {"region"}


class GazetteerError(ValueError):
    """A gazetteer file that cannot be used; the message names file, line, column and value."""


@dataclass(frozen=True)
class Place:
    id: str
    name_en: str
    names_ar: tuple[str, ...]
    name_az: str
    name_hy: str
    kind: str
    parent: str
    lat: float
    lon: float
    geonames_id: str
    source: str
    name_alt: tuple[str, ...] = ()      # former / Russian / other Latin spellings
    source_url: str = ""                # the page the point was read from

    @property
    def latin_names(self) -> tuple[str, ...]:
        """Every Latin-script name of the place (Azerbaijani, English, Armenian, former)."""
        return tuple(dict.fromkeys(n for n in (self.name_az, self.name_en, self.name_hy,
                                                *self.name_alt) if n))

    @property
    def precision(self) -> str:
        # a village whose point is its district's centre is only known to the district
        if self.source == "district-centre":
            return "district"
        return _PRECISION.get(self.kind, "settlement")


@dataclass(frozen=True)
class Gazetteer:
    places: Mapping[str, Place]
    path: str = ""

    def get(self, place_id: str) -> Place | None:
        return self.places.get(place_id)

    def __len__(self) -> int:
        return len(self.places)

    def __iter__(self) -> Iterator[Place]:
        return iter(self.places.values())

    @cached_property
    def arabic_index(self) -> dict[str, tuple[str, ...]]:
        """Normalised Arabic spelling -> ids of the places written that way (file order)."""
        index: dict[str, list[str]] = {}
        for p in self.places.values():
            for name in p.names_ar:
                key = " ".join(normalize(name).split())
                if key and p.id not in index.setdefault(key, []):
                    index[key].append(p.id)
        return {k: tuple(v) for k, v in index.items()}

    @cached_property
    def name_words(self) -> frozenset[str]:
        """Every word of every normalised Arabic spelling (to walk back over lists of names)."""
        return frozenset(w for name in self.arabic_index for w in name.split())

    def ancestors(self, place_id: str) -> tuple[str, ...]:
        """Ids of the parent, grandparent... of a place (nearest first; cycles cut)."""
        found = self._ancestors.get(place_id)
        return found if found is not None else self._walk_up(place_id)

    def lineage(self, place_id: str) -> frozenset[str]:
        """The place's id and its ancestors' ids, as a set."""
        found = self._lineages.get(place_id)
        return found if found is not None else frozenset((place_id, *self._walk_up(place_id)))

    def country_of(self, place_id: str) -> str:
        """Id of the country a place lies in ("" if none is on record)."""
        found = self._countries.get(place_id)
        return found if found is not None else self._find_country(place_id)

    # Resolution asks these for every candidate and neighbour of every ambiguous name:
    # computed once per gazetteer (it is immutable).
    @cached_property
    def _ancestors(self) -> dict[str, tuple[str, ...]]:
        return {pid: self._walk_up(pid) for pid in self.places}

    @cached_property
    def _lineages(self) -> dict[str, frozenset[str]]:
        return {pid: frozenset((pid, *up)) for pid, up in self._ancestors.items()}

    @cached_property
    def _countries(self) -> dict[str, str]:
        return {pid: self._find_country(pid) for pid in self.places}

    def _walk_up(self, place_id: str) -> tuple[str, ...]:
        out: list[str] = []
        p = self.get(place_id)
        while p is not None and p.parent and p.parent not in out and p.parent != place_id:
            out.append(p.parent)
            p = self.get(p.parent)
        return tuple(out)

    def _find_country(self, place_id: str) -> str:
        for pid in (place_id, *self.ancestors(place_id)):
            p = self.get(pid)
            if p is not None and p.kind == "country":
                return p.id
        return ""


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres (haversine). Not geopy's great_circle: importing
    geopy.distance imports every geocoder and requests, which costs every run a start-up
    of several tenths of a second for four lines of trigonometry."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(min(1.0, a)))


def _err(path: Path | str, line: int, column: str, value: str, why: str) -> GazetteerError:
    return GazetteerError(f"{path}:{line}: column {column!r}: {why} (value {value!r})")


def _coordinate(path: Path | str, line: int, column: str, value: str, limit: float) -> float:
    try:
        x = float(value)
    except ValueError:
        raise _err(path, line, column, value, "not a number") from None
    if not math.isfinite(x) or not -limit <= x <= limit:
        raise _err(path, line, column, value, f"out of range [-{limit:g}, {limit:g}]")
    return x


def parse_rows(rows: Iterable[tuple[int, Mapping[str, str]]], path: Path | str) -> dict[str, Place]:
    """Validate (line number, CSV row) pairs into Places keyed by id, in file order."""
    places: dict[str, Place] = {}
    lines: dict[str, int] = {}
    for line, row in rows:
        cell = {c: (row.get(c) or "").strip() for c in COLUMNS + OPTIONAL_COLUMNS}
        for c in REQUIRED:
            if not cell[c]:
                raise _err(path, line, c, row.get(c) or "", "empty")
        pid = cell["id"]
        if pid in places:
            raise _err(path, line, "id", pid, f"duplicate id (first on line {lines[pid]})")
        if cell["kind"] not in KINDS:
            raise _err(path, line, "kind", cell["kind"], f"unknown kind (one of {', '.join(sorted(KINDS))})")
        # curated Arabic spellings are optional: a settlement without one is found by its
        # phonetic key (geo/phonetic.py)
        names = tuple(s.strip() for s in cell["names_ar"].split("|") if s.strip())
        if names and not all(normalize(s).strip() for s in names):
            raise _err(path, line, "names_ar", row.get("names_ar") or "", "an empty Arabic spelling")
        gid = cell["geonames_id"]
        if gid and not gid.isdigit():
            raise _err(path, line, "geonames_id", gid, "not a GeoNames id (digits only)")
        places[pid] = Place(
            id=pid, name_en=cell["name_en"], names_ar=names, name_az=cell["name_az"],
            name_hy=cell["name_hy"], kind=cell["kind"], parent=cell["parent"],
            lat=_coordinate(path, line, "lat", cell["lat"], 90),
            lon=_coordinate(path, line, "lon", cell["lon"], 180),
            geonames_id=gid, source=cell["source"],
            name_alt=tuple(n.strip() for n in cell["name_alt"].split("|") if n.strip()),
            source_url=cell["source_url"],
        )
        lines[pid] = line
    for pid, p in places.items():
        if p.parent == pid:
            raise _err(path, lines[pid], "parent", p.parent, "a place cannot be its own parent")
        if p.parent and p.parent not in places:
            raise _err(path, lines[pid], "parent", p.parent, "unknown parent id")
    return places


def load_gazetteer(path: str | Path = DEFAULT_GAZETTEER) -> Gazetteer:
    """Read and validate gazetteer.csv; raises GazetteerError naming file, line, column, value."""
    p = Path(path)
    try:
        with open(p, encoding="utf-8-sig", newline="") as f:
            reader = csv.DictReader(f)
            header = [h.strip() for h in (reader.fieldnames or [])]
            missing = [c for c in COLUMNS if c not in header]
            if missing:
                raise GazetteerError(f"{p}:1: header lacks column(s) {', '.join(missing)} "
                                     f"(value {','.join(header)!r}; expected {','.join(COLUMNS)})")
            reader.fieldnames = header
            rows: list[tuple[int, dict[str, str]]] = []
            for row in reader:
                line = reader.line_num      # the row's (last) physical line; blank lines counted
                if None in row:             # more cells than header columns
                    raise _err(p, line, "(extra)", ",".join(row[None]), "more cells than columns")
                rows.append((line, row))
    except OSError as e:
        raise GazetteerError(f"{p}: cannot read gazetteer ({e.strerror or e})") from e
    except UnicodeDecodeError as e:
        raise GazetteerError(f"{p}: not UTF-8 ({e.reason} at byte {e.start})") from e
    return Gazetteer(places=parse_rows(rows, p), path=str(p))
