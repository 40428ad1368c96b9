"""Group commit with real threads: batches form while a write runs; outcomes stay per writer."""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor

import pytest

from infrastructure.group_commit import GroupCommit, Submission


class Writer:
    """Doubles each item; refuses odd ones; the first write waits until released."""

    def __init__(self) -> None:
        self.batches: list[list[int]] = []
        self.first_write_started = threading.Event()
        self.release_first_write = threading.Event()

    def __call__(self, batch: Sequence[Submission[int, int]]) -> None:
        self.batches.append([s.item for s in batch])
        if len(self.batches) == 1:
            self.first_write_started.set()
            self.release_first_write.wait(timeout=10)
        for submission in batch:
            if submission.item % 2:
                submission.error = ValueError(f"odd {submission.item}")
            else:
                submission.result = submission.item * 2


def outcome(group: GroupCommit[int, int], item: int) -> int | str:
    try:
        return group.submit(item)
    except ValueError as error:
        return str(error)


def test_writers_arriving_during_a_write_share_the_next_batch_and_keep_their_outcomes() -> None:
    writer = Writer()
    group: GroupCommit[int, int] = GroupCommit(writer)

    with ThreadPoolExecutor(max_workers=9) as pool:
        first = pool.submit(outcome, group, 0)
        assert writer.first_write_started.wait(timeout=10)
        # Eight writers arrive while the first write is still running.
        others = [pool.submit(outcome, group, item) for item in range(1, 9)]
        deadline = time.monotonic() + 10
        while group.waiting < 8 and time.monotonic() < deadline:
            time.sleep(0.001)  # Observing the queue fill, bounded; not a stand-in for it.
        writer.release_first_write.set()
        results = [first.result(timeout=10), *(f.result(timeout=10) for f in others)]

    assert results == [0, "odd 1", 4, "odd 3", 8, "odd 5", 12, "odd 7", 16]
    assert writer.batches == [[0], [1, 2, 3, 4, 5, 6, 7, 8]]


def test_a_failed_write_fails_every_writer_of_its_batch_and_no_other() -> None:
    calls = 0

    def flaky(batch: Sequence[Submission[int, int]]) -> None:
        nonlocal calls
        calls += 1
        if calls == 1:
            raise ConnectionError("database went away")
        for submission in batch:
            submission.result = submission.item

    group: GroupCommit[int, int] = GroupCommit(flaky)

    with pytest.raises(ConnectionError):
        group.submit(1)
    assert group.submit(2) == 2
