"""`python -m extract ingest PATH... --db FILE`: read, extract and store articles.

Every file is read, extracted and stored on its own (one transaction each, see
extract/store.py): a bad file is reported with its name and reason and the rest go on.
The dashboard's upload goes through `ingest_bytes`, the same code path.

With several workers, reading, hashing and extracting run in a process pool (a bounded
window of files ahead, results taken in input order), while this process stays the only
writer of the store and decides every outcome against it, exactly as with one worker.
"""
from __future__ import annotations

import argparse
import os
import sqlite3
import sys
import threading
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator, Optional, Sequence, Union

from extract.cli import plural
from extract import pipeline, store
from extract.parallel import map_in_order
from extract.model import Article, ArticleMeta, ArticleResult
from extract.read import (
    MAX_BYTES, ArticleError, ManifestRow, article_from_bytes, load_manifests, read_article,
    scan_inputs,
)

# the source of an uploaded file is this and its name (files' sources are paths)
UPLOAD_SOURCE = "upload:"

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
        parts += [f"{len(self.failed)} failed", plural(len(self.warnings), "warning")]
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

    def notes(self, notes: Sequence[str]) -> None:
        """What reading repaired in a file: warnings (the file is stored as repaired)."""
        for note in notes:
            self.warn(note)

    def article(self, name: str, article: Article, has_meta: bool, source: str,
                row: Optional[ManifestRow] = None, sha: Optional[str] = None,
                done: Optional["_Prepared"] = None) -> None:
        """Extract and store one article read from `name` (its `source`, the manifest `row`
        its metadata came from); record the outcome. `done`: a worker's extraction, used if
        it was made from exactly the article decided on here."""
        if sha is None:
            sha = store.content_hash(article.text)
        for _ in range(_ATTEMPTS):
            try:
                stored = store.find_article(self.conn, sha)
                target = self._target(article, source, stored)
                if target is None:
                    store.record_copy(self.conn, stored.id, source, article)
                    self.report.unchanged.append(name)
                    self._warn_duplicate(name, row, article.meta, source, stored)
                    self._warn_dates(name, has_meta, stored.meta)
                    return
                result = self._extract(target, done)
            except (KeyboardInterrupt, SystemExit):
                raise
            except _ExtractionFailed as e:
                self.fail(name, f"extraction failed ({e})")
                return
            except Exception as e:           # a pipeline bug on one article must not stop the rest
                self.fail(name, f"extraction failed ({type(e).__name__}: {e})")
                return
            try:
                outcome = store.save_article(self.conn, target, result, sha,
                                             pipeline.EXTRACTOR_VERSION, source)
            except store.StaleArticle:
                continue                     # another writer changed it since: decide again
            except sqlite3.Error as e:
                self.fail(name, f"store error ({e})")
                return
            getattr(self.report, outcome).append(name)
            self._warn_duplicate(name, row, article.meta, source, stored)
            self._warn_dates(name, has_meta, target.meta)
            return
        self.fail(name, f"store error (changed by another writer {_ATTEMPTS} times while being stored)")

    @staticmethod
    def _target(article: Article, source: str, stored: Optional[store.StoredArticle]
                ) -> Optional[Article]:
        """What to extract and store: the article, or if its text is stored already the
        stored text (offsets index it) with the merged metadata; None if nothing changes."""
        if stored is None:
            return article
        new_meta = store.meta_update(stored, article.meta, source)
        if new_meta is None:
            return None
        return Article(stored.doc, article.path, stored.text, new_meta)

    @staticmethod
    def _extract(target: Article, done: Optional["_Prepared"]) -> ArticleResult:
        if done is not None and done.target == target:
            if done.error:
                raise _ExtractionFailed(done.error)
            return done.result
        # sequential run, or the store changed since the worker looked
        return pipeline.extract_article(target)

    def _warn_duplicate(self, name: str, row: Optional[ManifestRow], meta: ArticleMeta,
                        source: str, stored: Optional[store.StoredArticle]) -> None:
        """A content duplicate's metadata that differs from the stored article's was not
        applied (merge_meta): say which, where the row is."""
        if stored is None or stored.source == source:
            return
        where = f"{row}: {name}" if row is not None else name
        for fld, new, kept in store.meta_conflicts(stored.meta, meta):
            self.warn(f"{where}: same text as the stored {stored.source}: its {fld} '{new}' "
                      f"is not applied (the stored article keeps '{kept}')")

    def _warn_dates(self, name: str, has_meta: bool, meta: ArticleMeta) -> None:
        if meta.published is None:
            self.warn(f"{name}: no manifest row (dates unknown)" if not has_meta
                      else f"{name}: no publication date (dates unknown)")
        elif not has_meta and meta.published_from != "page":
            self.warn(f"{name}: no manifest row (the stored copy has a publication date)")

    def rebuild_claims(self) -> None:
        """The claims of the places this run touched (and any an interrupted run left)."""
        try:
            store.rebuild_claims(self.conn)
        except sqlite3.Error as e:
            self.warn(f"claims not rebuilt ({e}): the next ingest or `extract claims` rebuilds them")

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


# times an article is decided and written again when another writer changed it meanwhile
_ATTEMPTS = 3


class _ExtractionFailed(Exception):
    """A worker's extraction raised; the message is "Type: message" as in one process."""


# --------------------------------------------------------------------------- workers

@dataclass
class _Prepared:
    """What a worker did with one file: read it, hash it, and extract `target` (the article
    as read, or as the store would hold it) unless the store already has it unchanged."""
    read_error: Optional[tuple] = None          # (path, reason) when the file cannot be read
    notes: tuple[str, ...] = ()                 # what reading repaired (read.Notes)
    article: Optional[Article] = None
    sha: str = ""
    target: Optional[Article] = None            # None: not extracted (unchanged in the store)
    result: Optional[ArticleResult] = None
    error: str = ""                             # extraction failed: "Type: message"


# {sha256: (doc, meta, source)} of the store when the pool started (set in each worker)
_KNOWN: dict[str, tuple[str, ArticleMeta, str]] = {}


def _init_worker(known: dict, parent: int) -> None:
    global _KNOWN
    _KNOWN = known
    # A parent killed with SIGKILL cannot shut its pool down, and idle workers would wait
    # for work forever: leave when the parent is gone.
    def watch() -> None:
        while os.getppid() == parent:
            threading.Event().wait(1.0)
        os._exit(0)
    threading.Thread(target=watch, daemon=True).start()


def _prepare(job: tuple[str, Optional[ArticleMeta], int, str]) -> _Prepared:
    path, meta, max_bytes, source = job
    notes: list[str] = []
    try:
        article = read_article(path, meta, max_bytes, notes)
    except ArticleError as e:
        return _Prepared(read_error=(e.path, e.reason))
    sha = store.content_hash(article.text)
    target = article
    known = _KNOWN.get(sha)
    if known is not None:
        doc, stored_meta, stored_source = known
        new_meta = store.merge_meta(stored_meta, article.meta, source == stored_source)
        if new_meta is None:
            return _Prepared(article=article, sha=sha, notes=tuple(notes))   # unchanged: nothing to extract
        # the store keeps its own text and doc; if the texts differ only by spelling noise
        # the parent sees target != its article and extracts again itself
        target = Article(doc, article.path, article.text, new_meta)
    try:
        return _Prepared(article=article, sha=sha, notes=tuple(notes), target=target,
                         result=pipeline.extract_article(target))
    except Exception as e:                # reported by the parent, like in one process
        return _Prepared(article=article, sha=sha, notes=tuple(notes), target=target,
                         error=f"{type(e).__name__}: {e}")


def default_workers(n_files: int) -> int:
    """One per core for many files (as `python -m extract`), 1 for a few."""
    from extract.cli import default_workers as extract_default
    return extract_default(n_files)


def _prepared_in_order(pool: ProcessPoolExecutor, jobs: list, workers: int) -> Iterator[_Prepared]:
    """Workers' results in input order, a bounded number of files in flight."""
    return map_in_order(pool, _prepare, jobs, workers, chunk_size=max(1, min(8, len(jobs) // (workers * 16))))


def ingest_paths(paths: Sequence[Union[str, Path]], db_path: Union[str, Path],
                 manifest: Optional[Union[str, Path]] = None, max_bytes: int = MAX_BYTES,
                 reextract: bool = False, progress: Optional[Progress] = None,
                 log: Optional[Log] = None, workers: Optional[int] = None) -> IngestReport:
    """Ingest article files and folders (see extract.read.scan_inputs) into the store at
    `db_path`. A manifest.csv in a given folder is used automatically, `manifest` names one
    explicitly. Never raises for a bad file: it lands in report.failed. Raises
    sqlite3.Error (store.StoreError) if the store cannot be used.
    `workers`: processes that read and extract (default: default_workers); this process
    alone writes the store, one transaction per article, in input order."""
    inputs, unlisted = scan_inputs(paths)
    manifests = load_manifests(paths, None)
    if workers is None:
        workers = default_workers(len(inputs))
    workers = max(1, min(workers, len(inputs)))
    pool: Optional[ProcessPoolExecutor] = None
    if workers > 1 and str(db_path) != ":memory:":
        conn = store.connect(db_path)         # creates the store; errors as with one worker
        try:
            known = store.known_articles(conn)
        finally:
            conn.close()
        # start (fork) the workers before this process opens the connection it writes with:
        # no SQLite handle of ours is ever inherited (workers never touch the store)
        pool = ProcessPoolExecutor(max_workers=workers, initializer=_init_worker,
                                   initargs=(known, os.getpid()))
        del known
        pool.submit(int).result()
    try:
        conn = store.connect(db_path)
    except BaseException:
        if pool is not None:
            pool.shutdown(cancel_futures=True)
        raise
    run = _Run(conn, log)
    try:
        if manifest is not None:
            if Path(manifest).is_file():
                manifests.update(load_manifests([], manifest))
            else:
                run.fail(str(manifest), "manifest not found")
        for p in manifests.problems + manifests.rows_without_files(f.path.name for f in inputs):
            run.warn(p)
        for e in unlisted:
            run.fail(e.path, e.reason)
        prepared: Iterator[_Prepared] = iter(())
        if pool is not None:
            prepared = _prepared_in_order(pool, [(str(f.path), manifests.metas.get(f.path.name),
                                                  max_bytes, f.source) for f in inputs], workers)
        first_from_source: dict[str, Path] = {}
        for i, f in enumerate(inputs, 1):
            meta = manifests.metas.get(f.path.name)
            row = manifests.rows.get(f.path.name)
            earlier = first_from_source.setdefault(f.source, f.path)
            if earlier != f.path:
                run.warn(f"{f.path}: same source {f.source} as {earlier} (if the texts differ, "
                         f"this one replaces it)")
            done = None
            if pool is not None:
                try:
                    done = next(prepared)
                except BrokenProcessPool as e:
                    run.warn(f"worker processes died ({e}); going on in one process")
                    pool.shutdown(wait=False, cancel_futures=True)
                    pool = None
            if done is None:
                notes: list[str] = []
                try:
                    article = read_article(f.path, meta, max_bytes, notes)
                except ArticleError as e:
                    run.fail(e.path, e.reason)
                else:
                    run.notes(notes)
                    run.article(str(f.path), article, meta is not None, f.source, row)
            elif done.read_error:
                run.fail(*done.read_error)
            else:
                run.notes(done.notes)
                run.article(str(f.path), done.article, meta is not None, f.source, row, done.sha, done)
            if progress:
                progress(i, len(inputs), str(f.path))
        if reextract:
            run.reextract(progress)
        run.rebuild_claims()
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)
        conn.close()
    return run.report


def ingest_bytes(db_path_or_conn: Union[str, Path, sqlite3.Connection], name: str, data: bytes,
                 meta: Optional[ArticleMeta] = None, max_bytes: int = MAX_BYTES) -> IngestReport:
    """Ingest one uploaded file (the dashboard's upload): same checks and store as files.
    Its source is "upload:<name>": a later upload of that name with another text replaces
    it; it never replaces an article read from a file."""
    own = not isinstance(db_path_or_conn, sqlite3.Connection)
    conn = store.connect(db_path_or_conn) if own else db_path_or_conn
    run = _Run(conn, None)
    try:
        fname = Path(name).name
        if meta is not None and meta.file != fname:
            meta = ArticleMeta(fname, meta.published, meta.outlet, meta.url, meta.title)
        notes: list[str] = []
        try:
            article = article_from_bytes(fname, data, meta, max_bytes, notes=notes)
        except ArticleError as e:
            run.fail(e.path, e.reason)
        else:
            run.notes(notes)
            run.article(fname, article, meta is not None, UPLOAD_SOURCE + fname)
        run.rebuild_claims()
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
    p.add_argument("--workers", type=int, default=None, metavar="N",
                   help="processes that read and extract (default: one per core for 200 or "
                        "more files, else 1); the store is written by this process only")
    return p


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = build_parser()
    args = parser.parse_args(list(sys.argv[1:] if argv is None else argv))
    if not args.paths and not args.reextract:
        parser.error("give at least one PATH (or --reextract)")
    if args.max_bytes <= 0:
        parser.error("--max-bytes must be positive")
    if args.workers is not None and args.workers < 1:
        parser.error("--workers must be at least 1")
    bar = _ProgressLine()
    try:
        report = ingest_paths(args.paths, args.db, manifest=args.manifest,
                              max_bytes=args.max_bytes, reextract=args.reextract,
                              progress=bar, log=bar.log, workers=args.workers)
        n_articles, n_incidents = _counts(args.db)
    except (sqlite3.Error, OSError) as e:
        bar.clear()
        print(f"{args.db}: cannot use the store ({_reason(e)})", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        # the article being written was rolled back; every finished one is stored
        bar.clear()
        print("interrupted: finished articles are stored", file=sys.stderr)
        return 130
    bar.clear()
    print(report.summary())
    print(f"store {args.db}: {plural(n_articles, 'article')}, {plural(n_incidents, 'incident')}")
    return 0 if report.ok else 1


def _counts(db: Union[str, Path]) -> tuple[int, int]:
    conn = store.connect(db)
    try:
        return store.counts(conn)
    finally:
        conn.close()


def _reason(e: Exception) -> str:
    return (e.strerror or str(e)) if isinstance(e, OSError) else str(e)
