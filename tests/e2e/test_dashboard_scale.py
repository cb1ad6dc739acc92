"""The dashboard on a desk-sized store (20,000 synthetic incidents, bench/corpus.py) in
Debian's headless Chromium: the markers come, a filter change redraws them, a click shows
the Arabic sentence, the contested-claims tab opens, and the Streamlit server's peak memory
stays bounded (it grew by 300 MB/s until killed when contested claims self-joined the table)."""
from __future__ import annotations

import time

import pytest

# the small store's server, browser and page helpers (the module skips without chromium)
from test_dashboard_e2e import REPO, Session, browser  # noqa: F401
from bench.page import peak_rss_mb, streamlit_on

N = 20_000


@pytest.fixture(scope="module")
def big_server(tmp_path_factory):
    from bench.corpus import write_store
    tmp = tmp_path_factory.mktemp("scale")
    db = tmp / "big.sqlite"
    write_store(db, N)
    with streamlit_on(db, tmp / "streamlit.log") as running:
        yield running


def test_a_desk_sized_store_loads_filters_and_opens(big_server, browser, request):
    url, proc = big_server
    s = Session(browser, request)
    page = s.page
    try:
        t0 = time.time()
        page.goto(url + "/")
        frame = s.map_frame(timeout=90)
        first_markers = time.time() - t0
        shown = frame.evaluate("window.claimCount")
        assert 1000 < shown <= N          # (region-level points, if any, are hidden by default)
        frame.wait_for_selector(".leaflet-marker-icon.inc-icon, .leaflet-marker-icon.inc-cluster-icon")

        # a filter change redraws the map with fewer incidents (here through the URL, as a
        # shared link does; the sidebar widgets are driven on the small store in
        # test_dashboard_e2e.py: on this big page a widget change made while the first run
        # was still drawing the lower tabs was sometimes lost by the test's timing)
        page.goto(url + "/?claimant=am_mod")
        t1 = time.time()
        deadline = t1 + 150
        n = shown
        while time.time() < deadline:
            try:
                frame = s.map_frame(timeout=5)
                n = frame.evaluate("window.claimCount")
            except Exception:
                continue            # the frame was being replaced
            if n < shown:
                break
            page.wait_for_timeout(300)
        redraw = time.time() - t1
        if not (0 < n < shown):
            page.screenshot(path=str(REPO / "test-artifacts" / "scale-filter.png"), full_page=True)
        assert 0 < n < shown and "claimant=am_mod" in page.url

        # zoom in on one marker and click it: the popup shows its Arabic sentence
        frame.evaluate("""() => {
            const m = window.incidentLayer.getLayers()[0];
            window.incidentLayer.zoomToShowLayer(m, () => m.openPopup());
        }""")
        sentence = frame.locator(".leaflet-popup .inc-sentence")
        sentence.wait_for(timeout=30000)
        assert sentence.get_attribute("dir") == "rtl" and len(sentence.inner_text()) > 10

        # the contested-claims tab opens on this store
        page.get_by_role("tab", name="Contested claims").click()
        page.get_by_text("contested pair", exact=False).or_(
            page.get_by_text("No contested claims", exact=False)).first.wait_for(timeout=30000)

        peak = peak_rss_mb(proc.pid)
        print(f"{N} incidents: first markers {first_markers:.1f} s, filter redraw {redraw:.1f} s, "
              f"server peak RSS {peak:.0f} MB")
        assert peak < 1500, f"server peak RSS {peak:.0f} MB"
        assert not s.errors, s.errors
    finally:
        s.page.close()
