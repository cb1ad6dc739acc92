"""What connect() refuses to open (another program's database, a damaged store) and what
save_article does not do (extract): issue 15 and the store's half of issue 10."""
from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

import pytest

from extract import ingest, pipeline, store
from extract.model import Article, ArticleMeta, ArticleResult, Incident

TEXT = ("وأعلنت وزارة الدفاع الأذربيجانية، تدمير ثكنة عسكرية تابعة للقوات الأرمينية المحتلة "
        "في محور مدينة ترتر.\nوقالت إن القصف طال شوشة.")
SEED_004 = Path(__file__).resolve().parent.parent / "seeds" / "004_05d92e38bd41a188.txt"


def article(name: str, published=None, title: str = "", text: str = TEXT) -> Article:
    return Article(Path(name).stem, "", text, ArticleMeta(name, published, title=title))


def result(doc: str, day: str) -> ArticleResult:
    start, end = 0, TEXT.index("\n")
    return ArticleResult(doc, (Incident(doc, "Tartar", "ترتر", "", 40.34, 46.93, "settlement",
                                        "shelling", "az_mod", day, "published" if day else "unknown",
                                        TEXT[start:end], start, end, "tartar"),))


def sqlite_file(path: Path, *statements: str) -> bytes:
    c = sqlite3.connect(path)
    for st in statements:
        c.execute(st)
    c.commit()
    c.close()
    return path.read_bytes()


def refused(path: Path) -> str:
    with pytest.raises(store.StoreError) as e:
        store.connect(path)
    return str(e.value)


# --------------------------------------------------------------------------- not ours

@pytest.mark.parametrize("statements,tables,version", [
    (("CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url TEXT)", "PRAGMA user_version = 53"),
     "moz_places", 53),
    (("CREATE TABLE notes (body TEXT)",), "notes", 0),
    # our table names, but a user_version this tool never wrote
    (("CREATE TABLE articles (id INTEGER)", "CREATE TABLE incidents (id INTEGER)",
      "PRAGMA user_version = 0"), "articles, incidents", 0),
    (("CREATE TABLE articles (id INTEGER)", "CREATE TABLE incidents (id INTEGER)",
      "CREATE TABLE extra (x)", "PRAGMA user_version = 2"), "articles, extra, incidents", 2),
])
def test_another_programs_database_is_refused_untouched(tmp_path, statements, tables, version):
    db = tmp_path / "other.sqlite"
    before = sqlite_file(db, *statements)
    assert refused(db) == (f"not an incident store (tables: {tables}; user_version {version}; "
                           f"this version reads 1 to {store.SCHEMA_VERSION})")
    assert db.read_bytes() == before and not Path(f"{db}-wal").exists()
    c = sqlite3.connect(db)
    assert c.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    c.close()


def test_a_newer_stores_version_is_refused(tmp_path):
    db = tmp_path / "s.sqlite"
    store.connect(db).close()
    sqlite_file(db, f"PRAGMA user_version = {store.SCHEMA_VERSION + 1}")
    assert refused(db).startswith("made by a newer version of this tool (tables: articles, "
                                   "claim_reports, claims, claims_stale, copies, incidents;")


def test_a_file_that_is_not_sqlite_is_refused(tmp_path):
    db = tmp_path / "notes.sqlite"
    db.write_text("file,published\n" * 200)
    assert refused(db) == "not an SQLite database (file is not a database)"


def test_damaged_store_is_refused_and_not_written(tmp_path, capsys):
    db = tmp_path / "s.sqlite"
    conn = store.connect(db)
    for i in range(300):
        text = f"نص رقم {i} " * 50
        store.save_article(conn, article(f"d{i}.txt", text=text), ArticleResult(f"d{i}", ()),
                           store.content_hash(text), "v1")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    page = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'articles_file_name'").fetchone()[0]
    size = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    with open(db, "r+b") as f:              # an index page's header overwritten
        f.seek(size * (page - 1))
        f.write(b"\x0d\x00\x00\x00\x05\xff\xff" + b"\xee" * 200)
    before = db.read_bytes()
    assert refused(db).startswith(f"damaged (quick_check: *** in database main ***; Page {page}: ")
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / SEED_004.name).write_bytes(SEED_004.read_bytes())
    assert ingest.main([str(folder), "--db", str(db)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"{db}: cannot use the store (damaged (quick_check: ") and err.count("\n") == 1
    assert db.read_bytes() == before


# --------------------------------------------------------------------------- migration

def test_a_version_2_store_gets_sources_and_stays_readable(tmp_path):
    db = tmp_path / "old.sqlite"
    v2 = store.SCHEMA.replace("    source TEXT NOT NULL DEFAULT '',  -- where it was read from: "
                              "its identity for replacement\n", "")
    v2 = v2.replace("    published_from TEXT NOT NULL DEFAULT '',  -- manifest | page (the page's own "
                    "markup) | ''\n", "")
    v2 = ";".join(v2.split(";")[:2]) + ";"          # its tables: articles and incidents
    assert "source" not in v2 and "copies" not in v2 and "published_from" not in v2
    c = sqlite3.connect(db)
    c.executescript(v2)
    c.execute("INSERT INTO articles (sha256, file_name, doc, published, text, ingested_at, "
              "extractor_version) VALUES (?, 'a.txt', 'a', '2020-10-08', ?, 'then', 'v1')",
              (store.content_hash(TEXT), TEXT))
    c.execute("PRAGMA user_version = 2")
    c.commit()
    c.close()
    conn = store.connect(db)
    try:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == store.SCHEMA_VERSION
        assert conn.execute("SELECT file_name, source FROM articles").fetchall() == [("a.txt", "a.txt")]
        [stored] = store.list_articles(conn)
        assert stored.meta == ArticleMeta("a.txt", date(2020, 10, 8))
        # the old row's identity is its file name, as before: a new text replaces it
        new = "قصفت القوات الأرمينية مدينة آغدام صباح اليوم."
        # a date stored before pages gave dates came from a manifest
        assert conn.execute("SELECT published_from FROM articles").fetchall() == [("manifest",)]
        # every old article is its own first copy
        assert conn.execute("SELECT source, file_name, published FROM copies").fetchall() == [
            ("a.txt", "a.txt", "2020-10-08")]
        assert store.save_article(conn, article("a.txt", text=new), ArticleResult("a", ()),
                                  store.content_hash(new), "v1", source="a.txt") == "replaced"
    finally:
        conn.close()


# --------------------------------------------------------------------------- the store stores

def test_save_article_writes_the_result_it_is_given(tmp_path, monkeypatch):
    """Extraction is ingest's job: the store never runs the pipeline, inside its write
    transaction or anywhere, and stores exactly the incidents it is handed."""
    def no_extraction(*_):
        raise AssertionError("the store extracted")
    monkeypatch.setattr(pipeline, "extract_article", no_extraction)
    conn = store.connect(tmp_path / "s.sqlite")
    try:
        sha = store.content_hash(TEXT)
        assert store.save_article(conn, article("a.txt"), result("a", ""), sha, "v1") == "ingested"
        # a content duplicate adds a date: the caller extracted the stored text with it
        dated = article("a.txt", date(2020, 10, 8))
        assert store.save_article(conn, dated, result("a", "2020-10-08"), sha, "v1",
                                  source="b.txt") == "replaced"
        assert [r["date"] for r in store.load_incidents(conn)] == ["2020-10-08"]
        # handed an article that is not what the store holds (another spelling of the text,
        # metadata the merge would not give), it refuses rather than store wrong offsets
        with pytest.raises(store.StaleArticle):
            store.save_article(conn, article("a.txt", date(2020, 10, 8), title="عنوان",
                                            text=TEXT.replace("ترتر", "تـرتـر")),
                               result("a", "2020-10-08"), sha, "v1", source="a.txt")
        with pytest.raises(store.StaleArticle):
            store.save_article(conn, article("a.txt", title="عنوان"), result("a", ""), sha, "v1",
                               source="a.txt")
        assert not conn.in_transaction
        assert [r["date"] for r in store.load_incidents(conn)] == ["2020-10-08"]
    finally:
        conn.close()
