"""One OS process of the cross-process race: its own application, its own pool."""

from __future__ import annotations

from multiprocessing.queues import Queue
from multiprocessing.synchronize import Barrier
from uuid import UUID, uuid4

from application.access import Actor, Role
from domain.pet import PendingRequestExistsError
from interface.bootstrap import open_bookings
from interface.settings import Settings
from interface.store import store_from_settings

OWNER = Actor("owner-1", Role.OWNER)


def race(
    database_url: str, pet_ids: list[UUID], barrier: Barrier, results: Queue[list[str]]
) -> None:
    """Request a booking for each pet in step with the other process; report each outcome."""
    settings = Settings(database_url=database_url)
    bookings = open_bookings(store_from_settings(settings))
    outcomes = []
    try:
        for pet_id in pet_ids:
            barrier.wait(timeout=30)
            try:
                bookings.request_booking(OWNER, pet_id, clinic_id=uuid4(), service="x")
            except PendingRequestExistsError:
                outcomes.append("pending_request_exists")
            except Exception as error:
                outcomes.append(repr(error))
            else:
                outcomes.append("created")
    finally:
        bookings.close()
    results.put(outcomes)
