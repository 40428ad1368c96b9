"""Group commit with real threads: batches form while a write runs; outcomes stay per writer."""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor

from infrastructure.group_commit import GroupCommit, Submission

POISON = 3  # An item that makes a whole batch fail, as a value the database refuses would.


class Writer:
    """Doubles each item; refuses odd ones; the first write waits until released.

    A batch holding POISON raises `failure` (all or nothing, like one transaction).
    """

    def __init__(self, failure: Exception | None = None) -> None:
        self.batches: list[list[int]] = []
        self.failure = failure or ValueError("poisoned batch")
        self.first_write_started = threading.Event()
        self.release_first_write = threading.Event()

    def __call__(self, batch: Sequence[Submission[int, int]]) -> None:
        self.batches.append([s.item for s in batch])
        if len(self.batches) == 1:
            self.first_write_started.set()
            self.release_first_write.wait(timeout=10)
        if any(s.item == POISON for s in batch):
            raise self.failure
        for submission in batch:
            if submission.item % 2:
                submission.error = ValueError(f"odd {submission.item}")
            else:
                submission.result = submission.item * 2


def outcome(group: GroupCommit[int, int], item: int) -> int | str:
    try:
        return group.submit(item)
    except Exception as error:  # The test compares what each writer was told.
        return f"{type(error).__name__}: {error}"


def batched(group: GroupCommit[int, int], writer: Writer, items: list[int]) -> list[object]:
    """Item 0 is written alone while `items` arrive and queue up as the next batch."""
    with ThreadPoolExecutor(max_workers=len(items) + 1) as pool:
        first = pool.submit(outcome, group, 0)
        assert writer.first_write_started.wait(timeout=10)
        others = [pool.submit(outcome, group, item) for item in items]
        deadline = time.monotonic() + 10
        while group.waiting < len(items) and time.monotonic() < deadline:
            time.sleep(0.001)  # Observing the queue fill, bounded; not a stand-in for it.
        writer.release_first_write.set()
        return [first.result(timeout=10), *(f.result(timeout=10) for f in others)]


def never_shared(error: Exception) -> bool:
    return False


def test_writers_arriving_during_a_write_share_the_next_batch_and_keep_their_outcomes() -> None:
    writer = Writer()
    group: GroupCommit[int, int] = GroupCommit(writer, shared=never_shared)

    results = batched(group, writer, [1, 2, 4, 5, 6, 7, 8])

    assert results == [
        0,
        "ValueError: odd 1",
        4,
        8,
        "ValueError: odd 5",
        12,
        "ValueError: odd 7",
        16,
    ]
    assert writer.batches == [[0], [1, 2, 4, 5, 6, 7, 8]]


def test_a_batch_failing_for_one_item_is_written_again_one_writer_at_a_time() -> None:
    writer = Writer()
    group: GroupCommit[int, int] = GroupCommit(writer, shared=never_shared)

    results = batched(group, writer, [1, 2, POISON, 4])

    assert results == [0, "ValueError: odd 1", 4, "ValueError: poisoned batch", 8]
    assert writer.batches == [[0], [1, 2, POISON, 4], [1], [2], [POISON], [4]]


def test_an_error_every_writer_would_meet_fails_its_batch_at_once_and_no_later_one() -> None:
    writer = Writer(failure=ConnectionError("database went away"))

    def connection_lost(error: Exception) -> bool:
        return isinstance(error, ConnectionError)

    group: GroupCommit[int, int] = GroupCommit(writer, shared=connection_lost)

    results = batched(group, writer, [2, POISON, 4])

    assert results[1:] == ["ConnectionError: database went away"] * 3
    assert writer.batches == [[0], [2, POISON, 4]]
    assert group.submit(6) == 12


class ClaimingWriter:
    """Items claim a slot (item // 10); a second claim of one slot in a batch is refused
    before writing; an item ending in 3 makes the whole batch fail, as a refused value would.
    """

    def __init__(self) -> None:
        self.stored: set[int] = set()
        self.first_write_started = threading.Event()
        self.release_first_write = threading.Event()
        self.writes = 0

    def __call__(self, batch: Sequence[Submission[int, int]]) -> None:
        self.writes += 1
        if self.writes == 1:
            self.first_write_started.set()
            self.release_first_write.wait(timeout=10)
        claimed: set[int] = set()
        for submission in batch:
            slot = submission.item // 10
            if slot in claimed or slot in self.stored:
                submission.error = ValueError(f"slot {slot} taken")
            claimed.add(slot)
        if any(s.item % 10 == 3 for s in batch):
            raise ValueError("poisoned batch")
        for submission in batch:
            if submission.error is None:
                submission.result = submission.item
                self.stored.add(submission.item // 10)


def test_a_refusal_decided_against_a_failed_batch_is_decided_again() -> None:
    writer = ClaimingWriter()
    group: GroupCommit[int, int] = GroupCommit(writer, shared=lambda error: False)

    # 53 claims slot 5 first and poisons the batch; 54 wants slot 5 too.
    with ThreadPoolExecutor(max_workers=3) as pool:
        first = pool.submit(outcome, group, 0)
        assert writer.first_write_started.wait(timeout=10)
        poisoned = pool.submit(outcome, group, 53)
        deadline = time.monotonic() + 10
        while group.waiting < 1 and time.monotonic() < deadline:
            time.sleep(0.001)  # Observing the queue fill, bounded; not a stand-in for it.
        second = pool.submit(outcome, group, 54)
        while group.waiting < 2 and time.monotonic() < deadline:
            time.sleep(0.001)
        writer.release_first_write.set()
        results = [first.result(timeout=10), poisoned.result(timeout=10), second.result(10)]

    # Nothing of the poisoned batch was written: slot 5 was free, and 54 gets it.
    assert results == [0, "ValueError: poisoned batch", 54]
