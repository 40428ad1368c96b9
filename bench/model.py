"""What each scenario measured: plain dataclasses, written out as JSON as they are."""

from __future__ import annotations

from dataclasses import dataclass, field

from bench.burst import BurstResult
from bench.wrk import WrkResult


@dataclass(frozen=True)
class HttpPoint:
    system: str  # "ours" or "baseline"
    workers: int
    wrk: WrkResult


@dataclass(frozen=True)
class HttpResult:
    """(a) HTTP booking commands on distinct pets, wrk, CONNECTIONS connections."""

    connections: int
    points: list[HttpPoint]

    def point(self, system: str, workers: int) -> HttpPoint | None:
        return next((p for p in self.points if (p.system, p.workers) == (system, workers)), None)

    def best(self, system: str) -> HttpPoint | None:
        mine = [p for p in self.points if p.system == system]
        return max(mine, key=lambda p: p.wrk.rps, default=None)


@dataclass(frozen=True)
class BurstRun:
    system: str
    store: str
    workers: int
    burst: BurstResult


@dataclass(frozen=True)
class BurstScenario:
    """(b) Same-pet bursts over HTTP."""

    runs: list[BurstRun]

    def run(self, system: str) -> BurstRun | None:
        return next((r for r in self.runs if r.system == system), None)


@dataclass(frozen=True)
class AppPoint:
    threads: int
    commands: int
    seconds: float
    rate: float
    p50_ms: float
    p99_ms: float
    errors: int
    exhausted: bool


@dataclass(frozen=True)
class PgbenchPoint:
    clients: int
    lock: bool
    tps: float
    latency_ms: float
    failed: int


@dataclass(frozen=True)
class LockHold:
    """How long one append of `events` events holds the commit-order lock (bench/lock_hold.py)."""

    events: int
    held_ms: float
    ceiling: float  # events/s of one database if every append were this size


@dataclass(frozen=True)
class AppLayerResult:
    """(c) PetBookings.request_booking without HTTP vs pgbench running the same SQL shape."""

    ours: list[AppPoint]
    pgbench: list[PgbenchPoint]
    lock: list[LockHold] = field(default_factory=list)

    def ours_at(self, threads: int) -> AppPoint | None:
        return next((p for p in self.ours if p.threads == threads), None)

    def pgbench_at(self, clients: int, *, lock: bool) -> PgbenchPoint | None:
        return next((p for p in self.pgbench if (p.clients, p.lock) == (clients, lock)), None)


@dataclass(frozen=True)
class CatchUp:
    events: int
    seconds: float
    rate: float


@dataclass(frozen=True)
class LiveLag:
    workers: int
    max_rps: float  # (a)'s maximum for ours, or a probe's
    target_rps: float
    load: WrkResult
    samples: int  # events whose commit and visibility were both seen
    unresolved: int  # events not visible in the read table by the end
    poll_ms: float
    p50_ms: float
    p99_ms: float
    max_ms: float


@dataclass(frozen=True)
class ProjectionResult:
    """(d) Catch-up speed, and the live lag under load."""

    catch_up: CatchUp | None
    live: LiveLag | None


@dataclass(frozen=True)
class AuditResult:
    """(e) A long history over HTTP, and `booking export`."""

    available: bool
    reason: str = ""
    history_events: int = 0
    history: WrkResult | None = None
    export_events: int = 0
    export_seconds: float = 0.0
    export_startup_seconds: float = 0.0
    export_rate: float = 0.0


@dataclass(frozen=True)
class SqliteResult:
    """(f) The embedded default: HTTP commands and same-pet bursts on a SQLite file."""

    workers: int
    http: WrkResult
    burst: BurstResult


@dataclass(frozen=True)
class MemoryPoint:
    pets: int  # distinct pets booked on the server so far
    rss_mb: float


@dataclass(frozen=True)
class GrowthResult:
    """(g) Flat as the log grows: commands/s, a server's memory, catch-up over a long log."""

    log_events: int
    big_log: AppPoint  # fresh pets in a log of log_events events
    empty_log: AppPoint  # fresh pets in a log of nothing else
    long_events: int
    long: AppPoint  # warm pets of long_events events
    short: AppPoint  # warm pets of 3 events
    long_uncached: AppPoint  # the long pets with the cache off: what the cache saves
    cache_size: int
    memory: list[MemoryPoint]  # before, once cache_size pets were booked, at the end
    catch_up: CatchUp


@dataclass
class RunResults:
    profile: str
    started_at: str
    postgres_version: str
    database: str
    seconds: float = 0.0
    a: HttpResult | None = None
    b: BurstScenario | None = None
    c: AppLayerResult | None = None
    d: ProjectionResult | None = None
    e: AuditResult | None = None
    f: SqliteResult | None = None
    g: GrowthResult | None = None
    failures: dict[str, str] = field(default_factory=dict)
    # Services that died mid-measure (and were measured again).
    incidents: list[str] = field(default_factory=list)
    # Share of the CPUs others kept busy just before each scenario (see machine.py).
    background_cpu: dict[str, float] = field(default_factory=dict)
