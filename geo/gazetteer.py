"""Load gazetteer.csv into typed Place records (minimal first version; validation to come)."""
from __future__ import annotations

import csv
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Mapping

from extract.arabic import normalize

DEFAULT_GAZETTEER = Path(__file__).resolve().parent.parent / "gazetteer.csv"

COLUMNS = ("id", "name_en", "names_ar", "name_az", "name_hy", "kind", "parent",
           "lat", "lon", "geonames_id", "source")

# kind -> the codebook's precision
_PRECISION = {
    "country": "country", "region": "region",
    "district": "district", "province": "district", "county": "district",
    "heights": "feature", "corridor": "feature", "reservoir": "feature",
    "border_post": "feature", "front": "feature", "feature": "feature",
}


class GazetteerError(ValueError):
    pass


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

    @property
    def precision(self) -> str:
        return _PRECISION.get(self.kind, "settlement")


@dataclass(frozen=True)
class Gazetteer:
    places: Mapping[str, Place]
    path: str = ""

    def get(self, place_id: str) -> Place | None:
        return self.places.get(place_id)

    @cached_property
    def arabic_index(self) -> dict[str, tuple[str, ...]]:
        """Normalised Arabic spelling -> ids of the places written that way."""
        index: dict[str, list[str]] = {}
        for p in self.places.values():
            for name in p.names_ar:
                key = normalize(name).strip()
                if key and p.id not in index.setdefault(key, []):
                    index[key].append(p.id)
        return {k: tuple(v) for k, v in index.items()}


def load_gazetteer(path: str | Path = DEFAULT_GAZETTEER) -> Gazetteer:
    places: dict[str, Place] = {}
    with open(path, encoding="utf-8-sig", newline="") as f:
        for row in csv.DictReader(f):
            p = Place(
                id=row["id"].strip(), name_en=row["name_en"].strip(),
                names_ar=tuple(n.strip() for n in row["names_ar"].split("|") if n.strip()),
                name_az=row.get("name_az", "").strip(), name_hy=row.get("name_hy", "").strip(),
                kind=row["kind"].strip(), parent=row.get("parent", "").strip(),
                lat=float(row["lat"]), lon=float(row["lon"]),
                geonames_id=row.get("geonames_id", "").strip(), source=row.get("source", "").strip(),
            )
            places[p.id] = p
    return Gazetteer(places=places, path=str(path))
