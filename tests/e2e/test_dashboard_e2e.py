"""End to end: `streamlit run dashboard/app.py` on a temp store, driven in Debian's headless
Chromium by Playwright. The page loads, shows markers, a claimant filter changes them, a
click shows the Arabic source sentence, hostile article text stays text, and no request
leaves for another host. On failure a screenshot lands in test-artifacts/."""
from __future__ import annotations

from pathlib import Path
from urllib.parse import urlparse

import pytest

from bench.page import CHROMIUM, CHROMIUM_ARGS, map_frame, streamlit_on
from dashboard import assets
import sample

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "test-artifacts"

if not Path(CHROMIUM).exists():
    pytest.skip(f"{CHROMIUM} is absent (Debian package `chromium`, installed by "
                "scripts/install.sh --test)", allow_module_level=True)

from playwright.sync_api import Frame, Page, sync_playwright  # noqa: E402

N = len(sample.fixture_records())


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    assert not assets.missing(), (
        f"map assets missing from {assets.VENDOR}: {assets.missing()} "
        "(run `cd dashboard && npm install && python -m dashboard.assets`)")
    tmp = tmp_path_factory.mktemp("e2e")
    db = tmp / "incidents.sqlite"
    sample.write_store(db, sample.fixture_records())
    with streamlit_on(db, tmp / "streamlit.log") as (url, _):
        yield url


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


class Session:
    """A page plus everything it requested."""

    def __init__(self, browser, request):
        self.page: Page = browser.new_page(viewport={"width": 1400, "height": 1000})
        self.requests: list[str] = []
        self.failed: list[str] = []
        self.errors: list[str] = []
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("response", lambda r: self.failed.append(f"{r.status} {r.url}")
                     if r.status >= 400 else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.name = request.node.name

    def map_frame(self, count: int | None = None, timeout: float = 45) -> Frame:
        """The map iframe once its markers are built (with `count` incidents if given)."""
        try:
            return map_frame(self.page, count, timeout)
        except AssertionError as e:
            raise AssertionError(f"{e}; errors: {self.errors}") from None

    def external(self, base: str) -> list[str]:
        own = urlparse(base).netloc
        return [u for u in self.requests
                if urlparse(u).scheme in ("http", "https", "ws", "wss")
                and urlparse(u).netloc != own]


@pytest.fixture
def session(browser, request):
    s = Session(browser, request)
    yield s
    failed = getattr(request.node, "rep_call", None)
    if failed is None or failed.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        try:
            s.page.screenshot(path=str(ARTIFACTS / f"{s.name}.png"), full_page=True)
        except Exception:
            pass
    s.page.close()


def visible_markers(frame: Frame) -> int:
    """Incident markers and clusters on the map (not the offline layer's place labels)."""
    return frame.locator(".leaflet-marker-icon:not(.basemap-label)").count()


def test_map_filter_click_and_no_foreign_requests(server, session):
    page = session.page
    page.goto(server + "/")
    frame = session.map_frame(N)
    # markers: every incident is in the cluster layer, icons are on the map, legend counts
    assert frame.evaluate("window.incidentLayer.getLayers().length") == N
    frame.wait_for_selector(".leaflet-marker-icon.inc-icon, .leaflet-marker-icon.inc-cluster-icon")
    assert visible_markers(frame) > 0
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "dashboard-all.png"))
    assert frame.locator(".inc-count").get_attribute("data-count") == str(N)
    assert frame.locator(".inc-legend").inner_text().count("Azerbaijan") == 1

    # choose one claimant in the sidebar: the map is rebuilt with its incidents only
    page.locator(".st-key-f_claimants input[role='combobox']").click()
    page.locator("[role='option']", has_text="Armenia MoD").first.click()
    page.keyboard.press("Escape")
    frame = session.map_frame(1)
    assert frame.evaluate("window.incidentLayer.getLayers().length") == 1
    frame.wait_for_selector(".leaflet-marker-icon.inc-icon")
    assert visible_markers(frame) == 1
    assert "claimant=am_mod" in page.url

    # click the marker: the popup shows the Arabic sentence, right to left, place marked
    frame.locator(".leaflet-marker-icon.inc-icon").first.click()
    sentence = frame.locator(".leaflet-popup .inc-sentence")
    sentence.wait_for()
    assert "صدت أمس هجوما أذربيجانيا على بلدة" in sentence.inner_text()
    assert sentence.get_attribute("dir") == "rtl"
    assert frame.locator(".leaflet-popup .inc-sentence mark").inner_text() == "هادروت"
    assert frame.evaluate(
        "getComputedStyle(document.querySelector('.inc-sentence')).direction") == "rtl"
    # ... and Streamlit lists the incidents at that place under the map
    panel = page.locator(".st-key-selected_place")
    panel.wait_for(timeout=20000)
    assert "هادروت" in panel.inner_text()
    ARTIFACTS.mkdir(exist_ok=True)   # for a look at the rendering (Arabic glyphs, legend)
    page.screenshot(path=str(ARTIFACTS / "dashboard-popup.png"))
    page.screenshot(path=str(ARTIFACTS / "dashboard-page.png"), full_page=True)

    # panning/zooming does not rerun Streamlit (no new map frame, same selection)
    frame.evaluate("window.map.setZoom(window.map.getZoom() - 1)")
    page.wait_for_timeout(1500)
    assert session.map_frame(1) is frame

    assert not session.external(server), session.external(server)
    assert not session.failed, session.failed
    assert not session.errors, session.errors


def test_hostile_article_text_stays_text(server, session):
    page = session.page
    page.goto(server + "/?claimant=unattributed&place=Khojaly")
    frame = session.map_frame(1)
    frame.wait_for_selector(".leaflet-marker-icon.inc-icon")
    frame.locator(".leaflet-marker-icon.inc-icon").first.hover()
    tip = frame.locator(".leaflet-tooltip")
    tip.wait_for()
    assert "Khojaly" in tip.inner_text()
    frame.locator(".leaflet-marker-icon.inc-icon").first.click()
    popup = frame.locator(".leaflet-popup .inc-popup")
    popup.wait_for()
    assert "<script>window.__pwned=1</script>" in popup.inner_text()
    assert "<b>Outlet</b>, published 2020-10-20" in popup.inner_text()    # the report's outlet
    assert popup.locator("script, img, b").count() == 0
    assert popup.locator("a").count() == 0              # javascript: URL not linked
    page.locator(".st-key-selected_place").wait_for(timeout=20000)
    page.wait_for_timeout(1000)
    for f in page.frames:
        assert f.evaluate("window.__pwned") is None, f.url
    assert not session.external(server), session.external(server)


def test_the_table_shows_whole_arabic_sentences(server, session):
    page = session.page
    page.goto(server + "/")
    cell = page.locator(".inc-read td.sent", has_text="صدت أمس هجوما أذربيجانيا على بلدة").first
    cell.wait_for(timeout=60000)
    text = cell.inner_text()
    assert text.startswith("وقالت المتحدثة")            # the first letters are there
    assert cell.evaluate("e => getComputedStyle(e).direction") == "rtl"
    assert cell.evaluate("e => e.scrollWidth <= e.clientWidth + 1")   # wrapped, not cut
    ARTIFACTS.mkdir(exist_ok=True)
    page.locator(".inc-read").first.screenshot(path=str(ARTIFACTS / "dashboard-table.png"))


def test_csv_download_is_made_when_clicked(server, session):
    """The downloads are built only when clicked (a callable, not bytes on every run): the
    file still comes, with the incidents of the selection."""
    page = session.page
    page.goto(server + "/?side=Armenia")
    session.map_frame()
    button = page.locator(".st-key-dl_csv button")
    button.wait_for(timeout=60000)
    with page.expect_download(timeout=60000) as dl:
        button.click()
    body = Path(dl.value.path()).read_text(encoding="utf-8-sig")
    rows = body.strip().splitlines()
    assert rows[0].startswith("id,") or "place" in rows[0]
    shown = int(button.inner_text().split("(")[1].split()[0])
    assert len(rows) - 1 == shown > 0
    assert "am_mod" in body or "nk_" in body          # Armenian-side claimants only
    assert "az_mod" not in body


def test_filters_chosen_one_after_another_all_hold(server, session):
    """A side, then an event type, then the region-level toggle: each choice keeps the ones
    before it (a multiselect's choice travels as its label; when the labels carried live
    counts, the second choice changed the first one's label and the side was lost: 0 shown)."""
    from bench.page import CHANGES, mark_maps
    from dashboard import data as D
    df = D.records_frame(sample.fixture_records())
    page = session.page
    page.goto(server + "/")
    session.map_frame(N)
    page.get_by_role("tab", name="Incidents").wait_for(timeout=60000)
    wanted = [D.Filters(sides=("Armenia",)),
              D.Filters(sides=("Armenia",), event_types=("shelling",)),
              D.Filters(sides=("Armenia",), event_types=("shelling",), precise=False)]
    shown = N
    for (name, change), f in zip(CHANGES, wanted):
        expected = len(D.apply_filters(df, f))
        assert expected > 0
        mark_maps(page)
        change(page)
        # the same selection is not drawn again (the fixture has no region-level points)
        frame = map_frame(page, expected, fresh=expected != shown)
        shown = expected
        page.wait_for_timeout(300)
        assert frame.evaluate("window.claimCount") == expected, name
    assert "side=Armenia&" in page.url + "&" and "type=shelling" in page.url
    assert "precise=0" in page.url


def test_offline_basemap_draws_borders_and_districts_with_no_network(server, session):
    """With no tile layer (a closed network) the map still has a background: Natural
    Earth's borders from the app's own static folder, and the gazetteer's districts."""
    page = session.page
    page.goto(server + "/")
    frame = session.map_frame(N)
    frame.wait_for_function("window.basemapCountries === 6", timeout=30000)
    assert frame.locator("path.leaflet-interactive, .leaflet-overlay-pane path").count() >= 6
    labels = frame.locator(".basemap-label")
    assert labels.count() >= 20
    assert frame.locator(".basemap-label", has_text="Jabrayil").count() >= 1
    assert frame.locator(".basemap-label .ar").first.get_attribute("dir") == "rtl"
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "dashboard-offline-basemap.png"))
    assert not session.external(server), session.external(server)
    assert not session.errors, session.errors


def test_the_map_falls_back_to_the_offline_layer_when_tiles_fail(tmp_path, browser, request):
    """Tiles from a server that does not answer: the page switches to the offline layer."""
    db = tmp_path / "incidents.sqlite"
    sample.write_store(db, sample.fixture_records())
    with streamlit_on(db, tmp_path / "streamlit.log",
                      tiles="http://127.0.0.1:9/{z}/{x}/{y}.png") as (url, _):
        s = Session(browser, request)
        try:
            s.page.goto(url + "/")
            frame = s.map_frame(N)
            frame.wait_for_function("window.basemapFellBack === true", timeout=30000)
            frame.wait_for_function("window.basemapCountries === 6", timeout=30000)
            assert frame.locator(".leaflet-control-layers").count() == 1
        finally:
            s.page.close()


def test_a_cluster_click_zooms_to_show_all_its_markers(server, session):
    page = session.page
    page.goto(server + "/")
    frame = session.map_frame(N)
    frame.wait_for_selector(".inc-cluster-icon")
    # a cluster whose incidents lie at several points
    found = frame.evaluate("""() => {
        const layer = window.incidentLayer, map = layer._map;
        const icons = [...document.querySelectorAll('.inc-cluster-icon')];
        for (let i = 0; i < icons.length; i++) {
            let hit = null;
            layer._featureGroup.eachLayer(l => { if (l._icon === icons[i]) hit = l; });
            if (hit && !hit.getBounds().getNorthEast().equals(hit.getBounds().getSouthWest())) {
                icons[i].setAttribute('data-probe', '1');
                window.__probe = hit.getAllChildMarkers().map(m => m.getLatLng());
                window.__zoom0 = map.getZoom();
                return true;
            }
        }
        return false;
    }""")
    assert found, "the fixture has a cluster over several points at the first zoom"
    frame.locator(".inc-cluster-icon[data-probe='1']").click()
    frame.wait_for_function("window.incidentLayer._map.getZoom() > window.__zoom0", timeout=10000)
    page.wait_for_timeout(600)                      # the zoom animation ends
    assert frame.evaluate("""() => {
        const map = window.incidentLayer._map, b = map.getBounds();
        return window.__probe.every(p => b.contains(p));
    }""")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "dashboard-cluster-click.png"))


@pytest.fixture(scope="module")
def claim_server(tmp_path_factory):
    """A store of one claim that three outlets carried in their own words."""
    tmp = tmp_path_factory.mktemp("claims")
    db = tmp / "claims.sqlite"
    sample.ingest_reports(db, tmp / "articles", sample.CLAIM_REPORTS)
    with streamlit_on(db, tmp / "streamlit.log") as (url, _):
        yield url


def test_a_claim_with_several_reports_shows_all_their_sentences(claim_server, session):
    page = session.page
    page.goto(claim_server + "/")
    frame = session.map_frame(1)                    # one marker: the claim
    assert frame.evaluate("window.reportCount") == len(sample.CLAIM_REPORTS)
    icon = frame.locator(".leaflet-marker-icon.inc-icon")
    icon.wait_for()
    assert icon.count() == 1
    icon.hover()
    tip = frame.locator(".leaflet-tooltip")
    tip.wait_for()
    assert "Tartar" in tip.inner_text() and "3 outlets" in tip.inner_text()
    icon.click()
    popup = frame.locator(".leaflet-popup .inc-popup")
    popup.wait_for()
    assert "3 reports from 3 outlets" in popup.inner_text()
    sentences = popup.locator(".inc-sentence")
    # every report's whole sentence, right to left, the place marked; newest last
    assert [s.inner_text().strip() for s in sentences.all()] == [
        text for *_, text in sample.CLAIM_REPORTS]
    assert all(s.get_attribute("dir") == "rtl" for s in sentences.all())
    assert [m.inner_text() for m in popup.locator(".inc-sentence mark").all()] == ["ترتر"] * 3
    assert [s.inner_text() for s in popup.locator(".inc-source").all()] == [
        f"{outlet}, published {published}" for _, published, outlet, _ in sample.CLAIM_REPORTS]
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "dashboard-claim-popup.png"))
    panel = page.locator(".st-key-selected_place")
    panel.wait_for(timeout=20000)
    assert "Tartar: 3 reports here" in panel.inner_text()
    assert not session.external(claim_server), session.external(claim_server)
    assert not session.errors, session.errors
