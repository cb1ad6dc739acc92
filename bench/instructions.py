"""Instructions per extracted article, counted by valgrind's callgrind.

Wall-clock figures on a shared machine move by 10-20 % from run to run; instruction counts
barely move, so they show whether a change to the pipeline made it cheaper. Two runs of the
same script, one extracting N more articles than the other, after the same warm-up; the
difference divided by N is the cost of one article with warm caches.

    python -m bench.instructions [--articles 150] [--corpus DIR] [--compiled]

Needs valgrind (Debian package `valgrind`). Takes about a minute and a half per run.
"""
from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WARM_UP = 100

_RUN = """
import sys
sys.path.insert(0, {root!r})
from extract.read import MAX_BYTES, find_manifests, iter_article_paths, read_article
from extract.pipeline import extract_article, load_resources
metas, _ = find_manifests([{corpus!r}])
files = iter_article_paths([{corpus!r}])
arts = [read_article(str(f), metas.get(f.name), MAX_BYTES) for f in files[:{total}]]
load_resources()
for a in arts[:{warm}]:
    extract_article(a)
for a in arts[{warm}:{warm} + {n}]:
    extract_article(a)
"""


def instructions(corpus: Path, n: int, total: int, root: Path = ROOT) -> int:
    """Instructions callgrind counts for a whole run that extracts n articles after the warm-up."""
    script = _RUN.format(root=str(root), corpus=str(corpus), total=total, warm=WARM_UP, n=n)
    with tempfile.TemporaryDirectory() as tmp:
        out = subprocess.run(["valgrind", "--tool=callgrind", f"--callgrind-out-file={tmp}/cg.out",
                              sys.executable, "-c", script], capture_output=True, text=True)
    m = re.search(r"Collected : (\d+)", out.stderr)
    if out.returncode or not m:
        raise SystemExit(f"callgrind run failed (exit {out.returncode}):\n{out.stderr[-2000:]}")
    return int(m.group(1))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.instructions", description=__doc__.split("\n\n")[0])
    ap.add_argument("--articles", type=int, default=150, help="articles counted (default 150)")
    ap.add_argument("--corpus", help="a corpus with a manifest (default: a new synthetic one)")
    ap.add_argument("--compiled", action="store_true",
                    help="count the mypyc-compiled copy of the pipeline (bench/compiled.py) instead")
    args = ap.parse_args(argv)
    if not shutil.which("valgrind"):
        raise SystemExit("valgrind is not installed (apt-get install valgrind)")
    total = WARM_UP + args.articles
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(args.corpus) if args.corpus else Path(tmp) / "corpus"
        if not args.corpus:
            from bench.corpus import make_corpus
            make_corpus(total, corpus)
        root = ROOT
        if args.compiled:
            from bench import compiled
            root = compiled.build(Path(tmp) / "compiled")
        base = instructions(corpus, 0, total, root)
        more = instructions(corpus, args.articles, total, root)
    per_article = (more - base) / args.articles
    print(f"{per_article / 1e6:.2f} million instructions per article "
          f"({args.articles} articles after {WARM_UP} of warm-up; whole runs: {base:,} and {more:,})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
