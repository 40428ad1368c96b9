"""Threads released together, each running commands in the application until time is up."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from bench.model import AppPoint
from bench.stats import percentile

# One command of thread `index`; False when that thread has nothing left to do.
Step = Callable[[int], bool]


@dataclass
class _Tally:
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    exhausted: bool = False
    started: float = 0.0
    finished: float = 0.0


def drive(threads: int, seconds: float, step: Step) -> AppPoint:
    """`threads` threads released by one barrier run `step` until `seconds` have passed."""
    barrier = threading.Barrier(threads)
    tallies = [_Tally() for _ in range(threads)]

    def run(index: int) -> None:
        tally = tallies[index]
        barrier.wait()
        tally.started = time.perf_counter()
        deadline = tally.started + seconds
        while (now := time.perf_counter()) < deadline:
            try:
                if not step(index):
                    tally.exhausted = True
                    break
            except Exception:
                tally.errors += 1
                continue
            tally.latencies.append(time.perf_counter() - now)
        tally.finished = time.perf_counter()

    workers = [threading.Thread(target=run, args=(i,)) for i in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    elapsed = max(t.finished for t in tallies) - min(t.started for t in tallies)
    latencies = [x * 1000 for t in tallies for x in t.latencies]
    return AppPoint(
        threads=threads,
        commands=len(latencies),
        seconds=elapsed,
        rate=len(latencies) / elapsed if elapsed else 0.0,
        p50_ms=percentile(latencies, 50),
        p99_ms=percentile(latencies, 99),
        errors=sum(t.errors for t in tallies),
        exhausted=any(t.exhausted for t in tallies),
    )
