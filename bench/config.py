"""How long and how big each scenario runs: the full profile, and --quick for smoke runs."""

from __future__ import annotations

from dataclasses import dataclass

SCENARIOS = ("a", "b", "c", "d", "e", "f", "g")
CONNECTIONS = 16  # wrk connections, for ours and the baseline alike
WORKER_COUNTS = (1, 2)  # uvicorn workers in (a)
APP_THREADS = (1, 4, 16)  # (c): our threads and pgbench clients
BURST_SIZE = 64  # (b), (f): simultaneous requests for one pet
LONG_EVENTS = 1000  # (g): events of a long-lived pet
LIVE_LOAD_SHARE = 0.7  # (d): commands at 70% of (a)'s maximum
# Issue 14's goals (issue 5 asked for 100 ms and 30,000 events/s).
LAG_GOAL_MS = 50.0
CATCH_UP_GOAL = 60_000.0
BURST_P99_GOAL_MS = 1000.0
GROWTH_THREADS = 4  # (g): commands/s as in (c)'s goal
GROWTH_GOAL = 0.9  # (g): the grown case within 10% of the small one
MEMORY_GOAL = 1.1  # (g): RSS once many more pets than fit were touched / RSS once it was full


@dataclass(frozen=True)
class Profile:
    name: str
    http_seconds: float  # one wrk measurement
    warmup_seconds: float  # wrk against a fresh server, not counted
    max_http_rate: int  # pets pre-registered per second of wrk (more than any server does)
    burst_rounds: int  # pets, each hit by BURST_SIZE simultaneous requests
    app_seconds: float  # (c) one thread count
    app_max_rate: int
    pgbench_seconds: float
    pgbench_streams: int
    catch_up_events: int
    live_seconds: float
    history_events: int
    history_seconds: float
    export_events: int
    growth_events: int  # (g) the long log (python -m bench --growth-events N)
    growth_seconds: float  # (g) one commands/s measurement
    long_pets: int  # (g) pets of LONG_EVENTS events each, and ten times as many of 3
    cache_size: int  # (g) the server's BOOKING_PET_CACHE_SIZE while pets are touched
    touched_pets: int  # (g) distinct pets booked on that server (--touched-pets N)


FULL = Profile(
    name="full",
    http_seconds=12.0,
    warmup_seconds=3.0,
    max_http_rate=2000,
    burst_rounds=100,
    app_seconds=8.0,
    app_max_rate=2500,
    pgbench_seconds=8.0,
    pgbench_streams=100_000,
    catch_up_events=200_000,
    live_seconds=15.0,
    history_events=1000,
    history_seconds=8.0,
    export_events=50_000,
    growth_events=1_000_000,
    growth_seconds=8.0,
    long_pets=100,
    cache_size=10_000,
    touched_pets=30_000,
)

QUICK = Profile(
    name="quick",
    http_seconds=2.0,
    warmup_seconds=0.5,
    max_http_rate=2000,
    burst_rounds=5,
    app_seconds=1.0,
    app_max_rate=2500,
    pgbench_seconds=1.0,
    pgbench_streams=2_000,
    catch_up_events=4_000,
    live_seconds=3.0,
    history_events=1000,
    history_seconds=1.5,
    export_events=2_000,
    growth_events=20_000,
    growth_seconds=1.0,
    long_pets=8,
    cache_size=500,
    touched_pets=1_500,
)
