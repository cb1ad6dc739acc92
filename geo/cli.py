"""`python -m geo check [gazetteer.csv]` and `python -m geo unresolved PATH... [--manifest FILE]`."""
from __future__ import annotations

import argparse
import sys
from collections import Counter
from dataclasses import dataclass, field
from typing import Iterable, Optional, Sequence, TextIO

from geo.arabic import normalize
from geo.gazetteer import DEFAULT_GAZETTEER, Gazetteer, GazetteerError, load_gazetteer


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
    lines = [
        f"{g.path}: {len(places)} places, {below} below district level, {with_gid} with a GeoNames id, "
        f"{len(g.arabic_index)} Arabic spellings",
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
    return 0


# --------------------------------------------------------------------------- unresolved

@dataclass
class NameStat:
    name: str                                   # the spelling first met
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
    return sorted(stats.values(), key=lambda s: (-s.count, s.name))


def _articles(paths: Sequence[str], manifest: Optional[str]) -> Iterable[tuple[str, object]]:
    """(path, Article or error message) for each article file under the paths."""
    from extract.read import ArticleError, find_manifests, iter_article_paths, read_article
    metas, problems = find_manifests(paths, manifest)
    for p in problems:
        print(f"warning: {p}", file=sys.stderr)
    for f in iter_article_paths(paths):
        try:
            yield str(f), read_article(f, metas.get(f.name))
        except ArticleError as e:
            yield str(f), str(e)


def cmd_unresolved(args: argparse.Namespace, out: TextIO) -> int:
    from extract.pipeline import extract_article, load_resources
    from geo.geonames import lookup_arabic
    resources = load_resources(str(args.gazetteer))
    found = []
    n_articles = 0
    for path, art in _articles(args.paths, args.manifest):
        if isinstance(art, str):
            print(f"warning: {art}", file=sys.stderr)
            continue
        n_articles += 1
        found.extend(extract_article(art, resources).unresolved)
    stats = collect(found)
    print(f"{len(stats)} unresolved names ({len(found)} mentions) in {n_articles} articles", file=out)
    if stats:
        print("count\tdocs\tname\tgeonames\texample", file=out)
    for s in stats:
        hint = lookup_arabic(s.name) if not args.no_geonames else None
        g = f"{hint.name_en} ({hint.geonames_id})" if hint else "-"
        example = " ".join(s.example.split())
        if len(example) > args.width:
            example = example[: args.width - 1] + "…"
        print(f"{s.count}\t{len(s.docs)}\t{s.name}\t{g}\t[{s.example_doc}] {example}", file=out)
    return 0


# --------------------------------------------------------------------------- main

def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    ap = argparse.ArgumentParser(prog="python -m geo", description=__doc__)
    sub = ap.add_subparsers(dest="command", required=True)
    c = sub.add_parser("check", help="validate a gazetteer and print a summary")
    c.add_argument("gazetteer", nargs="?", default=str(DEFAULT_GAZETTEER))
    u = sub.add_parser("unresolved", help="list place-like names the gazetteer lacks, with counts")
    u.add_argument("paths", nargs="+", help="article files or folders (.txt, .html)")
    u.add_argument("--manifest", help="manifest CSV (file,published,...)")
    u.add_argument("--gazetteer", default=str(DEFAULT_GAZETTEER))
    u.add_argument("--no-geonames", action="store_true", help="do not suggest GeoNames matches")
    u.add_argument("--width", type=int, default=160, help="cut example sentences to this many characters")
    return ap.parse_args(list(argv))


def main(argv: Optional[Sequence[str]] = None, out: TextIO = sys.stdout) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    if args.command == "check":
        return cmd_check(args, out)
    return cmd_unresolved(args, out)
