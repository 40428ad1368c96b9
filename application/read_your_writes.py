"""Readers waiting for the projection to reach their own write, without holding a thread.

A waiting reader is a future on its event loop. One watcher thread reads the
projection's position while anyone waits (woken at once by an in-process
worker, else every RECHECK_SECONDS) and resolves the futures it has reached.
Sixty readers waiting cost one thread, not sixty, so commands and health
checks keep their threads; past `capacity` a reader is refused at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from application.errors import ApplicationError

logger = logging.getLogger(__name__)

READ_YOUR_WRITES_TIMEOUT_SECONDS = 5.0
# Between checks of a projector that may run in another process.
RECHECK_SECONDS = 0.05


class ProjectionBehindError(ApplicationError):
    """The read tables did not reach the asked position in time, or too many readers wait."""

    def __init__(self, wanted: int, reached: int) -> None:
        super().__init__(f"projection at {reached}, asked for {wanted}")
        self.wanted = wanted
        self.reached = reached


class PositionBeyondHeadError(ApplicationError):
    """No event has that position yet: waiting for it could only time out."""

    def __init__(self, wanted: int, head: int) -> None:
        super().__init__(f"position {wanted} is beyond the log's head {head}")
        self.wanted = wanted
        self.head = head


@dataclass(eq=False)
class _Waiter:
    wanted: int
    loop: asyncio.AbstractEventLoop
    future: asyncio.Future[int]


class ProjectionWaiters:
    def __init__(
        self,
        position: Callable[[], int],
        head: Callable[[], int],
        progressed: threading.Condition | None,
        *,
        capacity: int,
        halted: Callable[[], bool] = lambda: False,
        timeout: float = READ_YOUR_WRITES_TIMEOUT_SECONDS,
    ) -> None:
        self._position = position
        self._head = head
        # A halted in-process projection will reach no further: waiting for it is pointless.
        self._halted = halted
        # The in-process worker's condition, if any: it wakes the watcher as a batch lands.
        self._progressed = progressed
        self.capacity = capacity
        self.timeout = timeout
        self.reached = 0
        self._waiters: list[_Waiter] = []
        # Readers admitted but still asking the head: they count against the capacity too.
        self._admitted = 0
        self._lock = threading.Lock()
        self._someone_waits = threading.Event()
        self._stopped = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def waiting(self) -> int:
        return len(self._waiters)

    async def wait_for(self, wanted: int) -> int:
        """Wait until the read tables include position `wanted`; return the position reached."""
        if wanted <= self.reached:
            return self.reached
        with self._lock:
            if self._stopped.is_set() or self._halted() or self._full():
                raise ProjectionBehindError(wanted, self.reached)
            self._admitted += 1
        try:
            # One short query, on a thread of its own pool: the answer decides whether to wait.
            head = await asyncio.to_thread(self._head)
        finally:
            with self._lock:
                self._admitted -= 1
        if wanted > head:
            raise PositionBeyondHeadError(wanted, head)
        with self._waiting(wanted, admit=lambda: not self._full()) as waiter:
            try:
                return await asyncio.wait_for(waiter.future, self.timeout)
            except (TimeoutError, ProjectionBehindError):  # Timed out, halted or stopping.
                raise ProjectionBehindError(wanted, self.reached) from None

    async def next_position(self, after: int, timeout: float) -> int:
        """Wait, holding no thread, until the read tables pass `after` or `timeout` passes.

        The position reached either way: a live page asks again with it. Unlike
        `wait_for` it may wait past the log's head: it waits for what comes next.
        """
        if after < self.reached:
            return self.reached
        with self._waiting(after + 1, admit=self._live) as waiter:
            try:
                return await asyncio.wait_for(waiter.future, timeout)
            except TimeoutError:
                return self.reached

    @contextlib.contextmanager
    def _waiting(self, wanted: int, admit: Callable[[], bool]) -> Iterator[_Waiter]:
        """A waiter for `wanted`, told by the watcher thread; refused unless `admit()`."""
        loop = asyncio.get_running_loop()
        waiter = _Waiter(wanted, loop, loop.create_future())
        with self._lock:
            if not admit():
                raise ProjectionBehindError(wanted, self.reached)
            self._waiters.append(waiter)
            self._someone_waits.set()
        try:
            yield waiter
        finally:
            with self._lock, contextlib.suppress(ValueError):
                self._waiters.remove(waiter)

    def _live(self) -> bool:
        return not (self._stopped.is_set() or self._halted())

    def _full(self) -> bool:
        return len(self._waiters) + self._admitted >= self.capacity

    def start(self) -> None:
        self._thread = threading.Thread(target=self._watch, name="read-your-writes", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop watching; readers still waiting are told at once that the list is behind."""
        self._stopped.set()
        self._someone_waits.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._fail_all()

    def _watch(self) -> None:
        while not self._stopped.is_set():
            self._someone_waits.wait()
            try:
                self._resolve(self._position())
            except Exception:  # The store is down: waiters time out; keep watching.
                logger.warning("could not read the projection's position", exc_info=True)
            self._pause()

    def _resolve(self, position: int) -> None:
        if self._halted():
            self._fail_all()
            return
        with self._lock:
            self.reached = max(self.reached, position)
            for waiter in [w for w in self._waiters if w.wanted <= position]:
                self._tell(waiter, _settle, position)
            if not self._waiters:
                self._someone_waits.clear()

    def _fail_all(self) -> None:
        with self._lock:
            for waiter in list(self._waiters):
                self._tell(waiter, _behind, self.reached)
            self._someone_waits.clear()

    def _tell(
        self, waiter: _Waiter, outcome: Callable[[asyncio.Future[int], int], None], position: int
    ) -> None:
        """Resolve a waiter on its own loop; one whose loop has closed is dropped (lock held)."""
        try:
            waiter.loop.call_soon_threadsafe(outcome, waiter.future, position)
        except RuntimeError:  # Its loop is closed: nobody is left to tell.
            self._waiters.remove(waiter)

    def _pause(self) -> None:
        if self._progressed is None:
            self._stopped.wait(RECHECK_SECONDS)
            return
        with self._progressed:
            self._progressed.wait(RECHECK_SECONDS)


def _settle(future: asyncio.Future[int], position: int) -> None:
    if not future.done():
        future.set_result(position)


def _behind(future: asyncio.Future[int], position: int) -> None:
    if not future.done():
        future.set_exception(ProjectionBehindError(-1, position))
