"""The benchmark's own arithmetic (no timing is asserted anywhere): `pytest bench/tests`."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest

from bench.__main__ import _scenarios
from bench.burst import BurstResult
from bench.lag import commit_to_visible_ms
from bench.model import (
    AppPoint,
    BurstRun,
    BurstScenario,
    CatchUp,
    GrowthResult,
    HttpPoint,
    HttpResult,
    MemoryPoint,
    RunResults,
)
from bench.report import render, rows
from bench.servers import last_error
from bench.stats import percentile
from bench.wrk import WrkResult


def test_percentiles_interpolate_between_ranks() -> None:
    assert percentile([], 99) == 0.0
    assert percentile([3.0, 1.0, 2.0], 50) == 2.0
    assert percentile([0.0, 10.0], 99) == pytest.approx(9.9)


def test_an_event_lags_from_the_poll_seeing_it_committed_to_the_poll_seeing_it_projected() -> None:
    samples = [
        (0.000, 10, 10),  # before the load: nothing pending
        (0.010, 12, 10),  # events 11 and 12 committed
        (0.020, 13, 11),  # 11 visible, 13 committed
        (0.050, 13, 13),  # 12 and 13 visible
        (0.060, 14, 13),  # 14 committed, never visible
    ]
    lags, unresolved = commit_to_visible_ms(samples)
    assert sorted(round(lag) for lag in lags) == [10, 30, 40]
    assert unresolved == 1


def test_only_known_scenarios_are_accepted_and_kept_in_order() -> None:
    assert _scenarios("d, a") == ["a", "d"]
    with pytest.raises(argparse.ArgumentTypeError, match="choose among"):
        _scenarios("a,z")


def _wrk(rps: float, p99: float) -> WrkResult:
    return WrkResult(
        requests=1000, seconds=1.0, rps=rps, p50_ms=10.0, p90_ms=20.0, p99_ms=p99, max_ms=p99,
        mean_ms=12.0, ok=1000, conflicts=0, rate_limited=0, client_errors=0, server_errors=0,
        socket_errors=0, exhausted=0,
    )  # fmt: skip


def test_the_table_marks_each_goal_met_or_not() -> None:
    burst = BurstResult(
        pets=100, burst=64, pets_exact=100, created=100, refused=6300, server_errors=0, other=0,
        unanswered=0,
        p50_ms=100.0, p99_ms=1500.0, max_ms=1600.0,
    )  # fmt: skip
    results = RunResults(profile="test", started_at="now", postgres_version="15", database="db")
    results.a = HttpResult(
        connections=16,
        points=[
            HttpPoint("ours", 1, _wrk(600, 50)),
            HttpPoint("baseline", 1, _wrk(500, 60)),
            HttpPoint("ours", 2, _wrk(600, 90)),
            HttpPoint("baseline", 2, _wrk(700, 60)),
        ],
    )
    results.b = BurstScenario(runs=[BurstRun("ours", "postgres", 2, burst)])
    table = {row.measure.strip(): row for row in rows(results)}
    assert table["HTTP bookings/s, 1 worker (vs baseline)"].ratio == "1.20x"
    assert table["HTTP bookings/s, 1 worker (vs baseline)"].status == "met"
    assert table["p99 ms, 1 worker"].status == "met"
    assert table["HTTP bookings/s, 2 workers (vs baseline)"].status == "NOT MET"
    assert table["burst x100 pets, 2 workers: all 64 answered, p99 ms"].status == "NOT MET"
    assert "goals met: 4 of 7" in render(results, list(table.values()))


def test_a_dead_service_is_described_by_the_last_error_it_logged(tmp_path: Path) -> None:
    log = tmp_path / "server.log"
    crash = "Traceback (most recent call last):\n  ...\nInternalError: tuple concurrently updated\n"
    lines = [
        json.dumps({"level": "warning", "message": "slow"}),
        json.dumps({"level": "error", "message": crash}),
        json.dumps({"level": "error", "message": "Application startup failed. Exiting."}),
    ]
    log.write_text("\n".join(lines) + "\n")
    assert last_error(log) == "InternalError: tuple concurrently updated"


def _app(rate: float) -> AppPoint:
    return AppPoint(
        threads=4, commands=int(rate), seconds=1.0, rate=rate, p50_ms=1.0, p99_ms=2.0, errors=0,
        exhausted=False,
    )  # fmt: skip


def test_growth_is_met_within_ten_percent_and_memory_within_its_bound() -> None:
    results = RunResults(profile="test", started_at="now", postgres_version="15", database="db")
    results.g = GrowthResult(
        log_events=1_000_000, big_log=_app(910), empty_log=_app(1000), long_events=1000,
        long=_app(890), short=_app(1000), long_uncached=_app(30), cache_size=10_000,
        memory=[MemoryPoint(200, 90.0), MemoryPoint(10_000, 100.0), MemoryPoint(30_000, 111.0)],
        catch_up=CatchUp(events=1_000_000, seconds=10.0, rate=100_000.0),
    )  # fmt: skip
    table = {row.measure.strip(): row for row in rows(results)}
    assert table["app commands/s, 4 thr, 1,000,000 events in log (vs empty)"].status == "met"
    assert table["app commands/s, 4 thr, warm pets of 1,000 events (vs 3)"].status == "NOT MET"
    memory = table["server RSS MB, 30,000 pets booked (vs 10,000 = cache size)"]
    assert (memory.ratio, memory.status) == ("1.11x", "NOT MET")
    assert table["catch-up events/s (1,000,000 events)"].status == "met"
