"""One process of the startup race: builds the application, reports how it went."""

from __future__ import annotations

from multiprocessing.queues import Queue
from multiprocessing.synchronize import Barrier

from interface.bootstrap import open_bookings
from interface.settings import Settings
from interface.store import store_from_settings


def start(database_url: str, barrier: Barrier, results: Queue[str]) -> None:
    store = store_from_settings(Settings(database_url=database_url))
    barrier.wait(timeout=30)
    try:
        open_bookings(store).close()
    except Exception as error:
        results.put(repr(error))
    else:
        results.put("started")
