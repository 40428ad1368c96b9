"""Lines under the table for anything that makes a figure doubtful."""

from __future__ import annotations

from bench.machine import BUSY_WARNING
from bench.model import RunResults
from bench.wrk import WrkResult


def notes(results: RunResults) -> list[str]:
    found = list(results.incidents)
    found += [f"{name}: {wrk.summary()}" for name, wrk in _load_runs(results) if not wrk.healthy]
    if results.c:
        found += [
            f"(c) ours {p.threads} thr: {p.errors} errors" for p in results.c.ours if p.errors
        ]
        found += [
            f"(c) ours {p.threads} thr ran out of pets" for p in results.c.ours if p.exhausted
        ]
    if results.g:
        g = results.g
        points = {"long log": g.big_log, "empty log": g.empty_log, "long pets": g.long,
                  "short pets": g.short, "long pets, no cache": g.long_uncached}  # fmt: skip
        found += [f"(g) {name}: {p.errors} errors" for name, p in points.items() if p.errors]
    if results.d and results.d.live and results.d.live.unresolved:
        found.append(f"(d) {results.d.live.unresolved} events never reached the read table")
    busy = {s: share for s, share in results.background_cpu.items() if share > BUSY_WARNING}
    if busy:
        shares = ", ".join(f"{share:.0%} before ({s})" for s, share in busy.items())
        found.append(f"other processes kept the CPUs busy ({shares}): figures are noisy")
    return found


def _load_runs(results: RunResults) -> list[tuple[str, WrkResult]]:
    """wrk runs whose answers should all have been fresh 2xx."""
    runs: list[tuple[str, WrkResult]] = []
    if results.a:
        runs += [(f"(a) {p.system} {p.workers}w", p.wrk) for p in results.a.points]
    if results.d and results.d.live:
        runs.append(("(d) live load", results.d.live.load))
    if results.e and results.e.history:
        runs.append(("(e) history", results.e.history))
    if results.f:
        runs.append(("(f) SQLite", results.f.http))
    return runs
