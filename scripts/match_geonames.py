"""Give the gazetteer's district-centre rows their GeoNames point, matched by name within the district.

    python scripts/match_geonames.py [scripts/sources/geonames-az-west.tsv] [--gazetteer gazetteer.csv] [--dry-run]

The source is the populated places (feature class P) of the GeoNames dump of Azerbaijan
(AZ.txt) inside lat 38.70-41.40, lon 44.70-47.90, one row per place:
`geonameid name asciiname latin_alternates lat lon fcode admin1` (tab-separated, the Latin
alternate names `|`-joined: they carry the Azerbaijani, Russian and Armenian-side names).

A row is matched only when one GeoNames place fits: same GeoNames province (admin1), within
40 km of the district's point, and one of its names equal to one of the row's Latin names,
first with Azerbaijani letters folded (ə=a, ş=s ...), then transliteration-blind (kh=x,
dzh=c ...). A place whose main name is equal to another row's is that row's (an Armenian
name often repeats a neighbour's Azerbaijani one); several candidates within 3 km are one
place entered twice; any other tie, and any GeoNames id two rows would share, stays unmatched.
Matched rows get source=geonames and source_url https://www.geonames.org/ID.
"""
from __future__ import annotations

import argparse
import csv
import re
import sys
import unicodedata
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
from geo.gazetteer import km  # noqa: E402  (one definition)

# GeoNames' first-level codes (admin1CodesASCII.txt) for each gazetteer district; Nakhchivan
# is one code, Aghdara's villages were split between Tartar, Kalbajar and Khojaly
ADMIN1 = {"aghdam-district": {"03"}, "aghdara-district": {"57", "26", "64"},
          "aghjabadi-district": {"02"}, "agstafa-district": {"05"}, "babek-district": {"35"},
          "barda-district": {"11"}, "dashkasan-district": {"16"}, "fuzuli-district": {"18"},
          "gadabay-district": {"19"}, "gazakh-district": {"40"}, "goranboy-district": {"21"},
          "jabrayil-district": {"14"}, "julfa-district": {"35"}, "kalbajar-district": {"26"},
          "khojaly-district": {"64", "61"}, "khojavend-district": {"65"},
          "lachin-district": {"28"}, "ordubad-district": {"35"}, "qubadli-district": {"43"},
          "sadarak-district": {"35"}, "sharur-district": {"35"}, "shusha-district": {"55", "56"},
          "tartar-district": {"57"}, "tovuz-district": {"58"}, "zangilan-district": {"69"},
          "beylagan-district": {"12"}}
RADIUS_KM = 40.0
SAME_PLACE_KM = 3.0

_AZ_FOLD = str.maketrans({"ə": "a", "ǝ": "a", "ı": "i", "ş": "s", "ç": "c", "ğ": "g", "ö": "o",
                          "ü": "u", "Ə": "a", "Ǝ": "a", "İ": "i", "Ş": "s", "Ç": "c", "Ğ": "g",
                          "Ö": "o", "Ü": "u"})
_LOOSE = (("dzh", "c"), ("zh", "j"), ("kh", "x"), ("gh", "g"), ("sh", "s"), ("ch", "c"),
          ("ts", "c"), ("j", "c"), ("q", "g"), ("k", "g"), ("y", "i"), ("e", "a"), ("o", "u"),
          ("w", "v"))


def folded(name: str) -> str:
    s = unicodedata.normalize("NFKD", name.translate(_AZ_FOLD).lower())
    return re.sub(r"[^a-z]", "", "".join(c for c in s if not unicodedata.combining(c)))


def transliteration_blind(name: str) -> str:
    s = folded(name)
    for a, b in _LOOSE:
        s = s.replace(a, b)
    return re.sub(r"(.)\1+", r"\1", s)


def _names(row: dict) -> set[str]:
    out = set()
    for col in ("name_az", "name_en", "name_hy", "name_alt"):
        out |= {n.strip() for n in row.get(col, "").split("|") if n.strip()}
    return out


def match(rows: list[dict], places: list[dict]) -> tuple[dict[str, dict], Counter]:
    by_id = {r["id"]: r for r in rows}
    taken = {r["geonames_id"] for r in rows if r.get("geonames_id")}
    stats: Counter = Counter()
    found: dict[str, dict] = {}
    for row in rows:
        if row["source"] != "district-centre" or row["parent"] not in ADMIN1:
            continue
        parent = by_id[row["parent"]]
        plat, plon = float(parent["lat"]), float(parent["lon"])
        near = [g for g in places if g["admin1"] in ADMIN1[row["parent"]]
                and km(float(g["lat"]), float(g["lon"]), plat, plon) <= RADIUS_KM
                and g["geonameid"] not in taken]
        neighbours = [o for o in rows if o["parent"] == row["parent"] and o is not row]
        for key in (folded, transliteration_blind):
            mine = {key(n) for n in _names(row)} - {""}
            others = {key(o[c]) for o in neighbours for c in ("name_az", "name_en") if o[c]} - {""}
            main = [g for g in near if mine & {key(g["name"]), key(g["asciiname"])}]
            alias = [g for g in near if g not in main
                     and mine & {key(n) for n in g["latin_alternates"].split("|") if n}
                     and not {key(g["name"]), key(g["asciiname"])} & others]
            cands = main or alias
            if not cands:
                continue
            pts = [(float(g["lat"]), float(g["lon"])) for g in cands]
            if max(km(*a, *b) for a in pts for b in pts) <= SAME_PLACE_KM:
                found[row["id"]] = cands[0]
                stats["matched, " + key.__name__.replace("_", "-")] += 1
            else:
                stats["tie, left unmatched"] += 1
            break
        else:
            stats["no GeoNames place of that name"] += 1
    shared = {gid for gid, n in Counter(g["geonameid"] for g in found.values()).items() if n > 1}
    for rid in [rid for rid, g in found.items() if g["geonameid"] in shared]:
        del found[rid]
        stats["one GeoNames id for two rows, left unmatched"] += 1
    return found, stats


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("source", nargs="?", default=str(REPO / "scripts/sources/geonames-az-west.tsv"))
    ap.add_argument("--gazetteer", default=str(REPO / "gazetteer.csv"))
    ap.add_argument("--dry-run", action="store_true")
    args = ap.parse_args(argv)
    with open(args.source, encoding="utf-8", newline="") as f:
        places = list(csv.DictReader(f, delimiter="\t"))
    with open(args.gazetteer, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    fields = list(rows[0])
    found, stats = match(rows, places)
    for row in rows:
        g = found.get(row["id"])
        if g:
            row.update(lat=g["lat"], lon=g["lon"], geonames_id=g["geonameid"], source="geonames",
                       source_url=f"https://www.geonames.org/{g['geonameid']}")
    for what, n in sorted(stats.items()):
        print(f"{n:5d}  {what}")
    if not args.dry_run:
        with open(args.gazetteer, "w", encoding="utf-8", newline="") as f:
            w = csv.DictWriter(f, fieldnames=fields, lineterminator="\n")
            w.writeheader()
            w.writerows(rows)
        print(f"{len(found)} rows given their GeoNames point in {args.gazetteer}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
