"""Readers waiting for their own write: one watcher thread, real event loops, no database."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Iterator

import pytest

from application.read_your_writes import ProjectionBehindError, ProjectionWaiters

HEAD = 10
PACE_SECONDS = 0.01  # pacing of loops that wait on a condition, never the condition itself


class Tables:
    """The read tables' position, as a reader of another process would see it move."""

    def __init__(self) -> None:
        self.at = 0

    def position(self) -> int:
        return self.at


@pytest.fixture
def tables() -> Tables:
    return Tables()


@pytest.fixture
def waiters(tables: Tables) -> Iterator[ProjectionWaiters]:
    watching = ProjectionWaiters(tables.position, lambda: HEAD, None, capacity=5, timeout=5)
    watching.start()
    yield watching
    watching.stop()


def test_a_reader_whose_loop_closed_holds_up_no_other(
    tables: Tables, waiters: ProjectionWaiters
) -> None:
    # A reader waits on a loop that then closes under it, as a stopped server's would.
    gone = asyncio.new_event_loop()
    abandoned = gone.create_task(waiters.wait_for(5))
    while waiters.waiting < 1:
        gone.run_until_complete(asyncio.sleep(PACE_SECONDS))
    gone.close()
    assert not abandoned.done()

    async def another_reader() -> int:
        reader = asyncio.create_task(waiters.wait_for(3))
        while waiters.waiting < 2:
            await asyncio.sleep(PACE_SECONDS)
        # Its write reaches the tables: it is answered all the same.
        tables.at = 6
        return await reader

    assert asyncio.run(another_reader()) == 6


def test_readers_are_told_at_once_when_the_projection_halted(tables: Tables) -> None:
    halted = ProjectionWaiters(
        tables.position, lambda: HEAD, None, capacity=5, halted=lambda: True, timeout=5
    )
    halted.start()
    try:
        started = time.monotonic()
        with pytest.raises(ProjectionBehindError):
            asyncio.run(halted.wait_for(5))
    finally:
        halted.stop()

    assert time.monotonic() - started < 1


def test_readers_still_asking_for_the_head_count_against_the_capacity(tables: Tables) -> None:
    asked, answer = threading.Event(), threading.Event()

    def slow_head() -> int:
        asked.set()
        answer.wait(5)
        return HEAD

    one_reader = ProjectionWaiters(tables.position, slow_head, None, capacity=1, timeout=5)
    one_reader.start()

    async def two_readers() -> int:
        first = asyncio.create_task(one_reader.wait_for(5))
        while not asked.is_set():
            await asyncio.sleep(PACE_SECONDS)
        # The first still waits for the head's answer: the second is refused without a query.
        with pytest.raises(ProjectionBehindError):
            await one_reader.wait_for(5)
        answer.set()
        tables.at = 5
        return await first

    try:
        assert asyncio.run(two_readers()) == 5
    finally:
        one_reader.stop()
