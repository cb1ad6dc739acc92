"""The dashboard under Streamlit's AppTest: filters, their URL state, escaping."""
import json
import re
from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

import sample

APP = str(Path(__file__).resolve().parent.parent / "dashboard" / "app.py")
N = len(sample.fixture_records())


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = tmp_path_factory.mktemp("dash") / "incidents.sqlite"
    sample.write_store(path, sample.fixture_records())
    return path


@pytest.fixture
def app(db, monkeypatch):
    monkeypatch.setenv("INCIDENT_DB", str(db))
    monkeypatch.setenv("INCIDENT_TILES", "none")
    return AppTest.from_file(APP, default_timeout=60)


def counts(at) -> tuple[int, int]:
    """The claim and report counts the page states ("**k** claims from **n** of N reports")."""
    for md in at.markdown:
        m = re.match(r"\*\*([\d,]+)\*\* claims? from \*\*([\d,]+)\*\* of ([\d,]+) reports",
                     md.value)
        if m:
            return int(m.group(1).replace(",", "")), int(m.group(2).replace(",", ""))
    raise AssertionError("no count line")


def shown(at) -> int:
    """The report count the page states."""
    return counts(at)[1]


def said(elements) -> list[str]:
    """What alerts show: their Markdown source with its backslash escapes undone."""
    return [re.sub(r"\\(.)", r"\1", e.value) for e in elements]


def map_rows(at) -> list:
    """The marker array the map component was given (in the incident group it swaps in)."""
    for el in at.get("component_instance") + at.get("bidi_component"):
        args = getattr(el.proto, "json_args", "") or ""
        if "markerClusterGroup" in args:
            parts = json.loads(args)
            # the base map carries no incidents: a new selection keeps the map's frame
            assert "markerClusterGroup" not in parts["script"]
            script = parts["feature_group"]
            start = script.index("var D = ") + len("var D = ")
            data, _ = json.JSONDecoder().raw_decode(script[start:])
            return data["r"]
    raise AssertionError("no map component")


def test_loads_everything(app):
    at = app.run()
    assert not at.exception, at.exception
    assert shown(at) == N
    assert len(map_rows(at)) == N
    assert dict(at.query_params) == {}
    assert not at.error and not at.warning, [e.value for e in at.error] + [
        w.value for w in at.warning]


def test_claimant_filter_updates_views_and_url(app):
    at = app.run()
    at.multiselect(key="f_claimants").select("am_mod").run()
    assert not at.exception
    assert shown(at) == 1 and len(map_rows(at)) == 1
    assert at.query_params.get("claimant") == "am_mod"
    at.multiselect(key="f_claimants").select("am_government").run()
    assert shown(at) == 3
    assert sorted(at.query_params["claimant"]) == ["am_government", "am_mod"]
    at.multiselect(key="f_claimants").set_value([]).run()
    assert shown(at) == N and "claimant" not in at.query_params


def test_side_type_place_and_dates_go_to_url(app):
    at = app.run()
    at.multiselect(key="f_sides").select("Azerbaijan").run()
    at.multiselect(key="f_types").select("shelling").run()
    assert at.query_params["side"] == "Azerbaijan" and at.query_params["type"] == "shelling"
    n = shown(at)
    at.text_input(key="f_place").input("Barda").run()
    assert at.query_params["place"] == "Barda"
    assert 0 < shown(at) < n
    at.date_input(key="f_dates").set_value((date(2020, 10, 1), date(2020, 10, 31))).run()
    assert at.query_params["from"] == "2020-10-01" and at.query_params["to"] == "2020-10-31"
    assert shown(at) == 2            # Barda on 8 (MoD) and 28 October (prosecutor)


def test_url_restores_the_view(app):
    app.query_params["side"] = "Armenia"
    app.query_params["type"] = ["shelling", "civilian_harm"]
    app.query_params["from"] = "2020-11-01"
    at = app.run()
    assert not at.exception
    assert at.multiselect(key="f_sides").value == ["Armenia"]
    assert at.multiselect(key="f_types").value == ["shelling", "civilian_harm"]
    assert at.date_input(key="f_dates").value[0] == date(2020, 11, 1)
    assert shown(at) == 2 and len(map_rows(at)) == 2
    assert at.query_params["side"] == "Armenia"          # kept for sharing


def test_bad_url_values_are_ignored(app):
    app.query_params["claimant"] = ["az_mod", "<script>"]
    app.query_params["from"] = "yesterday"
    at = app.run()
    assert not at.exception
    assert at.multiselect(key="f_claimants").value == ["az_mod"]
    assert at.query_params.get("claimant") == "az_mod" and "from" not in at.query_params


def test_table_and_downloads_follow_filters(app):
    at = app.run()
    at.multiselect(key="f_sides").select("Armenia").run()
    table = at.dataframe[0].value
    assert len(table) == shown(at) == 3
    labels = [b.proto.label for b in at.get("download_button")]
    assert any(l.startswith("CSV (3 ") for l in labels)
    assert any(l.startswith("GeoJSON (3 ") for l in labels)


def open_tab(at, label: str):
    at.session_state["tab"] = label           # as a click on the tab does
    return at.run()


def test_only_the_open_tab_is_built(app):
    at = app.run()
    assert at.dataframe and not at.get("slider") and not at.get("file_uploader")
    open_tab(at, "Contested claims")
    assert not at.exception and at.get("slider") and not at.dataframe
    at.slider(key="f_window").set_value(5).run()
    open_tab(at, "Incidents")                 # the window survives the other tab
    assert at.query_params["window"] == "5" and at.dataframe
    open_tab(at, "Contested claims")
    assert at.slider(key="f_window").value == 5


def test_contested_claims_side_by_side(app):
    at = open_tab(app.run(), "Contested claims")
    cards = " ".join(h.proto.body for h in at.get("html"))
    assert "Hadrut" in cards and "هاردوت" in cards and "هادروت" in cards
    assert "<mark>" in cards


def test_untrusted_outlets_in_the_claims_table_are_escaped(app):
    at = app.run()
    assert at.radio(key="f_rows").value == "Claims"
    bodies = " ".join(h.proto.body for h in at.get("html") if "inc-read" in h.proto.body)
    assert "&lt;b&gt;Outlet&lt;/b&gt;" in bodies and "<b>Outlet" not in bodies
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in bodies and "<script>" not in bodies


def test_untrusted_text_is_escaped(app):
    at = open_tab(app.run(), "Contested claims")
    # show the hostile article's incident in the contested list (any two sides, a week)
    at.checkbox(key="f_third").check().run()
    at.slider(key="f_window").set_value(7).run()
    assert at.query_params["third"] == "1" and at.query_params["window"] == "7"
    bodies = " ".join(h.proto.body for h in at.get("html"))
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in bodies
    assert "<script>window" not in bodies and "<img src=x" not in bodies
    assert "javascript:" not in bodies                    # unsafe URL not made a link
    assert "&lt;b&gt;Outlet&lt;/b&gt;" in bodies


def test_upload_goes_through_ingestion(tmp_path, monkeypatch):
    db = tmp_path / "up.sqlite"
    sample.write_store(db, sample.fixture_records())
    monkeypatch.setenv("INCIDENT_DB", str(db))
    monkeypatch.setenv("INCIDENT_TILES", "none")
    at = open_tab(AppTest.from_file(APP, default_timeout=120).run(), "Add articles")
    before = shown(at)
    text = (sample.SEEDS / "002_6cc9c1c7d50e6349.txt").read_bytes()
    at.file_uploader(key="up_files").set_value([
        ("hadrut_report.txt", text, "text/plain"),
        ("picture.txt", b"\x89PNG\r\n\x1a\n" + b"\0" * 64, "text/plain"),
    ])
    at.date_input(key="up_published").set_value(date(2020, 10, 9))
    at.button(key="up_submit").click().run()
    assert not at.exception, at.exception
    assert any("hadrut_report.txt: added" in s for s in said(at.success))
    assert any("picture.txt" in e for e in said(at.error))        # per-file error shown
    assert shown(at) > before                                     # the map was updated
    assert len(map_rows(at)) == shown(at)


def test_precise_checkbox_in_url(app):
    at = app.run()
    assert at.checkbox(key="f_precise").value                   # on by default
    at.checkbox(key="f_precise").uncheck().run()
    assert not at.exception and at.query_params["precise"] == "0"
    assert shown(at) == N            # the fixture has no region-level incidents


def test_upload_without_a_date_keeps_the_files_and_says_dates_are_unknown(tmp_path, monkeypatch):
    db = tmp_path / "up.sqlite"
    sample.write_store(db, sample.fixture_records())
    monkeypatch.setenv("INCIDENT_DB", str(db))
    monkeypatch.setenv("INCIDENT_TILES", "none")
    at = open_tab(AppTest.from_file(APP, default_timeout=120).run(), "Add articles")
    text = (sample.SEEDS / "002_6cc9c1c7d50e6349.txt").read_bytes()
    at.file_uploader(key="up_files").set_value([("undated.txt", text, "text/plain")])
    at.button(key="up_submit").click().run()
    assert not at.exception, at.exception
    assert any("undated.txt: added" in s for s in said(at.success))
    assert any("dates unknown" in w for w in said(at.warning))


def test_a_long_selection_draws_the_sortable_table_when_asked(tmp_path, monkeypatch):
    """Over SORTABLE_ROWS the 100-row reading table and the downloads are there at once;
    the sortable table of every row (megabytes for the browser) comes with its toggle."""
    from bench.corpus import write_store
    db = tmp_path / "long.sqlite"
    write_store(db, 5200)
    monkeypatch.setenv("INCIDENT_DB", str(db))
    monkeypatch.setenv("INCIDENT_TILES", "none")
    at = AppTest.from_file(APP, default_timeout=120).run()
    assert not at.exception and shown(at) > 5000
    assert not at.dataframe and at.get("download_button")
    assert any("inc-read" in h.proto.body for h in at.get("html"))
    at.toggle(key="f_sortable").set_value(True).run()
    assert len(at.dataframe[0].value) == counts(at)[0] < shown(at)     # claims, by default


def test_long_option_lists_carry_only_what_the_other_filters_leave(app):
    at = app.run()
    from dashboard import data as D
    every = list(at.multiselect(key="f_articles").options)
    at.multiselect(key="f_sides").set_value(["Armenia"]).run()
    left = list(at.multiselect(key="f_articles").options)
    df = D.records_frame(sample.fixture_records())
    armenian = df[df["side"] == "Armenia"]["doc"].nunique()
    assert 0 < len(left) == armenian < len(every)
    assert set(at.multiselect(key="f_sides").options) >= {"Armenia"}   # a choice stays offered


@pytest.fixture(scope="module")
def claims_db(tmp_path_factory):
    """Three outlets' reports of one claim and the other side's claim a day later."""
    tmp = tmp_path_factory.mktemp("claims")
    db = tmp / "claims.sqlite"
    sample.ingest_reports(db, tmp / "articles", sample.CLAIM_REPORTS + [sample.CONTESTING_REPORT])
    return db


@pytest.fixture
def claims_app(claims_db, monkeypatch):
    monkeypatch.setenv("INCIDENT_DB", str(claims_db))
    monkeypatch.setenv("INCIDENT_TILES", "none")
    return AppTest.from_file(APP, default_timeout=60)


def map_claims(at) -> list:
    """The claim markers of the map component (the "c" array beside "r")."""
    for el in at.get("component_instance") + at.get("bidi_component"):
        args = getattr(el.proto, "json_args", "") or ""
        if "markerClusterGroup" in args:
            script = json.loads(args)["feature_group"]
            start = script.index("var D = ") + len("var D = ")
            return json.JSONDecoder().raw_decode(script[start:])[0]["c"]
    raise AssertionError("no map component")


def test_the_map_draws_claims_and_the_outlets_filter_is_in_the_url(claims_app):
    at = claims_app.run()
    assert not at.exception and counts(at) == (2, 4) and len(map_claims(at)) == 2
    at.number_input(key="f_outlets_min").set_value(2).run()
    assert at.query_params["outlets_min"] == "2"
    assert counts(at) == (1, 3) and [c[11] for c in map_claims(at)] == [3]
    at.number_input(key="f_outlets_min").set_value(1).run()
    assert "outlets_min" not in at.query_params and counts(at) == (2, 4)


@pytest.mark.parametrize("value, expected", [("3", 3), ("0", 1), ("many", 1), ("-4", 1),
                                             ("1e9", 1), ("<script>", 1)])
def test_the_outlets_filter_from_the_url_is_validated(claims_app, value, expected):
    claims_app.query_params["outlets_min"] = value
    at = claims_app.run()
    assert not at.exception, at.exception
    assert at.number_input(key="f_outlets_min").value == expected
    assert at.query_params.get("outlets_min") == (str(expected) if expected > 1 else None)


def test_the_table_and_downloads_show_claims_or_reports(claims_app):
    at = claims_app.run()
    assert at.radio(key="f_rows").value == "Claims"
    assert len(at.dataframe[0].value) == 2
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels == ["CSV (2 claims)", "GeoJSON (2 claims)"]
    at.radio(key="f_rows").set_value("Reports").run()
    assert len(at.dataframe[0].value) == 4
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels == ["CSV (4 reports)", "GeoJSON (4 reports)"]


def test_contested_claims_pair_the_claims_with_their_outlet_counts(claims_app):
    at = open_tab(claims_app.run(), "Contested claims")
    assert not at.exception
    assert any("**1** contested pair" in md.value for md in at.markdown)
    cards = " ".join(h.proto.body for h in at.get("html") if "inc-card" in h.proto.body)
    assert "3 reports from 3 outlets" in cards and "1 report from 1 outlet" in cards
