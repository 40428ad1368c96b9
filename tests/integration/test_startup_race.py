"""Processes starting together on a fresh PostgreSQL schema all start.

The library runs its DDL on every start; unserialised, four processes
starting at once failed about one time in three ("tuple concurrently
updated", duplicate composite types).
"""

from __future__ import annotations

import multiprocessing
from multiprocessing.queues import Queue

import pytest

from tests.integration.startup_worker import start
from tests.stores import postgres_schema_url

PROCESSES = 4
ROUNDS = 3


@pytest.mark.postgres
def test_processes_starting_together_on_a_fresh_schema_all_start() -> None:
    context = multiprocessing.get_context("spawn")
    outcomes: list[str] = []
    for _ in range(ROUNDS):
        with postgres_schema_url() as url:
            # The schema exists but is empty, as for a first deployment.
            barrier = context.Barrier(PROCESSES)
            results: Queue[str] = context.Queue()
            processes = [
                context.Process(target=start, args=(url, barrier, results))
                for _ in range(PROCESSES)
            ]
            for process in processes:
                process.start()
            outcomes += [results.get(timeout=60) for _ in processes]
            for process in processes:
                process.join(timeout=30)

    assert outcomes == ["started"] * PROCESSES * ROUNDS
