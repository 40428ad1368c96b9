"""Helpers for projection tests: a worker on the test's store, the fold to compare, waiting."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import cast

from application.bookings import PetBookings
from application.fold import ReadModelFold
from application.projection import AppointmentsProjection, AppointmentsView, ReadModel
from application.projection_worker import ProjectionWorker, SoleLeader
from application.read_your_writes import ProjectionBehindError
from domain.pet import Pet

# Between looks at a projector that may run in another process.
RECHECK_SECONDS = 0.05


def worker_for(
    bookings: PetBookings, view: AppointmentsView, batch_size: int = 1000
) -> ProjectionWorker:
    return ProjectionWorker(
        bookings,
        AppointmentsProjection(view),
        leadership=SoleLeader(),
        news=bookings.news,
        batch_size=batch_size,
        poll_interval=0.05,
    )


def logged_events(bookings: PetBookings) -> Iterator[tuple[Pet.Event, int]]:
    """Every event in the log with its position, a page at a time."""
    for page in bookings.log_pages():
        for notification in page:
            yield cast("Pet.Event", bookings.mapper.to_domain_event(notification)), notification.id


def expected(bookings: PetBookings, up_to: int | None = None) -> ReadModel:
    """The read tables as a plain fold of the log (up to a position, if given)."""
    fold = ReadModelFold()
    for event, position in logged_events(bookings):
        if up_to is None or position <= up_to:
            fold.add(event, position)
    return fold.model


def read_tables(view: AppointmentsView) -> ReadModel:
    return view.read_model_at()[1]


def wait_for_position(
    view: AppointmentsView, wanted: int, timeout: float, worker: ProjectionWorker | None = None
) -> int:
    """Block until the tables include `wanted`, woken by `worker` if it runs in this process."""
    deadline = time.monotonic() + timeout
    while (reached := view.position()) < wanted:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise ProjectionBehindError(wanted, reached)
        if worker is None:
            time.sleep(min(remaining, RECHECK_SECONDS))  # pacing: the loop waits on the tables
            continue
        with worker.progressed:
            worker.progressed.wait(min(remaining, RECHECK_SECONDS))
    return reached
