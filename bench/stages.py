"""One measured stage per fresh process: `python -m bench.stages STAGE JSON-ARGS` prints one
JSON object. A fresh process per stage gives each its own peak-memory figure (ru_maxrss, or
the whole process tree sampled with psutil for the parallel stages) and keeps one stage's
caches and garbage out of the next one's timing.
"""
from __future__ import annotations

import hashlib
import json
import os
import resource
import sys
import tempfile
import threading
import time
from pathlib import Path

MB = 1024 * 1024


def _maxrss_mb(who=resource.RUSAGE_SELF) -> float:
    return resource.getrusage(who).ru_maxrss / 1024          # Linux: KiB


def _rss_mb() -> float:
    try:
        import psutil
        return psutil.Process().memory_info().rss / MB
    except ImportError:
        return _maxrss_mb()


class TreeMemory:
    """Peak total RSS of this process and all its descendants, sampled every 20 ms (the
    only honest figure for a pool of workers); falls back to the largest single process."""

    def __init__(self, interval: float = 0.02):
        self.interval, self.peak, self._stop = interval, 0.0, threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _sample(self) -> None:
        import psutil
        me = psutil.Process()
        total = 0
        for p in [me] + me.children(recursive=True):
            try:
                total += p.memory_info().rss
            except (psutil.NoSuchProcess, psutil.AccessDenied):
                pass
        self.peak = max(self.peak, total / MB)

    def _run(self) -> None:
        while not self._stop.is_set():
            self._sample()
            self._stop.wait(self.interval)

    def __enter__(self):
        try:
            import psutil  # noqa: F401
        except ImportError:
            self._thread = None
            return self
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        if self._thread is None:
            self.peak = max(_maxrss_mb(), _maxrss_mb(resource.RUSAGE_CHILDREN))
            return
        self._stop.set()
        self._thread.join()
        # a transient peak between two samples still shows in the high-water marks
        self.peak = max(self.peak, _maxrss_mb(), _maxrss_mb(resource.RUSAGE_CHILDREN))


def _jobs(corpus: str, n: int | None = None):
    from extract.read import MAX_BYTES, find_manifests, iter_article_paths
    metas, _ = find_manifests([corpus])
    files = iter_article_paths([corpus])[:n] if n else iter_article_paths([corpus])
    return [(str(f), metas.get(f.name), MAX_BYTES) for f in files], files


def _digest(results) -> tuple[str, int, int]:
    """A fingerprint of the output (every incident record and error, in order)."""
    h = hashlib.sha256()
    incidents = errors = 0
    for path, result, error in results:
        h.update(Path(path).name.encode() + b"\0" + error.encode() + b"\0")
        if result is not None:
            for inc in result.incidents:
                h.update(json.dumps(inc.record(), ensure_ascii=False, sort_keys=True).encode())
            incidents += len(result.incidents)
        errors += bool(error)
    return h.hexdigest()[:16], incidents, errors


def stage_extract(corpus: str, n: int | None = None, workers: int = 1, engine: str = "local",
                  **_) -> dict:
    """Read + extract every article (extract.cli.run_jobs, the CLI's own loop)."""
    from extract.cli import run_jobs
    from extract.pipeline import load_resources
    jobs, files = _jobs(corpus, n)
    t = time.perf_counter()
    load_resources()
    startup = time.perf_counter() - t
    nbytes = sum(f.stat().st_size for f in files)
    base = _rss_mb()
    with TreeMemory() as mem:
        t, c = time.perf_counter(), time.process_time()
        results = list(run_jobs(jobs, workers, engine))
        wall, cpu = time.perf_counter() - t, time.process_time() - c
    digest, incidents, errors = _digest(results)
    return {"articles": len(jobs), "bytes": nbytes, "seconds": wall, "cpu_seconds": cpu,
            "startup_seconds": startup, "incidents": incidents, "errors": errors,
            "digest": digest, "peak_mb": mem.peak, "base_mb": base,
            "workers": workers, "engine": engine}


def stage_ingest(corpus: str, n: int | None = None, **_) -> dict:
    """extract.ingest.ingest_paths into a new SQLite store; then the store writes alone
    (save_article of already extracted results into a second new store)."""
    from extract import ingest, pipeline, store
    from extract.read import read_article
    jobs, files = _jobs(corpus, n)
    pipeline.load_resources()
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.sqlite"
        base = _rss_mb()
        t = time.perf_counter()
        report = ingest.ingest_paths(files, db, manifest=Path(corpus) / "manifest.csv")
        wall = time.perf_counter() - t
        peak = _maxrss_mb()
        # store only: the same articles, extracted beforehand
        arts = [read_article(p, m, mb) for p, m, mb in jobs]
        done = [(a, pipeline.extract_article(a)) for a in arts]
        conn = store.connect(Path(tmp) / "store-only.sqlite")
        try:
            t = time.perf_counter()
            for a, r in done:
                store.save_article(conn, a, r, store.content_hash(a.text), pipeline.EXTRACTOR_VERSION)
            store_wall = time.perf_counter() - t
            n_art, n_inc = store.counts(conn)
        finally:
            conn.close()
        db_bytes = sum(p.stat().st_size for p in Path(tmp).glob("bench.sqlite*"))
    return {"articles": len(files), "seconds": wall, "ingested": len(report.ingested),
            "failed": len(report.failed), "store_seconds": store_wall, "store_incidents": n_inc,
            "db_bytes": db_bytes, "peak_mb": peak, "base_mb": base}


def stage_map(n: int, variant: str = "fast", tiles: str = "osm", **_) -> dict:
    """Build the dashboard's map for n incidents and render it to HTML (what Streamlit
    ships to the browser). The DataFrame is made beforehand: the app caches it."""
    from bench.corpus import map_records
    from dashboard.data import records_frame
    from dashboard import mapbuild
    build = mapbuild.build_map if variant == "fast" else mapbuild.build_map_naive
    records = map_records(n)
    t = time.perf_counter()
    df = records_frame(records)
    frame_s = time.perf_counter() - t
    del records
    build(df.head(20), tiles=tiles).get_root().render()       # imports, template compiles
    base = _rss_mb()
    t = time.perf_counter()
    html = build(df, tiles=tiles).get_root().render()
    wall = time.perf_counter() - t
    return {"incidents": len(df), "seconds": wall, "frame_seconds": frame_s,
            "html_bytes": len(html.encode("utf-8")), "peak_mb": _maxrss_mb(), "base_mb": base,
            "variant": variant, "sentences": int(df["sentence"].nunique())}


STAGES = {"extract": stage_extract, "ingest": stage_ingest, "map": stage_map}


def main(argv: list[str]) -> int:
    stage, args = argv[0], json.loads(argv[1]) if len(argv) > 1 else {}
    out = STAGES[stage](**args)
    sys.stdout.write(json.dumps(out) + "\n")
    return 0


if __name__ == "__main__":
    # the repository on the path for the spawned pool/dask workers too
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ["PYTHONPATH"] = os.pathsep.join(
        [str(Path(__file__).resolve().parent.parent)] + [p for p in [os.environ.get("PYTHONPATH")] if p])
    sys.exit(main(sys.argv[1:]))
