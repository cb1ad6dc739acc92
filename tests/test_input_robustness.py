"""Careless and hostile input (issue 15): stray bytes, clashing names, outputs that are
inputs, broken manifests, unreadable folders and links. Each is reported by name and the
rest of the run goes on."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from extract import cli, ingest, store
from extract.read import decode_bytes, read_article

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "seeds"
SEED_001 = SEEDS / "001_c54f41809b093bc8.txt"      # 17 incidents, dated by its manifest row
SEED_004 = SEEDS / "004_05d92e38bd41a188.txt"      # 8 incidents
CLEAN_001 = read_article(SEED_001).text


def incidents_of(jsonl: Path) -> list[dict]:
    return [json.loads(line) for line in jsonl.read_text(encoding="utf-8").splitlines()]


def run_extract(capsys, *args) -> tuple[int, str]:
    code = cli.main([str(a) for a in args])
    return code, capsys.readouterr().err


# --------------------------------------------------------------------------- stray bytes

def utf8_with_stray_byte() -> tuple[bytes, int]:
    """Seed 001 as UTF-8 with one 0xA0 inserted at the start of its third line."""
    data = SEED_001.read_bytes()
    at = data.index(b"\n", data.index(b"\n") + 1) + 1
    return data[:at] + b"\xa0" + data[at:], at


def test_stray_byte_is_replaced_not_read_as_cp1256():
    data, at = utf8_with_stray_byte()
    notes: list[str] = []
    text = decode_bytes(data, "a.txt", notes)
    nth = len(data[:at].decode("utf-8"))          # characters before the stray byte
    assert text == CLEAN_001[:nth] + "\ufffd" + CLEAN_001[nth:]
    assert notes == [f"a.txt: 1 byte not valid UTF-8 at offset {at} (replaced by U+FFFD)"]


def test_download_cut_inside_a_character():
    data = SEED_001.read_bytes().rstrip() + "\n".encode() + "قصف".encode()[:1]     # lone 0xD8
    notes: list[str] = []
    text = decode_bytes(data, "cut.txt", notes)
    assert text.endswith("\n\ufffd") and text[:-2] == CLEAN_001.rstrip()
    assert notes == [f"cut.txt: 1 byte not valid UTF-8 at offset {len(data) - 1} (replaced by U+FFFD)"]


def test_mostly_invalid_utf8_is_still_cp1256():
    text = SEED_001.read_text(encoding="utf-8")
    notes: list[str] = []
    assert decode_bytes(text.encode("cp1256"), "old.txt", notes) == CLEAN_001
    assert notes == []


def test_stray_byte_article_extracts_like_the_clean_one(tmp_path, capsys):
    data, at = utf8_with_stray_byte()
    bad = tmp_path / "in" / SEED_001.name
    bad.parent.mkdir()
    bad.write_bytes(data)
    code, err = run_extract(capsys, bad, "--manifest", SEEDS / "manifest.csv", "-o", tmp_path / "o.jsonl")
    assert code == 0
    assert f"warning: {bad}: 1 byte not valid UTF-8 at offset {at} (replaced by U+FFFD)" in err
    assert len(incidents_of(tmp_path / "o.jsonl")) == 17


def test_stray_byte_article_is_ingested_as_utf8_with_a_warning(tmp_path):
    data, at = utf8_with_stray_byte()
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / SEED_001.name).write_bytes(data)
    db = tmp_path / "s.sqlite"
    rep = ingest.ingest_paths([folder], db, manifest=SEEDS / "manifest.csv", workers=1)
    note = f"{folder / SEED_001.name}: 1 byte not valid UTF-8 at offset {at} (replaced by U+FFFD)"
    assert note in rep.warnings and rep.failed == []
    conn = store.connect(db)
    try:
        [(text,)] = conn.execute("SELECT text FROM articles").fetchall()
        assert text.replace("\ufffd", "", 1) == CLEAN_001
        assert store.counts(conn) == (1, 17)
    finally:
        conn.close()
    upload = ingest.ingest_bytes(db, "up.txt", data)
    assert f"up.txt: 1 byte not valid UTF-8 at offset {at} (replaced by U+FFFD)" in upload.warnings


# --------------------------------------------------------------------------- -o and --db

def seed_folder(tmp_path: Path, *seeds: Path, manifest: bool = False) -> Path:
    folder = tmp_path / "in"
    folder.mkdir(exist_ok=True)
    for s in seeds:
        (folder / s.name).write_bytes(s.read_bytes())
    if manifest:
        (folder / "manifest.csv").write_bytes((SEEDS / "manifest.csv").read_bytes())
    return folder


@pytest.mark.parametrize("target", [SEED_001.name, "manifest.csv"])
def test_output_that_is_an_input_is_refused(tmp_path, capsys, target):
    folder = seed_folder(tmp_path, SEED_001, SEED_004, manifest=True)
    out = folder / target
    before = out.read_bytes()
    code, err = run_extract(capsys, folder, "-o", out)
    assert code == 2
    assert err == (f"error: {out}: is one of the inputs (writing it would destroy it "
                   f"before it is read)\n")
    assert out.read_bytes() == before


def test_output_that_is_a_manifest_without_rows_is_refused(tmp_path, capsys):
    folder = seed_folder(tmp_path, SEED_004)
    m = folder / "manifest.csv"
    m.write_text("file,published\n")
    code, err = run_extract(capsys, folder, "-o", m)
    assert code == 2 and err.startswith(f"error: {m}: is one of the inputs")
    assert m.read_text() == "file,published\n"


def test_output_folder_or_missing_folder_is_one_line(tmp_path, capsys):
    folder = seed_folder(tmp_path, SEED_004)
    code, err = run_extract(capsys, folder, "-o", tmp_path)
    assert (code, err) == (2, f"error: {tmp_path}: is a folder (give a file name)\n")
    missing = tmp_path / "nope" / "out.jsonl"
    code, err = run_extract(capsys, folder, "-o", missing)
    assert (code, err) == (2, f"error: {missing}: cannot write (no folder {missing.parent})\n")
    assert not missing.parent.exists()


def foreign_sqlite(path: Path) -> bytes:
    import sqlite3
    c = sqlite3.connect(path)
    c.execute("CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url TEXT)")
    c.execute("INSERT INTO moz_places (url) VALUES ('https://example.org')")
    c.execute("PRAGMA user_version = 53")
    c.commit()
    c.close()
    return path.read_bytes()


def test_db_of_another_program_is_refused_in_one_line(tmp_path, capsys):
    folder = seed_folder(tmp_path, SEED_004)
    db = tmp_path / "places.sqlite"
    before = foreign_sqlite(db)
    code = ingest.main([str(folder), "--db", str(db)])
    out, err = capsys.readouterr()
    assert code == 1 and out == ""
    assert err == (f"{db}: cannot use the store (not an incident store (tables: moz_places; "
                   f"user_version 53; this version reads 1 to {store.SCHEMA_VERSION}))\n")
    assert db.read_bytes() == before and not Path(f"{db}-wal").exists()


def test_db_that_is_a_folder_is_one_line(tmp_path, capsys):
    folder = seed_folder(tmp_path, SEED_004)
    code = ingest.main([str(folder), "--db", str(tmp_path)])
    out, err = capsys.readouterr()
    assert code == 1 and out == ""
    assert err == f"{tmp_path}: cannot use the store (unable to open database file)\n"


# --------------------------------------------------------------------------- manifests

def write_manifest(folder: Path, *rows: str) -> Path:
    m = folder / "manifest.csv"
    m.write_text("file,published,outlet,url,title\n" + "".join(r + "\n" for r in rows), encoding="utf-8")
    return m


def test_manifest_row_for_a_missing_file_is_reported(tmp_path, capsys):
    folder = seed_folder(tmp_path, SEED_004)
    m = write_manifest(folder, f"{SEED_004.name},2020-10-08,,,", "ghost.txt,2020-10-09,,,")
    code, err = run_extract(capsys, folder, "-o", tmp_path / "o.jsonl")
    line = f"warning: {m}:3: ghost.txt: no such file (not among the inputs nor beside the manifest)"
    assert code == 0 and line in err
    rep = ingest.ingest_paths([folder], tmp_path / "s.sqlite")
    assert rep.warnings == [line[len("warning: "):]] and len(rep.ingested) == 1


def test_unterminated_quote_does_not_swallow_the_next_row(tmp_path, capsys):
    folder = seed_folder(tmp_path, SEED_001, SEED_004)
    m = write_manifest(folder, f'{SEED_001.name},2020-11-05,,,"أذربيجان تواصل عملياتها',
                       f"{SEED_004.name},2020-10-08,,,قصف")
    code, err = run_extract(capsys, folder, "-o", tmp_path / "o.jsonl")
    assert code == 0
    assert (f"warning: {m}:2: quote not closed on its line: read to the end of the line, "
            f"the rows after it are kept") in err
    undated = {r["doc"] for r in incidents_of(tmp_path / "o.jsonl") if not r["date"]}
    assert undated == set()             # both rows kept: every incident has a date
    db = tmp_path / "s.sqlite"
    ingest.ingest_paths([folder], db)
    conn = store.connect(db)
    try:
        rows = dict(conn.execute("SELECT file_name, title FROM articles"))
    finally:
        conn.close()
    assert rows == {SEED_001.name: '"أذربيجان تواصل عملياتها', SEED_004.name: "قصف"}


def test_manifest_field_over_the_csv_limit_is_one_line(tmp_path, capsys):
    folder = seed_folder(tmp_path, SEED_001, SEED_004)
    m = write_manifest(folder, f"{SEED_001.name},2020-11-05,,," + "ع" * 140_000,
                       f"{SEED_004.name},2020-10-08,,,قصف")
    code, err = run_extract(capsys, folder, "-o", tmp_path / "o.jsonl")
    assert code == 0
    assert f"warning: {m}:2: field larger than field limit (131072) (row skipped)" in err
    undated = {r["doc"] for r in incidents_of(tmp_path / "o.jsonl") if not r["date"]}
    assert undated == {SEED_001.stem}   # its row is skipped; the next one is kept
    code = ingest.main([str(folder), "--db", str(tmp_path / "s.sqlite")])
    out, err = capsys.readouterr()
    assert code == 0 and "ingest: 2 ingested" in out
    assert f"warning: {m}:2: field larger than field limit (131072) (row skipped)" in err


def test_content_duplicate_row_does_not_retitle_the_stored_article(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_bytes(SEED_004.read_bytes())
    (folder / "b.txt").write_bytes(SEED_004.read_bytes())
    m = write_manifest(folder, "a.txt,2020-10-08,الجزيرة,,عنوان أ", "b.txt,2020-10-09,,,عنوان ب")
    db = tmp_path / "s.sqlite"
    rep = ingest.ingest_paths([folder], db)
    assert rep.ingested == [str(folder / "a.txt")] and rep.unchanged == [str(folder / "b.txt")]
    assert rep.warnings == [
        f"{m}:3: {folder / 'b.txt'}: same text as the stored in/a.txt: its published '2020-10-09' "
        f"is not applied (the stored article keeps '2020-10-08')",
        f"{m}:3: {folder / 'b.txt'}: same text as the stored in/a.txt: its title 'عنوان ب' "
        f"is not applied (the stored article keeps 'عنوان أ')"]
    conn = store.connect(db)
    try:
        assert conn.execute("SELECT file_name, published, outlet, title FROM articles").fetchall() == [
            ("a.txt", "2020-10-08", "الجزيرة", "عنوان أ")]
        assert {r["date"] for r in store.load_incidents(conn)} <= {"2020-10-08", "2020-10-07"}
    finally:
        conn.close()


# --------------------------------------------------------------------------- folders

def deny(monkeypatch, folder: Path) -> None:
    """Make `folder` unreadable to this process, as chmod 000 does for a non-root user
    (the tests run as root, which chmod does not stop): listing it or reaching a file
    inside it raises PermissionError."""
    import os
    real_stat, real_scandir = os.stat, os.scandir
    inside = str(folder)

    def denied(path) -> bool:
        p = os.fspath(path)
        p = p.decode() if isinstance(p, bytes) else p
        return p == inside or p.startswith(inside + os.sep)

    def stat(path, *args, **kwargs):
        if denied(path) and os.fspath(path) != inside:
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real_stat(path, *args, **kwargs)

    def scandir(path="."):
        if denied(path):
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "stat", stat)
    monkeypatch.setattr(os, "scandir", scandir)


def test_file_named_inside_an_unreadable_folder_is_one_line(tmp_path, capsys, monkeypatch):
    folder = seed_folder(tmp_path, SEED_004)
    locked = tmp_path / "locked"
    locked.mkdir()
    (locked / "a.txt").write_bytes(SEED_001.read_bytes())
    deny(monkeypatch, locked)
    code, err = run_extract(capsys, locked / "a.txt", folder, "-o", tmp_path / "o.jsonl")
    assert code == 1
    assert f"error: {locked / 'a.txt'}: cannot read (Permission denied)" in err
    assert len(incidents_of(tmp_path / "o.jsonl")) == 8
    rep = ingest.ingest_paths([locked / "a.txt", folder], tmp_path / "s.sqlite", workers=1)
    assert rep.failed == [(str(locked / "a.txt"), "cannot read (Permission denied)")]
    assert len(rep.ingested) == 1


def test_broken_links_and_unreadable_subfolders_are_reported(tmp_path, capsys, monkeypatch):
    import os
    folder = seed_folder(tmp_path, SEED_004)
    os.symlink(tmp_path / "gone.txt", folder / "dangling.txt")
    os.symlink(folder / "loop.txt", folder / "loop.txt")
    (folder / "private").mkdir()
    (folder / "private" / "a.txt").write_bytes(SEED_001.read_bytes())
    os.symlink(folder / SEED_004.name, folder / "link.txt")      # a good link: read (once)
    deny(monkeypatch, folder / "private")
    expected = [f"{folder / 'dangling.txt'}: cannot read (dangling symlink to {tmp_path / 'gone.txt'})",
                f"{folder / 'loop.txt'}: cannot read (symlink loop)",
                f"{folder / 'private'}: cannot read folder (Permission denied)"]
    code, err = run_extract(capsys, folder, "-o", tmp_path / "o.jsonl")
    assert code == 1
    for line in expected:
        assert f"error: {line}" in err
    assert "8 incidents from 1 of 4 files; 3 failed" in err
    assert len(incidents_of(tmp_path / "o.jsonl")) == 8
    rep = ingest.ingest_paths([folder], tmp_path / "s.sqlite", workers=1)
    assert sorted(f"{p}: {r}" for p, r in rep.failed) == expected
    assert rep.ingested == [str(folder / SEED_004.name)]
