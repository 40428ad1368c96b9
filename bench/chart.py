"""latest.png: throughput against concurrency, HTTP (a, f) and application layer (c)."""

from __future__ import annotations

from pathlib import Path

from bench.config import APP_THREADS, WORKER_COUNTS
from bench.model import RunResults


def draw(results: RunResults, path: Path) -> bool:
    """Write the chart; False (and no file) when matplotlib is not installed."""
    try:
        import matplotlib as mpl

        mpl.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return False
    figure, (http, app) = plt.subplots(1, 2, figsize=(12, 4.8))
    if results.a is not None:
        for system, style in (("ours", "o-"), ("baseline", "s--")):
            found = [p for w in WORKER_COUNTS if (p := results.a.point(system, w)) is not None]
            http.plot([p.workers for p in found], [p.wrk.rps for p in found], style, label=system)
    if results.f is not None:
        http.plot([results.f.workers], [results.f.http.rps], "D", label="ours on SQLite")
    http.set(
        title="(a, f) HTTP bookings, 16 connections",
        xlabel="uvicorn workers",
        ylabel="requests/s",
        xticks=list(WORKER_COUNTS),
    )
    if results.c is not None:
        c = results.c
        app.plot(
            [p.threads for p in c.ours], [p.rate for p in c.ours], "o-", label="ours (threads)"
        )
        for lock, style, label in (
            (False, "s--", "pgbench"),
            (True, "^--", "pgbench + table lock"),
        ):
            runs = [r for n in APP_THREADS if (r := c.pgbench_at(n, lock=lock)) is not None]
            app.plot([r.clients for r in runs], [r.tps for r in runs], style, label=label)
    app.set(
        title="(c) commands without HTTP vs the SQL shape in pgbench",
        xlabel="threads / clients",
        ylabel="commands or transactions/s",
        xscale="log",
        xticks=list(APP_THREADS),
        xticklabels=[str(n) for n in APP_THREADS],
    )
    for axes in (http, app):
        axes.set_ylim(bottom=0)
        axes.grid(alpha=0.3)
        if axes.get_legend_handles_labels()[0]:
            axes.legend()
    figure.suptitle(f"pet-booking benchmark ({results.profile}, {results.started_at})")
    figure.tight_layout()
    figure.savefig(path, dpi=120)
    plt.close(figure)
    return True
