"""The dashboard page in Debian's headless Chromium, on stores of several sizes.

    python -m bench.page [--sizes seeds,1000,20000,100000] [--changes 3] [--json FILE]

For each store: the time from opening the page to the first markers on the map, the time
each of `--changes` sidebar filter changes takes to redraw the map, and the Streamlit
server's peak resident memory through all of it (VmHWM). The seed store (the 45 incidents
of the bundled articles) is the baseline, measured in the same run; the other stores are
synthetic (bench/corpus.py). Needs /usr/bin/chromium and playwright (pip install .[test]).

`streamlit_on` and `map_frame` are also what the end-to-end tests run the page with.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def streamlit_on(db: Path, log_path: Path, tiles: str = "none"):
    """`streamlit run dashboard/app.py` on the store `db`, headless on a free local port:
    yields (url, process) once it answers its health check."""
    port = free_port()
    log = open(log_path, "w")
    env = dict(os.environ, PYTHONPATH=str(REPO))
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "dashboard/app.py",
         "--server.headless", "true", "--server.address", "127.0.0.1",
         "--server.port", str(port), "--server.fileWatcherType", "none",
         "--browser.gatherUsageStats", "false", "--server.enableStaticServing", "true",
         "--", "--db", str(db), "--tiles", tiles],
        cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 60
        while True:
            try:
                with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.time() > deadline:
                raise RuntimeError("streamlit did not start:\n" + log_path.read_text())
            time.sleep(0.3)
        yield url, proc
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def peak_rss_mb(pid: int) -> float:
    """The process's peak resident size so far (the kernel's VmHWM)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def map_frame(page, count: int | None = None, timeout: float = 45, fresh: bool = False):
    """The map iframe once its markers are built (with `count` incidents if given; with
    `fresh`, only markers drawn after `mark_maps` was called: a new frame, or the same frame
    whose incident group was replaced)."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        for f in page.frames:
            if "streamlit_folium" not in f.url:
                continue
            try:
                n, new = f.evaluate("[window.claimCount, window.__benchMark === undefined"
                                    " || window.incidentDraws > window.__benchMark]")
            except Exception:
                continue            # the frame is being replaced
            if n is not None and (count is None or n == count) and (new or not fresh):
                return f
        page.wait_for_timeout(50)   # (time.sleep would not pump events)
    raise AssertionError(f"no map with {count} incidents in {timeout} s; "
                         f"frames: {[f.url for f in page.frames]}")


def mark_maps(page) -> None:
    """Note how often each map on the page has drawn its incidents, so that
    `map_frame(fresh=True)` waits for the next drawing."""
    for f in page.frames:
        if "streamlit_folium" in f.url:
            try:
                f.evaluate("window.__benchMark = window.incidentDraws || 0")
            except Exception:
                pass


def script_state(page) -> str:
    """Streamlit's run state as the page shows it: "running" or "notRunning"."""
    return page.locator("[data-testid='stApp']").get_attribute("data-test-script-state") or ""


def wait_run_over(page, timeout: float = 300) -> None:
    deadline = time.time() + timeout
    while script_state(page) == "running" and time.time() < deadline:
        page.wait_for_timeout(50)


def redrawn_map(page, timeout: float = 300, grace: float = 1.0):
    """The map frame once it has drawn the incidents of a new selection, or None when the
    app's run ended without a new drawing (the selection's incidents are those drawn)."""
    deadline = time.time() + timeout
    started = time.time()
    ran, over_at = False, None
    while time.time() < deadline:
        try:
            return map_frame(page, timeout=0.05, fresh=True)
        except AssertionError:
            pass
        state = script_state(page)
        ran = ran or state == "running"
        if state != "running" and (ran or time.time() - started > 3):
            over_at = over_at or time.time()
            if time.time() - over_at > grace:
                return None
    raise AssertionError(f"the map did not settle in {timeout} s")


def _pick(page, key: str, label: str) -> None:
    """Choose the option labelled `label`."""
    page.locator(f".st-key-{key} input[role='combobox']").click()
    page.locator("[role='option']", has_text=re.compile("^" + re.escape(label) + "$")).first.click()
    page.keyboard.press("Escape")


# Sidebar changes an analyst makes: one claimant side, then one event type, then all
# region-level points shown as well
CHANGES = [
    ("side", lambda page: _pick(page, "f_sides", "Armenia")),
    ("event type", lambda page: _pick(page, "f_types", "Shelling")),
    ("region points", lambda page: page.locator(".st-key-f_precise label").click()),
]


def measure(browser, db: Path, log: Path, changes: int = 3) -> dict:
    """First markers, each filter change's redraw, and the server's peak memory on `db`."""
    with streamlit_on(db, log) as (url, proc):
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        try:
            t0 = time.perf_counter()
            page.goto(url + "/")
            frame = map_frame(page, timeout=300)
            out = {"first_markers_s": time.perf_counter() - t0,
                   "shown": frame.evaluate("window.claimCount"), "changes": []}
            # the page's lower parts are still drawing: let the first run end, as a reader does
            page.get_by_role("tab", name="Incidents").wait_for(timeout=300_000)
            wait_run_over(page)
            page.wait_for_timeout(500)
            for name, change in CHANGES[:changes]:
                mark_maps(page)
                t = time.perf_counter()
                change(page)
                acted = time.perf_counter()
                frame = redrawn_map(page)
                done = time.perf_counter()
                out["changes"].append({
                    "change": name, "action_s": acted - t,
                    # None: the selection drew no other incidents, so the map stayed
                    "seconds": done - acted if frame else None,
                    "shown": frame.evaluate("window.claimCount") if frame else None})
            out["peak_mb"] = peak_rss_mb(proc.pid)
            return out
        finally:
            page.close()


def seed_store(path: Path) -> Path:
    """The store of the bundled seed articles, as the dashboard makes it on first start."""
    from dashboard import data
    settings = data.parse_settings(["--db", str(path)])
    for _ in data.ensure_store(settings):
        pass
    return path


def run(sizes: list[str], changes: int = 3, workdir: Path | None = None) -> list[dict]:
    from playwright.sync_api import sync_playwright
    from bench.corpus import write_store
    tmp = Path(workdir or tempfile.mkdtemp(prefix="bench-page-"))
    results = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for size in sizes:
                db = tmp / f"store-{size}.sqlite"
                if not db.exists():
                    seed_store(db) if size == "seeds" else write_store(db, int(size))
                r = measure(browser, db, tmp / f"streamlit-{size}.log", changes)
                r["size"] = size
                results.append(r)
                print(json.dumps(r), file=sys.stderr, flush=True)
        finally:
            browser.close()
    return results


def rows(results: list[dict]) -> list[tuple[str, ...]]:
    """Table rows: (stage, size, time, throughput, vs. baseline, peak MB)."""
    base = next((r for r in results if r["size"] == "seeds"), None)
    out = []
    for r in results:
        ratio = (f"x{r['first_markers_s'] / base['first_markers_s']:.2f} the seed store"
                 if base and r is not base else "baseline")
        redraws = ", ".join("same" if c["seconds"] is None else f"{c['seconds']:.1f}"
                            for c in r["changes"]) or "-"
        size = "seed store" if r["size"] == "seeds" else f"{int(r['size']):,} incidents"
        out.append(("dashboard page (Chromium)", f"{size} ({r['shown']:,} drawn)",
                    f"{r['first_markers_s']:.1f}",
                    f"first markers {r['first_markers_s']:.1f} s; filter changes {redraws} s",
                    ratio, f"{r['peak_mb']:.0f}"))
    return out


def available() -> bool:
    try:
        import playwright  # noqa: F401
    except ImportError:
        return False
    return Path(CHROMIUM).exists()


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.page", description=__doc__.split("\n\n")[1])
    ap.add_argument("--sizes", default="seeds,1000,20000,100000",
                    help="comma-separated: 'seeds' and incident counts")
    ap.add_argument("--changes", type=int, default=3, help="filter changes to time (at most 3)")
    ap.add_argument("--json", metavar="FILE", help="write the raw figures here")
    args = ap.parse_args(argv)
    if not available():
        print(f"needs {CHROMIUM} and playwright", file=sys.stderr)
        return 2
    results = run(args.sizes.split(","), args.changes)
    for row in rows(results):
        print(" | ".join(row))
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
