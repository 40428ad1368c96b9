"""What every scenario is handed: the profile, the database, the tools, earlier results."""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from bench.config import Profile
from bench.model import RunResults
from bench.pg import BenchDatabase


@dataclass
class RunContext:
    profile: Profile
    database: BenchDatabase
    workdir: Path
    wrk: Path
    pgbench: Path
    secret: str
    results: RunResults
    # Schemas holding a bulk-written event log, and how many events: (e) reuses (d)'s.
    event_logs: dict[str, int] = field(default_factory=dict)
    started: float = field(default_factory=time.monotonic)

    def log(self, scenario: str, message: str) -> None:
        elapsed = time.monotonic() - self.started
        print(f"[{elapsed:6.1f}s] ({scenario}) {message}", file=sys.stderr, flush=True)

    def scratch(self, name: str) -> Path:
        path = self.workdir / name
        path.mkdir(parents=True, exist_ok=True)
        return path
