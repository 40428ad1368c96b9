"""Group commit: concurrent writers share one transaction, one lock, one flush.

The event table lock serialises every writer, so under load each command
waits for the others' commits one by one. Here whoever arrives while a
transaction is running queues up, and the next leader writes the whole
queue at once. Each writer still gets its own outcome.
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

    def outcome(self) -> R:
        if self.error is not None:
            raise self.error
        assert self.result is not None
        return self.result


class GroupCommit(Generic[T, R]):
    """Runs `write` on batches of concurrently submitted items.

    `write` must settle every submission of its batch (result or error); an
    exception it raises settles them all with that exception.
    """

    def __init__(self, write: Callable[[Sequence[Submission[T, R]]], None]) -> None:
        self._write = write
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
            self._write(batch)
        except Exception as error:  # Every writer of the batch learns of the failure.
            for submission in batch:
                submission.error = error
        finally:
            self._hand_over()
            for submission in batch:
                submission.settled.set()

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
