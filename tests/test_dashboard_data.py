"""Dashboard data layer and map builder: filters and their URL form, contested claims,
exports, escaping, and that the map names no host but its own."""
import csv
import io
import json
import re
from datetime import date

import pytest

from dashboard import assets, data as D, mapbuild
import sample


@pytest.fixture(scope="module")
def df():
    return D.records_frame(sample.fixture_records())


def test_settings_from_args_env_and_default():
    s = D.parse_settings(["--db", "x.sqlite", "--tiles", "none"], env={})
    assert (str(s.db), s.tiles) == ("x.sqlite", "none")
    s = D.parse_settings([], env={"INCIDENT_DB": "y.sqlite"})
    assert str(s.db) == "y.sqlite" and s.tiles == "osm"
    s = D.parse_settings(["-q", "tests"], env={})   # e.g. pytest's own argv: ignored
    assert s.db == D.DEFAULT_DB


def test_frame_has_sides_and_days(df):
    assert set(df["side"]) >= {"Azerbaijan", "Armenia", "Russia", "Unattributed"}
    assert df.loc[df["claimant"] == "am_mod", "side"].iloc[0] == "Armenia"
    assert df["day"].notna().all()


def test_query_round_trip():
    f = D.Filters(date_from=date(2020, 10, 1), date_to=date(2020, 10, 31),
                  sides=("Azerbaijan",), claimants=("az_mod", "am_mod"),
                  event_types=("shelling",), place="ترتر", outlets=("Al Jazeera",),
                  articles=("000_bcd88fbf1b362250",))
    q = D.filters_to_query(f)
    assert q["claimant"] == ["az_mod", "am_mod"] and q["from"] == "2020-10-01"
    assert D.filters_from_query(q) == f
    assert D.filters_to_query(D.Filters()) == {}


def test_query_parsing_drops_junk():
    q = {"claimant": ["az_mod", "nonsense"], "from": "not-a-date", "type": "shelling"}
    f = D.filters_from_query(q, {"claimants": D.CLAIMANT_LABELS, "event_types": D.EVENT_LABELS})
    assert f.claimants == ("az_mod",) and f.date_from is None
    assert f.event_types == ("shelling",)


def test_filters(df):
    n = len(df)
    assert len(D.apply_filters(df, D.Filters())) == n
    az = D.apply_filters(df, D.Filters(sides=("Azerbaijan",)))
    assert 0 < len(az) < n and set(az["side"]) == {"Azerbaijan"}
    pres = D.apply_filters(df, D.Filters(claimants=("az_president",)))
    assert set(pres["place"]) == {"Mirak", "Gavdar", "Basharat"}
    oct_ = D.apply_filters(df, D.Filters(date_from=date(2020, 10, 1), date_to=date(2020, 10, 31)))
    assert all(date(2020, 10, 1) <= d <= date(2020, 10, 31) for d in oct_["day"])
    assert set(D.apply_filters(df, D.Filters(place="tartar"))["place"]) == {"Tartar"}
    # Arabic search ignores spelling variants (alef forms, ta marbuta)
    assert "Barda" in set(D.apply_filters(df, D.Filters(place="برده"))["place"])
    assert set(D.apply_filters(df, D.Filters(outlets=("Al Jazeera",)))["doc"]) == {
        "003_cf2544d119aa8574"}
    # facets count with every other filter applied
    counts = D.facet_counts(df, D.Filters(sides=("Armenia",), claimants=("az_mod",)),
                            "claimants", "claimant")
    assert counts.get("am_government") and not counts.get("az_mod")


def test_contested_claims(df):
    pairs = D.contested_claims(df, window_days=2)
    assert list(pairs["place"].unique()) == ["Hadrut"]
    p = pairs.iloc[0]
    assert (p["side_a"], p["side_b"], p["days_apart"]) == ("Azerbaijan", "Armenia", 1)
    assert D.contested_claims(df, window_days=0).empty
    third = D.contested_claims(df, window_days=2, third_parties=True)
    assert "Hadrut" in set(third["place"])
    assert (third["side_a"] != third["side_b"]).all()


def test_exports_are_exactly_the_selection(df):
    sel = D.apply_filters(df, D.Filters(sides=("Armenia",)))
    csv = D.to_csv(sel).decode("utf-8-sig").splitlines()
    assert len(csv) == len(sel) + 1 and csv[0].startswith("doc,place,place_ar")
    gj = json.loads(D.to_geojson(sel))
    assert len(gj["features"]) == len(sel)
    f0 = gj["features"][0]
    assert f0["geometry"]["type"] == "Point" and len(f0["geometry"]["coordinates"]) == 2
    assert f0["properties"]["side"] == "Armenia"


def test_payload_json_cannot_break_out_of_script(df):
    js = mapbuild.payload_json(df)
    assert "<" not in js and ">" not in js and "&" not in js
    data = json.loads(js)
    assert len(data["r"]) == len(df)
    assert sample.HOSTILE_SENTENCE in data["s"]          # intact, only encoded


def test_map_never_runs_article_text_as_a_template():
    """The rendered page carries the data JSON as is: Jinja syntax in article text is
    neither evaluated nor a syntax error (branca re-parses rendered macros as templates;
    IncidentLayer emits them as raw text)."""
    recs = sample.fixture_records()
    evil = ["{{ 7*7 }} {% if true %}X{% endif %} {# c #}", "قصف {{ unclosed", "{% raw %}"]
    for i, text in enumerate(evil):
        recs[i] = dict(recs[i], sentence=text)
    m = mapbuild.build_map(D.records_frame(recs), tiles="none")
    html = m.get_root().render()
    for text in evil:
        assert text in html
    layer = next(c for c in m._children.values() if isinstance(c, mapbuild.IncidentLayer))
    data = json.loads(layer.data_json)
    assert all(t in data["s"] for t in evil)
    # streamlit-folium renders each element's script macro itself: the data is in it
    assert layer.data_json in layer._template.module.script(layer, {})


def test_highlight_span_finds_place_in_sentence():
    s = "لجأت إلى قصف محافظات غوران بوي، وترتر، وآغدام"
    a, b = mapbuild._highlight_span(s, "ترتر")
    assert s[a:b] == "ترتر"
    a, b = mapbuild._highlight_span(s, "اغدام")          # spelling variant of آغدام
    assert s[a:b] == "آغدام"
    assert mapbuild._highlight_span(s, "بردة") == (-1, -1)


def _urls(html):
    return re.findall(r'(?:src|href)\s*=\s*["\']([^"\']+)', html)


@pytest.mark.parametrize("tiles", ["none", None])
def test_map_loads_only_local_assets(df, tiles):
    m = mapbuild.build_map(df, tiles=tiles)
    html = m.get_root().render()
    urls = _urls(html)
    assert urls and all(u.startswith(assets.COMPONENT_BASE) for u in urls), urls
    assert "cdn" not in html.lower() and "bootstrap" not in html.lower()
    assert "L.markerClusterGroup" in html and "openstreetmap" not in html.lower()
    # every file the page asks for is one the install step copies
    for u in urls:
        assert u[len(assets.COMPONENT_BASE) + 1:] in assets.FILES


def test_map_tiles_online_by_default_or_local_url(df):
    assert "tile.openstreetmap.org" in mapbuild.build_map(df).get_root().render()
    html = mapbuild.build_map(df, tiles="http://tiles.local/{z}/{x}/{y}.png").get_root().render()
    assert "tiles.local" in html and "openstreetmap" not in html.lower()


def test_naive_map_escapes_and_is_local(df):
    html = mapbuild.build_map_naive(df, tiles="none").get_root().render()
    assert "<script>window.__pwned" not in html and "<img src=x" not in html
    assert all(u.startswith(assets.COMPONENT_BASE) for u in _urls(html))


def test_folium_defaults_untouched(df):
    import folium
    mapbuild.build_map(df, tiles="none")
    assert any("cdn" in u for _, u in folium.Map.default_js)   # instance-level override only


def test_vendor_assets_installed():
    missing = assets.missing()
    if missing and not assets.NODE_MODULES.exists():
        pytest.skip("dashboard assets not installed (scripts/install.sh runs npm install)")
    assert not missing, missing


def test_precise_hides_region_level_mentions():
    recs = sample.seed_records()
    recs.append(dict(recs[0], place="Nagorno-Karabakh", place_ar="قره باغ", precision="region",
                     lat=39.83, lon=46.76))
    df = D.records_frame(recs)
    f = D.Filters()                                 # the default hides them
    assert f.precise and len(D.apply_filters(df, f)) == len(df) - 1
    assert D.filters_to_query(f) == {}
    assert D.filters_from_query({}) == f
    shown = D.Filters(precise=False)
    assert len(D.apply_filters(df, shown)) == len(df)
    assert D.filters_to_query(shown) == {"precise": "0"}
    assert D.filters_from_query({"precise": "0"}) == shown


def _brute_pairs(df, window, third):
    """The definition, pair by pair (small inputs only)."""
    d = df[df["day"].notna() & ~df["precision"].isin(D.COARSE)]
    out = set()
    for a in d.itertuples():
        for b in d.itertuples():
            ka = a.place_id or a.place
            kb = b.place_id or b.place
            if ka != kb or abs((a.day - b.day).days) > window:
                continue
            if third:
                ok = a.side < b.side
            else:
                ok = D.CAMPS.get(a.side) == "az" and D.CAMPS.get(b.side) == "am"
            if ok:
                out.add((a.uid, b.uid))
    return out


def _synthetic(n, places=30, days=40, seed=7):
    import random
    rnd = random.Random(seed)
    claimants = ["az_mod", "am_mod", "nk_authorities", "ru_mod", "tr_government", "media"]
    recs = []
    for i in range(n):
        p = rnd.randrange(places)
        recs.append({"doc": f"d{i % 50}", "place": f"Place {p}", "place_ar": "قرية",
                     "place_id": f"p{p}" if p % 5 else "", "lat": 39.5 + p / 100, "lon": 46.5,
                     "precision": "region" if p == 0 else "settlement",
                     "event_type": "shelling", "claimant": rnd.choice(claimants),
                     "date": f"2020-10-{1 + rnd.randrange(days) % 28:02d}",
                     "sentence": "قصفت القوات القرية"})
    return D.records_frame(recs)


@pytest.mark.parametrize("third", [False, True])
@pytest.mark.parametrize("window", [0, 2])
def test_contested_claims_match_the_pairwise_definition(third, window):
    df = _synthetic(300)
    pairs = D.contested_claims(df, window_days=window, third_parties=third)
    got = set(zip(pairs["uid_a"], pairs["uid_b"]))
    assert got == _brute_pairs(df, window, third)
    assert pairs.attrs["total"] == len(got)
    assert "Place 0" not in set(pairs["place"])     # the region point never pairs
    limited = D.contested_claims(df, window_days=window, third_parties=third, limit=7)
    assert len(limited) == min(7, len(got)) and limited.attrs["total"] == len(got)


def test_contested_claims_on_a_desk_store_are_linear():
    """20,000 incidents, 4,000 of them on one region point: the old self-merge built ~20M
    rows. The sweep only touches what it returns: bounded rows and memory."""
    import tracemalloc
    df = _synthetic(20_000, places=400, days=28)
    region = df.index[:4000]
    df.loc[region, "precision"] = "region"
    tracemalloc.start()
    pairs = D.contested_claims(df, window_days=2, limit=500)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert len(pairs) == 500 and pairs.attrs["total"] > 500
    assert peak < 500 * 2**20, f"peak {peak / 2**20:.0f} MB"


def test_the_map_says_when_a_place_was_matched_by_sound():
    recs = sample.seed_records()
    recs[0] = dict(recs[0], match="key")
    p = mapbuild.payload(D.records_frame(recs))
    first_report = {p["s"][c[4]]: p["r"][c[8]] for c in p["c"]}    # of each claim, by place
    assert p["s"][first_report["Goranboy"][6]] == "key"
    assert p["s"][first_report["Tartar"][6]] == "curated"
    assert "by sound" in p["matches"]["key"] and p["matches"]["curated"] == ""
    html = mapbuild.build_map(D.records_frame(recs)).get_root().render()
    assert 'row(tbl, "Found", how)' in html


def test_timeline_bars_are_one_period_wide_and_the_period_follows_the_span():
    from datetime import date
    import pandas as pd
    day = lambda *a: date(*a)  # noqa: E731
    one = pd.DataFrame({"day": [day(2020, 10, 1)], "side": ["Armenia"]})
    bins, unit = D.timeline_bins(one)
    assert unit == "day" and len(bins) == 1            # a lone bar is still one day wide
    assert (bins["end"] - bins["start"]).iloc[0] == pd.Timedelta(days=1)
    war = pd.DataFrame({"day": [day(2020, 9, 27), day(2020, 9, 27), day(2020, 11, 9), None],
                        "side": ["Armenia", "Azerbaijan", "Armenia", "Armenia"]})
    bins, unit = D.timeline_bins(war)
    assert unit == "day" and bins["incidents"].sum() == 3     # the undated one is not a bar
    year = pd.DataFrame({"day": [day(2020, 10, 1), day(2021, 3, 3), day(2021, 3, 5)],
                         "side": ["Armenia"] * 3})
    bins, unit = D.timeline_bins(year)
    assert unit == "week" and list(bins["incidents"]) == [1, 2]
    assert all(s.day_of_week == 0 for s in bins["start"])      # weeks start on Monday
    years = pd.DataFrame({"day": [day(2020, 10, 1), day(2023, 3, 3)], "side": ["Armenia"] * 2})
    bins, unit = D.timeline_bins(years)
    assert unit == "month" and list(bins["start"].dt.day) == [1, 1]
    assert bins["end"].iloc[1] == pd.Timestamp(2023, 4, 1)


# ------------------------------------------------------------------ claims

@pytest.fixture(scope="module")
def tartar_db(tmp_path_factory):
    """A store of real reports: one Azerbaijani claim carried by three outlets in their own
    words, and the Armenian MoD's claim about the same town a day later."""
    tmp = tmp_path_factory.mktemp("claims")
    db = tmp / "claims.sqlite"
    sample.ingest_reports(db, tmp / "articles", sample.CLAIM_REPORTS + [sample.CONTESTING_REPORT])
    return db


@pytest.fixture(scope="module")
def tartar(tartar_db):
    """The report frame of that store."""
    return D.records_frame(*D.read_records(tartar_db))


def test_the_claim_frame_has_one_row_per_claim_with_its_counts(tartar):
    assert len(tartar) == 4 and tartar["claim_id"].nunique() == 2
    claims = D.claims_frame(tartar)
    az = claims[claims["side"] == "Azerbaijan"].iloc[0]
    assert (az["place"], az["event_type"], az["claimant"], az["date"]) == (
        "Tartar", "shelling", "az_mod", "2020-10-04")
    assert (az["reports"], az["outlets"], az["shown"]) == (3, 3, 3)
    assert az["outlet_names"] == ["aa.example", "bb.example", "cc.example"]
    assert az["sentence"] == sample.CLAIM_REPORTS[0][3]     # its first report's
    am = claims[claims["side"] == "Armenia"].iloc[0]
    assert (am["reports"], am["outlets"], am["event_type"]) == (1, 1, "armed_clash")


def test_the_dashboard_takes_the_stores_claims_and_does_not_regroup(tartar_db, monkeypatch):
    def regroup(records):
        raise AssertionError("regrouped in the dashboard")
    monkeypatch.setattr(D, "build_claims", regroup)
    df = D.records_frame(*D.read_records(tartar_db))
    from extract import store
    conn = store.connect(tartar_db)
    try:
        stored = store.claim_of_reports(conn)
    finally:
        conn.close()
    assert [stored[k] for k in zip(df["incident_id"], df["copy_id"])] == list(df["claim_id"])


def test_a_claim_is_drawn_when_one_of_its_reports_passes_and_lists_only_those(tartar):
    view = D.apply_filters(tartar, D.Filters(outlets=("bb.example",)))
    [claim] = D.claims_frame(view).to_dict("records")
    assert (claim["shown"], claim["reports"], claim["outlets"]) == (1, 3, 3)
    p = mapbuild.payload(view)
    [c] = p["c"]
    assert c[9:12] == (1, 3, 3)                             # shown, reports, outlets
    assert [p["s"][r[0]] for r in p["r"][c[8]:c[8] + c[9]]] == [sample.CLAIM_REPORTS[1][3]]


def test_the_map_draws_a_marker_per_claim_with_its_reports_newest_last(tartar):
    p = mapbuild.payload(tartar)
    assert len(p["c"]) == 2 and len(p["r"]) == 4
    az = next(c for c in p["c"] if c[11] == 3)
    assert p["s"][az[4]] == "Tartar" and p["s"][az[6]] == "2020-10-04"
    reports = p["r"][az[8]:az[8] + az[9]]
    assert [p["s"][r[0]] for r in reports] == [text for *_, text in sample.CLAIM_REPORTS]
    published = [p["s"][p["a"][r[1]][3]] for r in reports]
    assert published == sorted(published) == ["2020-10-04", "2020-10-04", "2020-10-05"]
    outlets = [p["s"][p["a"][r[1]][1]] for r in reports]
    assert outlets == ["aa.example", "bb.example", "cc.example"]
    for r in reports:                                       # the place marked in each
        assert p["s"][r[0]][r[2]:r[3]] == "ترتر"


def test_the_outlets_filter_round_trips_through_the_url_and_keeps_corroborated_claims(tartar):
    f = D.Filters(outlets_min=2)
    assert D.filters_to_query(f) == {"outlets_min": "2"}
    assert D.filters_from_query(D.filters_to_query(f)) == f
    assert D.filters_from_query({"outlets_min": ["5", "3"]}).outlets_min == 3   # the last
    for junk in ("0", "-2", "two", "2.5", " ", "", "1e3", "99999999", "<b>2</b>"):
        assert D.filters_from_query({"outlets_min": junk}).outlets_min == 1, junk
    kept = D.apply_filters(tartar, f)
    assert len(kept) == 3 and set(kept["outlet"]) == {"aa.example", "bb.example", "cc.example"}
    assert D.apply_filters(tartar, D.Filters(outlets_min=4)).empty
    # the claim's own count: a filter that hides two of its reports keeps the third
    assert len(D.apply_filters(tartar, D.Filters(outlets_min=3, outlets=("cc.example",)))) == 1


def test_contested_claims_pair_claims_not_reports(tartar):
    assert len(D.contested_claims(tartar)) == 3              # each Azerbaijani report
    pairs = D.contested_claims(D.claims_frame(tartar))
    [p] = pairs.to_dict("records")
    assert (p["place"], p["side_a"], p["side_b"], p["days_apart"]) == ("Tartar", "Azerbaijan",
                                                                       "Armenia", 1)
    assert (p["outlets_a"], p["reports_a"], p["outlets_b"]) == (3, 3, 1)
    assert p["claim_id_a"] != p["claim_id_b"]


def test_the_claims_exports_carry_the_claim_and_its_counts(tartar):
    claims = D.claims_frame(tartar)
    rows = list(csv.DictReader(io.StringIO(D.claims_to_csv(claims).decode("utf-8-sig"))))
    assert len(rows) == 2 and list(rows[0])[:1] == ["claim_id"]
    az = next(r for r in rows if r["side"] == "Azerbaijan")
    assert (az["reports"], az["outlets"]) == ("3", "3")
    assert az["outlet_names"] == "aa.example; bb.example; cc.example"
    assert set(r["claim_id"] for r in rows) == set(tartar["claim_id"])
    gj = json.loads(D.claims_to_geojson(claims))
    props = {f["properties"]["claim_id"]: f["properties"] for f in gj["features"]}
    assert props[az["claim_id"]]["outlets"] == 3
    assert gj["features"][0]["geometry"]["type"] == "Point"


def test_the_reports_exports_carry_each_rows_claim(tartar):
    rows = list(csv.DictReader(io.StringIO(D.to_csv(tartar).decode("utf-8-sig"))))
    assert [r["claim_id"] for r in rows] == list(tartar["claim_id"])
    assert len({r["claim_id"] for r in rows if r["side"] == "Azerbaijan"}) == 1
    gj = json.loads(D.to_geojson(tartar))
    assert [f["properties"]["claim_id"] for f in gj["features"]] == list(tartar["claim_id"])


def test_a_claims_csv_cell_cannot_start_a_formula(tartar):
    claims = D.claims_frame(tartar).copy()
    claims["outlet_names"] = [["=HYPERLINK(\"https://evil.example\")", "b"]] * len(claims)
    claims["place"] = "@SUM(1)"
    rows = list(csv.DictReader(io.StringIO(D.claims_to_csv(claims).decode("utf-8-sig"))))
    assert all(r["outlet_names"].startswith("'=HYPERLINK") for r in rows)
    assert all(r["place"] == "'@SUM(1)" for r in rows)
