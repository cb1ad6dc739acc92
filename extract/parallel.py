"""Run a per-article function on a process pool, results in input order, memory bounded."""
from __future__ import annotations

from collections import deque
from concurrent.futures import Executor, Future
from typing import Callable, Iterator, Sequence, TypeVar

J = TypeVar("J")
R = TypeVar("R")

_IN_FLIGHT_PER_WORKER = 4


def map_in_order(pool: Executor, fn: Callable[[J], R], jobs: Sequence[J], workers: int,
                 chunk_size: int) -> Iterator[R]:
    """fn(job) for every job, in input order, with at most a few chunks per worker in flight:
    memory stays flat however many files there are (Executor.map would queue them all)."""
    window: deque[Future] = deque()
    for i in range(0, len(jobs), max(1, chunk_size)):
        window.append(pool.submit(_apply_chunk, fn, jobs[i:i + chunk_size]))
        if len(window) >= workers * _IN_FLIGHT_PER_WORKER:
            yield from window.popleft().result()
    while window:
        yield from window.popleft().result()


def _apply_chunk(fn: Callable[[J], R], part: Sequence[J]) -> list[R]:
    return [fn(job) for job in part]
