"""The incident store: one SQLite file, the dashboard's only data source.

Each article is written in ONE transaction together with all its incidents, so a killed
ingest leaves every finished article complete and no half article. WAL mode lets the
dashboard read while an ingest writes.

Identity: an article is its normalised text (geo.arabic.normalize, whitespace
collapsed), so the same report saved under another name or encoding is not stored twice.
Each row also records its source (where it was read from: see extract.read.InputFile, or
"upload:<name>"): a source seen again with a different text replaces its old version; two
sources never replace each other, whatever their file names.

connect() refuses a file that is not an incident store (another program's database, a
schema this version does not know) or that fails SQLite's quick_check, before writing.
"""
from __future__ import annotations

import hashlib
import json
import os
import sqlite3
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Optional, Sequence, Union

from geo.arabic import normalize
from extract.claims import CLAIM_FIELDS, build_claims
from extract.model import INCIDENT_FIELDS, Article, ArticleMeta, ArticleResult, Incident

SCHEMA_VERSION = 5   # 2: incidents.match; 3: articles.source; 4: copies and claims; 5: published_from
BASE_TABLES = {"articles", "incidents"}
OUR_TABLES = BASE_TABLES | {"copies", "claims", "claim_reports", "claims_stale"}

SCHEMA = """
CREATE TABLE IF NOT EXISTS articles (
    id INTEGER PRIMARY KEY AUTOINCREMENT,   -- never reused: an id always means one version
    sha256 TEXT UNIQUE NOT NULL,      -- of the normalised text (see content_hash)
    file_name TEXT NOT NULL,
    doc TEXT NOT NULL,
    source TEXT NOT NULL DEFAULT '',  -- where it was read from: its identity for replacement
    published TEXT,                   -- ISO date, NULL when unknown
    published_from TEXT NOT NULL DEFAULT '',  -- manifest | page (the page's own markup) | ''
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
CREATE TABLE IF NOT EXISTS copies (
    -- every source that carried an article's text: the article's own, and wire copies (the
    -- same text under another name or outlet), each with its manifest or page metadata
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    source TEXT NOT NULL,
    file_name TEXT NOT NULL,
    published TEXT,
    published_from TEXT NOT NULL DEFAULT '',
    outlet TEXT,
    url TEXT,
    title TEXT,
    UNIQUE (article_id, source)
);
CREATE TABLE IF NOT EXISTS claims (
    -- derived from the incidents by extract.claims: rebuilt for the places an ingest touched
    id TEXT PRIMARY KEY,
    place_id TEXT NOT NULL,
    place_key TEXT NOT NULL,
    side TEXT NOT NULL,
    place TEXT, place_ar TEXT, lat REAL, lon REAL, precision TEXT,
    date TEXT, event_type TEXT, claimant TEXT,
    reports INTEGER NOT NULL,
    outlets INTEGER NOT NULL,
    outlet_names TEXT NOT NULL,       -- JSON list, in order of first report
    first_published TEXT,
    last_published TEXT
);
CREATE TABLE IF NOT EXISTS claim_reports (
    claim_id TEXT NOT NULL REFERENCES claims(id) ON DELETE CASCADE,
    incident_id INTEGER NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
    copy_id INTEGER NOT NULL REFERENCES copies(id) ON DELETE CASCADE,
    PRIMARY KEY (incident_id, copy_id)
);
CREATE TABLE IF NOT EXISTS claims_stale (
    -- places whose claims must be rebuilt (marked in the article's own transaction)
    place_id TEXT PRIMARY KEY
);
CREATE INDEX IF NOT EXISTS incidents_date ON incidents(date);
CREATE INDEX IF NOT EXISTS incidents_claimant ON incidents(claimant);
CREATE INDEX IF NOT EXISTS incidents_event_type ON incidents(event_type);
CREATE INDEX IF NOT EXISTS incidents_place ON incidents(place);
CREATE INDEX IF NOT EXISTS incidents_article ON incidents(article_id);
CREATE INDEX IF NOT EXISTS articles_file_name ON articles(file_name);
CREATE INDEX IF NOT EXISTS articles_source ON articles(source);
CREATE INDEX IF NOT EXISTS incidents_place_id ON incidents(place_id);
CREATE INDEX IF NOT EXISTS copies_source ON copies(source);
CREATE INDEX IF NOT EXISTS claims_place ON claims(place_id);
CREATE INDEX IF NOT EXISTS claim_reports_claim ON claim_reports(claim_id);
"""

# incident columns in insert order: the codebook's fields, then offsets and gazetteer id
INCIDENT_COLUMNS = INCIDENT_FIELDS + ("sentence_start", "sentence_end", "place_id")
ARTICLE_COLUMNS = ("file_name", "published", "outlet", "url", "title", "published_from")

# what load_incidents returns for each incident
RECORD_COLUMNS = INCIDENT_COLUMNS + ("article_id",) + ARTICLE_COLUMNS

Outcome = str   # "ingested" | "unchanged" | "replaced"


class StoreError(sqlite3.DatabaseError):
    """The file cannot be used as the store; str() says why (the caller names the file)."""


def connect(db_path: Union[str, Path], timeout: float = 30.0) -> sqlite3.Connection:
    """Open (creating folder and schema if missing) the store at `db_path`.

    Raises StoreError, having written nothing, if the file is not an incident store or is
    damaged. Autocommit mode (isolation_level=None): transactions are explicit BEGIN
    IMMEDIATE ... COMMIT, so a writer takes the write lock before reading what it will change.
    """
    if str(db_path) != ":memory:":
        Path(db_path).parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(str(db_path), timeout=timeout, isolation_level=None)
    try:
        conn.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
        _check_ours(conn, db_path)
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA journal_mode = WAL")
        # Under WAL, NORMAL syncs only at checkpoints, not at every COMMIT: a committed
        # transaction survives a crash or SIGKILL of the process (the WAL is in the OS's page
        # cache and is replayed on the next open), so every stored article stays complete and
        # none half-stored. Only a power loss / OS crash can lose the last few commits (never
        # corrupt the file or split an article). Acceptable here; it about halves commit cost.
        conn.execute("PRAGMA synchronous = NORMAL")
        if conn.execute("PRAGMA user_version").fetchone()[0] < SCHEMA_VERSION:
            _create_or_migrate(conn)
    except BaseException:
        conn.close()
        raise
    return conn


# (device, inode, size, mtime) of the store files that passed quick_check in this process:
# it reads the whole file (0.2-0.8 s for 100,000 incidents), so it runs once per version of
# the file, not on every connect (the dashboard connects for each upload)
_SOUND: set[tuple[int, int, int, int]] = set()


def _check_ours(conn: sqlite3.Connection, db_path: Union[str, Path]) -> None:
    """Raise StoreError unless the file is empty or a sound store of a version we wrote."""
    try:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        tables = {r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")}
    except sqlite3.DatabaseError as e:
        raise StoreError(f"not an SQLite database ({e})") from e
    if not tables and version == 0:
        return                                  # a new (empty) file: ours to create
    ours = BASE_TABLES <= tables <= OUR_TABLES
    if not ours or not 1 <= version <= SCHEMA_VERSION:
        what = ("made by a newer version of this tool"
                if ours and version > SCHEMA_VERSION else "not an incident store")
        raise StoreError(f"{what} (tables: {', '.join(sorted(tables)) or 'none'}; "
                         f"user_version {version}; this version reads 1 to {SCHEMA_VERSION})")
    _check_sound(conn, db_path)


def _check_sound(conn: sqlite3.Connection, db_path: Union[str, Path]) -> None:
    """Raise StoreError if SQLite's quick_check finds the file damaged."""
    key = _file_key(db_path)
    if key in _SOUND:
        return
    try:
        problems = [r[0] for r in conn.execute("PRAGMA quick_check")]
    except sqlite3.DatabaseError as e:
        raise StoreError(f"damaged ({e})") from e
    if problems != ["ok"]:
        said = "; ".join(" ".join(problems).split("\n"))
        raise StoreError(f"damaged (quick_check: {said[:200]}{'...' if len(said) > 200 else ''}; "
                         f"restore a backup or ingest into a new store)")
    if key is not None:
        _SOUND.add(key)


def _file_key(db_path: Union[str, Path]) -> Optional[tuple[int, int, int, int]]:
    try:
        st = os.stat(db_path)
    except (OSError, ValueError):        # ":memory:"
        return None
    return st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns


def _create_or_migrate(conn: sqlite3.Connection) -> None:
    """The schema in a new file; the columns later versions added in an older store."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        for stmt in SCHEMA.split(";"):
            if stmt.strip() and not stmt.strip().startswith("CREATE INDEX"):
                conn.execute(stmt)
        # a store made before a column existed gets it (its rows are re-extracted
        # when the extractor version changes)
        have = {r[1] for r in conn.execute("PRAGMA table_info(incidents)")}
        if "match" not in have:
            conn.execute("ALTER TABLE incidents ADD COLUMN match TEXT DEFAULT 'curated'")
        have = {r[1] for r in conn.execute("PRAGMA table_info(articles)")}
        if "source" not in have:
            # before sources, a file name was the identity: it stays the old rows' source
            conn.execute("ALTER TABLE articles ADD COLUMN source TEXT NOT NULL DEFAULT ''")
            conn.execute("UPDATE articles SET source = file_name")
        for table in ("articles", "copies"):
            if "published_from" not in {r[1] for r in conn.execute(f"PRAGMA table_info({table})")}:
                # dates stored before pages gave dates came from manifests
                conn.execute(f"ALTER TABLE {table} ADD COLUMN published_from TEXT NOT NULL DEFAULT ''")
                conn.execute(f"UPDATE {table} SET published_from = 'manifest' WHERE published IS NOT NULL")
        if not conn.execute("SELECT 1 FROM copies LIMIT 1").fetchone():
            # every stored article is its own first copy; every place's claims are built anew
            conn.execute("INSERT INTO copies (article_id, source, file_name, published, outlet, url, title, "
                         "published_from) SELECT id, source, file_name, published, outlet, url, title, "
                         "published_from FROM articles")
            conn.execute("INSERT OR IGNORE INTO claims_stale SELECT DISTINCT place_id FROM incidents")
        for stmt in SCHEMA.split(";"):
            if stmt.strip().startswith("CREATE INDEX"):
                conn.execute(stmt)
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


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
    source: str

    def article(self) -> Article:
        return Article(doc=self.doc, path="", text=self.text, meta=self.meta)


# the metadata columns, in ArticleMeta's order after its file name (see _meta_values)
_META_COLUMNS = "published, outlet, url, title, published_from"
_ARTICLE_SELECT = (f"SELECT id, sha256, file_name, doc, {_META_COLUMNS}, text, "
                   "ingested_at, extractor_version, source FROM articles")


def _meta(fname: str, published: Optional[str], outlet: Optional[str], url: Optional[str],
          title: Optional[str], published_from: Optional[str] = "") -> ArticleMeta:
    return ArticleMeta(file=fname, published=date.fromisoformat(published) if published else None,
                       outlet=outlet or "", url=url or "", title=title or "",
                       published_from=published_from or "")


def _stored(row: tuple) -> StoredArticle:
    id_, sha, fname, doc, published, outlet, url, title, published_from, text, at, version, source = row
    return StoredArticle(id_, sha, fname, doc, _meta(fname, published, outlet, url, title, published_from),
                         text, at, version, source)


def find_article(conn: sqlite3.Connection, sha256: str) -> Optional[StoredArticle]:
    row = conn.execute(_ARTICLE_SELECT + " WHERE sha256 = ?", (sha256,)).fetchone()
    return _stored(row) if row else None


def known_articles(conn: sqlite3.Connection) -> dict[str, tuple[str, ArticleMeta, str]]:
    """{sha256: (doc, meta, source)} of every stored article, without texts: enough to
    tell, away from the store, whether an incoming article is unchanged (see merge_meta)."""
    return {sha: (doc, _meta(fname, *meta), source)
            for sha, fname, doc, source, *meta in conn.execute(
                f"SELECT sha256, file_name, doc, source, {_META_COLUMNS} FROM articles")}


def list_articles(conn: sqlite3.Connection) -> list[StoredArticle]:
    return [_stored(r) for r in conn.execute(_ARTICLE_SELECT + " ORDER BY id")]


def _meta_values(meta: ArticleMeta) -> tuple:
    """The values of _META_COLUMNS."""
    return (meta.published.isoformat() if meta.published else None,
            meta.outlet or None, meta.url or None, meta.title or None, meta.published_from)


META_FIELDS = ("published", "outlet", "url", "title")


def meta_update(stored: StoredArticle, meta: ArticleMeta, source: str) -> Optional[ArticleMeta]:
    """The stored article's metadata updated with what `meta` (read from `source`) adds or
    corrects, or None if it changes nothing (see merge_meta)."""
    return merge_meta(stored.meta, meta, source == stored.source)


def merge_meta(old: ArticleMeta, meta: ArticleMeta, same_source: bool) -> Optional[ArticleMeta]:
    """`old` updated with `meta`, or None if nothing changes. Empty incoming fields never
    erase stored ones (an upload without a date must not wipe the date a manifest gave).
    Only the same source may correct a field; another copy of the text (a content
    duplicate) only fills empty ones, so its row cannot retitle the article (see
    meta_conflicts)."""
    def pick(field: str):
        new, kept = getattr(meta, field), getattr(old, field)
        return new if new and (same_source or not kept) else kept
    published = pick("published")
    source_of_date = meta.published_from if published is not old.published else old.published_from
    new = ArticleMeta(old.file, published, *(pick(f) for f in META_FIELDS[1:]),
                      published_from=source_of_date)
    return None if new == old else new


def meta_conflicts(old: ArticleMeta, meta: ArticleMeta) -> list[tuple[str, object, object]]:
    """(field, incoming, kept) for each field a content duplicate's `meta` would change."""
    return [(f, getattr(meta, f), getattr(old, f)) for f in META_FIELDS
            if getattr(meta, f) and getattr(old, f) and getattr(meta, f) != getattr(old, f)]


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


def _file_name(article: Article) -> str:
    """The name shown for an article, and its source when saved without one (as before)."""
    return article.meta.file or (Path(article.path).name if article.path else article.doc)


def _insert_article(conn: sqlite3.Connection, article: Article, sha256: str, version: str,
                    source: str) -> int:
    cur = conn.execute(
        f"INSERT INTO articles (sha256, file_name, doc, source, {_META_COLUMNS}, "
        "text, ingested_at, extractor_version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (sha256, _file_name(article), article.doc, source) + _meta_values(article.meta)
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


class StaleArticle(ValueError):
    """save_article was given an article the store no longer holds that way (it changed
    since the caller looked): find_article again, merge, extract, save."""


def save_article(conn: sqlite3.Connection, article: Article, result: ArticleResult,
                 sha256: str, extractor_version: Optional[str] = None,
                 source: Optional[str] = None) -> Outcome:
    """Store `article` and `result` (its extraction) in one transaction; `source` (default:
    the file name) is where it was read from.

    - same normalised text already stored (any file name or encoding): "unchanged" if
      `article.meta` adds nothing (meta_update); else the row takes `article`'s metadata and
      `result`'s incidents: "replaced". The caller extracts the stored text with the merged
      metadata (offsets index the stored text); StaleArticle if `article` is not that;
    - the same source with a different text: its old row and incidents are deleted and the
      new version inserted: "replaced";
    - otherwise "ingested".
    """
    if extractor_version is None:
        from extract.pipeline import EXTRACTOR_VERSION as extractor_version
    source = source if source is not None else _file_name(article)
    with _Transaction(conn):
        stored = find_article(conn, sha256)
        if stored is not None:
            new_meta = meta_update(stored, article.meta, source)
            if new_meta is None:
                _record_copy(conn, stored.id, source, article)
                return "unchanged"
            if article.text != stored.text or article.meta != new_meta:
                raise StaleArticle(f"{stored.file_name}: changed in the store meanwhile")
            conn.execute("UPDATE articles SET published = ?, outlet = ?, url = ?, title = ?, "
                         "published_from = ?, extractor_version = ?, ingested_at = ? WHERE id = ?",
                         _meta_values(new_meta) + (extractor_version, _now(), stored.id))
            _mark_stale(conn, stored.id)
            conn.execute("DELETE FROM incidents WHERE article_id = ?", (stored.id,))
            _insert_incidents(conn, stored.id, result)
            _record_copy(conn, stored.id, source, article)
            _mark_stale(conn, stored.id)
            return "replaced"
        old = [r[0] for r in conn.execute("SELECT DISTINCT article_id FROM copies WHERE source = ?",
                                          (source,))]
        for old_id in old:
            _drop_copy(conn, old_id, source)
        article_id = _insert_article(conn, article, sha256, extractor_version, source)
        _insert_incidents(conn, article_id, result)
        _record_copy(conn, article_id, source, article)
        return "replaced" if old else "ingested"


def record_copy(conn: sqlite3.Connection, article_id: int, source: str, article: Article) -> None:
    """`source` carried the stored article `article_id` (a wire copy, or the same file read
    again): keep its metadata beside the others', in one transaction."""
    with _Transaction(conn):
        _record_copy(conn, article_id, source, article)


def _record_copy(conn: sqlite3.Connection, article_id: int, source: str, article: Article) -> None:
    """Insert or update the copy of `article_id` read from `source`; its place's claims are
    marked for rebuilding when that changes what they count."""
    row = conn.execute(f"SELECT id, file_name, {_META_COLUMNS} FROM copies "
                       "WHERE article_id = ? AND source = ?", (article_id, source)).fetchone()
    if row is None:
        conn.execute(f"INSERT INTO copies (article_id, source, file_name, {_META_COLUMNS}) "
                     "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                     (article_id, source, _file_name(article)) + _meta_values(article.meta))
    else:
        kept = _meta(row[1], *row[2:])
        merged = merge_meta(kept, article.meta, same_source=True)
        if merged is None:
            return
        conn.execute("UPDATE copies SET published = ?, outlet = ?, url = ?, title = ?, published_from = ? "
                     "WHERE id = ?",
                     _meta_values(merged) + (row[0],))
    _mark_stale(conn, article_id)


def _drop_copy(conn: sqlite3.Connection, article_id: int, source: str) -> None:
    """`source` now carries another text: it is no copy of `article_id` any more, and the
    article goes when no source carries it."""
    _mark_stale(conn, article_id)
    conn.execute("DELETE FROM copies WHERE article_id = ? AND source = ?", (article_id, source))
    first = conn.execute("SELECT source, file_name FROM copies WHERE article_id = ? ORDER BY id LIMIT 1",
                         (article_id,)).fetchone()
    if first is None:
        conn.execute("DELETE FROM articles WHERE id = ?", (article_id,))      # cascades
    else:
        conn.execute("UPDATE articles SET source = ?, file_name = ? WHERE id = ?", first + (article_id,))


def _mark_stale(conn: sqlite3.Connection, article_id: int) -> None:
    """The places of the article's incidents need their claims rebuilt."""
    conn.execute("INSERT OR IGNORE INTO claims_stale (place_id) "
                 "SELECT DISTINCT place_id FROM incidents WHERE article_id = ?", (article_id,))


def replace_incidents(conn: sqlite3.Connection, stored: StoredArticle, result: ArticleResult,
                      extractor_version: str) -> bool:
    """Re-extraction: swap an article's incidents for `result` in one transaction.
    False (nothing written) if the article changed or vanished since it was read."""
    with _Transaction(conn):
        row = conn.execute("SELECT sha256 FROM articles WHERE id = ?", (stored.id,)).fetchone()
        if row is None or row[0] != stored.sha256:
            return False
        _mark_stale(conn, stored.id)
        conn.execute("DELETE FROM incidents WHERE article_id = ?", (stored.id,))
        _insert_incidents(conn, stored.id, result)
        _mark_stale(conn, stored.id)
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


# what load_reports returns: an incident as one copy of its article carried it
REPORT_COLUMNS = ("incident_id",) + INCIDENT_COLUMNS + ("article_id", "copy_id") + ARTICLE_COLUMNS
_IN_CHUNK = 500         # place ids per IN (...): well under SQLite's limit on parameters


def load_reports(conn: sqlite3.Connection, place_ids: Optional[Sequence[str]] = None) -> list[dict]:
    """Every incident once for each copy of its article (the outlet, url, publication date
    and file name are the copy's), or only those at `place_ids`."""
    cols = ", ".join(["i.id"] + [f"i.{c}" for c in INCIDENT_COLUMNS]
                     + ["i.article_id", "c.id"] + [f"c.{c}" for c in ARTICLE_COLUMNS])
    query = f"SELECT {cols} FROM incidents i JOIN copies c ON c.article_id = i.article_id"
    order = " ORDER BY i.article_id, i.sentence_start, i.id, c.id"
    if place_ids is None:
        rows = conn.execute(query + order).fetchall()
    else:
        ids = list(place_ids)
        rows = []
        for k in range(0, len(ids), _IN_CHUNK):
            chunk = ids[k:k + _IN_CHUNK]
            rows += conn.execute(query + f" WHERE i.place_id IN ({', '.join('?' * len(chunk))})" + order,
                                 chunk).fetchall()
    out = []
    for r in rows:
        d = dict(zip(REPORT_COLUMNS, r))
        for c in ("outlet", "url", "title", "published"):
            d[c] = d[c] or ""
        out.append(d)
    return out


def rebuild_claims(conn: sqlite3.Connection, every_place: bool = False) -> int:
    """Rebuild the claims of every place marked stale (or of every place: after a change of
    the claim rules in vocabulary.csv), in one transaction; how many places.
    Ingest runs it once at the end of a run (a popular place's claims are regrouped once,
    not once per article); a run killed before leaves the marks for the next one, and no
    claim ever points at a missing incident (claim_reports cascade)."""
    with _Transaction(conn):
        if every_place:
            conn.execute("INSERT OR IGNORE INTO claims_stale SELECT DISTINCT place_id FROM incidents")
            conn.execute("DELETE FROM claims")
        stale = [r[0] for r in conn.execute("SELECT place_id FROM claims_stale")]
        if not stale:
            return 0
        for k in range(0, len(stale), _IN_CHUNK):
            chunk = stale[k:k + _IN_CHUNK]
            conn.execute(f"DELETE FROM claims WHERE place_id IN ({', '.join('?' * len(chunk))})", chunk)
        claims = build_claims(load_reports(conn, stale))
        conn.executemany(
            "INSERT INTO claims (id, place_id, place_key, side, place, place_ar, lat, lon, precision, "
            "date, event_type, claimant, reports, outlets, outlet_names, first_published, last_published) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [_claim_values(c) for c in claims])
        conn.executemany("INSERT INTO claim_reports (claim_id, incident_id, copy_id) VALUES (?, ?, ?)",
                         [(c.id, r["incident_id"], r["copy_id"]) for c in claims for r in c.reports])
        conn.execute("DELETE FROM claims_stale")
        return len(stale)


def _claim_values(claim) -> tuple:
    row = claim.row()
    return (row["claim_id"], row["place_id"], claim.place_key, row["side"], row["place"],
            row["place_ar"], row["lat"], row["lon"], row["precision"], row["date"],
            row["event_type"], row["claimant"], row["reports"], row["outlets"],
            json.dumps(row["outlet_names"], ensure_ascii=False), row["first_published"] or None,
            row["last_published"] or None)


def load_claims(conn: sqlite3.Connection) -> list[dict]:
    """Every stored claim (extract.claims.CLAIM_FIELDS; outlet_names a list), first reported first."""
    cols = ", ".join("id" if c == "claim_id" else c for c in CLAIM_FIELDS)
    out = []
    for r in conn.execute(f"SELECT {cols} FROM claims ORDER BY first_published, place, date, id"):
        d = dict(zip(CLAIM_FIELDS, r))
        d["outlet_names"] = json.loads(d["outlet_names"])
        d["first_published"] = d["first_published"] or ""
        d["last_published"] = d["last_published"] or ""
        out.append(d)
    return out


def claim_of_incidents(conn: sqlite3.Connection) -> dict[int, str]:
    """incident id -> the claim it is a report of."""
    return dict(conn.execute("SELECT incident_id, claim_id FROM claim_reports"))


def claim_of_reports(conn: sqlite3.Connection) -> dict[tuple[int, int], str]:
    """(incident id, copy id) -> the claim that report is part of (see load_reports)."""
    return {(i, c): claim for claim, i, c in
            conn.execute("SELECT claim_id, incident_id, copy_id FROM claim_reports")}
