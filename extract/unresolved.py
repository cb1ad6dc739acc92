"""`python -m extract unresolved PATH... [--manifest FILE] [--gazetteer FILE] [--no-geonames]
[--geocoder nominatim]`

Every name in a place slot that the gazetteer does not know, by spelling or by sound: the
unresolved ones and those put at their district (district fallback), most frequent first,
each with its district, an example sentence, and the three gazetteer names nearest by
phonetic key, so that a curator can add the place (or its spelling) in one line. With
`--geocoder nominatim` (off by default: the only command that goes online) each name also
gets OpenStreetMap's answer, cached and at most one request a second.
"""
from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass, field
from typing import Iterable, Optional, Sequence, TextIO

from geo.arabic import normalize
from geo.gazetteer import DEFAULT_GAZETTEER


@dataclass
class NameStat:
    name: str                                   # the spelling first met
    district: str = ""                          # the district its incidents were put at
    count: int = 0
    docs: set[str] = field(default_factory=set)
    example: str = ""
    example_doc: str = ""


def collect(unresolved: Iterable) -> list[NameStat]:
    """Group UnresolvedPlace records by normalised name; most frequent first."""
    stats: dict[str, NameStat] = {}
    for u in unresolved:
        key = " ".join(normalize(u.name_ar).split())
        s = stats.setdefault(key, NameStat(name=u.name_ar, example=u.sentence, example_doc=u.doc))
        s.count += 1
        s.docs.add(u.doc)
        s.district = s.district or getattr(u, "district", "")
    return sorted(stats.values(), key=lambda s: (-s.count, s.name))


def _articles(paths: Sequence[str], manifest: Optional[str]) -> Iterable[tuple[str, object]]:
    """(path, Article or error message) for each article file under the paths, and an error
    for each thing inside a folder that could not be read (a dangling link, a loop, an
    unreadable folder), as every other command reports them."""
    from extract.read import ArticleError, find_manifests, read_article, scan_inputs
    metas, problems = find_manifests(paths, manifest)
    for p in problems:
        print(f"warning: {p}", file=sys.stderr)
    inputs, unlisted = scan_inputs(paths)
    for e in unlisted:
        yield e.path, str(e)
    for f in inputs:
        notes: list[str] = []
        try:
            art = read_article(f.path, metas.get(f.path.name), notes=notes)
        except ArticleError as e:
            yield str(f.path), str(e)
            continue
        for note in notes:                  # what reading repaired (invalid bytes)
            print(f"warning: {note}", file=sys.stderr)
        yield str(f.path), art


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    ap = argparse.ArgumentParser(prog="python -m extract unresolved", description=__doc__.splitlines()[0])
    ap.add_argument("paths", nargs="+", help="article files or folders (.txt, .html)")
    ap.add_argument("--manifest", help="manifest CSV (file,published,...)")
    ap.add_argument("--gazetteer", default=str(DEFAULT_GAZETTEER))
    ap.add_argument("--no-geonames", action="store_true", help="do not suggest GeoNames matches")
    ap.add_argument("--geocoder", choices=("none", "nominatim"), default="none",
                    help="also ask an online geocoder for each name (nominatim: OpenStreetMap, "
                         "cached in ~/.cache/karabakh-incidents; off by default)")
    ap.add_argument("--width", type=int, default=160, help="cut example sentences to this many characters")
    return ap.parse_args(list(argv))


def main(argv: Sequence[str], out: TextIO = sys.stdout, online=None) -> int:
    """`online`: the NominatimFallback to ask with --geocoder nominatim (tests pass one with a
    fake geocoder; by default geopy's Nominatim)."""
    from extract.pipeline import extract_article, load_resources
    from geo.geonames import lookup_arabic
    args = parse_args(argv)
    if args.geocoder == "nominatim" and online is None:
        from geo.nominatim import NominatimFallback
        online = NominatimFallback()
    elif args.geocoder == "none":
        online = None
    resources = load_resources(str(args.gazetteer))
    found = []
    n_articles = failed = 0
    for path, art in _articles(args.paths, args.manifest):
        if isinstance(art, str):
            print(f"error: {art}", file=sys.stderr)
            failed += 1
            continue
        n_articles += 1
        found.extend(extract_article(art, resources).unresolved)
    stats = collect(found)
    print(f"{len(stats)} unresolved names ({len(found)} mentions) in {n_articles} articles", file=out)
    if stats:
        print("count\tdocs\tname\tdistrict\tnearest by sound\tgeonames\t"
              + ("nominatim\t" if online else "") + "example", file=out)
    g = resources.gazetteer
    for s in stats:
        hint = lookup_arabic(s.name) if not args.no_geonames else None
        geo_hint = f"{hint.name_en} ({hint.geonames_id})" if hint else "-"
        district = g.get(s.district).name_en if s.district and g.get(s.district) else "-"
        near = ", ".join(f"{p.name_en} [{p.id}]" for p in
                         (g.get(pid) for pid in resources.names.keys.nearest(s.name)) if p) or "-"
        example = " ".join(s.example.split())
        if len(example) > args.width:
            example = example[: args.width - 1] + "…"
        osm = ""
        if online:
            found = online.lookup(s.name)
            osm = (f"{found.name_en} ({found.lat:.4f}, {found.lon:.4f}; {found.id})" if found else "-") + "\t"
        print(f"{s.count}\t{len(s.docs)}\t{s.name}\t{district}\t{near}\t{geo_hint}\t{osm}"
              f"[{s.example_doc}] {example}", file=out)
    return 1 if failed else 0
