"""Write incidents or claims as JSON Lines, CSV or a GeoJSON FeatureCollection."""
from __future__ import annotations

import csv
import json
import os
from pathlib import Path
from typing import Iterable, Sequence, TextIO

from extract.model import INCIDENT_FIELDS, Incident

FORMATS = ("jsonl", "csv", "geojson")


def write_incidents(incidents: Iterable[Incident], out: TextIO, fmt: str = "jsonl") -> int:
    """Write every incident to `out` (the codebook's fields); returns how many were written."""
    return write_records((inc.record() for inc in incidents), INCIDENT_FIELDS, out, fmt)


def write_records(records: Iterable[dict], fields: Sequence[str], out: TextIO, fmt: str = "jsonl") -> int:
    """Write records (dicts with `fields`, e.g. incidents or claims) as JSON Lines, CSV (list
    values joined with "; ") or a GeoJSON FeatureCollection of their lat/lon; returns how many."""
    if fmt == "jsonl":
        n = 0
        for rec in records:
            out.write(json.dumps({k: rec.get(k) for k in fields}, ensure_ascii=False) + "\n")
            n += 1
        return n
    if fmt == "csv":
        return write_csv(([_cell(rec.get(k)) for k in fields] for rec in records), fields, out)
    if fmt == "geojson":
        features = [to_feature(rec, fields) for rec in records]
        json.dump({"type": "FeatureCollection", "features": features}, out, ensure_ascii=False, indent=1)
        out.write("\n")
        return len(features)
    raise ValueError(f"unknown format {fmt!r} (choose from {', '.join(FORMATS)})")


def _cell(value):
    return "; ".join(map(str, value)) if isinstance(value, (list, tuple)) else value


# What makes a spreadsheet read a cell as a formula (OWASP, "CSV Injection"): a sentence, a
# title or a file name may begin with one of these
FORMULA_LEADERS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_cell(value):
    """A CSV cell that a spreadsheet shows as written: text that would start a formula gets
    a leading apostrophe (OWASP's advice); numbers, a negative longitude too, stay numbers."""
    if isinstance(value, str) and value.startswith(FORMULA_LEADERS):
        return "'" + value
    return value


def write_csv(rows: Iterable[Sequence], header: Sequence[str], out: TextIO) -> int:
    """A header line, then each row (its values in the header's order), every cell through
    `spreadsheet_cell`: the command line's `--format csv` and the dashboard's download.
    Returns how many rows were written."""
    writer = csv.writer(out)
    writer.writerow(header)
    n = 0
    for row in rows:
        writer.writerow([spreadsheet_cell(v) for v in row])
        n += 1
    return n


def to_feature(record: dict, fields: Sequence[str] = INCIDENT_FIELDS) -> dict:
    """One GeoJSON Feature: a point (none when unlocated) with the record's fields as properties."""
    lat, lon = record.get("lat"), record.get("lon")
    geometry = {"type": "Point", "coordinates": [lon, lat]} if lat is not None and lon is not None else None
    return {"type": "Feature", "geometry": geometry, "properties": {k: record.get(k) for k in fields}}


def output_problem(output: str, inputs: Sequence[Path]) -> str:
    """Why `output` cannot be written without harm ("" if it can): checked before anything
    is read or written, so a refused run leaves every file as it was."""
    out = Path(output)
    if out.is_dir():
        return "is a folder (give a file name)"
    if not out.parent.is_dir():
        return f"cannot write (no folder {out.parent})"
    if out.exists() and any(_same_file(out, f) for f in inputs):
        return "is one of the inputs (writing it would destroy it before it is read)"
    return ""


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False
