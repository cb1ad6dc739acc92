"""Merge checked collection files (scripts/check_collection.py) into gazetteer.csv.

    python scripts/merge_collection.py COLLECTED.csv [...] [--gazetteer gazetteer.csv]

A row whose Azerbaijani or English name is already in the gazetteer under the same district
is skipped (the curated row stays); an id taken elsewhere gets its district as a suffix; a
row without a point takes its district's centre and says so (source=district-centre: its
incidents get precision `district`, never an invented point). New columns name_alt and
source_url are added to the gazetteer if it lacks them. Prints what it did.
"""
from __future__ import annotations

import argparse
import csv
import sys
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
from geo.gazetteer import km as _km  # noqa: E402  (one definition)
NEW_COLUMNS = ("name_alt", "source_url")


def _norm(name: str) -> str:
    return " ".join(name.casefold().replace("-", " ").split())


def _geonames_id(row: dict) -> str:
    """The GeoNames id of a point read from GeoNames (https://www.geonames.org/ID)."""
    url = row.get("source_url", "")
    if row.get("source") == "geonames" and "geonames.org/" in url:
        tail = url.rstrip("/").rsplit("/", 1)[-1]
        return tail if tail.isdigit() else ""
    return ""


def _enrich(rows: list[dict], parent: str, names: set[str], new: dict) -> None:
    """A place the gazetteer has: take the collected Azerbaijani / Armenian names where the
    curated row has none, and its other spellings into name_alt."""
    for r in rows:
        district = r["parent"] if r["kind"] not in ("district", "province") else r["id"]
        if district != parent or not ({_norm(r.get("name_en", "")), _norm(r.get("name_az", ""))} & names):
            continue
        for col in ("name_az", "name_hy"):
            if not r.get(col) and new.get(col, "").strip():
                r[col] = new[col].strip()
        alt = [a for a in (r.get("name_alt") or "").split("|") if a]
        known = {_norm(x) for x in (r.get("name_en", ""), r.get("name_az", ""), r.get("name_hy", ""), *alt)}
        for extra in (new.get("name_az", ""), new.get("name_en", ""), new.get("name_hy", ""),
                      *(new.get("name_alt") or "").split("|")):
            if extra.strip() and _norm(extra) not in known:
                alt.append(extra.strip())
                known.add(_norm(extra))
        r["name_alt"] = "|".join(alt)
        return


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("files", nargs="+", type=Path)
    ap.add_argument("--gazetteer", type=Path, default=REPO / "gazetteer.csv")
    ap.add_argument("--points", type=Path, action="append", default=[],
                    help="id,lat,lon,source,source_url: points for district-centre rows")
    args = ap.parse_args(argv)

    with args.gazetteer.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        header = list(reader.fieldnames or [])
        rows = list(reader)
    for c in NEW_COLUMNS:
        if c not in header:
            header.append(c)
    ids = {r["id"] for r in rows}
    by_id = {r["id"]: r for r in rows}
    # (district, name) pairs the gazetteer already has
    have: set[tuple[str, str]] = set()
    for r in rows:
        district = r["parent"] if r["kind"] not in ("district", "province") else r["id"]
        for col in ("name_en", "name_az"):
            if r.get(col):
                have.add((district, _norm(r[col])))

    added, skipped, renamed = Counter(), 0, 0
    new_rows: list[dict] = []
    for path in args.files:
        with path.open(encoding="utf-8", newline="") as f:
            for row in csv.DictReader(f):
                parent = row["parent"].strip()
                names = {_norm(row[c]) for c in ("name_en", "name_az") if row[c].strip()}
                if row["kind"] != "district" and any((parent, n) in have for n in names):
                    skipped += 1
                    _enrich(rows, parent, names, row)
                    continue
                rid = row["id"].strip()
                if rid in ids:
                    base = f"{rid}-{parent.removesuffix('-district')}"
                    rid, k = base, 2
                    while rid in ids:
                        rid, k = f"{base}-{k}", k + 1
                    renamed += 1
                source = row["source"].strip()
                lat, lon = row["lat"].strip(), row["lon"].strip()
                if source == "district-centre" or not (lat and lon):
                    centre = by_id.get(parent)
                    if centre is None:
                        print(f"{path}: {rid}: parent {parent!r} unknown, row left out", file=sys.stderr)
                        continue
                    lat, lon, source = centre["lat"], centre["lon"], "district-centre"
                kind = row["kind"].strip()
                if kind == "settlement":
                    kind = "village"
                out = {c: "" for c in header}
                out.update(id=rid, name_en=row["name_en"].strip() or row["name_az"].strip(),
                           names_ar="", name_az=row["name_az"].strip(),
                           name_hy=row["name_hy"].strip(), kind=kind, parent=parent,
                           lat=lat, lon=lon, geonames_id=_geonames_id(row), source=source,
                           name_alt=row["name_alt"].strip(),
                           source_url=row["source_url"].strip() if source != "district-centre" else "")
                ids.add(rid)
                by_id[rid] = out
                for n in names:
                    have.add((parent if kind != "district" else rid, n))
                new_rows.append(out)
                added[source] += 1

    filled = 0
    for path in args.points:
        with path.open(encoding="utf-8", newline="") as f:
            for pt in csv.DictReader(f):
                r = by_id.get(pt["id"].strip())
                if r is None or r.get("source") != "district-centre":
                    continue
                parent = by_id.get(r["parent"])
                lat, lon = float(pt["lat"]), float(pt["lon"])
                if parent is None or _km(lat, lon, float(parent["lat"]), float(parent["lon"])) > 40:
                    print(f"{path}: {pt['id']}: point over 40 km from {r['parent']}, left out",
                          file=sys.stderr)
                    continue
                r.update(lat=f"{lat:.5f}", lon=f"{lon:.5f}", source=pt["source"].strip(),
                         source_url=pt["source_url"].strip())
                if r["source"] == "geonames":
                    r["geonames_id"] = _geonames_id(r)
                filled += 1
    if filled:
        print(f"{filled} district-centre rows given a point from {', '.join(map(str, args.points))}")

    # districts first, so that every parent precedes its villages
    new_rows.sort(key=lambda r: r["kind"] != "district")
    with args.gazetteer.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, header, lineterminator="\n")
        w.writeheader()
        w.writerows(rows + new_rows)
    total = sum(added.values())
    print(f"added {total} rows ({', '.join(f'{k} {v}' for k, v in added.most_common())}); "
          f"{skipped} already in the gazetteer; {renamed} ids suffixed with their district")
    return 0


if __name__ == "__main__":
    sys.exit(main())
