"""Rebuilding the read tables from the whole log, while readers use the old ones."""

from __future__ import annotations

import threading
from collections.abc import Callable

from application.bookings import PetBookings
from application.projection import AppointmentsProjection, AppointmentsView
from application.projection_worker import ProjectionWorker, SoleLeader


def rebuild_read_model(
    bookings: PetBookings,
    view: AppointmentsView,
    *,
    batch_size: int = 1000,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Project every event into side tables, then swap them in; return events applied.

    Events stored after the last batch and before the swap are not lost: the
    rebuilt tables track their own position, so the live worker applies them.
    Raises ProjectionHaltedError, swapping nothing, when an event cannot be projected.
    """
    rebuilt = view.fresh_copy()
    worker = ProjectionWorker(
        bookings,
        AppointmentsProjection(rebuilt),
        leadership=SoleLeader(),
        news=threading.Event(),
        batch_size=batch_size,
    )
    applied = worker.catch_up(progress)
    view.replace_with(rebuilt)
    return applied
