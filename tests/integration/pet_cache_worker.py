"""Another OS process with its own application and a warm pet cache, run step by step.

The test sends (method, args, kwargs) over a pipe; the worker runs the
application's command and answers with a plain outcome (exceptions do not
pickle with their fields), so the test decides every interleaving, no sleeps.
"""

from __future__ import annotations

from multiprocessing.connection import Connection
from typing import Any
from uuid import UUID

from application.bookings import PetBookings
from domain.pet import PendingRequestExistsError
from interface.bootstrap import open_bookings
from interface.settings import Settings
from interface.store import store_from_settings

Outcome = dict[str, Any]


def serve(database_url: str, pipe: Connection) -> None:
    """Run (method, args, kwargs) until told None; "cache" and "cached" look at the cache."""
    bookings = open_bookings(store_from_settings(Settings(database_url=database_url)))
    try:
        while (message := pipe.recv()) is not None:
            method, args, kwargs = message
            pipe.send(_run(bookings, method, args, kwargs))
    finally:
        bookings.close()


def _run(bookings: PetBookings, method: str, args: Any, kwargs: Any) -> Outcome:
    if method == "cache":
        counts = bookings.pets.counts()
        return {"hits": counts.hits, "misses": counts.misses}
    if method == "cached":
        return _cached(bookings, *args)
    try:
        receipt = getattr(bookings, method)(*args, **kwargs)
    except PendingRequestExistsError as error:
        return {"error": "PendingRequestExistsError", "in_the_way": error.pending_request_id}
    except Exception as error:
        return {"error": type(error).__name__}
    request = receipt.request
    return {
        "request_id": request.request_id,
        "status": request.status,
        "scheduling_status": request.scheduling_status,
        "version": receipt.version,
    }


def _cached(bookings: PetBookings, pet_id: UUID) -> Outcome:
    """The version and last hash of the pet as cached (looked at, and put back)."""
    pet = bookings.pets.take(pet_id)
    if pet is None:
        return {}
    bookings.pets.put(pet)
    return {"version": pet.version, "last_hash": pet.last_hash}
