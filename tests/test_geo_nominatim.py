"""The online suggestions for unresolved names, tested with a fake geocoder: never touches the network."""
from __future__ import annotations

import io
import json
from dataclasses import dataclass

import pytest

from extract.unresolved import main as unresolved_main
from geo.nominatim import NominatimFallback


@dataclass
class FakeLocation:
    latitude: float
    longitude: float
    address: str
    raw: dict


class FakeGeocoder:
    def __init__(self, answers):
        self.answers = answers
        self.calls = []

    def geocode(self, query, **kwargs):
        self.calls.append((query, kwargs))
        return self.answers.get(query)


class FakeClock:
    def __init__(self):
        self.now = 100.0
        self.slept = []

    def clock(self):
        return self.now

    def sleep(self, s):
        self.slept.append(s)
        self.now += s


ANSWERS = {
    "قرية زابوخ": FakeLocation(39.60, 46.50, "Zabux, Laçın, Azerbaijan",
                               {"name": "Zabux", "addresstype": "village", "osm_type": "node", "osm_id": 42}),
    "باريس": FakeLocation(48.85, 2.35, "Paris, France", {"name": "Paris", "addresstype": "city"}),
}


@pytest.fixture
def fb(tmp_path):
    clock = FakeClock()
    f = NominatimFallback(cache_path=tmp_path / "nom.json", geocoder=FakeGeocoder(ANSWERS),
                          clock=clock.clock, sleep=clock.sleep)
    return f, clock


def _article_with_unknown_village(tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "a1.txt").write_text("وقصفت القوات الأرمينية قرية ززفلانتوكي في منطقة لاتشين أمس.\n", encoding="utf-8")
    return folder


def test_unresolved_asks_nothing_online_unless_told(tmp_path, fb):
    f, _ = fb
    out = io.StringIO()
    assert unresolved_main([str(_article_with_unknown_village(tmp_path)), "--no-geonames"], out, online=f) == 0
    assert f.geocoder.calls == [] and f.requests == 0
    assert "ززفلانتوكي" in out.getvalue() and "nominatim" not in out.getvalue()


def test_unresolved_with_geocoder_nominatim_adds_openstreetmap_answer(tmp_path, fb):
    f, _ = fb
    f.geocoder.answers["ززفلانتوكي"] = FakeLocation(
        39.61, 46.52, "Zizflantuki, Laçın, Azerbaijan",
        {"name": "Zizflantuki", "addresstype": "village", "osm_type": "node", "osm_id": 7})
    out = io.StringIO()
    assert unresolved_main([str(_article_with_unknown_village(tmp_path)), "--no-geonames",
                            "--geocoder", "nominatim"], out, online=f) == 0
    header, row = out.getvalue().splitlines()[1:3]
    assert header.split("\t")[6] == "nominatim"
    assert row.split("\t")[2] == "ززفلانتوكي"
    assert row.split("\t")[6] == "Zizflantuki (39.6100, 46.5200; nominatim-node7)"
    assert [q for q, _ in f.geocoder.calls] == ["ززفلانتوكي"]


def test_result_marked_and_cached_on_disk(fb, tmp_path):
    f, _ = fb
    p = f.lookup("قرية زابوخ")
    assert (p.source, p.name_en, p.lat, p.lon, p.kind, p.id) == ("nominatim", "Zabux", 39.6, 46.5, "village",
                                                                  "nominatim-node42")
    assert p.geonames_id == "" and p.names_ar == ("قرية زابوخ",)
    query, kwargs = f.geocoder.calls[0]
    assert query == "قرية زابوخ" and kwargs["country_codes"] == ["az", "am", "ir", "ge"]
    # second call: served from the cache, no new request
    assert f.lookup("قرية زابوخ") == p
    assert len(f.geocoder.calls) == 1
    # a new instance reads the cache file written by the first
    cached = json.loads((tmp_path / "nom.json").read_text(encoding="utf-8"))
    assert cached["قريه زابوخ"]["lat"] == 39.6
    g = NominatimFallback(cache_path=tmp_path / "nom.json", geocoder=FakeGeocoder({}))
    assert g.lookup("قرية زابوخ") == p and g.geocoder.calls == []


def test_misses_are_cached_too_and_far_results_dropped(fb):
    f, _ = fb
    assert f.lookup("قرية مجهولة") is None
    assert f.lookup("قرية مجهولة") is None
    assert f.lookup("باريس") is None             # found, but outside the conflict region
    assert [q for q, _ in f.geocoder.calls] == ["قرية مجهولة", "باريس"]


def test_rate_limit_at_most_one_request_a_second(fb):
    f, clock = fb
    f.lookup("أ")
    clock.now += 0.25
    f.lookup("ب")                      # 0.25 s after the first: waits 0.75 s
    f.lookup("ج")                      # right after: waits a full second
    clock.now += 5
    f.lookup("د")                      # long after: no wait
    assert clock.slept == pytest.approx([0.75, 1.0])
    assert f.requests == 4


def test_broken_cache_file_is_ignored(tmp_path):
    path = tmp_path / "nom.json"
    path.write_text("{not json", encoding="utf-8")
    f = NominatimFallback(cache_path=path, geocoder=FakeGeocoder(ANSWERS), sleep=lambda s: None)
    assert f.lookup("قرية زابوخ").name_en == "Zabux"
    assert json.loads(path.read_text(encoding="utf-8"))
