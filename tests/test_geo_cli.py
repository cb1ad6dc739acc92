"""python -m geo check, and python -m extract unresolved (moved from geo: it runs extraction)."""
from __future__ import annotations

import io
from pathlib import Path

from extract.model import UnresolvedPlace
from extract.unresolved import collect, main as unresolved_main
from geo.cli import main

SHARED_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "eval" / "dev" / "corpus"


def test_check_prints_summary():
    out = io.StringIO()
    assert main(["check"], out) == 0
    text = out.getvalue()
    assert "places," in text and "below district level" in text
    assert "  مارتوني: khojavend-district, khojavend, martuni-gegharkunik" in text


def test_check_reports_bad_file(tmp_path, capsys):
    bad = tmp_path / "g.csv"
    bad.write_text("id,name_en\nx,X\n", encoding="utf-8")
    assert main(["check", str(bad)], io.StringIO()) == 1
    assert "header lacks column(s)" in capsys.readouterr().err


def test_collect_groups_by_normalised_name():
    us = [UnresolvedPlace("d1", "زابوخ", "s1"), UnresolvedPlace("d2", "زابوخ", "s2"),
          UnresolvedPlace("d2", "سوس", "s3"), UnresolvedPlace("d3", "زابوخ", "s4")]
    stats = collect(us)
    assert [(s.name, s.count, len(s.docs), s.example) for s in stats] == [("زابوخ", 3, 3, "s1"), ("سوس", 1, 1, "s3")]


def test_unresolved_lists_fallback_names_with_their_district_and_nearest_names(tmp_path):
    art = tmp_path / "a1.txt"
    art.write_text("قصفت القوات الأرمينية قرية ززفلانتوكي في منطقة ترتر أمس.\n"
                   "وقصفت القوات قرية قرفندو.\n", encoding="utf-8")
    out = io.StringIO()
    assert unresolved_main([str(tmp_path), "--no-geonames"], out) == 0
    lines = out.getvalue().splitlines()
    assert lines[0].endswith("in 1 articles")
    row = next(l.split("\t") for l in lines if "ززفلانتوكي" in l)
    assert row[3] == "Tartar"                       # put at its district
    assert len(row[4].split(", ")) == 3             # three nearest gazetteer names by key
    assert "[a1]" in row[-1]


def test_geo_unresolved_is_gone_from_geo(capsys):
    import pytest
    with pytest.raises(SystemExit):
        main(["unresolved", "x"], io.StringIO())


def test_unresolved_reports_links_it_cannot_follow_and_bytes_it_repaired(tmp_path, capsys):
    folder = tmp_path / "in"
    folder.mkdir()
    text = "وقصفت القوات الأرمينية قرية ززفلانتوكي في منطقة ترتر أمس."
    good = text.encode("utf-8")
    (folder / "a.txt").write_bytes(good[:20] + b"\xa0" + good[20:])     # one stray byte
    (folder / "gone.txt").symlink_to(tmp_path / "nowhere.txt")             # a dangling link
    out = io.StringIO()
    assert unresolved_main([str(folder), "--no-geonames"], out) == 1
    err = capsys.readouterr().err
    assert f"error: {folder / 'gone.txt'}: " in err and "dangling" in err
    assert f"warning: {folder / 'a.txt'}: " in err and "byte" in err
    assert "ززفلانتوكي" in out.getvalue() and out.getvalue().splitlines()[0].endswith("in 1 articles")
