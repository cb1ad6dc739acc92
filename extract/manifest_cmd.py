"""`python -m extract manifest PATH... [--manifest FILE] [-o FILE]`: the manifest the articles
state, for an analyst to check and correct.

One row per article file: `file,published,outlet,url,title,published_from`. A manifest row
given (or found beside the files) wins; what it lacks comes from the page's own markup
(extract/pages.py), and `published_from` says whether the date is the manifest's or the
page's. Saved with the articles as manifest.csv, the corrected file is read by every other
command.
"""
from __future__ import annotations

import argparse
import sys
from typing import Sequence

from extract.output import output_problem, write_csv
from extract.read import ArticleError, load_manifests, read_article, scan_inputs

COLUMNS = ("file", "published", "outlet", "url", "title", "published_from")


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    ap = argparse.ArgumentParser(prog="python -m extract manifest", description=__doc__.splitlines()[0])
    ap.add_argument("paths", nargs="+", help="article files or folders (.txt, .html, .htm)")
    ap.add_argument("--manifest", help="a manifest CSV whose rows win over the pages")
    ap.add_argument("-o", "--output", metavar="FILE", help="write here instead of stdout")
    return ap.parse_args(list(argv))


def main(argv: Sequence[str]) -> int:
    args = parse_args(argv)
    inputs, unlisted = scan_inputs(args.paths)
    # the manifest it reads may be the one it writes (all is read first): articles may not
    problem = output_problem(args.output, [f.path for f in inputs]) if args.output else ""
    if problem:
        print(f"error: {args.output}: {problem}", file=sys.stderr)
        return 2
    manifests = load_manifests(args.paths, args.manifest)
    failed = len(unlisted)
    for problem in manifests.problems:
        print(f"warning: {problem}", file=sys.stderr)
    for e in unlisted:
        print(f"error: {e}", file=sys.stderr)
    rows = []
    for f in inputs:
        try:
            meta = read_article(f.path, manifests.metas.get(f.path.name)).meta
        except ArticleError as e:
            print(f"error: {e}", file=sys.stderr)
            failed += 1
            continue
        rows.append((f.path.name, meta.published.isoformat() if meta.published else "", meta.outlet,
                     meta.url, meta.title, meta.published_from))
    out = open(args.output, "w", encoding="utf-8", newline="") if args.output else sys.stdout
    try:
        write_csv(rows, COLUMNS, out)
    finally:
        if args.output:
            out.close()
    dated = sum(1 for r in rows if r[1])
    print(f"{len(rows)} articles, {dated} with a publication date"
          + (f"; {failed} failed" if failed else ""), file=sys.stderr)
    return 1 if failed else 0
