"""Runs the projection: catches up in batches, follows the log, survives failures."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Protocol, cast
from uuid import UUID

from eventsourcing.persistence import InterfaceError, InternalError, OperationalError

from application.audit.decoding import DECODE_ERRORS
from application.bookings import PetBookings
from application.projection import (
    AppointmentsProjection,
    PositionMovedError,
    ProjectionHaltedError,
)
from domain.pet import Pet

logger = logging.getLogger(__name__)
# The database went away for a while (a lost connection, a restart, a failover, a
# lock or pool timeout): the same batch will go through once it is back.
TRANSIENT_ERRORS = (OperationalError, InterfaceError, InternalError)


class Leadership(Protocol):
    """Elects one worker per read model, so two started by mistake do not both work.

    Exactly-once does not depend on it (positions move by compare-and-set);
    it only keeps a second worker from wasting its effort.
    """

    def try_acquire(self) -> bool: ...

    def still_held(self) -> bool: ...

    def release(self) -> None: ...


class SoleLeader:
    """For stores only one process can reach (an in-memory database)."""

    def try_acquire(self) -> bool:
        return True

    def still_held(self) -> bool:
        return True

    def release(self) -> None:
        pass


class ProjectionWorker:
    def __init__(
        self,
        bookings: PetBookings,
        projection: AppointmentsProjection,
        *,
        leadership: Leadership,
        news: threading.Event,
        batch_size: int = 1000,
        poll_interval: float = 0.5,
        max_backoff: float = 5.0,
    ) -> None:
        self.bookings = bookings
        self.projection = projection
        self.leadership = leadership
        self.news = news
        self.batch_size = batch_size
        self.poll_interval = poll_interval
        self.max_backoff = max_backoff
        self.progressed = threading.Condition()
        self.halted: ProjectionHaltedError | None = None
        self._position: int | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._reader = ThreadPoolExecutor(max_workers=1, thread_name_prefix="projection-reader")

    def catch_up(self, progress: Callable[[int], None] | None = None) -> int:
        """Apply every event up to the log's head; return how many were applied.

        The next batch is read and decoded while the current one is written:
        the write mostly waits on the database, which leaves the decoding free
        to run. `progress` is told the position reached after each batch.
        """
        applied = 0
        if self._position is None:
            self._position = self.projection.view.position()
        upcoming = self._reader.submit(self._read, self._position)
        while events := upcoming.result():
            upcoming = self._reader.submit(self._read, events[-1][1])
            try:
                self.projection.process_batch(events, self._position)
            except PositionMovedError:
                # Another worker moved on: start again from where the tables are.
                self._position = self.projection.view.position()
                upcoming.result()
                upcoming = self._reader.submit(self._read, self._position)
                continue
            self._position = events[-1][1]
            applied += len(events)
            with self.progressed:
                self.progressed.notify_all()
            if progress is not None:
                progress(self._position)
        return applied

    def _read(self, after: int) -> list[tuple[Pet.Event, int]]:
        """The next events; those before a row that does not decode, else a halt at it."""
        notifications = self.bookings.recorder.select_notifications(
            start=after, limit=self.batch_size, inclusive_of_start=False
        )
        to_event = self.bookings.mapper.to_domain_event
        events: list[tuple[Pet.Event, int]] = []
        for notification in notifications:
            try:
                events.append((cast("Pet.Event", to_event(notification)), notification.id))
            except DECODE_ERRORS as error:
                if events:
                    return events  # The next read starts at this row, and halts there.
                pet_id = UUID(str(notification.originator_id))
                version, position = notification.originator_version, notification.id
                raise ProjectionHaltedError(
                    pet_id, version, position, error, "stored event"
                ) from error
        return events

    def start(self) -> None:
        self._thread = threading.Thread(target=self.run, name="appointments-projection")
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        """Stop between batches: every batch is one transaction, so any stop is clean."""
        self._stop.set()
        self.news.set()
        if self._thread is not None:
            self._thread.join(timeout)
        self._reader.shutdown(wait=False, cancel_futures=True)

    def run(self) -> None:
        """Follow the log until stopped or halted; on other errors back off and resume."""
        backoff = self.poll_interval
        while not self._stop.is_set():
            try:
                if self.leadership.try_acquire():
                    try:
                        self._follow()
                    finally:
                        self.leadership.release()
                else:
                    self._stop.wait(self.poll_interval)
                backoff = self.poll_interval
            except ProjectionHaltedError as error:
                self._halt(error)
                return
            except TRANSIENT_ERRORS as error:
                logger.warning(
                    "projection interrupted (%s: %s); resuming in %.1f s",
                    type(error).__name__,
                    " ".join(str(error).split()),
                    backoff,
                )
                backoff = self._back_off(backoff)
            except Exception:  # Unforeseen, so maybe a bug: keep the traceback, and resume.
                logger.exception("projection failed; resuming in %.1f s", backoff)
                backoff = self._back_off(backoff)

    def _halt(self, error: ProjectionHaltedError) -> None:
        # Once, and only here: retrying cannot help, so nothing repeats it.
        logger.error(
            "%s",
            error,
            extra={
                "fields": {
                    "pet_id": str(error.pet_id),
                    "version": error.version,
                    "position": error.position,
                }
            },
        )
        self.halted = error
        with self.progressed:
            self.progressed.notify_all()  # Whoever waits for progress learns there is none.

    def _back_off(self, backoff: float) -> float:
        self._position = None
        self._stop.wait(backoff)
        return min(backoff * 2, self.max_backoff)

    def _follow(self) -> None:
        self._position = None  # Another worker may have led meanwhile.
        while not self._stop.is_set():
            self.news.clear()
            if self.catch_up():
                continue
            if not self.leadership.still_held():
                return
            self.news.wait(self.poll_interval)
