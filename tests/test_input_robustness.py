"""Careless and hostile input (issue 15): stray bytes, clashing names, outputs that are
inputs, broken manifests, unreadable folders and links. Each is reported by name and the
rest of the run goes on."""
from __future__ import annotations

import json
from pathlib import Path

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

