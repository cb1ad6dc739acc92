"""Ingestion into a real SQLite file, against the real extraction pipeline.

Idempotence, replacement, other encodings giving the same incidents, a process killed with
SIGKILL in the middle of an ingest (and inside a transaction), a concurrent reader during an
ingest, and every kind of bad input reported by name while the rest is stored.
"""
from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest

from extract import ingest, pipeline, store
from extract.model import ArticleMeta
from extract.read import read_article, read_manifest

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "seeds"
SEED_NAMES = sorted(p.name for p in SEEDS.glob("*.txt"))
PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
       b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00"
       b"\x00\x00\x00IEND\xaeB`\x82")


def _pipeline_ready() -> bool:
    try:
        pipeline.extract_article(read_article(SEEDS / SEED_NAMES[1]))
        return True
    except NotImplementedError:
        return False


pytestmark = pytest.mark.skipif(not _pipeline_ready(), reason="extract.pipeline not implemented yet")


# --------------------------------------------------------------------------- helpers

def child_env() -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(REPO)] + [p for p in [env.get("PYTHONPATH")] if p])
    return env


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "extract", "ingest", *map(str, args)],
                          cwd=REPO, env=child_env(), capture_output=True, text=True, timeout=600)


def incident_keys(conn) -> list[tuple]:
    """Stored incidents without store ids, comparable across databases."""
    return sorted(tuple((k, r[k]) for k in sorted(r) if k not in ("article_id",))
                  for r in store.load_incidents(conn))


def open_db(path) -> sqlite3.Connection:
    return store.connect(path)


def copy_seeds(dst: Path, names=SEED_NAMES, manifest: bool = True) -> Path:
    dst.mkdir(parents=True, exist_ok=True)
    for n in names:
        shutil.copy(SEEDS / n, dst / n)
    if manifest:
        lines = (SEEDS / "manifest.csv").read_text(encoding="utf-8").splitlines()
        keep = [lines[0]] + [ln for ln in lines[1:] if ln.split(",")[0] in names]
        (dst / "manifest.csv").write_text("\n".join(keep) + "\n", encoding="utf-8")
    return dst


_EXTRACTED: dict[tuple, list] = {}


def extracted_again(a: store.StoredArticle) -> list:
    """The incidents extraction gives a stored article now (memoised: the pipeline is pure,
    and the crash tests check the same 200 articles several times)."""
    key = (a.sha256, a.file_name, a.meta, a.extractor_version)
    if key not in _EXTRACTED:
        _EXTRACTED[key] = list(pipeline.extract_article(a.article()).incidents)
    return _EXTRACTED[key]


def check_integrity(db: Path) -> int:
    """Every stored article has exactly the incidents extraction gives it again; the file is
    sound. Returns the number of articles."""
    conn = open_db(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        arts = store.list_articles(conn)
        compared = 0
        for a in arts:
            # a subprocess extracts with the data files as they are when it starts; if someone
            # edits lexicons or the gazetteer meanwhile, the version says so and this test
            # process's (cached) extractor cannot reproduce that article
            if a.extractor_version != pipeline.EXTRACTOR_VERSION:
                continue
            assert store.article_incidents(conn, a.id) == extracted_again(a), a.file_name
            compared += 1
        assert compared or not arts, (
            f"the extractor's data changed while the test ran (stored {arts[0].extractor_version}, "
            f"this process {pipeline.EXTRACTOR_VERSION}): run the test again")
        return len(arts)
    finally:
        conn.close()


@pytest.fixture(scope="module")
def variants(tmp_path_factory) -> Path:
    """200 articles: the seeds with small variations (a numbered line, a changed number),
    each a different text, all with manifest rows."""
    folder = tmp_path_factory.mktemp("variants")
    metas, _ = read_manifest(SEEDS / "manifest.csv")
    rows = ["file,published,outlet,url,title"]
    for i in range(200):
        src = SEED_NAMES[i % len(SEED_NAMES)]
        text = (SEEDS / src).read_text(encoding="utf-8")
        text = text.replace("2020", str(2020 + i % 2), 1) if i % 3 == 0 else text
        text += f"\n\nتحديث رقم {i}: تابعونا للمزيد من التفاصيل.\n"
        name = f"v{i:03d}_{src}"
        (folder / name).write_text(text, encoding="utf-8")
        rows.append(f"{name},{metas[src].published.isoformat()},,,")
    (folder / "manifest.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return folder


# --------------------------------------------------------------------------- basic runs

def test_seeds_idempotent(tmp_path):
    db = tmp_path / "db" / "store.sqlite"
    first = ingest.ingest_paths([SEEDS], db)
    assert sorted(Path(p).name for p in first.ingested) == SEED_NAMES
    assert (first.unchanged, first.replaced, first.failed, first.warnings) == ([], [], [], [])
    conn = open_db(db)
    counts1, keys1 = store.counts(conn), incident_keys(conn)
    conn.close()
    assert counts1[0] == 5 and counts1[1] > 0

    second = ingest.ingest_paths([SEEDS], db)
    assert sorted(Path(p).name for p in second.unchanged) == SEED_NAMES
    assert (second.ingested, second.replaced, second.failed) == ([], [], [])
    conn = open_db(db)
    assert store.counts(conn) == counts1 and incident_keys(conn) == keys1
    # the store holds what the pipeline says, with the manifest's metadata
    recs = store.load_incidents(conn)
    conn.close()
    assert {r["published"] for r in recs} <= {"2020-10-08", "2020-11-05", "2020-10-09", "2022-08-03", "2020-09-30"}
    assert all(r["date"] for r in recs)
    assert check_integrity(db) == 5


def test_seed_001_end_to_end(tmp_path):
    db = tmp_path / "s.sqlite"
    ingest.ingest_paths([SEEDS / "001_c54f41809b093bc8.txt"], db, manifest=SEEDS / "manifest.csv")
    conn = open_db(db)
    recs = store.load_incidents(conn)
    conn.close()
    assert recs and {r["doc"] for r in recs} == {"001_c54f41809b093bc8"}
    assert {r["title"] for r in recs} == {'أذربيجان تواصل عملياتها العسكرية في "قره باغ"'}
    text = read_article(SEEDS / "001_c54f41809b093bc8.txt").text
    for r in recs:   # offsets point at the sentence in the stored text
        assert " ".join(text[r["sentence_start"]:r["sentence_end"]].split()) == " ".join(r["sentence"].split())


@pytest.mark.parametrize("enc", ["utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "cp1256"])
def test_other_encodings_same_incidents(tmp_path, enc):
    name = "001_c54f41809b093bc8.txt"
    clean = copy_seeds(tmp_path / "clean", [name])
    other = copy_seeds(tmp_path / "other", [name])
    (other / name).write_bytes((SEEDS / name).read_text(encoding="utf-8").encode(enc))
    ingest.ingest_paths([clean], tmp_path / "clean.sqlite")
    rep = ingest.ingest_paths([other], tmp_path / "other.sqlite")
    assert len(rep.ingested) == 1 and not rep.failed
    a, b = open_db(tmp_path / "clean.sqlite"), open_db(tmp_path / "other.sqlite")
    assert incident_keys(a) == incident_keys(b) and incident_keys(a)
    a.close(), b.close()


def test_html_pages_give_the_same_incidents(tmp_path):
    """Each seed as a cp1256 web page (meta charset, scripts, navigation, footer): the same
    incidents as the plain UTF-8 text, sentences included (only offsets differ)."""
    import html as _html
    import re
    pages = tmp_path / "pages"
    pages.mkdir()
    rows = (SEEDS / "manifest.csv").read_text(encoding="utf-8").replace(".txt,", ".html,")
    (pages / "manifest.csv").write_text(rows, encoding="utf-8")
    for name in SEED_NAMES:
        text = read_article(SEEDS / name).text
        body = "".join("<p>" + "<br>".join(_html.escape(ln) for ln in para.split("\n")) + "</p>\n"
                       for para in re.split(r"\n\s*\n", text) if para.strip())
        page = ('<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1256">'
                '<script>var t = "قصف ترتر";</script><style>p{}</style></head><body>'
                '<nav><a href="/">الرئيسية</a> <a>سياسة</a></nav><header>عربي</header>'
                f"<article>{body}</article><aside>اقرأ أيضا: قصف آغدام</aside>"
                "<footer>جميع الحقوق محفوظة</footer></body></html>")
        (pages / name.replace(".txt", ".html")).write_bytes(page.encode("cp1256", errors="xmlcharrefreplace"))
    ingest.ingest_paths([SEEDS], tmp_path / "txt.sqlite")
    rep = ingest.ingest_paths([pages], tmp_path / "html.sqlite")
    assert len(rep.ingested) == 5 and not rep.failed and not rep.warnings

    def keys(db):
        conn = open_db(db)
        try:
            return sorted((r["doc"], r["place"], r["event_type"], r["claimant"], r["date"], r["sentence"])
                          for r in store.load_incidents(conn))
        finally:
            conn.close()
    assert keys(tmp_path / "html.sqlite") == keys(tmp_path / "txt.sqlite")


def test_same_text_other_name_and_encoding_is_unchanged(tmp_path):
    db = tmp_path / "s.sqlite"
    ingest.ingest_paths([SEEDS], db)
    extra = tmp_path / "extra"
    extra.mkdir()
    text = (SEEDS / SEED_NAMES[2]).read_text(encoding="utf-8")
    (extra / "renamed.txt").write_bytes(text.encode("cp1256"))
    (extra / "crlf_utf16.txt").write_bytes(text.replace("\n", "\r\n").encode("utf-16"))
    rep = ingest.ingest_paths([extra], db)
    assert sorted(Path(p).name for p in rep.unchanged) == ["crlf_utf16.txt", "renamed.txt"]
    assert rep.ingested == [] and rep.replaced == []
    conn = open_db(db)
    assert store.counts(conn)[0] == 5
    conn.close()


def test_changed_text_same_name_replaces(tmp_path):
    db = tmp_path / "s.sqlite"
    folder = copy_seeds(tmp_path / "in", [SEED_NAMES[1]])
    ingest.ingest_paths([folder], db)
    conn = open_db(db)
    old_sentences = {r["sentence"] for r in store.load_incidents(conn)}
    conn.close()
    # the same file name now holds another report
    (folder / SEED_NAMES[1]).write_text((SEEDS / SEED_NAMES[4]).read_text(encoding="utf-8"), encoding="utf-8")
    rep = ingest.ingest_paths([folder], db)
    assert [Path(p).name for p in rep.replaced] == [SEED_NAMES[1]]
    conn = open_db(db)
    assert store.counts(conn)[0] == 1
    recs = store.load_incidents(conn)
    assert recs and not ({r["sentence"] for r in recs} & old_sentences)
    assert {r["doc"] for r in recs} == {Path(SEED_NAMES[1]).stem}
    conn.close()
    assert check_integrity(db) == 1


def test_same_name_in_two_folders_is_two_articles(tmp_path):
    """Sources, not file names, tell articles apart: outletA/index.txt and outletB/index.txt
    are two articles, in one run or two, by folder or by file, and an upload of that name is
    a third; only the same source with a new text replaces."""
    a = copy_seeds(tmp_path / "outletA", [SEED_NAMES[1]], manifest=False)
    b = copy_seeds(tmp_path / "outletB", [SEED_NAMES[1]], manifest=False)
    (b / SEED_NAMES[1]).write_text((SEEDS / SEED_NAMES[3]).read_text(encoding="utf-8"), encoding="utf-8")
    db = tmp_path / "s.sqlite"
    rep = ingest.ingest_paths([a, b], db)
    assert len(rep.ingested) == 2 and rep.replaced == [] and rep.failed == []
    one_by_one = tmp_path / "one_by_one.sqlite"
    assert len(ingest.ingest_paths([a / SEED_NAMES[1]], one_by_one).ingested) == 1
    assert len(ingest.ingest_paths([b / SEED_NAMES[1]], one_by_one).ingested) == 1
    upload = ingest.ingest_bytes(one_by_one, SEED_NAMES[1], (SEEDS / SEED_NAMES[4]).read_bytes())
    assert upload.ingested == [SEED_NAMES[1]]
    for path, articles in ((db, 2), (one_by_one, 3)):
        conn = open_db(path)
        try:
            sources = sorted(r[0] for r in conn.execute("SELECT source FROM articles"))
            assert sources == sorted([f"outletA/{SEED_NAMES[1]}", f"outletB/{SEED_NAMES[1]}"]
                                     + [f"upload:{SEED_NAMES[1]}"] * (articles - 2))
            assert store.counts(conn) == (articles, 17 + 7 + 8 * (articles - 2))
        finally:
            conn.close()
    # outletB's file changes: it replaces its own old version, outletA's stays
    (b / SEED_NAMES[1]).write_text((SEEDS / SEED_NAMES[2]).read_text(encoding="utf-8"), encoding="utf-8")
    rep = ingest.ingest_paths([b], db)
    assert rep.replaced == [str(b / SEED_NAMES[1])] and rep.ingested == []
    conn = open_db(db)
    try:
        texts = dict(conn.execute("SELECT source, text FROM articles"))
    finally:
        conn.close()
    assert texts == {f"outletA/{SEED_NAMES[1]}": read_article(SEEDS / SEED_NAMES[1]).text,
                     f"outletB/{SEED_NAMES[1]}": read_article(SEEDS / SEED_NAMES[2]).text}
    assert check_integrity(db) == 2


def test_same_source_twice_in_one_run_is_warned(tmp_path):
    a = copy_seeds(tmp_path / "x" / "oct", [SEED_NAMES[1]])
    b = copy_seeds(tmp_path / "y" / "oct", [SEED_NAMES[1]])
    (b / SEED_NAMES[1]).write_text((SEEDS / SEED_NAMES[3]).read_text(encoding="utf-8"), encoding="utf-8")
    rep = ingest.ingest_paths([a, b], tmp_path / "s.sqlite")
    assert len(rep.ingested) == 1 and len(rep.replaced) == 1
    assert rep.warnings == [f"{b / SEED_NAMES[1]}: same source oct/{SEED_NAMES[1]} as {a / SEED_NAMES[1]} "
                            "(if the texts differ, this one replaces it)"]


def test_manifest_arriving_later_fills_dates(tmp_path):
    db = tmp_path / "s.sqlite"
    bare = copy_seeds(tmp_path / "bare", [SEED_NAMES[1]], manifest=False)
    rep = ingest.ingest_paths([bare], db)
    assert rep.warnings == [f"{bare / SEED_NAMES[1]}: no manifest row (dates unknown)"]
    conn = open_db(db)
    assert {r["published"] for r in store.load_incidents(conn)} == {None}
    conn.close()
    rep = ingest.ingest_paths([bare], db, manifest=SEEDS / "manifest.csv")
    assert len(rep.replaced) == 1 and rep.warnings == []
    conn = open_db(db)
    recs = store.load_incidents(conn)
    assert {r["published"] for r in recs} == {"2020-11-05"} and all(r["date"] for r in recs)
    conn.close()
    assert check_integrity(db) == 1


def test_reextract_only_outdated(tmp_path, monkeypatch):
    db = tmp_path / "s.sqlite"
    ingest.ingest_paths([SEEDS], db)
    assert ingest.ingest_paths([], db, reextract=True).reextracted == []
    monkeypatch.setattr(pipeline, "EXTRACTOR_VERSION", pipeline.EXTRACTOR_VERSION + "-next")
    rep = ingest.ingest_paths([], db, reextract=True)
    assert sorted(rep.reextracted) == SEED_NAMES
    conn = open_db(db)
    assert {r[0] for r in conn.execute("SELECT extractor_version FROM articles")} == {pipeline.EXTRACTOR_VERSION}
    conn.close()
    assert ingest.ingest_paths([], db, reextract=True).reextracted == []
    assert check_integrity(db) == 5
    # the CLI form
    monkeypatch.setattr(pipeline, "EXTRACTOR_VERSION", pipeline.EXTRACTOR_VERSION + "-again")
    assert ingest.main(["--db", str(db), "--reextract"]) == 0


def test_upload_bytes_same_path_as_files(tmp_path):
    db = tmp_path / "s.sqlite"
    text = (SEEDS / SEED_NAMES[1]).read_text(encoding="utf-8")
    meta = ArticleMeta(file="ignored.txt", published=date(2020, 11, 5), outlet="عربي21")
    rep = ingest.ingest_bytes(db, "upload.txt", text.encode("cp1256"), meta)
    assert rep.ingested == ["upload.txt"] and not rep.failed and not rep.warnings
    conn = open_db(db)
    row = conn.execute("SELECT file_name, doc, published, outlet FROM articles").fetchone()
    assert row == ("upload.txt", "upload", "2020-11-05", "عربي21")
    # again, and the same text as a file: nothing new
    assert ingest.ingest_bytes(conn, "upload.txt", text.encode("utf-8"), meta).unchanged == ["upload.txt"]
    conn.close()
    # the seed file with its manifest row: same text, but the manifest adds a title
    rep = ingest.ingest_paths([SEEDS / SEED_NAMES[1]], db, manifest=SEEDS / "manifest.csv")
    assert len(rep.replaced) == 1
    conn = open_db(db)
    assert conn.execute("SELECT file_name, outlet, title FROM articles").fetchall() == [
        ("upload.txt", "عربي21", 'أذربيجان تواصل عملياتها العسكرية في "قره باغ"')]
    conn.close()
    assert ingest.ingest_paths([SEEDS / SEED_NAMES[1]], db, manifest=SEEDS / "manifest.csv").unchanged
    bad = ingest.ingest_bytes(db, "photo.txt", PNG, meta)
    assert bad.failed == [("photo.txt", "not text (binary data: PNG image)")]
    nodate = ingest.ingest_bytes(db, "x.txt", (SEEDS / SEED_NAMES[0]).read_bytes(), None)
    assert nodate.ingested == ["x.txt"] and nodate.warnings == ["x.txt: no manifest row (dates unknown)"]


# --------------------------------------------------------------------------- bad input

def test_bad_files_reported_rest_ingested(tmp_path, capsys):
    folder = copy_seeds(tmp_path / "in", [SEED_NAMES[0], SEED_NAMES[1], SEED_NAMES[3]], manifest=False)
    (folder / "manifest.csv").write_text(
        "file,published,outlet,url,title\n"
        f"{SEED_NAMES[0]},2020-10-08,,,\n"
        f"{SEED_NAMES[1]},2020-13-45,,,\n",          # bad date; SEED_NAMES[3] has no row
        encoding="utf-8")
    (folder / "photo.txt").write_bytes(PNG)
    (folder / "empty.txt").write_bytes(b"")
    (folder / "big.txt").write_text((SEEDS / SEED_NAMES[2]).read_text(encoding="utf-8") * 2)
    db = tmp_path / "s.sqlite"
    code = ingest.main([str(folder), "--db", str(db), "--max-bytes", "12000"])
    out, err = capsys.readouterr()
    assert code == 1
    big_size = (folder / "big.txt").stat().st_size
    for line in (f"{folder / 'photo.txt'}: not text (binary data: PNG image)",
                 f"{folder / 'empty.txt'}: empty file",
                 f"{folder / 'big.txt'}: too large ({big_size:,} bytes; limit 12,000)",
                 f"warning: {folder / 'manifest.csv'}:3: {SEED_NAMES[1]}: bad published date '2020-13-45'",
                 f"warning: {folder / SEED_NAMES[3]}: no manifest row (dates unknown)",
                 f"warning: {folder / SEED_NAMES[1]}: no publication date (dates unknown)"):
        assert line in err, line
    assert "ingest: 3 ingested, 0 unchanged, 0 replaced, 3 failed, 3 warnings" in out
    assert f"  {folder / 'photo.txt'}: not text (binary data: PNG image)" in out
    conn = open_db(db)
    rows = dict(conn.execute("SELECT file_name, published FROM articles"))
    conn.close()
    assert rows == {SEED_NAMES[0]: "2020-10-08", SEED_NAMES[1]: None, SEED_NAMES[3]: None}
    assert check_integrity(db) == 3


def test_cli_exit_status_and_missing_manifest(tmp_path):
    ok = run_cli(SEEDS, "--db", tmp_path / "s.sqlite")
    assert ok.returncode == 0, ok.stderr
    assert "ingest: 5 ingested, 0 unchanged, 0 replaced, 0 failed, 0 warnings" in ok.stdout
    bad_dir = tmp_path / "bad"
    bad_dir.mkdir()
    (bad_dir / "photo.txt").write_bytes(PNG)
    failed = run_cli(SEEDS, bad_dir, "--db", tmp_path / "s.sqlite")
    assert failed.returncode == 1
    assert f"{bad_dir / 'photo.txt'}: not text (binary data: PNG image)" in failed.stderr
    assert "0 ingested, 5 unchanged, 0 replaced, 1 failed" in failed.stdout
    missing = run_cli(SEEDS, "--db", tmp_path / "s.sqlite", "--manifest", tmp_path / "nope.csv")
    assert missing.returncode == 1 and "nope.csv: manifest not found" in missing.stderr
    usage = run_cli("--db", tmp_path / "s.sqlite")
    assert usage.returncode == 2 and "PATH" in usage.stderr


# --------------------------------------------------------------------------- crash safety

def _wait(cond, proc, timeout=120.0) -> None:
    end = time.monotonic() + timeout
    while not cond():
        if proc.poll() is not None:
            pytest.fail(f"ingest ended before it could be killed (exit {proc.returncode})")
        if time.monotonic() > end:
            proc.kill()
            pytest.fail("timed out waiting for the ingest")
        time.sleep(0.002)


def _count(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        c = sqlite3.connect(db, timeout=5)
        try:
            return c.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
        finally:
            c.close()
    except sqlite3.OperationalError:      # schema not created yet
        return 0


def _finish_and_check(variants: Path, db: Path, done_before: int) -> None:
    assert check_integrity(db) == done_before
    rerun = run_cli(variants, "--db", db)
    assert rerun.returncode == 0, rerun.stderr
    assert f"ingest: {200 - done_before} ingested, {done_before} unchanged, 0 replaced, 0 failed" in rerun.stdout
    assert check_integrity(db) == 200


def test_sigkill_mid_ingest_leaves_complete_articles(tmp_path, variants):
    db = tmp_path / "s.sqlite"
    proc = subprocess.Popen([sys.executable, "-m", "extract", "ingest", str(variants), "--db", str(db)],
                            cwd=REPO, env=child_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _wait(lambda: _count(db) >= 20, proc)
    proc.send_signal(signal.SIGKILL)
    assert proc.wait(timeout=30) == -signal.SIGKILL
    done = _count(db)
    assert 20 <= done < 200
    _finish_and_check(variants, db, done)


# Runs the real CLI, but stalls forever inside the write transaction of the Nth article
# (after its row and incidents are inserted, before COMMIT), so the kill lands there.
STALL = """
import os, sys, time
from extract import ingest, store
real = store._insert_incidents
seen = [0]
def stalling(conn, article_id, result):
    real(conn, article_id, result)
    seen[0] += 1
    if seen[0] == int(os.environ["STALL_AT"]):
        with open(os.environ["STALL_MARKER"], "w") as f:
            f.write(f"{article_id} {len(result.incidents)}")
        time.sleep(600)
store._insert_incidents = stalling
sys.exit(ingest.main(sys.argv[1:]))
"""


def test_sigkill_inside_transaction_leaves_no_half_article(tmp_path, variants):
    db = tmp_path / "s.sqlite"
    marker = tmp_path / "stalled"
    env = child_env() | {"STALL_AT": "7", "STALL_MARKER": str(marker)}
    proc = subprocess.Popen([sys.executable, "-c", STALL, str(variants), "--db", str(db)],
                            cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _wait(marker.exists, proc)
    time.sleep(0.05)                          # let the marker's writer finish
    article_id, n_incidents = map(int, marker.read_text().split())
    assert n_incidents > 0                    # there were incident rows to half-write
    proc.send_signal(signal.SIGKILL)
    assert proc.wait(timeout=30) == -signal.SIGKILL
    conn = open_db(db)
    assert conn.execute("SELECT COUNT(*) FROM articles WHERE id = ?", (article_id,)).fetchone()[0] == 0
    assert conn.execute("SELECT COUNT(*) FROM incidents WHERE article_id = ?", (article_id,)).fetchone()[0] == 0
    conn.close()
    assert _count(db) == 6
    _finish_and_check(variants, db, 6)


def test_concurrent_reader_during_ingest(tmp_path, variants):
    db = tmp_path / "s.sqlite"
    store.connect(db).close()                 # the dashboard may open the store first
    proc = subprocess.Popen([sys.executable, "-m", "extract", "ingest", str(variants), "--db", str(db)],
                            cwd=REPO, env=child_env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            text=True)
    snapshots: list[dict[str, int]] = []
    reader = store.connect(db)
    while proc.poll() is None:
        reader.execute("BEGIN")               # one snapshot for both queries
        arts = dict(reader.execute("SELECT id, file_name FROM articles"))
        per_article: dict[str, int] = {name: 0 for name in arts.values()}
        for r in store.load_incidents(reader):
            per_article[r["file_name"]] += 1
            assert r["article_id"] in arts
        reader.execute("COMMIT")
        snapshots.append(per_article)
        time.sleep(0.005)
    _, err = proc.communicate()
    assert proc.returncode == 0, err
    final: dict[str, int] = {}
    for r in store.load_incidents(reader):
        final[r["file_name"]] = final.get(r["file_name"], 0) + 1
    total = reader.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
    reader.close()
    assert total == 200
    sizes = [len(s) for s in snapshots]
    assert sizes == sorted(sizes)                              # never goes backwards
    assert any(0 < n < 200 for n in sizes), sizes              # we did read mid-ingest
    for snap in snapshots:                                     # never a partial article
        for name, n in snap.items():
            assert n == final.get(name, 0), name


# --------------------------------------------------------------------------- worker processes

def _stored_articles(db: Path) -> list[tuple]:
    """Article rows without ids and timestamps."""
    conn = open_db(db)
    try:
        return sorted(conn.execute("SELECT sha256, file_name, doc, published, outlet, url, title, text, "
                                   "extractor_version FROM articles"))
    finally:
        conn.close()


def _outcomes(rep: ingest.IngestReport) -> tuple:
    return (rep.ingested, rep.unchanged, rep.replaced, rep.failed, rep.warnings)


def test_workers_store_the_same_as_one_process(tmp_path, variants):
    """A pool of 2 workers stores the same articles and incidents and reports the same
    outcomes, in the same order, as one process: new, bad, duplicate-text and
    same-source files, a re-run (all unchanged) and a manifest that later adds titles."""
    folder = tmp_path / "in"
    shutil.copytree(variants, folder)
    (folder / "photo.txt").write_bytes(PNG)
    (folder / "empty.txt").write_bytes(b"")
    # the same text as another file (unchanged once that one is stored), in another encoding
    (folder / "zz_copy.txt").write_bytes((variants / f"v005_{SEED_NAMES[0]}").read_text(
        encoding="utf-8").encode("utf-16"))
    # a folder of the same name elsewhere: the same sources, so its v001 replaces the first
    other = copy_seeds(tmp_path / "elsewhere" / "in", [SEED_NAMES[1]], manifest=False)
    (other / f"v001_{SEED_NAMES[1]}").write_text((SEEDS / SEED_NAMES[2]).read_text(encoding="utf-8"),
                                                  encoding="utf-8")
    one, two = tmp_path / "one.sqlite", tmp_path / "two.sqlite"
    rep1 = ingest.ingest_paths([folder, other], one, workers=1)
    rep2 = ingest.ingest_paths([folder, other], two, workers=2)
    assert _outcomes(rep2) == _outcomes(rep1)
    assert len(rep1.failed) == 2 and len(rep1.unchanged) == 1 and len(rep1.replaced) == 1
    a, b = open_db(one), open_db(two)
    assert incident_keys(a) and incident_keys(b) == incident_keys(a)
    a.close(), b.close()
    assert _stored_articles(two) == _stored_articles(one)

    # again (v001 from `other` is replaced back by the folder's own)
    again1 = ingest.ingest_paths([folder], one, workers=1)
    again2 = ingest.ingest_paths([folder], two, workers=2)
    assert _outcomes(again2) == _outcomes(again1)
    assert len(again2.unchanged) == 200 and len(again2.replaced) == 1 and not again2.ingested

    # a manifest arriving later adds titles: replaced, re-extracted, the same either way
    rows = (folder / "manifest.csv").read_text(encoding="utf-8").splitlines()
    (folder / "manifest.csv").write_text("\n".join([rows[0]] + [r.rstrip(",") + ",,,عنوان" for r in rows[1:]])
                                         + "\n", encoding="utf-8")
    rep1 = ingest.ingest_paths([folder], one, workers=1)
    rep2 = ingest.ingest_paths([folder], two, workers=2)
    assert _outcomes(rep2) == _outcomes(rep1) and len(rep1.replaced) == 200
    a, b = open_db(one), open_db(two)
    assert incident_keys(b) == incident_keys(a)
    a.close(), b.close()
    assert _stored_articles(two) == _stored_articles(one)
    assert check_integrity(two) == 201          # 200 variants + the seed from `other`


def test_workers_option(tmp_path):
    ok = run_cli(SEEDS, "--db", tmp_path / "s.sqlite", "--workers", "2")
    assert ok.returncode == 0, ok.stderr
    assert "ingest: 5 ingested, 0 unchanged, 0 replaced, 0 failed, 0 warnings" in ok.stdout
    bad = run_cli(SEEDS, "--db", tmp_path / "s.sqlite", "--workers", "0")
    assert bad.returncode == 2 and "--workers" in bad.stderr
    assert ingest.default_workers(5) == 1 and ingest.default_workers(1000) == (os.cpu_count() or 1)
