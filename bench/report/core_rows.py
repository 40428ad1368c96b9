"""Rows below HTTP: (c) the application layer vs pgbench, (d) the projection, (e) auditors."""

from __future__ import annotations

from bench.config import APP_THREADS, CATCH_UP_GOAL, LAG_GOAL_MS, LIVE_LOAD_SHARE
from bench.model import RunResults
from bench.report.table import Row, compared, ms, rate

GOAL_CLIENTS = 4
LOCK_ROWS = (1, 64)  # append sizes shown; the JSON has them all


def app_layer_rows(results: RunResults) -> list[Row]:
    c = results.c
    assert c is not None
    table = []
    for n in APP_THREADS:
        ours, locked, free = c.ours_at(n), c.pgbench_at(n, lock=True), c.pgbench_at(n, lock=False)
        if ours is None:
            continue
        if locked is not None:
            goal = n == GOAL_CLIENTS
            table.append(
                compared(
                    "c", f"app commands/s, {n} thr (vs pgbench + lock)", ours.rate, locked.tps,
                    rate, ">= 1.0x" if goal else "", ours.rate >= locked.tps if goal else None,
                )
            )  # fmt: skip
        if free is not None:
            measure = f"  vs pgbench without the lock, {n} clients"
            table.append(compared("c", measure, ours.rate, free.tps, rate))
    for hold in (h for h in c.lock if h.events in LOCK_ROWS):
        label = f"{hold.events} event{'s' if hold.events > 1 else ''}"
        table += [
            compared("c", f"commit-order lock held per append of {label}, ms", hold.held_ms,
                     None, lambda v: f"{v:.2f}"),
            compared("c", f"  one database's ceiling at {label} per append, events/s",
                     hold.ceiling, None, rate),
        ]  # fmt: skip
    return table


def projection_rows(results: RunResults) -> list[Row]:
    d = results.d
    assert d is not None
    table = []
    if (cu := d.catch_up) is not None:
        table.append(
            compared(
                "d", f"catch-up events/s ({cu.events:,} events)", cu.rate, None, rate,
                f">= {CATCH_UP_GOAL:,.0f}", cu.rate >= CATCH_UP_GOAL,
            )
        )  # fmt: skip
    if (live := d.live) is not None:
        share = f"{LIVE_LOAD_SHARE:.0%}"
        table += [
            compared(
                "d", f"live load req/s ({live.workers}w, target {share} of {rate(live.max_rps)})",
                live.load.rps, live.target_rps, rate,
            ),
            compared("d", f"  commit -> read table, p50 ms ({live.samples:,} events)",
                     live.p50_ms, None, ms),
            compared(
                "d", "  commit -> read table, p99 ms", live.p99_ms, None, ms,
                f"<= {LAG_GOAL_MS:,.0f}", live.p99_ms <= LAG_GOAL_MS and not live.unresolved,
            ),
        ]  # fmt: skip
    return table


def audit_rows(results: RunResults) -> list[Row]:
    e = results.e
    assert e is not None
    if not e.available or e.history is None:
        return [Row("e", "history / export", "n/a", status=f"n/a: {e.reason}"[:60])]
    h = e.history
    label = f"history of {e.history_events:,} events"
    startup = f"{e.export_startup_seconds:.1f} s start-up left out"
    return [
        compared("e", f"GET {label}, p50 ms", h.p50_ms, None, ms),
        compared("e", f"GET {label}, p99 ms", h.p99_ms, None, ms),
        compared("e", f"booking export events/s ({e.export_events:,}; {startup})",
                 e.export_rate, None, rate),
    ]  # fmt: skip
