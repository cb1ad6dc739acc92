"""Claims: reports of different articles that state the same thing, merged (codebook, Claims).
Real sentences, ingested into a real store, grouped by extract.claims."""
from __future__ import annotations

import csv
from pathlib import Path

import pytest

from extract import store
from extract.claims import build_claims, main as claims_main
from extract.ingest import ingest_paths

AZ_TARTAR_1 = "أعلنت وزارة الدفاع الأذربيجانية، اليوم الأحد، أن القوات الأرمينية قصفت مدينة ترتر بالمدفعية الثقيلة."
AZ_TARTAR_2 = "قالت وزارة الدفاع في أذربيجان إن مدينة ترتر تعرضت صباح اليوم لقصف مدفعي من جانب القوات الأرمينية."
AZ_TARTAR_COUNTRY = "أعلنت أذربيجان أن القوات الأرمينية قصفت مدينة ترتر."
AM_DENIAL = ("ونفت وزارة الدفاع الأرمينية أن تكون قواتها قد قصفت مدينة ترتر.\n"
             "وقالت الوزارة إن القوات الأذربيجانية قصفت مدينة ستيباناكيرت.")
AZ_TARTAR_CIVILIANS = "وقالت وزارة الدفاع الأذربيجانية إن مدنيين قتلوا في مدينة ترتر."
AZ_TARTAR_3 = "وأكدت وزارة الدفاع الأذربيجانية في بيان أن مدفعية القوات الأرمينية قصفت مدينة ترتر."


def _corpus(tmp_path: Path, articles: list[tuple[str, str, str, str]]) -> Path:
    """articles: (file, published, outlet, text); a folder with its manifest."""
    folder = tmp_path / "corpus"
    folder.mkdir()
    with open(folder / "manifest.csv", "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["file", "published", "outlet", "url", "title"])
        for name, published, outlet, text in articles:
            (folder / name).write_text(text + "\n", encoding="utf-8")
            w.writerow([name, published, outlet, f"https://{outlet}/{name}", ""])
    return folder


def _claims(tmp_path, articles):
    """The claims ingest stored, checked against a fresh grouping of every report."""
    db = tmp_path / "store.sqlite"
    assert ingest_paths([_corpus(tmp_path, articles)], db, workers=1).ok
    conn = store.connect(db)
    try:
        stored = store.load_claims(conn)
        claims = build_claims(store.load_reports(conn))
    finally:
        conn.close()
    assert sorted(stored, key=lambda r: r["claim_id"]) == sorted((c.row() for c in claims),
                                                                 key=lambda r: r["claim_id"])
    return claims


def _summary(claims):
    return sorted((c.row()["place"], c.row()["event_type"], c.row()["claimant"], c.row()["date"],
                   c.row()["reports"], c.row()["outlets"]) for c in claims)


def test_one_claim_from_two_outlets_in_different_words_is_one_claim(tmp_path):
    claims = _claims(tmp_path, [("a.txt", "2020-10-04", "aa.example", AZ_TARTAR_1),
                                ("b.txt", "2020-10-04", "bb.example", AZ_TARTAR_2)])
    assert _summary(claims) == [("Tartar", "shelling", "az_mod", "2020-10-04", 2, 2)]
    row = claims[0].row()
    assert row["outlet_names"] == ["aa.example", "bb.example"]
    assert row["first_published"] == row["last_published"] == "2020-10-04"


def test_the_country_and_its_ministry_are_one_claimant_and_the_ministry_is_named(tmp_path):
    claims = _claims(tmp_path, [("a.txt", "2020-10-04", "aa.example", AZ_TARTAR_COUNTRY),
                                ("b.txt", "2020-10-04", "bb.example", AZ_TARTAR_1)])
    assert _summary(claims) == [("Tartar", "shelling", "az_mod", "2020-10-04", 2, 2)]


def test_a_claim_and_its_denial_by_the_other_side_stay_apart(tmp_path):
    claims = _claims(tmp_path, [("a.txt", "2020-10-04", "aa.example", AZ_TARTAR_1),
                                ("b.txt", "2020-10-04", "bb.example", AM_DENIAL)])
    # the denial claims nothing at Tartar; its own claim is about Stepanakert
    assert _summary(claims) == [("Stepanakert", "shelling", "am_mod", "2020-10-04", 1, 1),
                                ("Tartar", "shelling", "az_mod", "2020-10-04", 1, 1)]


def test_the_same_place_on_days_far_apart_is_two_claims(tmp_path):
    claims = _claims(tmp_path, [("a.txt", "2020-10-04", "aa.example", AZ_TARTAR_1),
                                ("b.txt", "2020-10-14", "bb.example", AZ_TARTAR_2),
                                ("c.txt", "2020-10-05", "cc.example", AZ_TARTAR_3)])
    assert _summary(claims) == [("Tartar", "shelling", "az_mod", "2020-10-04", 2, 2),
                                ("Tartar", "shelling", "az_mod", "2020-10-14", 1, 1)]


def test_shelling_and_civilian_harm_of_one_strike_are_one_claim(tmp_path):
    claims = _claims(tmp_path, [("a.txt", "2020-10-04", "aa.example", AZ_TARTAR_1),
                                ("b.txt", "2020-10-04", "bb.example", AZ_TARTAR_CIVILIANS)])
    [claim] = claims
    assert {r["event_type"] for r in claim.reports} == {"shelling", "civilian_harm"}
    assert claim.row()["reports"] == 2 and claim.row()["outlets"] == 2


def test_a_wire_copy_under_two_file_names_counts_two_outlets(tmp_path):
    claims = _claims(tmp_path, [("aa_story.txt", "2020-10-04", "aa.example", AZ_TARTAR_1),
                                ("bb_copy.txt", "2020-10-05", "bb.example", AZ_TARTAR_1)])
    [claim] = claims
    row = claim.row()
    assert (row["reports"], row["outlets"], row["outlet_names"]) == (2, 2, ["aa.example", "bb.example"])
    assert (row["first_published"], row["last_published"]) == ("2020-10-04", "2020-10-05")
    assert sorted(r["file_name"] for r in claim.reports) == ["aa_story.txt", "bb_copy.txt"]


def test_re_ingesting_changes_no_claim_and_an_interrupted_run_is_caught_up(tmp_path):
    folder = _corpus(tmp_path, [("a.txt", "2020-10-04", "aa.example", AZ_TARTAR_1),
                                ("b.txt", "2020-10-04", "bb.example", AZ_TARTAR_2)])
    db = tmp_path / "store.sqlite"
    ingest_paths([folder], db, workers=1)
    conn = store.connect(db)
    try:
        before = conn.execute("SELECT * FROM claims ORDER BY id").fetchall()
        reports = conn.execute("SELECT * FROM claim_reports ORDER BY incident_id").fetchall()
        ingest_paths([folder], db, workers=1)
        assert conn.execute("SELECT * FROM claims ORDER BY id").fetchall() == before
        assert conn.execute("SELECT * FROM claim_reports ORDER BY incident_id").fetchall() == reports
        # a run killed after storing an article and before the claims: the marks stay and
        # the next rebuild catches up; meanwhile no claim points at a missing incident
        conn.execute("DELETE FROM incidents WHERE article_id = (SELECT MIN(id) FROM articles)")
        conn.execute("INSERT INTO claims_stale VALUES ('tartar')")
        assert conn.execute("SELECT COUNT(*) FROM claim_reports").fetchone()[0] == 1
        assert store.rebuild_claims(conn) == 1
        [row] = store.load_claims(conn)
        assert (row["reports"], row["outlets"]) == (1, 1)
    finally:
        conn.close()


DEV = Path(__file__).resolve().parents[2] / "shared" / "eval" / "dev" / "corpus"


@pytest.mark.skipif(not DEV.is_dir(), reason="../shared/eval/dev is not beside this checkout")
def test_the_dev_corpus_multi_outlet_claims_each_once(tmp_path, capsys):
    db = tmp_path / "dev.sqlite"
    assert ingest_paths([DEV], db).ok
    out = tmp_path / "claims.csv"
    assert claims_main(["--db", str(db), "--format", "csv", "-o", str(out), "--min-outlets", "2"]) == 0
    with open(out, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert capsys.readouterr().err == f"{len(rows)} claims, {len(rows)} carried by more than one outlet\n"
    # the Armenian MoD's account of 13 September 2022, carried by several reports
    armenian = {(r["place"], r["outlets"]) for r in rows
                if r["claimant"] == "am_mod" and r["date"] == "2022-09-13"}
    assert armenian == {("Goris", "2"), ("Sotk", "2"), ("Jermuk", "3")}
    jermuk = next(r for r in rows if r["place"] == "Jermuk" and r["claimant"] == "am_mod")
    assert jermuk["outlet_names"] == "ro2x.com; albawabhnews.com; russia-islworld.ru"
    assert len({r["claim_id"] for r in rows}) == len(rows)      # each claim once


def test_claims_output_that_is_the_store_or_a_folder_is_refused(tmp_path, capsys):
    db = tmp_path / "store.sqlite"
    assert ingest_paths([_corpus(tmp_path, [("a.txt", "2020-10-04", "aa.example", AZ_TARTAR_1)])], db).ok
    before = db.read_bytes()
    assert claims_main(["--db", str(db), "-o", str(db)]) == 2
    assert claims_main(["--db", str(db), "-o", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert f"error: {db}: is one of the inputs" in err and f"error: {tmp_path}: is a folder" in err
    assert db.read_bytes() == before
