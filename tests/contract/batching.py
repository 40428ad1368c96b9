"""Writes queued behind a held table lock, so the group commit batches them, then released."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from uuid import UUID

import psycopg
import pytest
from eventsourcing.persistence import ApplicationRecorder, StoredEvent

from infrastructure.postgres.recorder import FailFastPostgresApplicationRecorder
from tests.reliability.locks import EVENTS_TABLE, events_table_locked, schema_of
from tests.stores import POSTGRES_URL

Outcome = Sequence[int] | str | None


def event(originator_id: UUID | str, version: int, topic: str = "topic") -> StoredEvent:
    return StoredEvent(
        originator_id=originator_id, originator_version=version, topic=topic, state=b"{}"
    )


def outcome(recorder: ApplicationRecorder, events: Sequence[StoredEvent]) -> Outcome:
    """The positions a write was given, or the name of the error it was refused with."""
    try:
        return recorder.insert_events(events)
    except Exception as error:  # The error's class is what the tests compare.
        return type(error).__name__


def eventually(condition: Callable[[], bool], what: str, *, timeout: float = 15.0) -> None:
    """Wait, bounded, until another thread's progress makes `condition` true."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"not within {timeout} s: {what}")
        time.sleep(0.002)  # Observing progress made elsewhere; nothing waits on this sleep.


def sessions_waiting_for_the_table(database_url: str) -> int:
    table = f'"{schema_of(database_url)}".{EVENTS_TABLE}'
    with psycopg.connect(POSTGRES_URL, autocommit=True) as connection:
        row = connection.execute(
            "SELECT count(*) FROM pg_locks WHERE NOT granted AND relation = to_regclass(%s)",
            (table,),
        ).fetchone()
    assert row is not None
    count = row[0]
    assert isinstance(count, int)
    return count


@contextmanager
def batched_behind_a_lock(
    database_url: str,
    recorder: FailFastPostgresApplicationRecorder,
    leader: Sequence[StoredEvent],
    writes: Mapping[str, Sequence[StoredEvent]],
) -> Iterator[dict[str, Future[Outcome]]]:
    """`leader` waits for the table lock; `writes` start together (a barrier) and queue behind it.

    A write refused before it joins a batch counts as queued once it has its
    answer. The lock is released when the body starts: the outcomes are the
    futures' results.
    """
    barrier = threading.Barrier(len(writes))

    def released_together(events: Sequence[StoredEvent]) -> Outcome:
        barrier.wait(timeout=15)
        return outcome(recorder, events)

    with ThreadPoolExecutor(max_workers=len(writes) + 1) as pool:
        with events_table_locked(database_url, "EXCLUSIVE"):
            first = pool.submit(outcome, recorder, leader)
            eventually(lambda: sessions_waiting_for_the_table(database_url) == 1, "leader waits")
            futures = {name: pool.submit(released_together, w) for name, w in writes.items()}

            def queued() -> int:
                answered = sum(future.done() for future in futures.values())
                return recorder.group_commit.waiting + answered

            eventually(lambda: queued() == len(writes), f"{len(writes)} writers queued")
        futures["leader"] = first
        yield futures
