"""Rows of (g): commands/s as the log and the pets grow, a server's memory, a long catch-up."""

from __future__ import annotations

from bench.config import CATCH_UP_GOAL, GROWTH_GOAL, GROWTH_THREADS, MEMORY_GOAL
from bench.model import RunResults
from bench.report.table import Row, compared, rate


def growth_rows(results: RunResults) -> list[Row]:
    g = results.g
    assert g is not None
    threads = f"{GROWTH_THREADS} thr"
    within = f">= {GROWTH_GOAL:.1f}x"
    table = [
        compared(
            "g", f"app commands/s, {threads}, {g.log_events:,} events in log (vs empty)",
            g.big_log.rate, g.empty_log.rate, rate, within,
            g.big_log.rate >= GROWTH_GOAL * g.empty_log.rate,
        ),
        compared(
            "g", f"app commands/s, {threads}, warm pets of {g.long_events:,} events (vs 3)",
            g.long.rate, g.short.rate, rate, within, g.long.rate >= GROWTH_GOAL * g.short.rate,
        ),
        compared(
            "g", f"  pets of {g.long_events:,} events, no cache (vs cached)",
            g.long_uncached.rate, g.long.rate, rate,
        ),
    ]  # fmt: skip
    if len(g.memory) == 3:
        first, full, last = g.memory
        table += [
            compared(
                "g", f"server RSS MB, {last.pets:,} pets booked (vs {full.pets:,} = cache size)",
                last.rss_mb, full.rss_mb, _mb, f"<= {MEMORY_GOAL:.1f}x",
                last.rss_mb <= MEMORY_GOAL * full.rss_mb,
            ),
            compared("g", f"  server RSS MB after the first {first.pets:,} pets", first.rss_mb,
                     None, _mb),
        ]  # fmt: skip
    cu = g.catch_up
    table.append(
        compared(
            "g", f"catch-up events/s ({cu.events:,} events)", cu.rate, None, rate,
            f">= {CATCH_UP_GOAL:,.0f}", cu.rate >= CATCH_UP_GOAL,
        )
    )  # fmt: skip
    return table


def _mb(value: float) -> str:
    return f"{value:,.0f}"
