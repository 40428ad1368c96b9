"""Pet ids given as text: stored under their UUID, conflicts found, non-UUIDs refused alone.

Issue 15, point 3. The library's recorder accepts an id as a UUID or as its text.
"""

from __future__ import annotations

from uuid import uuid4

import pytest
from eventsourcing.persistence import DataError, IntegrityError

from application.bookings import PetBookings
from infrastructure.postgres.recorder import FailFastPostgresApplicationRecorder
from tests.contract.batching import batched_behind_a_lock, event

pytestmark = pytest.mark.postgres


def test_an_id_given_as_text_is_stored_and_its_position_returned(service: PetBookings) -> None:
    pet = uuid4()

    positions = service.recorder.insert_events([event(str(pet), 1)])

    assert positions == [1]
    stored = service.recorder.select_events(pet)
    assert [(e.originator_id, e.originator_version) for e in stored] == [(pet, 1)]


def test_an_id_as_text_and_as_uuid_are_one_pet(service: PetBookings) -> None:
    pet = uuid4()
    service.recorder.insert_events([event(pet, 1)])

    with pytest.raises(IntegrityError):
        service.recorder.insert_events([event(str(pet), 1), event(str(pet), 2)])

    assert len(service.recorder.select_events(pet)) == 1


def test_a_conflict_under_a_text_id_fails_that_write_alone(
    recorder: FailFastPostgresApplicationRecorder, schema_url: str
) -> None:
    taken, other = uuid4(), uuid4()
    recorder.insert_events([event(taken, 1)])
    writes = {
        "conflict": [event(str(taken), 1), event(str(taken), 2)],
        "other": [event(other, 1), event(other, 2)],
    }

    with batched_behind_a_lock(schema_url, recorder, [event(uuid4(), 1)], writes) as futures:
        outcomes = {name: future.result(timeout=30) for name, future in futures.items()}

    assert outcomes["conflict"] == "IntegrityError", outcomes
    assert isinstance(outcomes["other"], list), outcomes
    assert len(recorder.select_events(other)) == 2
    assert len(recorder.select_events(taken)) == 1


def test_an_id_that_is_no_uuid_is_refused_before_it_reaches_the_database(
    service: PetBookings,
) -> None:
    with pytest.raises(DataError, match="not-a-uuid"):
        service.recorder.insert_events([event("not-a-uuid", 1)])

    assert service.recorder.max_notification_id() is None
