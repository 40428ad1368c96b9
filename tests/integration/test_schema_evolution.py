"""An event stored in an older shape is read in today's shape (upcast), and still verifies.

`BookingRequested` below is a realistic second version of the domain's event:
it adds `channel` (where the request came from). Events recorded before the
change lack the field and any `class_version`; `upcast_v1_v2` fills it in.
"""

from __future__ import annotations

import dataclasses
import json
from typing import Any
from uuid import uuid4

from eventsourcing.utils import get_topic

from application.bookings import PetBookings
from domain.pet import Pet
from interface.auditing import open_audit
from tests.integration.audit_support import AUDITOR, findings, new_owner


class BookingRequested(Pet.BookingRequested):
    class_version = 2
    channel: str

    @staticmethod
    def upcast_v1_v2(state: dict[str, Any]) -> None:
        state["channel"] = "unknown"


def test_an_event_stored_in_the_older_shape_is_read_upcast(bookings: PetBookings) -> None:
    # Yesterday's code recorded a pet and a booking request (version 1 of the event).
    owner = new_owner()
    pet = Pet.register(uuid4(), owner.sub, "Luna", "cat")
    pet.request_booking(
        request_id=uuid4(),
        clinic_id=uuid4(),
        service="vaccination",
        preferred_date=None,
        notes=None,
        requested_by=owner.sub,
        idempotency_key=None,
    )
    registered, requested = (bookings.mapper.to_stored_event(e) for e in pet.collect_events())
    # Today the event's class is at version 2; the stored row is what it always was.
    old_row = dataclasses.replace(requested, topic=get_topic(BookingRequested))
    assert {"channel", "class_version"}.isdisjoint(json.loads(old_row.state))
    bookings.recorder.insert_events([registered, old_row])

    # Reading it gives today's shape, with the field the upcast supplied.
    history = open_audit(bookings).history(AUDITOR, pet.id)
    event = history.events[1]
    assert (event.type, event.data["channel"]) == ("BookingRequested", "unknown")
    assert event.data["service"] == "vaccination"
    assert history.state.requests[0].service == "vaccination"
    # The hash covers what was recorded, so evolving an event never breaks its chain.
    assert findings(bookings) == []
