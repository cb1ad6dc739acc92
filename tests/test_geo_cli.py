"""python -m geo check / unresolved."""
from __future__ import annotations

import io
from pathlib import Path

from extract.model import UnresolvedPlace
from geo.cli import collect, main

SHARED_CORPUS = Path("/work/shared/eval/dev/corpus")


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


def test_unresolved_runs_on_articles(tmp_path):
    art = tmp_path / "a1.txt"
    art.write_text("قصفت القوات الأرمينية قرية زيزيفون في منطقة ترتر أمس.\n", encoding="utf-8")
    out = io.StringIO()
    assert main(["unresolved", str(tmp_path), "--no-geonames"], out) == 0
    text = out.getvalue()
    assert text.splitlines()[0].endswith("in 1 articles")
    assert "زيزيفون" in text and "[a1]" in text
