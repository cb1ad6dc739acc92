"""The online fallback, tested with a fake geocoder: never touches the network."""
from __future__ import annotations

import json
from dataclasses import dataclass

import pytest

from geo.nominatim import ENV_ENABLE, NominatimFallback, is_enabled, lookup_online


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


def test_off_by_default(monkeypatch, fb):
    monkeypatch.delenv(ENV_ENABLE, raising=False)
    f, _ = fb
    assert not is_enabled()
    assert lookup_online("قرية زابوخ", fallback=f) is None
    assert f.geocoder.calls == []


def test_switched_on_by_argument_or_environment(monkeypatch, fb):
    f, _ = fb
    monkeypatch.delenv(ENV_ENABLE, raising=False)
    assert lookup_online("قرية زابوخ", enabled=True, fallback=f).name_en == "Zabux"
    monkeypatch.setenv(ENV_ENABLE, "1")
    assert is_enabled() and not is_enabled(False)
    assert lookup_online("قرية زابوخ", fallback=f) is not None
    assert lookup_online("قرية زابوخ", enabled=False, fallback=f) is None


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
