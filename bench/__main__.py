"""python -m bench [--quick] [--articles N] [--workers N] [--dask] [--profile] [--markdown]

Synthetic corpus -> extraction on one core -> with N processes (and on Dask) -> ingestion
into the SQLite store -> the dashboard's map build against the naive one-Marker-per-incident
baseline -> the dashboard page in headless Chromium (bench/page.py) on stores of 1k/20k/100k
incidents against the seed store. Every stage runs in a fresh process (bench/stages.py) and
reports its peak memory.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from bench.corpus import make_corpus, corpus_bytes

REPO = Path(__file__).resolve().parent.parent
MB = 1024 * 1024
TARGETS = {"extract_1": 500.0, "ingest": 200.0, "map_20k_s": 1.0, "map_ratio": 10.0,
           "page_ratio_20k": 1.5, "page_redraw_20k_s": 1.0, "page_peak_100k_mb": 1500.0}


def run_stage(stage: str, repo: Path = REPO, **args) -> dict:
    """Run one stage in a fresh process, with `repo` (this checkout, or a compiled copy) first."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(repo)] + [p for p in [env.get("PYTHONPATH")] if p])
    proc = subprocess.run([sys.executable, "-m", "bench.stages", stage, json.dumps(args)],
                          cwd=repo, env=env, capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError(f"stage {stage} {args} failed:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def compiled_row(table: "Table", raw: dict, corpus: Path, one: dict, dest: Path) -> None:
    """Extraction on one process again, the hot modules compiled by mypyc (bench/compiled.py)."""
    from bench import compiled
    label = "extraction, 1 process, compiled (mypyc)"
    if not compiled.available():
        table.add(label, "-", "-", "not run: pip install .[fast]", "-", "-")
        return
    t = time.perf_counter()
    compiled.build(dest)
    build_s = time.perf_counter() - t
    r = run_stage("extract", repo=dest, corpus=str(corpus), workers=1)
    raw["extract_compiled_1"] = dict(r, build_seconds=build_s)
    rate = r["articles"] / r["seconds"]
    same = "identical output" if r["digest"] == one["digest"] else "OUTPUT DIFFERS"
    table.add(label, f"{r['articles']:,} articles", f"{r['seconds']:.1f}",
              f"{rate:.0f} art/s, {r['bytes'] / MB / r['seconds']:.2f} MB/s "
              f"(CPU: {r['articles'] / r['cpu_seconds']:.0f} art/s; build {build_s:.0f} s)",
              f"target >= {TARGETS['extract_1']:.0f} art/s: {_ok(rate, TARGETS['extract_1'])}; "
              f"x{one['seconds'] / r['seconds']:.2f} over pure Python; {same}",
              f"{r['peak_mb']:.0f}")


def claims_row(table: "Table", raw: dict, n: int = 100_000) -> None:
    """Claims built from n synthetic store records (extract/claims.py: grouping by place and
    side, one pass in date order; target under 2 s for 100,000)."""
    from bench.corpus import map_records
    from extract.claims import build_claims
    records = map_records(n)
    t = time.process_time()
    claims = build_claims(records)
    seconds = time.process_time() - t
    raw["claims"] = {"incidents": n, "claims": len(claims), "cpu_seconds": seconds}
    table.add("claims built (extract.claims)", f"{n:,} incidents", f"{seconds:.2f}",
              f"{len(claims):,} claims, {n / seconds:,.0f} incidents/s CPU",
              f"target < 2 s: {'meets' if seconds < 2 else 'MISSES'}", "-")


def html_row(table: "Table", raw: dict) -> None:
    """Saved web pages (trafilatura) against the same articles as text (bench/html.py)."""
    from bench import html
    r = html.measure()
    raw["html"] = r
    table.add("extraction, saved web pages", "5 Arabic pages", f"{r['html_ms'] / 1000:.3f}",
              f"{r['html_ms']:.1f} ms/article (reading {r['read_html_ms']:.1f} ms)",
              f"x{r['html_ms'] / r['text_ms']:.2f} of the same articles as text ({r['text_ms']:.1f} ms)", "-")


def long_text_row(table: "Table", raw: dict) -> None:
    """One unpunctuated article of 100 KB and of 1 MB: linear cost is x10 (bench/long_text.py)."""
    from bench import long_text
    small, big = long_text.measure((100_000, 1_000_000))
    raw["long_text"] = [small, big]
    ratio = big["cpu_seconds"] / small["cpu_seconds"]
    table.add("extraction, 1 MB unpunctuated article", "1 article", f"{big['cpu_seconds']:.2f}",
              f"100 KB: {small['cpu_seconds']:.2f} s CPU", f"x{ratio:.1f} for x10 the text "
              f"(linear: x10): {'linear' if ratio < 20 else 'SUPERLINEAR'}", "-")


def page_rows(table: "Table", raw: dict, sizes: str) -> None:
    """The dashboard page in headless Chromium, the seed store as the baseline in the same run."""
    from bench import page
    label = "dashboard page (Chromium)"
    if sizes == "none":
        return
    if not page.available():
        table.add(label, "-", "-", f"not run: needs {page.CHROMIUM} and playwright", "-", "-")
        return
    results = page.run(["seeds"] + sizes.split(","))
    raw["page"] = results
    base = results[0]["first_markers_s"]
    for row, r in zip(page.rows(results), results):
        row = list(row)
        if r["size"] == "20000":
            redraws = [c["seconds"] for c in r["changes"] if c["seconds"] is not None]
            ok = (r["first_markers_s"] <= TARGETS["page_ratio_20k"] * base
                  and all(x <= TARGETS["page_redraw_20k_s"] for x in redraws))
            row[4] += f"; target <= x1.5 & redraw <= 1 s: {'meets' if ok else 'MISSES'}"
        if r["size"] == "100000":
            row[4] += (f"; target peak < 1.5 GB: "
                       f"{_ok(r['peak_mb'], TARGETS['page_peak_100k_mb'], higher_is_better=False)}")
        table.add(*row)


def machine() -> str:
    model = platform.processor() or ""
    try:
        out = subprocess.run(["lscpu"], capture_output=True, text=True).stdout
        for line in out.splitlines():
            if line.startswith("Model name:"):
                model = line.split(":", 1)[1].strip()
    except OSError:
        pass
    load = ""
    if hasattr(os, "getloadavg"):
        load = " load average at start {:.1f}".format(os.getloadavg()[0])
    return (f"{os.cpu_count()} cores, {model or 'unknown CPU'}, Python {platform.python_version()},"
            f"{load}")


class Table:
    COLS = ("Stage", "Size", "Time (s)", "Throughput", "vs. baseline / target", "Peak RSS (MB)")

    def __init__(self):
        self.rows: list[tuple[str, ...]] = []

    def add(self, *cells) -> None:
        self.rows.append(tuple(str(c) for c in cells))
        print("  " + " | ".join(str(c) for c in cells), file=sys.stderr, flush=True)

    def text(self) -> str:
        widths = [max(len(r[i]) for r in [self.COLS] + self.rows) for i in range(len(self.COLS))]
        line = lambda r: "  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip()
        return "\n".join([line(self.COLS), line(tuple("-" * w for w in widths))]
                         + [line(r) for r in self.rows])

    def markdown(self) -> str:
        out = ["| " + " | ".join(self.COLS) + " |", "|" + "---|" * len(self.COLS)]
        out += ["| " + " | ".join(c.replace("|", "\\|") for c in r) + " |" for r in self.rows]
        return "\n".join(out)


def _ok(value: float, target: float, higher_is_better: bool = True) -> str:
    good = value >= target if higher_is_better else value <= target
    return "meets" if good else "MISSES"


def profile_extraction(corpus: Path, n: int, top: int = 25) -> str:
    """pyinstrument over single-process extraction of n articles: the call tree."""
    from pyinstrument import Profiler
    from extract.cli import extract_file
    from extract.pipeline import load_resources
    from extract.read import MAX_BYTES, find_manifests, iter_article_paths
    metas, _ = find_manifests([corpus])
    files = iter_article_paths([corpus])[:n]
    load_resources()
    prof = Profiler(interval=0.001)
    prof.start()
    for f in files:
        extract_file((str(f), metas.get(f.name), MAX_BYTES))
    prof.stop()
    return prof.output_text(unicode=False, color=False)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n\n")[1])
    ap.add_argument("--quick", action="store_true", help="small sizes: under a minute")
    ap.add_argument("--articles", type=int, help="synthetic articles (default 5000; quick 300)")
    ap.add_argument("--ingest-articles", type=int,
                    help="articles to ingest (default min(articles, 1000); quick 150)")
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 2,
                    help="processes for the parallel run (default: one per core)")
    ap.add_argument("--dask", action=argparse.BooleanOptionalAction, default=None,
                    help="also run extraction on a dask LocalCluster (default: on unless --quick)")
    ap.add_argument("--map-sizes", default=None,
                    help="comma-separated incident counts (default 1000,10000,20000,50000; "
                         "quick 1000,20000)")
    ap.add_argument("--naive-max", type=int, default=None,
                    help="largest size the naive map baseline is measured at (default 10000; "
                         "quick 1000); larger sizes are extrapolated linearly and marked so")
    ap.add_argument("--page-sizes", default=None,
                    help="comma-separated store sizes for the dashboard page in Chromium "
                         "(default 1000,20000,100000; quick 1000,20000; 'none' to skip)")
    ap.add_argument("--corpus", help="keep the synthetic corpus in this folder (default: temp)")
    ap.add_argument("--profile", type=int, nargs="?", const=300, default=0, metavar="N",
                    help="also print a pyinstrument profile of extracting N articles (300)")
    ap.add_argument("--markdown", action="store_true", help="print the table as Markdown")
    ap.add_argument("--json", metavar="FILE", help="write every raw figure here")
    args = ap.parse_args(argv)

    n = args.articles or (300 if args.quick else 5000)
    n_ingest = min(n, args.ingest_articles or (150 if args.quick else 1000))
    sizes = [int(s) for s in (args.map_sizes or ("1000,20000" if args.quick
                                                 else "1000,10000,20000,50000")).split(",")]
    naive_max = args.naive_max if args.naive_max is not None else (1000 if args.quick else 10000)
    use_dask = args.dask if args.dask is not None else not args.quick
    started = time.perf_counter()
    print(f"bench {date.today().isoformat()} on {machine()}", file=sys.stderr)

    raw: dict = {"machine": machine(), "date": date.today().isoformat(), "articles": n}
    table = Table()
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(args.corpus) if args.corpus else Path(tmp) / "corpus"
        t = time.perf_counter()
        paths = make_corpus(n, corpus)
        gen = time.perf_counter() - t
        nbytes = corpus_bytes(paths)
        table.add("synthetic corpus", f"{n:,} articles", f"{gen:.1f}",
                  f"{nbytes / n / 1000:.1f} KB/article avg", "-", "-")

        one = run_stage("extract", corpus=str(corpus), workers=1)
        raw["extract_1"] = one
        rate1 = one["articles"] / one["seconds"]
        table.add("extraction, 1 process", f"{one['articles']:,} articles", f"{one['seconds']:.1f}",
                  f"{rate1:.0f} art/s, {one['bytes'] / MB / one['seconds']:.2f} MB/s "
                  f"(CPU: {one['articles'] / one['cpu_seconds']:.0f} art/s)",
                  f"target >= {TARGETS['extract_1']:.0f} art/s: {_ok(rate1, TARGETS['extract_1'])}",
                  f"{one['peak_mb']:.0f}")
        compiled_row(table, raw, corpus, one, Path(tmp) / "compiled")
        par = [("local", args.workers, f"extraction, --workers {args.workers}")]
        if use_dask:
            par.append(("dask", args.workers, f"extraction, dask LocalCluster ({args.workers} procs)"))
        for engine, w, label in par:
            r = run_stage("extract", corpus=str(corpus), workers=w, engine=engine)
            raw[f"extract_{engine}_{w}"] = r
            same = "identical output" if r["digest"] == one["digest"] else "OUTPUT DIFFERS"
            rate = r["articles"] / r["seconds"]
            table.add(label, f"{r['articles']:,} articles", f"{r['seconds']:.1f}",
                      f"{rate:.0f} art/s, {r['bytes'] / MB / r['seconds']:.2f} MB/s",
                      f"speed-up x{one['seconds'] / r['seconds']:.2f} over 1; {same}",
                      f"{r['peak_mb']:.0f} (all processes)")

        long_text_row(table, raw)
        html_row(table, raw)
        claims_row(table, raw, 20_000 if args.quick else 100_000)
        ing = run_stage("ingest", corpus=str(corpus), n=n_ingest)
        raw["ingest"] = ing
        irate = ing["articles"] / ing["seconds"]
        table.add("ingestion (read+extract+store)", f"{ing['articles']:,} articles",
                  f"{ing['seconds']:.1f}", f"{irate:.0f} art/s",
                  f"target >= {TARGETS['ingest']:.0f} art/s: {_ok(irate, TARGETS['ingest'])}",
                  f"{ing['peak_mb']:.0f}")
        table.add("  of which store writes alone", f"{ing['articles']:,} articles, "
                  f"{ing['store_incidents']:,} incidents", f"{ing['store_seconds']:.2f}",
                  f"{ing['articles'] / ing['store_seconds']:.0f} art/s", "-", "-")

    naive_per_incident = None
    for size in sizes:
        fast = run_stage("map", n=size, variant="fast")
        raw[f"map_fast_{size}"] = fast
        if size <= naive_max:
            naive = run_stage("map", n=size, variant="naive")
            raw[f"map_naive_{size}"] = naive
            naive_s, naive_note = naive["seconds"], "measured"
            naive_per_incident = naive_s / size
            table.add("map build, naive baseline", f"{size:,} incidents", f"{naive_s:.2f}",
                      f"{size / naive_s:,.0f} incidents/s, HTML {naive['html_bytes'] / MB:.1f} MB",
                      "-", f"{naive['peak_mb']:.0f} (+{naive['peak_mb'] - naive['base_mb']:.0f})")
        elif naive_per_incident is not None:
            naive_s, naive_note = naive_per_incident * size, "extrapolated"
            table.add("map build, naive baseline", f"{size:,} incidents", f"~{naive_s:.0f} (est.)",
                      "not run", f"EXTRAPOLATED linearly from {naive_max:,}", "-")
        else:
            naive_s, naive_note = None, "no naive figure"
        ratio = (f"x{naive_s / fast['seconds']:.1f} vs naive"
                 + ("" if naive_note == "measured" else " (naive extrapolated)")) if naive_s else naive_note
        if size == 20000:
            ok = fast["seconds"] <= TARGETS["map_20k_s"] and (naive_s or 0) >= TARGETS["map_ratio"] * fast["seconds"]
            ratio += f"; target <= 1 s & x10: {'meets' if ok else 'MISSES'}"
        table.add("map build, dashboard (build_map)", f"{size:,} incidents", f"{fast['seconds']:.2f}",
                  f"{size / fast['seconds']:,.0f} incidents/s, HTML {fast['html_bytes'] / MB:.1f} MB",
                  ratio, f"{fast['peak_mb']:.0f} (+{fast['peak_mb'] - fast['base_mb']:.0f})")

    page_rows(table, raw, args.page_sizes or ("1000,20000" if args.quick else "1000,20000,100000"))

    raw["total_seconds"] = time.perf_counter() - started
    print(f"\nbench {raw['date']}: {raw['machine']}; {n:,} synthetic articles; "
          f"total {raw['total_seconds']:.0f} s\n")
    print(table.markdown() if args.markdown else table.text())
    print("\nTimes are wall-clock inside a fresh process per stage (interpreter start-up "
          "excluded, process-pool/cluster start-up included). Peak RSS: ru_maxrss of the stage's "
          "process; for the parallel rows the sampled peak sum over all its processes; map rows "
          "also show (+growth over the RSS just before the build).")
    if args.json:
        Path(args.json).write_text(json.dumps(raw, indent=2))
    if args.profile:
        with tempfile.TemporaryDirectory() as tmp:
            make_corpus(args.profile, Path(tmp))
            print("\n" + profile_extraction(Path(tmp), args.profile))
    return 0


if __name__ == "__main__":
    sys.exit(main())
