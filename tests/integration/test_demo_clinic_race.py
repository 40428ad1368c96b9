"""Processes offering the demo clinic at the same moment add it once, and none of them fails.

Each sees an empty directory; the fixed id makes the store refuse every copy
but the first, and a refusal counts as "it is there".
"""

from __future__ import annotations

import multiprocessing
from multiprocessing.queues import Queue

import pytest

from application.access import Actor, Role
from application.clinics import DEMO_CLINIC_ID
from interface.bootstrap import bootstrap
from interface.settings import Settings
from tests.integration.demo_clinic_worker import offer
from tests.stores import postgres_schema_url

PROCESSES = 4
ROUNDS = 3
AUDITOR = Actor("auditor", Role.AUDITOR)


@pytest.mark.postgres
def test_processes_offering_the_demo_clinic_at_once_add_it_once() -> None:
    context = multiprocessing.get_context("spawn")
    for _ in range(ROUNDS):
        with postgres_schema_url() as url:
            barrier = context.Barrier(PROCESSES)
            results: Queue[str] = context.Queue()
            processes = [
                context.Process(target=offer, args=(url, barrier, results))
                for _ in range(PROCESSES)
            ]
            for process in processes:
                process.start()
            outcomes = sorted(results.get(timeout=60) for _ in processes)
            for process in processes:
                process.join(timeout=30)

            assert outcomes == ["added"] + ["not added"] * (PROCESSES - 1)
            with bootstrap(Settings(database_url=url, jwt_secret="x" * 40), follow=False) as system:
                events = system.audit.events(AUDITOR, limit=100).items
            assert [(e.type, getattr(e, "clinic_id", None)) for e in events] == [
                ("ClinicAdded", DEMO_CLINIC_ID)
            ]
