"""Helpers for projection tests: a worker on the test's store, and the fold to compare."""

from __future__ import annotations

from application.bookings import PetBookings
from application.fold import fold_read_model, logged_events
from application.projection import AppointmentsProjection, AppointmentsView, ReadModel
from application.projection_worker import ProjectionWorker, SoleLeader


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


def expected(bookings: PetBookings) -> ReadModel:
    return fold_read_model(logged_events(bookings))
