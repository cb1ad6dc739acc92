"""The incident store: one SQLite file, the dashboard's only data source.

Each article is written in ONE transaction together with all its incidents, so a killed
ingest leaves every finished article complete and no half article. WAL mode lets the
dashboard read while an ingest writes.

Identity: an article is its normalised text (geo.arabic.normalize, whitespace
collapsed), so the same report saved under another name or encoding is not stored twice;
a file name seen again with different text replaces its old version.
"""
from __future__ import annotations

import hashlib
import sqlite3
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Optional, Union

from geo.arabic import normalize
from extract.model import INCIDENT_FIELDS, Article, ArticleMeta, ArticleResult, Incident

SCHEMA_VERSION = 2   # 2: incidents.match

SCHEMA = """
CREATE TABLE IF NOT EXISTS articles (
    id INTEGER PRIMARY KEY AUTOINCREMENT,   -- never reused: an id always means one version
    sha256 TEXT UNIQUE NOT NULL,      -- of the normalised text (see content_hash)
    file_name TEXT NOT NULL,
    doc TEXT NOT NULL,
    published TEXT,                   -- ISO date, NULL when unknown
    outlet TEXT,
    url TEXT,
    title TEXT,
    text TEXT NOT NULL,               -- as read: NFC, original spelling
    ingested_at TEXT NOT NULL,
    extractor_version TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS incidents (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    doc TEXT,
    place TEXT,
    place_ar TEXT,
    geonames_id TEXT,
    lat REAL,
    lon REAL,
    precision TEXT,
    event_type TEXT,
    claimant TEXT,
    date TEXT,                        -- ISO date, "" when the publication date is unknown
    date_basis TEXT,
    sentence TEXT,
    sentence_start INTEGER,
    sentence_end INTEGER,
    place_id TEXT,
    match TEXT                        -- curated | key | geonames | district-fallback
);
CREATE INDEX IF NOT EXISTS incidents_date ON incidents(date);
CREATE INDEX IF NOT EXISTS incidents_claimant ON incidents(claimant);
CREATE INDEX IF NOT EXISTS incidents_event_type ON incidents(event_type);
CREATE INDEX IF NOT EXISTS incidents_place ON incidents(place);
CREATE INDEX IF NOT EXISTS incidents_article ON incidents(article_id);
CREATE INDEX IF NOT EXISTS articles_file_name ON articles(file_name);
"""

# incident columns in insert order: the codebook's fields, then offsets and gazetteer id
INCIDENT_COLUMNS = INCIDENT_FIELDS + ("sentence_start", "sentence_end", "place_id")
ARTICLE_COLUMNS = ("file_name", "published", "outlet", "url", "title")

# what load_incidents returns for each incident
RECORD_COLUMNS = INCIDENT_COLUMNS + ("article_id",) + ARTICLE_COLUMNS

Outcome = str   # "ingested" | "unchanged" | "replaced"


def connect(db_path: Union[str, Path], timeout: float = 30.0) -> sqlite3.Connection:
    """Open (creating folder and schema if missing) the store at `db_path`.

    Autocommit mode (isolation_level=None): transactions are explicit BEGIN IMMEDIATE ...
    COMMIT, so a writer takes the write lock before reading what it will change.
    """
    if str(db_path) != ":memory:":
        Path(db_path).parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(str(db_path), timeout=timeout, isolation_level=None)
    conn.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA journal_mode = WAL")
    # Under WAL, NORMAL syncs only at checkpoints, not at every COMMIT: a committed
    # transaction survives a crash or SIGKILL of the process (the WAL is in the OS's page
    # cache and is replayed on the next open), so every stored article stays complete and
    # none half-stored. Only a power loss / OS crash can lose the last few commits (never
    # corrupt the file or split an article). Acceptable here; it about halves commit cost.
    conn.execute("PRAGMA synchronous = NORMAL")
    if conn.execute("PRAGMA user_version").fetchone()[0] < SCHEMA_VERSION:
        conn.execute("BEGIN IMMEDIATE")
        try:
            for stmt in SCHEMA.split(";"):
                if stmt.strip():
                    conn.execute(stmt)
            # a store made before a column existed gets it (its rows are re-extracted
            # when the extractor version changes)
            have = {r[1] for r in conn.execute("PRAGMA table_info(incidents)")}
            if "match" not in have:
                conn.execute("ALTER TABLE incidents ADD COLUMN match TEXT DEFAULT 'curated'")
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    return conn


def content_hash(text: str) -> str:
    """sha256 of the matching form of `text` with whitespace collapsed: the same report
    in another encoding, with other line breaks, tatweel or diacritics hashes the same."""
    norm = " ".join(normalize(text).split())
    return hashlib.sha256(norm.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class StoredArticle:
    """An article row without its incidents."""
    id: int
    sha256: str
    file_name: str
    doc: str
    meta: ArticleMeta
    text: str
    ingested_at: str
    extractor_version: str

    def article(self) -> Article:
        return Article(doc=self.doc, path="", text=self.text, meta=self.meta)


_ARTICLE_SELECT = ("SELECT id, sha256, file_name, doc, published, outlet, url, title, text, "
                   "ingested_at, extractor_version FROM articles")


def _stored(row: tuple) -> StoredArticle:
    id_, sha, fname, doc, published, outlet, url, title, text, at, version = row
    meta = ArticleMeta(file=fname, published=date.fromisoformat(published) if published else None,
                       outlet=outlet or "", url=url or "", title=title or "")
    return StoredArticle(id_, sha, fname, doc, meta, text, at, version)


def find_article(conn: sqlite3.Connection, sha256: str) -> Optional[StoredArticle]:
    row = conn.execute(_ARTICLE_SELECT + " WHERE sha256 = ?", (sha256,)).fetchone()
    return _stored(row) if row else None


def known_articles(conn: sqlite3.Connection) -> dict[str, tuple[str, ArticleMeta]]:
    """{sha256: (doc, meta)} of every stored article, without texts: enough to tell, away
    from the store, whether an incoming article is unchanged (see meta_update)."""
    out = {}
    for sha, fname, doc, published, outlet, url, title in conn.execute(
            "SELECT sha256, file_name, doc, published, outlet, url, title FROM articles"):
        out[sha] = (doc, ArticleMeta(file=fname, published=date.fromisoformat(published) if published else None,
                                     outlet=outlet or "", url=url or "", title=title or ""))
    return out


def list_articles(conn: sqlite3.Connection) -> list[StoredArticle]:
    return [_stored(r) for r in conn.execute(_ARTICLE_SELECT + " ORDER BY id")]


def _meta_values(meta: ArticleMeta) -> tuple:
    return (meta.published.isoformat() if meta.published else None,
            meta.outlet or None, meta.url or None, meta.title or None)


def meta_update(stored: StoredArticle, meta: ArticleMeta) -> Optional[ArticleMeta]:
    """The stored article's metadata updated with what `meta` adds or corrects, or None
    if `meta` changes nothing. Empty incoming fields never erase stored ones (an upload
    without a date must not wipe the date a manifest gave)."""
    return merge_meta(stored.meta, meta)


def merge_meta(old: ArticleMeta, meta: ArticleMeta) -> Optional[ArticleMeta]:
    """meta_update on the stored metadata alone (what ingest's workers know of the store)."""
    new = ArticleMeta(file=old.file,
                      published=meta.published or old.published,
                      outlet=meta.outlet or old.outlet,
                      url=meta.url or old.url,
                      title=meta.title or old.title)
    return None if new == old else new


def _incident_rows(article_id: int, result: ArticleResult) -> list[tuple]:
    return [(article_id,) + tuple(getattr(inc, c) for c in INCIDENT_COLUMNS)
            for inc in result.incidents]


def _insert_incidents(conn: sqlite3.Connection, article_id: int, result: ArticleResult) -> None:
    cols = ", ".join(("article_id",) + INCIDENT_COLUMNS)
    marks = ", ".join("?" * (len(INCIDENT_COLUMNS) + 1))
    conn.executemany(f"INSERT INTO incidents ({cols}) VALUES ({marks})",
                     _incident_rows(article_id, result))


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _insert_article(conn: sqlite3.Connection, article: Article, sha256: str, version: str) -> int:
    file_name = article.meta.file or (Path(article.path).name if article.path else article.doc)
    cur = conn.execute(
        "INSERT INTO articles (sha256, file_name, doc, published, outlet, url, title, text, "
        "ingested_at, extractor_version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (sha256, file_name, article.doc) + _meta_values(article.meta)
        + (article.text, _now(), version))
    return int(cur.lastrowid)


class _Transaction:
    """BEGIN IMMEDIATE ... COMMIT, ROLLBACK on any exception (including KeyboardInterrupt)."""

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn

    def __enter__(self) -> sqlite3.Connection:
        self.conn.execute("BEGIN IMMEDIATE")
        return self.conn

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is None:
            try:
                self.conn.execute("COMMIT")
                return
            except BaseException:
                self._rollback()      # e.g. disk full at commit: leave no open transaction
                raise
        self._rollback()

    def _rollback(self) -> None:
        # SQLite may already have rolled back by itself (SQLITE_FULL, SQLITE_IOERR)
        if self.conn.in_transaction:
            self.conn.execute("ROLLBACK")


def save_article(conn: sqlite3.Connection, article: Article, result: ArticleResult,
                 sha256: str, extractor_version: Optional[str] = None) -> Outcome:
    """Store `article` and its incidents in one transaction.

    - same normalised text already stored (any file name or encoding): "unchanged"; if the
      incoming manifest adds or corrects metadata (e.g. a publication date), the row's
      metadata and incidents are rewritten from `result` and the outcome is "replaced";
    - same file name with different text: the old row and its incidents are deleted and
      the new version inserted: "replaced";
    - otherwise "ingested".
    `result` must come from extracting `article` (with its meta) by extractor_version.
    """
    if extractor_version is None:
        from extract.pipeline import EXTRACTOR_VERSION as extractor_version
    with _Transaction(conn):
        stored = find_article(conn, sha256)
        if stored is not None:
            new_meta = meta_update(stored, article.meta)
            if new_meta is None:
                return "unchanged"
            if article.text != stored.text or article.meta != new_meta:
                # offsets must index the STORED text and dates follow the merged meta:
                # re-extract unless the caller already did exactly that (ingest does)
                from extract.pipeline import extract_article
                result = extract_article(Article(stored.doc, article.path, stored.text, new_meta))
            conn.execute("UPDATE articles SET published = ?, outlet = ?, url = ?, title = ?, "
                         "extractor_version = ?, ingested_at = ? WHERE id = ?",
                         _meta_values(new_meta) + (extractor_version, _now(), stored.id))
            conn.execute("DELETE FROM incidents WHERE article_id = ?", (stored.id,))
            _insert_incidents(conn, stored.id, result)
            return "replaced"
        file_name = article.meta.file or (Path(article.path).name if article.path else article.doc)
        old = conn.execute("SELECT id FROM articles WHERE file_name = ?", (file_name,)).fetchall()
        for (old_id,) in old:
            conn.execute("DELETE FROM articles WHERE id = ?", (old_id,))   # cascades
        article_id = _insert_article(conn, article, sha256, extractor_version)
        _insert_incidents(conn, article_id, result)
        return "replaced" if old else "ingested"


def replace_incidents(conn: sqlite3.Connection, stored: StoredArticle, result: ArticleResult,
                      extractor_version: str) -> bool:
    """Re-extraction: swap an article's incidents for `result` in one transaction.
    False (nothing written) if the article changed or vanished since it was read."""
    with _Transaction(conn):
        row = conn.execute("SELECT sha256 FROM articles WHERE id = ?", (stored.id,)).fetchone()
        if row is None or row[0] != stored.sha256:
            return False
        conn.execute("DELETE FROM incidents WHERE article_id = ?", (stored.id,))
        _insert_incidents(conn, stored.id, result)
        conn.execute("UPDATE articles SET extractor_version = ? WHERE id = ?",
                     (extractor_version, stored.id))
        return True


def outdated_articles(conn: sqlite3.Connection, extractor_version: str) -> list[StoredArticle]:
    """Articles extracted by another extractor version than `extractor_version`."""
    return [_stored(r) for r in conn.execute(
        _ARTICLE_SELECT + " WHERE extractor_version != ? ORDER BY id", (extractor_version,))]


def load_incidents(conn: sqlite3.Connection) -> list[dict]:
    """Every stored incident as a dict: the codebook's fields, sentence_start/end, place_id,
    article_id, and its article's file_name, published (ISO or None), outlet, url, title."""
    cols = ", ".join([f"i.{c}" for c in INCIDENT_COLUMNS + ("article_id",)]
                     + [f"a.{c}" for c in ARTICLE_COLUMNS])
    rows = conn.execute(
        f"SELECT {cols} FROM incidents i JOIN articles a ON a.id = i.article_id "
        "ORDER BY a.id, i.sentence_start, i.id").fetchall()
    out = []
    for r in rows:
        d = dict(zip(RECORD_COLUMNS, r))
        for c in ("outlet", "url", "title"):
            d[c] = d[c] or ""
        out.append(d)
    return out


def article_incidents(conn: sqlite3.Connection, article_id: int) -> list[Incident]:
    """One article's incidents as Incident objects, in stored order."""
    cols = ", ".join(INCIDENT_COLUMNS)
    rows = conn.execute(f"SELECT {cols} FROM incidents WHERE article_id = ? ORDER BY id",
                        (article_id,)).fetchall()
    return [Incident(**dict(zip(INCIDENT_COLUMNS, r))) for r in rows]


def counts(conn: sqlite3.Connection) -> tuple[int, int]:
    """(articles, incidents) stored."""
    a = conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
    i = conn.execute("SELECT COUNT(*) FROM incidents").fetchone()[0]
    return a, i
