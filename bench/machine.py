"""How busy the machine already is: other people's work skews every figure here."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

PROC_STAT = Path("/proc/stat")
BUSY_WARNING = 0.25
QUIET_WINDOW_SECONDS = 5.0


def busy_share(seconds: float = 1.0) -> float:
    """Share of all CPUs busy during `seconds` (0.0 where /proc/stat is missing).

    Called between scenarios, when none of the benchmark's own processes run,
    it measures everyone else.
    """
    if not PROC_STAT.exists():
        return 0.0
    idle_before, total_before = _counters()
    time.sleep(seconds)
    idle_after, total_after = _counters()
    total = total_after - total_before
    return 1.0 - (idle_after - idle_before) / total if total else 0.0


def _counters() -> tuple[int, int]:
    fields = [int(x) for x in PROC_STAT.read_text().splitlines()[0].split()[1:]]
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle + iowait
    return idle, sum(fields[:8])  # Without guest time, already counted in user.


def wait_until_quiet(limit_seconds: float, log: Callable[[str], None]) -> float:
    """Wait (up to `limit_seconds`) until others keep less than BUSY_WARNING of the CPUs busy."""
    deadline = time.monotonic() + limit_seconds
    share = busy_share(QUIET_WINDOW_SECONDS)
    while share >= BUSY_WARNING and time.monotonic() < deadline:
        log(f"others keep {share:.0%} of the CPUs busy; waiting for a quieter moment")
        share = busy_share(QUIET_WINDOW_SECONDS)
    return share
