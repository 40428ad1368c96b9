"""A bad write in a group commit fails alone: the writes batched with it still commit.

Issue 15, point 1. Each test holds the events table lock from outside so that
the writes queue behind the group's leader and are written as one batch.
"""

from __future__ import annotations

from uuid import uuid4

import pytest

from infrastructure.postgres.recorder import FailFastPostgresApplicationRecorder
from tests.contract.batching import batched_behind_a_lock, event

pytestmark = pytest.mark.postgres


def test_commands_of_several_events_batched_with_bad_ones_commit(
    recorder: FailFastPostgresApplicationRecorder, schema_url: str
) -> None:
    leader, good, twice, bad = uuid4(), uuid4(), uuid4(), uuid4()
    writes = {
        "good": [event(good, 1), event(good, 2)],
        # The primary key refuses the second event: the library refuses this write alone.
        "twice": [event(twice, 1), event(twice, 1)],
        # PostgreSQL text cannot hold NUL: a data error in one write of the batch.
        "bad": [event(bad, 1), event(bad, 2, topic="nul\x00")],
    }

    with batched_behind_a_lock(schema_url, recorder, [event(leader, 1)], writes) as futures:
        outcomes = {name: future.result(timeout=30) for name, future in futures.items()}

    assert outcomes["twice"] == "IntegrityError", outcomes
    assert outcomes["bad"] == "DataError", outcomes
    assert isinstance(outcomes["good"], list), outcomes
    assert [e.originator_version for e in recorder.select_events(good)] == [1, 2]
    assert recorder.select_events(twice) == recorder.select_events(bad) == []


def test_commands_of_one_event_batched_with_a_bad_one_commit(
    recorder: FailFastPostgresApplicationRecorder, schema_url: str
) -> None:
    leader, first, bad, last = uuid4(), uuid4(), uuid4(), uuid4()
    writes = {
        "first": [event(first, 1)],
        "bad": [event(bad, 1, topic="nul\x00")],
        "last": [event(last, 1)],
    }

    with batched_behind_a_lock(schema_url, recorder, [event(leader, 1)], writes) as futures:
        outcomes = {name: future.result(timeout=30) for name, future in futures.items()}

    assert outcomes["bad"] == "DataError", outcomes
    assert isinstance(outcomes["first"], list), outcomes
    assert isinstance(outcomes["last"], list), outcomes
    assert len(recorder.select_events(first)) == len(recorder.select_events(last)) == 1
    assert recorder.select_events(bad) == []
