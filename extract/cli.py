"""python -m extract PATH... [--manifest FILE] [--format jsonl|csv|geojson] [-o OUT] [--workers N]"""
from __future__ import annotations

import argparse
import os
import sys
from concurrent.futures import ProcessPoolExecutor
from typing import Iterator, Optional, Sequence

from extract.model import ArticleMeta, ArticleResult
from extract.parallel import map_in_order
from extract.output import FORMATS, output_problem, write_incidents
from extract.read import ArticleError, HTML_SUFFIXES, MAX_BYTES, load_manifests, read_article, scan_inputs


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    ap = argparse.ArgumentParser(
        prog="python -m extract",
        description="Extract coded incidents from Arabic news articles (.txt, .html). "
                    "`python -m extract ingest --help` for loading them into the store.")
    ap.add_argument("paths", nargs="+", metavar="PATH", help="article files or folders of them")
    ap.add_argument("--manifest", help="manifest CSV (file,published,outlet,url,title); "
                                       "a manifest.csv inside a given folder is used automatically")
    ap.add_argument("--format", choices=FORMATS, default="jsonl")
    ap.add_argument("-o", "--output", help="output file (default: standard output)")
    ap.add_argument("--workers", type=int, default=None,
                    help="processes to extract with (default: one per core for large inputs)")
    ap.add_argument("--engine", choices=("local", "dask"), default="local",
                    help="'dask' runs the same per-article function on a Dask cluster (extra .[dask])")
    ap.add_argument("--scheduler", help="Dask scheduler address (default: a local cluster)")
    ap.add_argument("--max-bytes", type=int, default=MAX_BYTES, help="skip files larger than this")
    return ap.parse_args(list(argv))


def extract_file(job: tuple[str, Optional[ArticleMeta], int]) -> tuple[str, Optional[ArticleResult], str]:
    """Read and extract one file: (path, result, message). The unit of work for every engine.
    The message says why it failed when result is None, else what reading repaired ("" if
    nothing; one "<path>: <what>" line each)."""
    from extract.pipeline import extract_article
    path, meta, max_bytes = job
    notes: list[str] = []
    try:
        article = read_article(path, meta, max_bytes=max_bytes, notes=notes)
    except ArticleError as e:
        return path, None, str(e)
    try:
        return path, extract_article(article), "\n".join(notes)
    except Exception as e:  # a bug on one article must not lose the others
        return path, None, f"{path}: extraction failed ({type(e).__name__}: {e})"


def run_jobs(jobs: list, workers: int, engine: str = "local", scheduler: Optional[str] = None
             ) -> Iterator[tuple[str, Optional[ArticleResult], str]]:
    """Results in input order, whatever the engine."""
    if engine == "dask":
        from extract.distributed import run_on_dask
        yield from run_on_dask(extract_file, jobs, scheduler)
    elif workers <= 1:
        yield from map(extract_file, jobs)
    else:
        # loaded before the workers fork, so they share it instead of each loading its own
        from extract.pipeline import load_resources
        load_resources()
        with ProcessPoolExecutor(max_workers=workers) as pool:
            yield from map_in_order(pool, extract_file, jobs, workers, chunk_size=32)


def default_workers(n_jobs: int) -> int:
    return (os.cpu_count() or 1) if n_jobs >= 200 else 1


class Progress:
    """A one-line progress bar on stderr, shown only on a terminal."""

    def __init__(self, total: int, stream=sys.stderr):
        self.total, self.stream, self.done = total, stream, 0
        self.enabled = total > 1 and hasattr(stream, "isatty") and stream.isatty()

    def step(self) -> None:
        self.done += 1
        if self.enabled and (self.done == self.total or self.done % max(1, self.total // 200) == 0):
            width = 30
            filled = width * self.done // self.total
            self.stream.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {self.done}/{self.total} articles")
            if self.done == self.total:
                self.stream.write("\n")
            self.stream.flush()


def plural(n: int, word: str) -> str:
    """"1 incident", "2 incidents"."""
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def main(argv: Sequence[str]) -> int:
    args = parse_args(argv)
    manifests = load_manifests(args.paths, args.manifest)
    inputs, unlisted = scan_inputs(args.paths)
    files = [f.path for f in inputs]
    if args.output:
        problem = output_problem(args.output, files + manifests.paths)
        if problem:
            print(f"error: {args.output}: {problem}", file=sys.stderr)
            return 2
    for p in manifests.problems + manifests.rows_without_files(f.name for f in files):
        print(f"warning: {p}", file=sys.stderr)
    for e in unlisted:
        print(f"error: {e}", file=sys.stderr)
    if not files:
        print("error: no article files (.txt, .html, .htm) found in " + ", ".join(args.paths), file=sys.stderr)
        return 1
    metas = manifests.metas
    jobs = [(str(f), metas.get(f.name), args.max_bytes) for f in files]
    workers = args.workers if args.workers is not None else default_workers(len(jobs))
    try:
        out = open(args.output, "w", encoding="utf-8", newline="") if args.output else sys.stdout
    except OSError as e:
        print(f"error: {args.output}: cannot write ({e.strerror or e})", file=sys.stderr)
        return 2
    failed = len(unlisted)
    # a saved page states its own date (extract/pages.py): only text files lack one for sure
    no_meta = [f.name for f in files if f.name not in metas and f.suffix.lower() not in HTML_SUFFIXES]
    if no_meta and metas:
        print(f"warning: no manifest row for {len(no_meta)} file(s) (dates unknown): "
              + ", ".join(no_meta[:5]) + (" ..." if len(no_meta) > 5 else ""), file=sys.stderr)
    progress = Progress(len(jobs))
    try:
        def incidents():
            nonlocal failed
            for path, result, message in run_jobs(jobs, workers, args.engine, args.scheduler):
                progress.step()
                if result is None:
                    failed += 1
                    print(f"error: {message}", file=sys.stderr)
                    continue
                for note in filter(None, message.split("\n")):
                    print(f"warning: {note}", file=sys.stderr)
                yield from result.incidents
        n = write_incidents(incidents(), out, args.format)
    finally:
        if args.output:
            out.close()
    total = len(jobs) + len(unlisted)
    print(f"{plural(n, 'incident')} from {total - failed} of {plural(total, 'file')}"
          + (f"; {failed} failed" if failed else ""), file=sys.stderr)
    return 1 if failed else 0
