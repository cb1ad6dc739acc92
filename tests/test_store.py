"""The SQLite store on its own: schema, identity, outcomes, transactions (no pipeline)."""
from __future__ import annotations

import sqlite3
from datetime import date

import pytest

from extract import store
from extract.model import Article, ArticleMeta, ArticleResult, Incident

TEXT = ("وأعلنت وزارة الدفاع الأذربيجانية، تدمير ثكنة عسكرية تابعة للقوات الأرمينية المحتلة "
        "في محور مدينة ترتر.\nوقالت إن القصف طال شوشة.")
DASHBOARD_COLUMNS = {
    "doc", "place", "place_ar", "geonames_id", "lat", "lon", "precision", "event_type",
    "claimant", "date", "date_basis", "sentence", "sentence_start", "sentence_end",
    "place_id", "match", "article_id", "file_name", "published", "outlet", "url", "title",
    "published_from",
}


def make(doc: str, text: str = TEXT, published: date | None = date(2020, 11, 5),
         **meta) -> tuple[Article, ArticleResult]:
    """An article and a result whose incidents are the place names found in its text."""
    art = Article(doc=doc, path=f"/in/{doc}.txt", text=text,
                  meta=ArticleMeta(file=f"{doc}.txt", published=published, **meta))
    incs = []
    for place, ar, lat, lon in (("Tartar", "ترتر", 40.34, 46.93), ("Shusha", "شوشة", 39.76, 46.75),
                                ("Aghdam", "آغدام", 39.99, 46.93)):
        i = text.find(ar)
        if i >= 0:
            start = text.rfind("\n", 0, i) + 1
            end = text.find("\n", i) if "\n" in text[i:] else len(text)
            incs.append(Incident(doc, place, ar, "", lat, lon, "settlement", "shelling", "az_mod",
                                 published.isoformat() if published else "",
                                 "published" if published else "unknown",
                                 text[start:end], start, end, place.lower()))
    return art, ArticleResult(doc, tuple(incs))


@pytest.fixture
def conn(tmp_path):
    c = store.connect(tmp_path / "nested" / "dir" / "store.sqlite")
    yield c
    c.close()


def save(conn, art, res):
    return store.save_article(conn, art, res, store.content_hash(art.text), "v1")


def test_connect_creates_folder_schema_wal(tmp_path, conn):
    assert (tmp_path / "nested" / "dir" / "store.sqlite").is_file()
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert conn.execute("PRAGMA busy_timeout").fetchone()[0] > 0
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"articles", "incidents"} <= tables
    idx = {r[0]: r[1] for r in conn.execute("SELECT name, tbl_name FROM sqlite_master WHERE type='index' "
                                             "AND name NOT LIKE 'sqlite_autoindex%'")}
    cols = {name: [r[2] for r in conn.execute(f"PRAGMA index_info({name})")] for name in idx}
    assert sorted(cols.values()) == sorted([["date"], ["claimant"], ["event_type"], ["place"],
                                            ["article_id"], ["file_name"], ["source"], ["place_id"],
                                            ["source"], ["place_id"], ["claim_id"]])
    assert tables >= {"copies", "claims", "claim_reports", "claims_stale"}
    art_cols = [r[1] for r in conn.execute("PRAGMA table_info(articles)")]
    assert art_cols == ["id", "sha256", "file_name", "doc", "source", "published", "published_from",
                        "outlet", "url", "title", "text", "ingested_at", "extractor_version"]
    inc_cols = [r[1] for r in conn.execute("PRAGMA table_info(incidents)")]
    assert inc_cols == ["id", "article_id", "doc", "place", "place_ar", "geonames_id", "lat", "lon",
                        "precision", "event_type", "claimant", "date", "date_basis", "sentence",
                        "sentence_start", "sentence_end", "place_id", "match"]
    # opening again is harmless
    store.connect(tmp_path / "nested" / "dir" / "store.sqlite").close()


def test_content_hash_ignores_spelling_noise_not_content():
    h = store.content_hash(TEXT)
    assert store.content_hash(TEXT.replace("\n", "\r\n  \n")) == h
    assert store.content_hash(TEXT.replace("ترتر", "تـرتـر")) == h          # tatweel
    assert store.content_hash(TEXT.replace("ترتر", "تَرْتَر")) == h          # diacritics
    assert store.content_hash(TEXT.replace("شوشة", "شوشه")) == h            # ta marbuta
    assert store.content_hash(TEXT.replace("ترتر", "آغدام")) != h
    assert len(h) == 64


def test_ingested_then_unchanged(conn):
    art, res = make("001")
    assert save(conn, art, res) == "ingested"
    assert save(conn, art, res) == "unchanged"
    # the same text under another name (and spelled with tatweel) is the same article
    other, res2 = make("copy", TEXT.replace("ترتر", "تـرتـر"))
    assert save(conn, other, res2) == "unchanged"
    assert store.counts(conn) == (1, 2)


def test_load_incidents_record(conn):
    art, res = make("001", outlet="عربي21", url="https://x/1", title="عنوان")
    save(conn, art, res)
    recs = store.load_incidents(conn)
    assert len(recs) == 2
    assert set(recs[0]) == DASHBOARD_COLUMNS
    r = recs[0]
    inc = res.incidents[0]
    assert {k: r[k] for k in inc.record()} == inc.record()
    assert (r["sentence_start"], r["sentence_end"], r["place_id"]) == (inc.sentence_start, inc.sentence_end, "tartar")
    assert TEXT[r["sentence_start"]:r["sentence_end"]] == r["sentence"]
    assert (r["file_name"], r["published"], r["outlet"], r["url"], r["title"], r["published_from"]) == (
        "001.txt", "2020-11-05", "عربي21", "https://x/1", "عنوان", "manifest")
    row = conn.execute("SELECT doc, text, extractor_version, published FROM articles").fetchone()
    assert row == ("001", TEXT, "v1", "2020-11-05")


def test_unknown_published_is_null(conn):
    art, res = make("nodate", published=None)
    save(conn, art, res)
    assert conn.execute("SELECT published, outlet FROM articles").fetchone() == (None, None)
    r = store.load_incidents(conn)[0]
    assert (r["published"], r["outlet"], r["date"]) == (None, "", "")


def test_same_name_new_text_replaces_in_place(conn):
    art, res = make("a")
    save(conn, art, res)
    old_id = conn.execute("SELECT id FROM articles").fetchone()[0]
    new_text = "قصفت القوات الأرمينية مدينة آغدام صباح اليوم."
    art2, res2 = make("a", new_text)
    assert save(conn, art2, res2) == "replaced"
    rows = conn.execute("SELECT id, text FROM articles").fetchall()
    assert len(rows) == 1 and rows[0][1] == new_text and rows[0][0] != old_id
    assert [r["place"] for r in store.load_incidents(conn)] == ["Aghdam"]
    assert conn.execute("SELECT COUNT(*) FROM incidents WHERE article_id = ?", (old_id,)).fetchone()[0] == 0


def test_manifest_date_arriving_later_replaces(conn):
    art, res = make("a", published=None)
    save(conn, art, res)
    art2, res2 = make("a", published=date(2020, 10, 8))
    assert save(conn, art2, res2) == "replaced"
    assert {r["date"] for r in store.load_incidents(conn)} == {"2020-10-08"}
    # an upload without a date does not erase it
    art3, res3 = make("a", published=None)
    assert save(conn, art3, res3) == "unchanged"
    assert conn.execute("SELECT published FROM articles").fetchone()[0] == "2020-10-08"


def test_failed_write_leaves_nothing(conn):
    art, res = make("bad")
    broken = ArticleResult("bad", res.incidents + (
        Incident("bad", "X", "x", "", object(), 0.0, "", "", "", "", "", ""),))   # unbindable lat
    with pytest.raises(sqlite3.Error):
        save(conn, art, broken)
    assert store.counts(conn) == (0, 0)
    assert not conn.in_transaction
    assert save(conn, art, res) == "ingested"                 # and the store is usable


def test_failed_replacement_keeps_old_version(conn):
    art, res = make("a")
    save(conn, art, res)
    art2, res2 = make("a", "قصفت القوات الأرمينية مدينة آغدام.")
    broken = ArticleResult("a", res2.incidents + (
        Incident("a", "X", "x", "", object(), 0.0, "", "", "", "", "", ""),))
    with pytest.raises(sqlite3.Error):
        save(conn, art2, broken)
    assert conn.execute("SELECT text FROM articles").fetchone()[0] == TEXT
    assert [r["place"] for r in store.load_incidents(conn)] == ["Tartar", "Shusha"]


def test_delete_cascades(conn):
    art, res = make("a")
    save(conn, art, res)
    conn.execute("DELETE FROM articles")
    assert store.counts(conn) == (0, 0)


def test_outdated_and_replace_incidents(conn):
    art, res = make("a")
    save(conn, art, res)
    assert store.outdated_articles(conn, "v1") == []
    [stale] = store.outdated_articles(conn, "v2")
    assert stale.article() == Article("a", "", TEXT, art.meta)
    fewer = ArticleResult("a", res.incidents[:1])
    assert store.replace_incidents(conn, stale, fewer, "v2") is True
    assert store.counts(conn) == (1, 1)
    assert store.outdated_articles(conn, "v2") == []
    assert store.article_incidents(conn, stale.id) == list(fewer.incidents)
    # a row replaced meanwhile is left alone
    art2, res2 = make("a", "قصفت القوات الأرمينية مدينة آغدام.")
    save(conn, art2, res2)
    assert store.replace_incidents(conn, stale, fewer, "v3") is False


def test_a_store_made_before_the_match_column_gets_it(tmp_path):
    import sqlite3
    db = tmp_path / "old.sqlite"
    old = sqlite3.connect(db)
    schema = store.SCHEMA.replace(",\n    match TEXT", "")
    old.executescript(schema.split("CREATE INDEX")[0])
    old.execute("PRAGMA user_version = 1")
    old.commit()
    old.close()
    conn = store.connect(db)
    cols = [r[1] for r in conn.execute("PRAGMA table_info(incidents)")]
    assert cols[-1] == "match"
    conn.close()
