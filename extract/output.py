"""Write incidents as JSON Lines, CSV or a GeoJSON FeatureCollection (the codebook's fields)."""
from __future__ import annotations

import csv
import json
from typing import Iterable, TextIO

from extract.model import INCIDENT_FIELDS, Incident

FORMATS = ("jsonl", "csv", "geojson")


def write_incidents(incidents: Iterable[Incident], out: TextIO, fmt: str = "jsonl") -> int:
    """Write every incident to `out`; returns how many were written."""
    if fmt == "jsonl":
        n = 0
        for inc in incidents:
            out.write(json.dumps(inc.record(), ensure_ascii=False) + "\n")
            n += 1
        return n
    if fmt == "csv":
        writer = csv.DictWriter(out, fieldnames=INCIDENT_FIELDS)
        writer.writeheader()
        n = 0
        for inc in incidents:
            writer.writerow(inc.record())
            n += 1
        return n
    if fmt == "geojson":
        features = [to_feature(inc.record()) for inc in incidents]
        json.dump({"type": "FeatureCollection", "features": features}, out, ensure_ascii=False, indent=1)
        out.write("\n")
        return len(features)
    raise ValueError(f"unknown format {fmt!r} (choose from {', '.join(FORMATS)})")


def to_feature(record: dict) -> dict:
    """One GeoJSON Feature: a point (none when unlocated) with the record as properties."""
    lat, lon = record.get("lat"), record.get("lon")
    geometry = {"type": "Point", "coordinates": [lon, lat]} if lat is not None and lon is not None else None
    return {"type": "Feature", "geometry": geometry, "properties": {k: record.get(k) for k in INCIDENT_FIELDS}}
