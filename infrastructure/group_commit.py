"""Group commit: concurrent writers share one transaction, one lock, one flush.

The event table lock serialises every writer, so under load each command
waits for the others' commits one by one. Here whoever arrives while a
transaction is running queues up, and the next leader writes the whole
queue at once. Each writer still gets its own outcome, and one writer's bad
item never fails another writer: a batch that fails is written again one
writer at a time.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")


@dataclass(eq=False)
class Submission(Generic[T, R]):
    item: T
    result: R | None = None
    error: Exception | None = None
    promoted: bool = False
    settled: threading.Event = field(default_factory=threading.Event)

    @property
    def decided(self) -> bool:
        """The write gave this submission its result or its error."""
        return self.result is not None or self.error is not None

    def outcome(self) -> R:
        if self.error is not None:
            raise self.error
        assert self.result is not None
        return self.result


class GroupCommit(Generic[T, R]):
    """Runs `write` on batches of concurrently submitted items.

    `write` decides every submission of its batch (result or error) and
    writes the batch all or nothing. When it raises instead, nothing of the
    batch was written, and:
    - the submissions it left undecided fail with that error if
      `shared(error)` says every writer would meet it alike (the database
      unreachable, a wait timed out: trying each writer alone would only
      repeat the wait once per writer);
    - otherwise every submission is written again alone, since the error may
      be one item's fault (a value the database refuses, a bug) and decisions
      made against the rest of the batch no longer hold.
    """

    def __init__(
        self,
        write: Callable[[Sequence[Submission[T, R]]], None],
        *,
        shared: Callable[[Exception], bool],
    ) -> None:
        self._write = write
        self._shared = shared
        self._lock = threading.Lock()
        self._queue: list[Submission[T, R]] = []
        self._writing = False

    @property
    def waiting(self) -> int:
        """Writers queued for the next batch."""
        with self._lock:
            return len(self._queue)

    def submit(self, item: T) -> R:
        mine: Submission[T, R] = Submission(item)
        with self._lock:
            self._queue.append(mine)
            leading = not self._writing
            self._writing = True
        if not leading:
            mine.settled.wait()
            if not mine.promoted:
                return mine.outcome()
            mine.settled.clear()
        self._lead()
        return mine.outcome()

    def _lead(self) -> None:
        with self._lock:
            batch, self._queue = self._queue, []
        try:
            self._write_batch(batch)
        finally:
            self._hand_over()
            for submission in batch:
                submission.settled.set()

    def _write_batch(self, batch: list[Submission[T, R]]) -> None:
        try:
            self._write(batch)
        except Exception as error:
            if self._shared(error) or len(batch) == 1:
                for submission in batch:
                    if not submission.decided:
                        submission.error = error
                return
            # Nothing of the batch was written, so a refusal decided on its account (the
            # version another writer of the batch claimed first) no longer holds: every
            # writer is written again alone and gets its own outcome.
            for submission in batch:
                submission.result, submission.error = None, None
                self._write_alone(submission)

    def _write_alone(self, submission: Submission[T, R]) -> None:
        try:
            self._write([submission])
        except Exception as error:  # This writer's own failure, and only its own.
            submission.error = error

    def _hand_over(self) -> None:
        # The next writer in line leads the next batch; a leader never serves
        # round after round while its own caller waits.
        with self._lock:
            if self._queue:
                successor = self._queue[0]
                successor.promoted = True
                successor.settled.set()
            else:
                self._writing = False
