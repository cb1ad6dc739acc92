"""`python -m geo check [gazetteer.csv]`: validate the gazetteer and summarise it.

(Listing the names articles use that the gazetteer lacks runs the extractor, so it lives in
extract/: `python -m extract unresolved PATH...`; geo/ never imports extract/.)"""
from __future__ import annotations

import argparse
import sys
from collections import Counter
from typing import Optional, Sequence, TextIO

from geo.gazetteer import DEFAULT_GAZETTEER, Gazetteer, GazetteerError, load_gazetteer
from geo.validate import RADIUS_KM, problems


# --------------------------------------------------------------------------- check

def summary(g: Gazetteer) -> list[str]:
    """Human-readable facts about a loaded gazetteer."""
    places = list(g)
    kinds = Counter(p.kind for p in places)
    precisions = Counter(p.precision for p in places)
    below = sum(1 for p in places if p.precision in ("settlement", "feature"))
    with_gid = sum(1 for p in places if p.geonames_id)
    sources = Counter(p.source.split(" ")[0].split(":")[0] for p in places)
    shared = {k: v for k, v in g.arabic_index.items() if len(v) > 1}
    new_style = Counter("district-centre (no point of its own)" if p.source == "district-centre"
                        else "point with its page (source_url)" if p.source_url
                        else "point from the curated list (no source_url)"
                        for p in places if p.precision in ("settlement", "feature")
                        or p.source == "district-centre")
    lines = [
        f"{g.path}: {len(places)} places, {below} below district level, {with_gid} with a GeoNames id, "
        f"{len(g.arabic_index)} Arabic spellings",
        "settlements and features: " + ", ".join(f"{k} {n}" for k, n in new_style.most_common()),
        "kinds: " + ", ".join(f"{k} {n}" for k, n in kinds.most_common()),
        "precision: " + ", ".join(f"{k} {n}" for k, n in precisions.most_common()),
        "coordinate sources: " + ", ".join(f"{k} {n}" for k, n in sources.most_common()),
        f"spellings shared by several places (resolved by context): {len(shared)}",
    ]
    for name, ids in sorted(shared.items()):
        lines.append(f"  {name}: {', '.join(ids)}")
    return lines


def cmd_check(args: argparse.Namespace, out: TextIO) -> int:
    try:
        g = load_gazetteer(args.gazetteer)
    except GazetteerError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    for line in summary(g):
        print(line, file=out)
    bad = list(problems(g))
    for line in bad:
        print(f"problem: {line}", file=out)
    print(f"{len(bad)} problems (points within {RADIUS_KM['district']:.0f} km of their district, "
          f"{RADIUS_KM['province']:.0f} km of their province; names in their column's script)", file=out)
    return 1 if bad else 0


# --------------------------------------------------------------------------- main

def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    ap = argparse.ArgumentParser(prog="python -m geo", description=__doc__)
    sub = ap.add_subparsers(dest="command", required=True)
    c = sub.add_parser("check", help="validate a gazetteer and print a summary")
    c.add_argument("gazetteer", nargs="?", default=str(DEFAULT_GAZETTEER))
    return ap.parse_args(list(argv))


def main(argv: Optional[Sequence[str]] = None, out: TextIO = sys.stdout) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    return cmd_check(args, out)
