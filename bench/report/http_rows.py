"""Rows of the HTTP scenarios: (a) ours vs the baseline, (b) bursts, (f) SQLite."""

from __future__ import annotations

from bench.burst import BurstResult
from bench.config import BURST_P99_GOAL_MS, BURST_SIZE, WORKER_COUNTS
from bench.model import RunResults
from bench.report.table import MET, NOT_MET, Row, compared, ms, rate


def http_rows(results: RunResults) -> list[Row]:
    assert results.a is not None
    table = []
    for workers in WORKER_COUNTS:
        ours, base = results.a.point("ours", workers), results.a.point("baseline", workers)
        if ours is None or base is None:
            continue
        o, b = ours.wrk, base.wrk
        label = f"{workers} worker{'s' if workers > 1 else ''}"
        table += [
            compared(
                "a", f"HTTP bookings/s, {label} (vs baseline)", o.rps, b.rps, rate,
                ">= 1.0x", o.rps >= b.rps,
            ),
            compared("a", f"  p50 ms, {label}", o.p50_ms, b.p50_ms, ms),
            compared(
                "a", f"  p99 ms, {label}", o.p99_ms, b.p99_ms, ms, "<= baseline",
                o.p99_ms <= b.p99_ms,
            ),
        ]  # fmt: skip
    return table


def burst_rows(results: RunResults) -> list[Row]:
    assert results.b is not None
    ours, base = results.b.run("ours"), results.b.run("baseline")
    if ours is None:
        return []
    label = f"burst x{ours.burst.pets} pets, {ours.workers} workers"
    return _bursts("b", label, ours.burst, base.burst if base else None)


def sqlite_rows(results: RunResults) -> list[Row]:
    f = results.f
    assert f is not None
    on_postgres = results.a.point("ours", f.workers) if results.a else None
    pg = on_postgres.wrk if on_postgres is not None else None
    w = f.http
    return [
        compared(
            "f", f"SQLite bookings/s, {f.workers}w (vs ours on PostgreSQL)", w.rps,
            pg.rps if pg else None, rate,
        ),
        compared("f", "  p50 ms", w.p50_ms, pg.p50_ms if pg else None, ms),
        compared("f", "  p99 ms", w.p99_ms, pg.p99_ms if pg else None, ms),
        *_bursts("f", f"SQLite burst x{f.burst.pets}", f.burst, None),
    ]  # fmt: skip


def _bursts(scenario: str, label: str, ours: BurstResult, base: BurstResult | None) -> list[Row]:
    exact = ours.pets_exact == ours.pets
    return [
        Row(
            scenario, f"{label}: pets with 1x201 + {BURST_SIZE - 1}x409",
            f"{ours.pets_exact}/{ours.pets}", f"{base.pets_exact}/{base.pets}" if base else "",
            "", "all", MET if exact else NOT_MET,
        ),
        Row(
            scenario, f"{label}: 5xx answers", str(ours.server_errors),
            str(base.server_errors) if base else "", "", "0",
            MET if ours.server_errors == 0 else NOT_MET,
        ),
        compared(
            scenario, f"{label}: all {BURST_SIZE} answered, p50 ms", ours.p50_ms,
            base.p50_ms if base else None, ms,
        ),
        compared(
            scenario, f"{label}: all {BURST_SIZE} answered, p99 ms", ours.p99_ms,
            base.p99_ms if base else None, ms, f"< {BURST_P99_GOAL_MS:,.0f}",
            ours.p99_ms < BURST_P99_GOAL_MS,
        ),
    ]  # fmt: skip
