"""Extraction of one long article with no punctuation: the cost must grow linearly.

A page that lost its punctuation, or a hostile upload, is one run of text; the sentence
splitter cuts such runs (extract/sentences.py, MAX_SENTENCE_WORDS) so that the stages that
compare the places of a sentence with each other stay bounded. The figure is the CPU time
of a 1 MB article over that of a 100 KB one: x10 is linear, x100 quadratic.

    python -m bench.long_text [--sizes 100000,1000000]
"""
from __future__ import annotations

import argparse
import time
from datetime import date

# an attack report of the seeds with its full stop removed, repeated
UNPUNCTUATED = "قصفت القوات الأرمينية مدينة ترتر وقرى طوناشن وآغدام بالمدفعية الثقيلة "


def measure(sizes: tuple[int, ...] = (100_000, 1_000_000)) -> list[dict]:
    """CPU seconds to extract one unpunctuated article of each size in bytes (warm caches)."""
    from extract.model import Article, ArticleMeta
    from extract.pipeline import extract_article, load_resources
    load_resources()
    extract_article(_article(UNPUNCTUATED * 50, Article, ArticleMeta))     # warm the caches
    out = []
    for size in sizes:
        art = _article(UNPUNCTUATED * (size // len(UNPUNCTUATED.encode())), Article, ArticleMeta)
        t = time.process_time()
        result = extract_article(art)
        out.append({"bytes": size, "cpu_seconds": time.process_time() - t,
                    "incidents": len(result.incidents)})
    return out


def _article(text: str, Article, ArticleMeta):
    return Article("long", "", text, ArticleMeta("long.txt", date(2020, 10, 8)))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.long_text", description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="100000,1000000")
    args = ap.parse_args(argv)
    results = measure(tuple(int(s) for s in args.sizes.split(",")))
    for r in results:
        print(f"{r['bytes']:>10,} bytes  {r['cpu_seconds']:.2f} s CPU  "
              f"x{r['cpu_seconds'] / results[0]['cpu_seconds']:.1f} of the first")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
