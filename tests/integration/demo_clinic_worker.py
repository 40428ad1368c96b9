"""One process of the demo-clinic race: offers the demo clinic, reports what it did."""

from __future__ import annotations

from multiprocessing.queues import Queue
from multiprocessing.synchronize import Barrier

from interface.bootstrap import bootstrap
from interface.settings import Settings


def offer(database_url: str, barrier: Barrier, results: Queue[str]) -> None:
    settings = Settings(database_url=database_url, jwt_secret="x" * 40)
    try:
        with bootstrap(settings, follow=False) as system:
            # Every process has looked at nothing yet: they decide at the same moment.
            barrier.wait(timeout=30)
            offered = system.clinics.offer_demo_clinic()
    except Exception as error:
        results.put(repr(error))
    else:
        results.put("added" if offered is not None else "not added")
