"""Read stage: encodings, HTML reduction, bad files, manifests, path discovery."""
from __future__ import annotations

import codecs
from datetime import date
from pathlib import Path

import pytest

from extract.model import ArticleMeta
from extract.read import (
    ArticleError, article_from_bytes, decode_bytes, find_manifests,
    iter_article_paths, read_article, read_manifest,
)

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
SEED_001 = SEEDS / "001_c54f41809b093bc8.txt"

# A real sentence of seed 001, and one with diacritics/tatweel-free Arabic plus digits.
SENTENCE = "وأعلنت وزارة الدفاع الأذربيجانية، تدمير ثكنة عسكرية تابعة للقوات الأرمينية المحتلة في محور مدينة ترتر."
TEXT = (
    "أذربيجان تواصل عملياتها العسكرية في \"قره باغ\"\n\n"
    + SENTENCE + "\n"
    "وقالت الوزارة في بيان يوم 4 تشرين الثاني/ نوفمبر 2020 إن القصف استهدف شوشة.\n"
)

ENCODINGS = {
    "utf-8": TEXT.encode("utf-8"),
    "utf-8-bom": codecs.BOM_UTF8 + TEXT.encode("utf-8"),
    "utf-16-bom": TEXT.encode("utf-16"),
    "utf-16-le-bom": codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"),
    "utf-16-be-bom": codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"),
    "utf-16-le": TEXT.encode("utf-16-le"),
    "utf-16-be": TEXT.encode("utf-16-be"),
    "cp1256": TEXT.encode("cp1256"),
    "cp1256-crlf": TEXT.replace("\n", "\r\n").encode("cp1256"),
    "utf-8-cr": TEXT.replace("\n", "\r").encode("utf-8"),
}


@pytest.mark.parametrize("enc", sorted(ENCODINGS))
def test_every_encoding_gives_the_same_text(enc):
    assert decode_bytes(ENCODINGS[enc], f"a.{enc}.txt") == TEXT


@pytest.mark.parametrize("enc", sorted(ENCODINGS))
def test_every_encoding_gives_the_same_article(tmp_path, enc):
    f = tmp_path / "003_article.txt"
    f.write_bytes(ENCODINGS[enc])
    art = read_article(f)
    assert art.text == TEXT
    assert art.doc == "003_article"
    assert art.path == str(f)
    assert art.meta.file == "003_article.txt"
    assert art.published is None


@pytest.mark.parametrize("enc", ["utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "cp1256"])
def test_whole_seed_in_other_encodings(tmp_path, enc):
    clean = read_article(SEED_001).text
    f = tmp_path / SEED_001.name
    f.write_bytes(SEED_001.read_text(encoding="utf-8").encode(enc))
    assert read_article(f).text == clean
    assert SENTENCE in clean


def test_short_arabic_word_in_utf16_without_bom():
    # no ASCII at all: no NUL bytes, only the 0x06 high bytes of the Arabic block
    assert decode_bytes("قصف".encode("utf-16-le"), "w.txt") == "قصف"
    assert decode_bytes("قصف".encode("utf-16-be"), "w.txt") == "قصف"


def test_nfc_composes_hamza_but_keeps_diacritics():
    decomposed = "ا\u0654ذربيجان"            # alef + combining hamza above
    assert decode_bytes(decomposed.encode(), "n.txt") == "أذربيجان"
    voweled = "قَصْفٌ عَلَى ترتر"            # diacritics are kept: matching drops them later
    assert decode_bytes(voweled.encode(), "n.txt") == voweled


def test_latin1_bytes_are_not_mistaken_for_arabic():
    with pytest.raises(ArticleError) as e:
        decode_bytes("Le café est fermé à Bakou.".encode("latin-1"), "fr.txt")
    assert "unknown encoding" in e.value.reason


# --------------------------------------------------------------------------- HTML

PAGE = """<!DOCTYPE html>
<html lang="ar"><head><meta charset="utf-8"><title>عنوان الموقع</title>
<style>body { direction: rtl }</style>
<script>var tracker = "قصف"; window.dataLayer = [];</script></head>
<body>
<header><a href="/">الرئيسية</a></header>
<nav><ul><li><a href="/politics">سياسة</a></li><li>رياضة</li></ul></nav>
<article>
  <h1>أذربيجان تواصل عملياتها العسكرية</h1>
  <p>واصل الجيش الأذربيجاني عملياته العسكرية في إقليم قره&nbsp;باغ &amp; محيطه.</p>
  <aside>اقرأ أيضا: خبر آخر</aside>
  <p>""" + SENTENCE + """<br>سطر ثان</p>
  <form><input name="q"><button>بحث</button></form>
  <iframe src="x">إطار</iframe><svg><text>رسم</text></svg>
  <noscript>فعل جافاسكربت</noscript>
</article>
<footer>جميع الحقوق محفوظة</footer>
<script>console.log("end")</script>
</body></html>"""


def test_html_reduced_to_the_article_without_the_pages_chrome():
    art = article_from_bytes("page.html", PAGE.encode("utf-8"))
    assert art.text.startswith("أذربيجان تواصل عملياتها العسكرية")       # the headline first
    assert SENTENCE in art.text
    assert "tracker" not in art.text and "الرئيسية" not in art.text and "جميع الحقوق" not in art.text


def test_html_file_in_cp1256_with_meta_charset(tmp_path):
    page = PAGE.replace('<meta charset="utf-8">', '<meta http-equiv="Content-Type" '
                                                  'content="text/html; charset=windows-1256">')
    f = tmp_path / "page.htm"
    f.write_bytes(page.replace("&nbsp;", " ").encode("cp1256"))
    art = read_article(f)
    assert art.doc == "page"
    assert SENTENCE in art.text
    assert "tracker" not in art.text and "سياسة" not in art.text


def test_html_declared_latin_but_really_cp1256(tmp_path):
    page = '<html><head><meta charset="iso-8859-1"></head><body><p>' + SENTENCE + "</p></body></html>"
    f = tmp_path / "wrong.html"
    f.write_bytes(page.encode("cp1256"))
    assert read_article(f).text == SENTENCE


def test_saved_page_with_txt_extension_is_reduced():
    art = article_from_bytes("saved.txt", PAGE.encode("utf-8"))
    assert "tracker" not in art.text and SENTENCE in art.text


def test_html_with_no_text_is_an_error():
    with pytest.raises(ArticleError) as e:
        article_from_bytes("blank.html", b"<html><body><script>x()</script></body></html>")
    assert e.value.path == "blank.html"
    assert "no article text" in e.value.reason


# --------------------------------------------------------------------------- bad files

PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
       b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00"
       b"\x00\x00\x00IEND\xaeB`\x82")


def test_png_renamed_txt(tmp_path):
    f = tmp_path / "photo.txt"
    f.write_bytes(PNG)
    with pytest.raises(ArticleError) as e:
        read_article(f)
    assert e.value.path == str(f)
    assert e.value.reason == "not text (binary data: PNG image)"
    assert str(e.value) == f"{f}: not text (binary data: PNG image)"


@pytest.mark.parametrize("data,kind", [
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF document"),
    (b"PK\x03\x04\x14\x00\x06\x00", "ZIP archive"),
    (b"\xff\xd8\xff\xe0\x00\x10JFIF", "JPEG image"),
])
def test_other_binary_formats(data, kind):
    with pytest.raises(ArticleError) as e:
        decode_bytes(data + bytes(range(256)), "x.txt")
    assert kind in e.value.reason and e.value.reason.startswith("not text (binary data")


def test_unknown_binary_is_rejected():
    import random
    rng = random.Random(7)
    data = bytes(rng.randrange(256) for _ in range(4000))
    with pytest.raises(ArticleError) as e:
        decode_bytes(data, "noise.txt")
    assert e.value.reason.startswith("not text (binary data")


@pytest.mark.parametrize("content", [b"", b"   \n\r\n\t ", codecs.BOM_UTF8, codecs.BOM_UTF16_LE])
def test_empty_file(tmp_path, content):
    f = tmp_path / "empty.txt"
    f.write_bytes(content)
    with pytest.raises(ArticleError) as e:
        read_article(f)
    assert e.value.path == str(f)
    assert e.value.reason == "empty file"


def test_oversized_file(tmp_path):
    f = tmp_path / "big.txt"
    f.write_bytes(TEXT.encode() * 50)
    size = f.stat().st_size
    with pytest.raises(ArticleError) as e:
        read_article(f, max_bytes=1000)
    assert e.value.path == str(f)
    assert e.value.reason == f"too large ({size:,} bytes; limit 1,000)"
    assert read_article(f, max_bytes=size).text.startswith("أذربيجان")


def test_oversized_upload():
    with pytest.raises(ArticleError) as e:
        article_from_bytes("up.txt", b"x" * 11, max_bytes=10)
    assert str(e.value) == "up.txt: too large (11 bytes; limit 10)"


def test_missing_file(tmp_path):
    with pytest.raises(ArticleError) as e:
        read_article(tmp_path / "nope.txt")
    assert "cannot read" in e.value.reason and "nope.txt" in str(e.value)


def test_upload_keeps_meta_and_has_no_path():
    meta = ArticleMeta(file="up.txt", published=date(2020, 11, 5), outlet="عربي21")
    art = article_from_bytes("up.txt", TEXT.encode("cp1256"), meta)
    assert (art.doc, art.path, art.text, art.published) == ("up", "", TEXT, date(2020, 11, 5))


# --------------------------------------------------------------------------- manifests

def test_seed_manifest():
    metas, problems = read_manifest(SEEDS / "manifest.csv")
    assert problems == []
    assert len(metas) == 5
    m = metas["001_c54f41809b093bc8.txt"]
    assert m.published == date(2020, 11, 5)
    assert m.title == 'أذربيجان تواصل عملياتها العسكرية في "قره باغ"'
    assert metas["003_cf2544d119aa8574.txt"].outlet == "Al Jazeera"


def test_manifest_bad_date_reported_with_line(tmp_path):
    f = tmp_path / "manifest.csv"
    f.write_text(
        "file,published,outlet,url,title,notes\n"
        "a.txt,2020-10-08,الجزيرة,https://x/a,عنوان,extra\n"
        "b.txt,08/10/2020,,,,\n"
        "c.txt,2020-02-30,,,,\n"
        "d.txt,,,,,\n"
        "e.txt,2020-10-09T10:00:00,,,,\n",
        encoding="utf-8-sig")
    metas, problems = read_manifest(f)
    assert metas["a.txt"] == ArticleMeta("a.txt", date(2020, 10, 8), "الجزيرة", "https://x/a", "عنوان")
    assert metas["b.txt"].published is None and metas["c.txt"].published is None
    assert metas["d.txt"].published is None
    assert metas["e.txt"].published == date(2020, 10, 9)
    assert problems == [
        f"{f}:3: b.txt: bad published date '08/10/2020' (expected YYYY-MM-DD; dates unknown)",
        f"{f}:4: c.txt: bad published date '2020-02-30' (expected YYYY-MM-DD; dates unknown)",
        f"{f}:5: d.txt: no published date (dates unknown)",
    ]


def test_manifest_minimal_columns_and_bad_header(tmp_path):
    ok = tmp_path / "ok.csv"
    ok.write_text("published,file\n2020-09-30,x.txt\n")
    metas, problems = read_manifest(ok)
    assert metas == {"x.txt": ArticleMeta("x.txt", date(2020, 9, 30))} and problems == []
    bad = tmp_path / "bad.csv"
    bad.write_text("name,date\nx.txt,2020-09-30\n")
    metas, problems = read_manifest(bad)
    assert metas == {} and len(problems) == 1 and problems[0].startswith(f"{bad}:1:")


def test_manifest_in_cp1256(tmp_path):
    f = tmp_path / "manifest.csv"
    f.write_bytes("file,published,outlet,url,title\na.txt,2020-10-08,,,قصف ترتر\n".encode("cp1256"))
    metas, problems = read_manifest(f)
    assert metas["a.txt"].title == "قصف ترتر" and problems == []


# --------------------------------------------------------------------------- discovery

def test_iter_article_paths_and_find_manifests(tmp_path):
    (tmp_path / "sub").mkdir()
    for name in ("b.txt", "a.html", "c.htm", "notes.md", "manifest.csv", "sub/d.TXT", "sub/manifest.csv"):
        (tmp_path / name).write_text("x")
    (tmp_path / "manifest.csv").write_text("file,published\nb.txt,2020-10-01\n")
    (tmp_path / "sub" / "manifest.csv").write_text("file,published\nd.TXT,2020-10-02\n")
    single = tmp_path / "elsewhere.pdf"
    single.write_text("x")
    got = iter_article_paths([tmp_path, single, tmp_path / "b.txt"])
    assert got == [tmp_path / "a.html", tmp_path / "b.txt", tmp_path / "c.htm",
                   tmp_path / "sub" / "d.TXT", single]

    metas, problems = find_manifests([tmp_path], None)
    assert problems == []
    assert metas["b.txt"].published == date(2020, 10, 1)
    assert metas["d.TXT"].published == date(2020, 10, 2)

    explicit = tmp_path / "other.csv"
    explicit.write_text("file,published\nb.txt,2021-01-01\n")
    metas, _ = find_manifests([single], explicit)
    assert metas == {"b.txt": ArticleMeta("b.txt", date(2021, 1, 1))}
    metas, _ = find_manifests([tmp_path], explicit)     # explicit wins
    assert metas["b.txt"].published == date(2021, 1, 1)
    _, problems = find_manifests([], tmp_path / "missing.csv")
    assert problems == [f"{tmp_path / 'missing.csv'}: manifest not found"]


def test_seed_folder_reads_cleanly():
    paths = iter_article_paths([SEEDS])
    metas, problems = find_manifests([SEEDS], None)
    assert len(paths) == 5 and problems == []
    for p in paths:
        art = read_article(p, metas[p.name])
        assert art.published is not None and len(art.text) > 1000 and "\r" not in art.text
