"""`python -m extract ingest PATH... --db FILE`: read, extract and store articles.

Every file is read, extracted and stored on its own (one transaction each, see
extract/store.py): a bad file is reported with its name and reason and the rest go on.
The dashboard's upload goes through `ingest_bytes`, the same code path.
"""
from __future__ import annotations

import argparse
import sqlite3
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Optional, Sequence, Union

from extract import pipeline, store
from extract.model import Article, ArticleMeta
from extract.read import (
    MAX_BYTES, ArticleError, article_from_bytes, find_manifests, iter_article_paths,
    read_article,
)

# progress(done, total, name): called after each file (and each re-extracted article)
Progress = Callable[[int, int, str], None]
# log(message): called at once for each problem, so a long run reports as it goes
Log = Callable[[str], None]


@dataclass
class IngestReport:
    """What one run did, file by file (names as given: paths, or upload names)."""
    ingested: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)     # (file, reason)
    warnings: list[str] = field(default_factory=list)
    reextracted: list[str] = field(default_factory=list)            # stored file names

    @property
    def ok(self) -> bool:
        return not self.failed

    def merge(self, other: "IngestReport") -> None:
        for f in ("ingested", "unchanged", "replaced", "failed", "warnings", "reextracted"):
            getattr(self, f).extend(getattr(other, f))

    def summary(self) -> str:
        """The closing lines of a run: counts, then every failure with its reason."""
        parts = [f"{len(self.ingested)} ingested", f"{len(self.unchanged)} unchanged",
                 f"{len(self.replaced)} replaced"]
        if self.reextracted:
            parts.append(f"{len(self.reextracted)} re-extracted")
        parts += [f"{len(self.failed)} failed", f"{len(self.warnings)} warnings"]
        lines = ["ingest: " + ", ".join(parts)]
        if self.failed:
            lines.append("failed:")
            lines += [f"  {name}: {reason}" for name, reason in self.failed]
        return "\n".join(lines)


class _Run:
    """One ingest run's connection, report and callbacks."""

    def __init__(self, conn: sqlite3.Connection, log: Optional[Log]):
        self.conn = conn
        self.report = IngestReport()
        self.log = log or (lambda msg: None)

    def fail(self, name: str, reason: str) -> None:
        self.report.failed.append((name, reason))
        self.log(f"{name}: {reason}")

    def warn(self, message: str) -> None:
        self.report.warnings.append(message)
        self.log(f"warning: {message}")

    def article(self, name: str, article: Article, has_meta: bool) -> None:
        """Extract and store one article read from `name`; record the outcome."""
        sha = store.content_hash(article.text)
        try:
            stored = store.find_article(self.conn, sha)
            if stored is not None:
                new_meta = store.meta_update(stored, article.meta)
                if new_meta is None:
                    # same text already stored: no extraction needed
                    self.report.unchanged.append(name)
                    self._warn_dates(name, has_meta, stored.meta.published is None)
                    return
                # offsets index the stored text; dates follow the merged metadata
                article = Article(stored.doc, article.path, stored.text, new_meta)
            result = pipeline.extract_article(article)
        except (KeyboardInterrupt, SystemExit):
            raise
        except Exception as e:           # a pipeline bug on one article must not stop the rest
            self.fail(name, f"extraction failed ({type(e).__name__}: {e})")
            return
        try:
            outcome = store.save_article(self.conn, article, result, sha, pipeline.EXTRACTOR_VERSION)
        except sqlite3.Error as e:
            self.fail(name, f"store error ({e})")
            return
        getattr(self.report, outcome).append(name)
        self._warn_dates(name, has_meta, article.meta.published is None)

    def _warn_dates(self, name: str, has_meta: bool, no_date: bool) -> None:
        if not has_meta:
            self.warn(f"{name}: no manifest row (dates unknown)" if no_date
                      else f"{name}: no manifest row (the stored copy has a publication date)")
        elif no_date:
            self.warn(f"{name}: no publication date (dates unknown)")

    def reextract(self, progress: Optional[Progress]) -> None:
        """Re-run extraction on articles stored by another extractor version."""
        version = pipeline.EXTRACTOR_VERSION
        todo = store.outdated_articles(self.conn, version)
        for i, stored in enumerate(todo, 1):
            try:
                result = pipeline.extract_article(stored.article())
                if store.replace_incidents(self.conn, stored, result, version):
                    self.report.reextracted.append(stored.file_name)
            except (KeyboardInterrupt, SystemExit):
                raise
            except Exception as e:
                self.fail(stored.file_name, f"re-extraction failed ({type(e).__name__}: {e})")
            if progress:
                progress(i, len(todo), stored.file_name)


def ingest_paths(paths: Sequence[Union[str, Path]], db_path: Union[str, Path],
                 manifest: Optional[Union[str, Path]] = None, max_bytes: int = MAX_BYTES,
                 reextract: bool = False, progress: Optional[Progress] = None,
                 log: Optional[Log] = None) -> IngestReport:
    """Ingest article files and folders (see extract.read.iter_article_paths) into the
    store at `db_path`. A manifest.csv in a given folder is used automatically, `manifest`
    names one explicitly. Never raises for a bad file: it lands in report.failed."""
    files = iter_article_paths(paths)
    metas, problems = find_manifests(paths, None)
    conn = store.connect(db_path)
    run = _Run(conn, log)
    try:
        if manifest is not None:
            if Path(manifest).is_file():
                more, probs = find_manifests([], manifest)
                metas.update(more)
                problems += probs
            else:
                run.fail(str(manifest), "manifest not found")
        for p in problems:
            run.warn(p)
        first_with_name: dict[str, Path] = {}
        for i, f in enumerate(files, 1):
            meta = metas.get(f.name)
            # file names identify articles (manifest rows, replacement): two folders holding
            # the same name would silently replace each other, so say so
            earlier = first_with_name.setdefault(f.name, f)
            if earlier != f:
                run.warn(f"{f}: same file name as {earlier} (file names identify articles; "
                         f"if the texts differ, this one replaces it)")
            try:
                article = read_article(f, meta, max_bytes)
            except ArticleError as e:
                run.fail(e.path, e.reason)
            else:
                run.article(str(f), article, meta is not None)
            if progress:
                progress(i, len(files), str(f))
        if reextract:
            run.reextract(progress)
    finally:
        conn.close()
    return run.report


def ingest_bytes(db_path_or_conn: Union[str, Path, sqlite3.Connection], name: str, data: bytes,
                 meta: Optional[ArticleMeta] = None, max_bytes: int = MAX_BYTES) -> IngestReport:
    """Ingest one uploaded file (the dashboard's upload): same checks and store as files."""
    own = not isinstance(db_path_or_conn, sqlite3.Connection)
    conn = store.connect(db_path_or_conn) if own else db_path_or_conn
    run = _Run(conn, None)
    try:
        fname = Path(name).name
        if meta is not None and meta.file != fname:
            meta = ArticleMeta(fname, meta.published, meta.outlet, meta.url, meta.title)
        try:
            article = article_from_bytes(fname, data, meta, max_bytes)
        except ArticleError as e:
            run.fail(e.path, e.reason)
        else:
            run.article(fname, article, meta is not None)
    finally:
        if own:
            conn.close()
    return run.report


# --------------------------------------------------------------------------- CLI

class _ProgressLine:
    """A one-line progress indicator on stderr, only when stderr is a terminal."""

    def __init__(self) -> None:
        self.active = sys.stderr.isatty()
        self.shown = False

    def __call__(self, done: int, total: int, name: str) -> None:
        if self.active:
            width = 30
            fill = width * done // max(total, 1)
            sys.stderr.write(f"\r[{'#' * fill}{'.' * (width - fill)}] {done}/{total} {name[-40:]:<40}")
            sys.stderr.flush()
            self.shown = True

    def clear(self) -> None:
        if self.shown:
            sys.stderr.write("\r\033[K")
            sys.stderr.flush()

    def log(self, msg: str) -> None:
        self.clear()
        print(msg, file=sys.stderr, flush=True)


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m extract ingest",
        description="Read, extract and store Arabic articles in the SQLite incident store.")
    p.add_argument("paths", nargs="*", metavar="PATH",
                   help="article files (.txt, .html, .htm) or folders of them")
    p.add_argument("--db", required=True, metavar="FILE", help="the SQLite store (created if missing)")
    p.add_argument("--manifest", metavar="FILE",
                   help="manifest CSV (file,published,outlet,url,title); a manifest.csv inside "
                        "a given folder is used automatically")
    p.add_argument("--reextract", action="store_true",
                   help="re-run extraction on stored articles from another extractor version")
    p.add_argument("--max-bytes", type=int, default=MAX_BYTES, metavar="N",
                   help=f"skip files larger than N bytes (default {MAX_BYTES:,})")
    return p


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = build_parser()
    args = parser.parse_args(list(sys.argv[1:] if argv is None else argv))
    if not args.paths and not args.reextract:
        parser.error("give at least one PATH (or --reextract)")
    if args.max_bytes <= 0:
        parser.error("--max-bytes must be positive")
    bar = _ProgressLine()
    try:
        report = ingest_paths(args.paths, args.db, manifest=args.manifest,
                              max_bytes=args.max_bytes, reextract=args.reextract,
                              progress=bar, log=bar.log)
    except sqlite3.Error as e:
        bar.clear()
        print(f"{args.db}: cannot use the store ({e})", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        # the article being written was rolled back; every finished one is stored
        bar.clear()
        print("interrupted: finished articles are stored", file=sys.stderr)
        return 130
    bar.clear()
    conn = store.connect(args.db)
    try:
        n_articles, n_incidents = store.counts(conn)
    finally:
        conn.close()
    print(report.summary())
    print(f"store {args.db}: {n_articles} articles, {n_incidents} incidents")
    return 0 if report.ok else 1
