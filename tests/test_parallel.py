"""Parallel and distributed extraction give exactly the single-process output, in order.

The corpus: the seed articles, ~300 synthetic ones (bench.corpus, short articles so the
suite stays fast) and one bad file, so errors must come back in their place too.
Speed is measured by `python -m bench`, never here.
"""
from __future__ import annotations

import filecmp
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bench.corpus import make_corpus
from extract.cli import default_workers, extract_file, run_jobs
from extract.read import MAX_BYTES, find_manifests, iter_article_paths

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "seeds"
N_SYNTHETIC = 300


def _jobs(*folders: Path) -> list:
    metas, _ = find_manifests(folders)
    return [(str(f), metas.get(f.name), MAX_BYTES) for f in iter_article_paths(folders)]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("corpus")
    make_corpus(N_SYNTHETIC, d, target_bytes=1_200)
    (d / "zz_empty.txt").write_bytes(b"")                  # fails to read: an error row
    return d


@pytest.fixture(scope="module")
def jobs(corpus) -> list:
    return _jobs(SEEDS, corpus)


@pytest.fixture(scope="module")
def reference(jobs) -> list:
    """The single-process run: what every other engine must reproduce."""
    out = list(run_jobs(jobs, 1))
    assert len(out) == len(jobs) == 5 + N_SYNTHETIC + 1
    assert sum(len(r.incidents) for _, r, _ in out if r is not None) > N_SYNTHETIC
    assert [p for p, _, e in out if e] == [str(Path(jobs[-1][0]))]
    return out


def test_corpus_is_deterministic(tmp_path):
    a = make_corpus(12, tmp_path / "a")
    b = make_corpus(12, tmp_path / "b")
    names = [p.name for p in a] + ["manifest.csv"]
    match, mismatch, errors = filecmp.cmpfiles(tmp_path / "a", tmp_path / "b", names, shallow=False)
    assert not mismatch and not errors and len(match) == 13
    # article i does not depend on how many are made
    c = make_corpus(3, tmp_path / "c")
    assert [p.read_bytes() for p in c] == [p.read_bytes() for p in a[:3]]
    assert 4_000 < sum(p.stat().st_size for p in a) / len(a) < 7_000       # ~5 KB articles


def test_workers_same_output_same_order(jobs, reference):
    assert list(run_jobs(jobs, 2)) == reference


def test_cli_workers_output_identical(tmp_path, corpus):
    small = tmp_path / "small"
    small.mkdir()
    for f in sorted(corpus.glob("synth_00001*.txt")):
        (small / f.name).write_bytes(f.read_bytes())
    (small / "manifest.csv").write_bytes((corpus / "manifest.csv").read_bytes())
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(
        [str(REPO)] + [p for p in [os.environ.get("PYTHONPATH")] if p]))
    outs = []
    for w in ("1", "2"):
        out = tmp_path / f"out{w}.jsonl"
        proc = subprocess.run([sys.executable, "-m", "extract", str(SEEDS), str(small),
                               "--workers", w, "-o", str(out)],
                              cwd=REPO, env=env, capture_output=True, text=True, timeout=120)
        assert proc.returncode == 0, proc.stderr
        outs.append(out.read_bytes())
    assert outs[0] == outs[1] and outs[0].count(b"\n") > 20


def test_default_workers():
    assert default_workers(5) == 1
    assert default_workers(10_000) == (os.cpu_count() or 1)


@pytest.fixture(scope="module")
def dask_client():
    distributed = pytest.importorskip("dask.distributed")
    from extract.distributed import local_cluster
    with local_cluster(n_workers=2) as cluster, distributed.Client(cluster) as client:
        yield client


def test_dask_local_cluster_same_output(dask_client, jobs, reference):
    from extract.distributed import run_on_dask
    address = dask_client.scheduler.address
    assert list(run_on_dask(extract_file, jobs, address)) == reference


def test_dask_order_with_odd_chunks(dask_client):
    from extract.distributed import run_on_dask
    # 103 jobs in chunks of 4 through a window of 8 chunks: order must hold throughout
    got = list(run_on_dask(abs, range(-103, 0), client=dask_client, chunk=4))
    assert got == list(range(103, 0, -1))
    assert list(run_on_dask(abs, [], client=dask_client)) == []


def test_engine_dask_through_cli_runner(dask_client, jobs, reference):
    """run_jobs(engine="dask", scheduler=ADDRESS): the CLI's own wiring."""
    address = dask_client.scheduler.address
    assert list(run_jobs(jobs[:40], 2, "dask", address)) == reference[:40]
