"""End to end: the bundled seed articles through `python -m extract`."""
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


def run_extract(*args, cwd=ROOT):
    return subprocess.run([sys.executable, "-m", "extract", *map(str, args)], cwd=cwd,
                          capture_output=True, text=True, encoding="utf-8")


@pytest.fixture(scope="module")
def seed_incidents():
    proc = run_extract(SEEDS)
    assert proc.returncode == 0, proc.stderr
    return [json.loads(l) for l in proc.stdout.splitlines()]


def find(rows, doc, place):
    return [r for r in rows if r["doc"] == doc and r["place"] == place]


def test_fields_are_exactly_the_codebooks(seed_incidents):
    fields = ["doc", "place", "place_ar", "geonames_id", "lat", "lon", "precision", "event_type",
              "claimant", "date", "date_basis", "sentence", "match"]
    assert seed_incidents and all(list(r) == fields for r in seed_incidents)


def test_article_001_armenian_mfa_claims_strikes_on_stepanakert_and_shusha(seed_incidents):
    for place, ar in (("Stepanakert", "ستيباناكيرت"), ("Shusha", "شوشا")):
        (row,) = find(seed_incidents, "001_c54f41809b093bc8", place)
        assert (row["event_type"], row["claimant"], row["date"], row["date_basis"], row["place_ar"]) == \
            ("shelling", "am_government", "2020-11-04", "weekday", ar)
        assert "بقنابل عنقودية أطلقت من راجمات صواريخ" in row["sentence"]


def test_article_001_prosecutor_dates_barda_strike_explicitly(seed_incidents):
    (row,) = find(seed_incidents, "001_c54f41809b093bc8", "Barda")
    assert (row["event_type"], row["claimant"], row["date"], row["date_basis"]) == \
        ("shelling", "az_prosecutor", "2020-10-28", "explicit")
    assert row["place_ar"] == "بردة"


def test_article_000_five_districts_shelled(seed_incidents):
    rows = [r for r in seed_incidents if r["doc"] == "000_bcd88fbf1b362250" and r["precision"] != "region"]
    assert [(r["place"], r["place_ar"]) for r in rows] == [
        ("Goranboy", "غوران بوي"), ("Tartar", "ترتر"), ("Aghdam", "آغدام"),
        ("Aghjabadi", "أغجه بدي"), ("Barda", "بردي")]
    assert {(r["event_type"], r["claimant"], r["date"]) for r in rows} == {("shelling", "az_mod", "2020-10-08")}
    assert "غوران بوي، وترتر" in rows[0]["sentence"]     # the wrapped line joined


def test_article_003_heights_and_russian_accusation(seed_incidents):
    (girkhgiz,) = find(seed_incidents, "003_cf2544d119aa8574", "Girkhgiz")
    assert (girkhgiz["event_type"], girkhgiz["claimant"]) == ("armed_clash", "az_mod")
    (saribaba,) = find(seed_incidents, "003_cf2544d119aa8574", "Saribaba")
    assert (saribaba["event_type"], saribaba["claimant"], saribaba["date"]) == \
        ("ceasefire_violation", "ru_mod", "2022-08-03")
    # the districts that only locate the heights are not incidents of their own
    assert not find(seed_incidents, "003_cf2544d119aa8574", "Kalbajar")


def test_coordinates_come_from_the_gazetteer(seed_incidents):
    (row,) = find(seed_incidents, "002_6cc9c1c7d50e6349", "Mingachevir")
    assert row["event_type"] == "shootdown" and row["claimant"] == "az_mod"
    assert abs(row["lat"] - 40.77) < 0.1 and abs(row["lon"] - 47.05) < 0.1
    assert row["geonames_id"]


def test_scorer_bar_on_seeds(tmp_path):
    scorer = ROOT.parent / "shared" / "eval" / "score.py"
    if not scorer.exists():
        pytest.skip("../shared/eval/score.py is not beside this checkout")
    out = tmp_path / "seeds.jsonl"
    assert run_extract(SEEDS, "-o", out).returncode == 0
    proc = subprocess.run([sys.executable, str(scorer), "--gold", str(scorer.parent / "seeds.gold.jsonl"),
                           "--pred", str(out), "--gazetteer", str(ROOT / "gazetteer.csv"),
                           "--min-f1", "0.95", "--min-strict", "0.85"], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout


def test_geojson_and_csv_outputs(tmp_path):
    gj = tmp_path / "out.geojson"
    assert run_extract(SEEDS / "001_c54f41809b093bc8.txt", "--manifest", SEEDS / "manifest.csv",
                       "--format", "geojson", "-o", gj).returncode == 0
    fc = json.loads(gj.read_text(encoding="utf-8"))
    assert fc["type"] == "FeatureCollection"
    shusha = [f for f in fc["features"] if f["properties"]["place"] == "Shusha"][0]
    lon, lat = shusha["geometry"]["coordinates"]
    assert abs(lat - 39.76) < 0.1 and abs(lon - 46.75) < 0.1
    proc = run_extract(SEEDS, "--format", "csv")
    header = proc.stdout.splitlines()[0]
    assert header == ("doc,place,place_ar,geonames_id,lat,lon,precision,event_type,claimant,date,"
                      "date_basis,sentence,match")


def test_bad_files_are_reported_and_the_rest_extracted(tmp_path):
    good = tmp_path / "good.txt"
    good.write_text((SEEDS / "002_6cc9c1c7d50e6349.txt").read_text(encoding="utf-8"), encoding="cp1256", errors="ignore")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    (tmp_path / "manifest.csv").write_text("file,published\ngood.txt,2020-10-09\n", encoding="utf-8")
    proc = run_extract(tmp_path)
    assert proc.returncode == 1
    assert "empty.txt" in proc.stderr and "image.txt" in proc.stderr
    rows = [json.loads(l) for l in proc.stdout.splitlines()]
    assert any(r["doc"] == "good" and r["place"] == "Hadrut" and r["date"] == "2020-10-09" for r in rows)


def test_article_without_manifest_row_gets_unknown_dates(tmp_path):
    f = tmp_path / "x.txt"
    f.write_text("وأعلنت وزارة الدفاع الأذربيجانية، تدمير ثكنة عسكرية في قرية طوناشن.", encoding="utf-8")
    proc = run_extract(f)
    (row,) = [json.loads(l) for l in proc.stdout.splitlines()]
    assert (row["place"], row["date"], row["date_basis"]) == ("Tonashen", "", "unknown")


def test_progress_bar_only_on_a_terminal():
    import io
    from extract.cli import Progress

    class Tty(io.StringIO):
        def isatty(self):
            return True

    tty, pipe = Tty(), io.StringIO()
    for stream in (tty, pipe):
        bar = Progress(4, stream)
        for _ in range(4):
            bar.step()
    assert tty.getvalue().endswith("] 4/4 articles\n") and "[####" in tty.getvalue()
    assert pipe.getvalue() == ""
