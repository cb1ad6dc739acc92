"""Run the per-article function on a Dask cluster (the optional extra `.[dask]`).

    run_on_dask(extract_file, jobs)                      # a LocalCluster of processes
    run_on_dask(extract_file, jobs, "tcp://host:8786")   # an existing scheduler

The jobs are cut into chunks (one task per chunk, so the scheduler's per-task overhead is
paid once per few dozen articles, not per article), submitted with `Client.map`, and the
results are yielded in input order: the output is the same as `map(fn, jobs)`. At most a
few chunks per worker are in flight, so a corpus of millions of articles is never all in
the scheduler's memory, and results are released as soon as they have been yielded.

The workers of a remote cluster must be able to import this package (install it in the
workers' environment, e.g. `pip install .[dask]`) and read the article paths: a shared
filesystem or the same mount point on every machine.
"""
from __future__ import annotations

import logging
import os
from collections import deque
from itertools import islice
from typing import Callable, Iterable, Iterator, Optional, Sequence, TypeVar

J = TypeVar("J")
R = TypeVar("R")

CHUNKS_IN_FLIGHT_PER_WORKER = 4
MAX_CHUNK = 64


def _run_chunk(fn: Callable[[J], R], chunk: Sequence[J]) -> list[R]:
    """One task: fn over a chunk of jobs, in order."""
    return [fn(job) for job in chunk]


def chunk_size(n_jobs: int, n_workers: int) -> int:
    """Enough chunks to keep every worker busy and balance the tail (about 8 per worker),
    each at most MAX_CHUNK jobs."""
    return max(1, min(MAX_CHUNK, n_jobs // (max(1, n_workers) * 8) or 1))


def _chunks(jobs: Sequence[J], size: int) -> Iterator[list[J]]:
    it = iter(jobs)
    while True:
        chunk = list(islice(it, size))
        if not chunk:
            return
        yield chunk


def local_cluster(n_workers: Optional[int] = None):
    """A LocalCluster of single-threaded worker processes (the GIL-bound pipeline gains
    nothing from threads), without the dashboard's web server."""
    from dask.distributed import LocalCluster
    n = n_workers or max(1, min(os.cpu_count() or 1, 8))
    return LocalCluster(n_workers=n, threads_per_worker=1, processes=True,
                        dashboard_address=None, silence_logs=logging.ERROR)


def run_on_dask(fn: Callable[[J], R], jobs: Iterable[J], scheduler_address: Optional[str] = None,
                *, n_workers: Optional[int] = None, chunk: Optional[int] = None,
                client=None) -> Iterator[R]:
    """fn over jobs on Dask, results in input order.

    scheduler_address: an existing scheduler ("tcp://host:8786"); None starts a LocalCluster
    (`n_workers` processes, default one per core) for this call and closes it afterwards.
    client: an existing `dask.distributed.Client` to use instead (left open).
    `fn` must be importable on the workers (a module-level function, as extract.cli.extract_file).
    """
    from dask.distributed import Client

    jobs = list(jobs)
    if not jobs:
        return
    cluster = None
    pending: deque = deque()
    own_client = client is None
    if client is None:
        if scheduler_address:
            client = Client(scheduler_address)
        else:
            cluster = local_cluster(n_workers)
            client = Client(cluster)
    try:
        workers = max(1, sum(client.nthreads().values()))
        size = chunk or chunk_size(len(jobs), workers)
        window = workers * CHUNKS_IN_FLIGHT_PER_WORKER
        chunks = _chunks(jobs, size)

        def submit(batch: list) -> None:
            # one Client.map call per batch of chunks; pure=False: the files may have
            # changed since an earlier run, so never reuse a cached result by key
            futures = client.map(_run_chunk, [fn] * len(batch), batch, pure=False)
            pending.extend(futures)

        submit(list(islice(chunks, window)))
        while pending:
            future = pending.popleft()
            results = future.result()
            future.release()
            nxt = next(chunks, None)
            if nxt is not None:
                submit([nxt])
            yield from results
    finally:
        for f in list(pending):
            f.cancel()
        if own_client:
            client.close()
        if cluster is not None:
            cluster.close()
