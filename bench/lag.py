"""Live projection lag: when each event became committed, and when visible in the read table.

A poller reads, in ONE statement (one snapshot), the log's head and the read
model's tracked position every POLL_SECONDS. Writers commit in position order
(the library's table lock), so the first poll that sees the head at or past p
is when p was committed, and the first that sees the position at or past p is
when its row became visible. Both are seen by the same clock at the same
resolution, so lag(p) is their difference, give or take one poll.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence

import psycopg
from psycopg import sql

POLL_SECONDS = 0.002
Sample = tuple[float, int, int]  # (perf_counter, head, projected position)


class PositionPoller(threading.Thread):
    def __init__(self, conninfo: str, schema: str) -> None:
        super().__init__(name="lag-poller", daemon=True)
        self.samples: list[Sample] = []
        self._conninfo = conninfo
        self._query = sql.SQL(
            "SELECT (SELECT max(notification_id) FROM {events}),"
            " (SELECT position FROM {tracking} WHERE name = 'appointments')"
        ).format(
            events=sql.Identifier(schema, "petbookings_events"),
            tracking=sql.Identifier(schema, "appointment_tracking"),
        )
        self._stop_event = threading.Event()
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            with psycopg.connect(self._conninfo, autocommit=True) as connection:
                while not self._stop_event.is_set():
                    row = connection.execute(self._query, prepare=True).fetchone()
                    now = time.perf_counter()
                    if row is not None:
                        self.samples.append((now, int(row[0] or 0), int(row[1] or 0)))
                    self._stop_event.wait(POLL_SECONDS)
        except BaseException as error:
            self.error = error

    def stop(self) -> None:
        self._stop_event.set()
        self.join(10)

    def latest(self) -> Sample | None:
        return self.samples[-1] if self.samples else None


def commit_to_visible_ms(samples: Sequence[Sample]) -> tuple[list[float], int]:
    """Lag of every event committed after the first sample; and how many never showed up."""
    if not samples:
        return [], 0
    _, head_seen, position_seen = samples[0]
    committed_at: dict[int, float] = {}
    lags: list[float] = []
    for moment, head, position in samples[1:]:
        for event in range(head_seen + 1, head + 1):
            committed_at[event] = moment
        head_seen = max(head_seen, head)
        for event in range(position_seen + 1, position + 1):
            if event in committed_at:
                lags.append((moment - committed_at.pop(event)) * 1000)
        position_seen = max(position_seen, position)
    return lags, len(committed_at)
