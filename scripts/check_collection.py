"""Check a file of collected settlements before it is merged into gazetteer.csv.

    python scripts/check_collection.py COLLECTED.csv [MORE.csv ...] [--gazetteer gazetteer.csv]

Columns: id,name_en,name_az,name_hy,name_alt,kind,parent,lat,lon,source,source_url
Checks: every column present; ids are lower-case slugs, unique across the files and the
gazetteer; every parent is a district/province of the gazetteer or a district row of the
files; names are in Latin script (no Arabic, Cyrillic or Armenian letters); a point is a
number inside its parent's plausible area (40 km of a district's centre, 75 km of a
province's); a sourced point names its page; a row without a point says district-centre.
Prints one line per problem (file:line: problem) and a summary; exit 1 on any problem.
"""
from __future__ import annotations

import argparse
import csv
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from geo.validate import latin_only, radius_of, too_far  # noqa: E402  (one definition)

COLUMNS = ["id", "name_en", "name_az", "name_hy", "name_alt", "kind", "parent", "lat", "lon",
           "source", "source_url"]
KINDS = {"village", "town", "city", "settlement", "district"}
SOURCES = {"wikipedia", "geonames", "district-centre", "other"}
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("files", nargs="+", type=Path)
    ap.add_argument("--gazetteer", type=Path, default=Path(__file__).resolve().parent.parent / "gazetteer.csv")
    args = ap.parse_args(argv)

    parents: dict[str, tuple[str, float, float]] = {}
    known_ids: set[str] = set()
    with args.gazetteer.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            known_ids.add(row["id"])
            if radius_of(row["kind"]) is not None and row["lat"] and row["lon"]:
                parents[row["id"]] = (row["kind"], float(row["lat"]), float(row["lon"]))

    rows: list[tuple[Path, int, dict[str, str]]] = []
    problems: list[str] = []
    for path in args.files:
        with path.open(encoding="utf-8", newline="") as f:
            reader = csv.DictReader(f)
            missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
            if missing:
                problems.append(f"{path}:1: missing columns {missing}")
                continue
            for line, row in enumerate(reader, start=2):
                rows.append((path, line, row))
                if row["kind"] == "district" and row["lat"] and row["lon"]:
                    try:
                        parents[row["id"]] = ("district", float(row["lat"]), float(row["lon"]))
                    except ValueError:
                        pass

    seen: dict[str, str] = {}
    counts = {"rows": 0, "point": 0, "district-centre": 0}
    for path, line, row in rows:
        where = f"{path}:{line}"
        counts["rows"] += 1
        rid = row["id"].strip()
        if not SLUG.match(rid):
            problems.append(f"{where}: id {rid!r} is not a lower-case slug")
        if rid in seen:
            problems.append(f"{where}: id {rid!r} also at {seen[rid]}")
        elif rid in known_ids:
            problems.append(f"{where}: id {rid!r} already in the gazetteer")
        seen[rid] = where
        if not row["name_en"].strip() and not row["name_az"].strip():
            problems.append(f"{where}: no name_en nor name_az")
        for col in ("name_en", "name_az", "name_hy", "name_alt"):
            if not latin_only(row[col] or ""):
                problems.append(f"{where}: {col} {row[col]!r} is not in Latin script")
        if row["kind"] not in KINDS:
            problems.append(f"{where}: kind {row['kind']!r} not one of {sorted(KINDS)}")
        if row["source"] not in SOURCES:
            problems.append(f"{where}: source {row['source']!r} not one of {sorted(SOURCES)}")
        parent = parents.get(row["parent"])
        if parent is None:
            problems.append(f"{where}: parent {row['parent']!r} is no district or province")
        if row["source"] == "district-centre":
            counts["district-centre"] += 1
            continue
        if row["source"] != "geonames" and not row["source_url"].startswith(("http://", "https://")):
            problems.append(f"{where}: point without a source_url")
        try:
            lat, lon = float(row["lat"]), float(row["lon"])
        except ValueError:
            problems.append(f"{where}: lat/lon {row['lat']!r},{row['lon']!r} are not numbers")
            continue
        counts["point"] += 1
        if parent is not None and row["kind"] != "district":
            kind, plat, plon = parent
            d = too_far(lat, lon, kind, plat, plon)
            if d is not None:
                problems.append(f"{where}: {rid} is {d:.0f} km from {row['parent']} "
                                f"(over {radius_of(kind):.0f} km)")

    for p in problems:
        print(p)
    total = counts["rows"] or 1
    print(f"{counts['rows']} rows, {counts['point']} with a point ({100 * counts['point'] / total:.0f} %), "
          f"{counts['district-centre']} district-centre, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
