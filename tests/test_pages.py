"""Saved web pages (extract/pages.py, trafilatura): the article's text and the page's own
date, title, outlet and URL; the boilerplate around it yields no incident. The fixtures are
Arabic news pages built around the seed articles (tests/fixtures/pages/make_pages.py)."""
from __future__ import annotations

import csv
import io
import sys
from datetime import date
from pathlib import Path

import pytest

from extract.cli import main as extract_main
from extract.model import ArticleMeta
from extract.pipeline import extract_article
from extract.read import article_from_bytes, read_article

PAGES = Path(__file__).resolve().parent / "fixtures" / "pages"
sys.path.insert(0, str(PAGES))
import make_pages  # noqa: E402

SEEDS = Path(__file__).resolve().parent.parent / "seeds"

# file: (published, outlet, url) as the page's markup states them
STATED = {
    "aa_tartar.html": (date(2020, 10, 8), "وكالة الأناضول", "https://www.aa.com.tr/ar/2020/10/08/azerbaijan-karabakh"),
    "jazeera_tonashen.html": (date(2020, 11, 5), "الجزيرة نت", "https://www.aljazeera.net/news/2020/11/5/azerbaijan"),
    "sputnik_hadrut.html": (date(2020, 10, 9), "arabic.sputniknews.com",
                            "https://arabic.sputniknews.com/world/202010091046612345/"),
    "old_site_lachin.html": (date(2022, 8, 3), "شبكة الأخبار العربية", "http://news-arab.example/article/2022/8/3/lachin"),
    "nodate_tonashen.html": (None, "منتدى القوقاز", ""),
}
BOILERPLATE = ("الرئيسية", "عاجل", "جوجوق مرجانلي", "بلدة بردة ويوقع", "أبو محمد", "موثق",
               "جميع الحقوق", "سياسة الخصوصية", "فيسبوك", "dataLayer")


def _rows(article):
    return sorted((i.place, i.event_type, i.claimant, i.date) for i in extract_article(article).incidents)


@pytest.mark.parametrize("name, seed, charset, title, head, top", make_pages.PAGES,
                         ids=[p[0] for p in make_pages.PAGES])
def test_a_saved_page_gives_its_article_and_metadata(name, seed, charset, title, head, top):
    art = read_article(PAGES / name)
    published, outlet, url = STATED[name]
    assert (art.meta.published, art.meta.outlet, art.meta.url, art.meta.title) == (published, outlet, url, title)
    assert art.meta.published_from == ("page" if published else "")
    assert art.text.startswith(title)
    assert not [b for b in BOILERPLATE if b in art.text]
    # the same incidents as the article (headline and text) read as a plain text file
    text = article_from_bytes(seed, (title + "\n\n" + (SEEDS / seed).read_text(encoding="utf-8")).encode(),
                              ArticleMeta(seed, published))
    assert _rows(art) == _rows(text) and _rows(art)


def test_the_publication_date_is_the_original_not_the_modification():
    # jazeera: JSON-LD datePublished 5 November, dateModified 12 November
    assert read_article(PAGES / "jazeera_tonashen.html").meta.published == date(2020, 11, 5)


def test_a_manifest_row_wins_over_the_page_and_fills_nothing_it_gives():
    meta = ArticleMeta("aa_tartar.html", date(2020, 10, 7), outlet="Anadolu Agency")
    art = read_article(PAGES / "aa_tartar.html", meta)
    assert (art.meta.published, art.meta.published_from, art.meta.outlet) == (date(2020, 10, 7), "manifest",
                                                                             "Anadolu Agency")
    assert art.meta.url == STATED["aa_tartar.html"][2]          # what the manifest lacks, the page gives


def test_a_page_without_a_date_keeps_its_dates_unknown():
    art = read_article(PAGES / "nodate_tonashen.html")
    assert art.meta.published is None
    assert {i.date for i in extract_article(art).incidents} == {""}


def test_a_folder_of_saved_pages_without_a_manifest_gives_dated_incidents(tmp_path, capsys):
    folder = tmp_path / "saved"
    folder.mkdir()
    for name in ("aa_tartar.html", "old_site_lachin.html"):
        (folder / name).write_bytes((PAGES / name).read_bytes())
    out = tmp_path / "out.csv"
    assert extract_main([str(folder), "--format", "csv", "-o", str(out)]) == 0
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert {r["date"][:7] for r in rows} == {"2020-10", "2022-08"} and all(r["date"] for r in rows)


def test_extract_manifest_writes_what_the_pages_state(tmp_path):
    from extract.__main__ import main
    out = tmp_path / "manifest.csv"
    assert main(["manifest", str(PAGES), "-o", str(out)]) == 0
    rows = {r["file"]: r for r in csv.DictReader(io.StringIO(out.read_text(encoding="utf-8")))}
    assert set(rows) == set(STATED)
    aa = rows["aa_tartar.html"]
    assert (aa["published"], aa["outlet"], aa["published_from"]) == ("2020-10-08", "وكالة الأناضول", "page")
    assert rows["nodate_tonashen.html"]["published"] == "" and rows["nodate_tonashen.html"]["published_from"] == ""


def test_the_dashboard_says_where_a_reports_date_came_from(tmp_path, monkeypatch):
    from streamlit.testing.v1 import AppTest
    from dashboard import data as D
    from extract.ingest import ingest_paths
    folder = tmp_path / "saved"
    folder.mkdir()
    (folder / "aa_tartar.html").write_bytes((PAGES / "aa_tartar.html").read_bytes())
    (folder / "manifest.csv").write_text("file,published,outlet,url,title\n"
                                         "old_site_lachin.html,2022-08-02,,,\n", encoding="utf-8")
    (folder / "old_site_lachin.html").write_bytes((PAGES / "old_site_lachin.html").read_bytes())
    db = tmp_path / "s.sqlite"
    assert ingest_paths([folder], db).ok
    notes = {r["file_name"]: D.published_note(r) for r in D.read_records(db)[0]}
    assert notes == {"aa_tartar.html": "published 2020-10-08 (date from the page's markup)",
                     "old_site_lachin.html": "published 2022-08-02 (date from the manifest)"}
    monkeypatch.setenv("INCIDENT_DB", str(db))
    monkeypatch.setenv("INCIDENT_TILES", "none")
    at = AppTest.from_file(str(Path(__file__).resolve().parent.parent / "dashboard" / "app.py"),
                           default_timeout=60).run()
    at.radio(key="f_rows").set_value("Reports").run()
    table = " ".join(h.proto.body for h in at.get("html") if "inc-read" in h.proto.body)
    assert "published 2020-10-08 (date from the page&#x27;s markup)" in table
    assert "published 2022-08-02 (date from the manifest)" in table


def test_extract_manifest_never_writes_over_an_article(tmp_path, capsys):
    from extract.__main__ import main
    page = tmp_path / "aa_tartar.html"
    page.write_bytes((PAGES / "aa_tartar.html").read_bytes())
    before = page.read_bytes()
    assert main(["manifest", str(tmp_path), "-o", str(page)]) == 2
    assert "is one of the inputs" in capsys.readouterr().err and page.read_bytes() == before
    # the manifest beside the pages is read whole first, so writing it anew is the workflow
    assert main(["manifest", str(tmp_path), "-o", str(tmp_path / "manifest.csv")]) == 0
    assert main(["manifest", str(tmp_path), "-o", str(tmp_path / "manifest.csv")]) == 0
    assert "2020-10-08" in (tmp_path / "manifest.csv").read_text(encoding="utf-8")
