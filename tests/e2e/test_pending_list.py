"""The clinic's pending list: read-your-writes, its items, and waiting for the projection."""

from __future__ import annotations

import time
from datetime import datetime
from typing import Any
from uuid import UUID, uuid4

import httpx
import pytest

from tests.dates import PREFERRED_DATE
from tests.e2e.api import (
    assert_problem,
    book_new_pet,
    cancel,
    get_pet,
    json_body,
    pending_ids,
    pending_requests,
    readiness,
    request_booking,
    schedule,
)

ITEM_KEYS = {
    "request_id",
    "pet_id",
    "pet_name",
    "owner_id",
    "service",
    "preferred_date",
    "notes",
    "requested_at",
}
READ_YOUR_WRITES_ROUNDS = 30
LEAVE_ROUNDS = 10
# Far below the 5 s a reader may wait for the projection.
NO_WAIT_SECONDS = 1.0


def test_a_new_request_is_listed_as_soon_as_its_position_is_asked_for(
    client: httpx.Client, owner: dict[str, str], staff: dict[str, str], clinic_id: UUID
) -> None:
    requested: list[str] = []
    for _ in range(READ_YOUR_WRITES_ROUNDS):
        # An owner requests a booking for a new pet...
        booking = book_new_pet(client, owner, clinic_id)
        requested.append(booking["request_id"])

        # ...and staff reading at that position see it, and every earlier one, at once.
        assert pending_ids(client, staff, clinic_id, booking["position"]) == requested


@pytest.mark.parametrize("leave", ["cancel", "schedule"])
def test_a_request_leaves_the_list_as_soon_as_it_is_cancelled_or_scheduled(
    client: httpx.Client,
    owner: dict[str, str],
    staff: dict[str, str],
    clinic_id: UUID,
    leave: str,
) -> None:
    for _ in range(LEAVE_ROUNDS):
        booking = book_new_pet(client, owner, clinic_id)
        pet_id, request_id = booking["pet_id"], booking["request_id"]
        assert request_id in pending_ids(client, staff, clinic_id, booking["position"])

        # Staff cancel or schedule it.
        if leave == "cancel":
            done = json_body(cancel(client, staff, pet_id, request_id), 200)
        else:
            done = json_body(schedule(client, staff, pet_id, request_id), 200)

        # At the command's position it is gone.
        assert request_id not in pending_ids(client, staff, clinic_id, done["position"])


def test_items_are_the_clinics_pending_requests_oldest_first(
    client: httpx.Client, owner: dict[str, str], staff: dict[str, str], clinic_id: UUID
) -> None:
    # Four requests at the clinic (one cancelled, one scheduled), one at another clinic.
    first = book_new_pet(
        client,
        owner,
        clinic_id,
        name="Luna",
        preferred_date=PREFERRED_DATE.isoformat(),
        notes="shy",
    )
    cancelled = book_new_pet(client, owner, clinic_id)
    scheduled = book_new_pet(client, owner, clinic_id)
    book_new_pet(client, owner, uuid4())
    last = book_new_pet(client, owner, clinic_id, name="Tom", service="check-up")
    json_body(cancel(client, owner, cancelled["pet_id"], cancelled["request_id"]), 200)
    done = json_body(schedule(client, staff, scheduled["pet_id"], scheduled["request_id"]), 200)

    body = json_body(pending_requests(client, staff, clinic_id, min_position=done["position"]), 200)

    # Only the two pending ones of this clinic, oldest first, with the contract's fields.
    assert [item["request_id"] for item in body["items"]] == [
        first["request_id"],
        last["request_id"],
    ]
    assert body["next"] is None
    assert all(item.keys() == ITEM_KEYS for item in body["items"])
    owner_id = get_pet(client, owner, first["pet_id"])["owner_id"]
    _assert_item(body["items"][0], first, owner_id, "Luna")
    _assert_item(body["items"][1], last, owner_id, "Tom")


def _assert_item(item: dict[str, Any], booking: dict[str, Any], owner_id: str, name: str) -> None:
    assert (item["pet_id"], item["pet_name"], item["owner_id"]) == (
        booking["pet_id"],
        name,
        owner_id,
    )
    fields = ("service", "preferred_date", "notes")
    assert {f: item[f] for f in fields} == {f: booking[f] for f in fields}
    assert datetime.fromisoformat(item["requested_at"]) == datetime.fromisoformat(
        booking["requested_at"]
    )


def test_a_pet_booked_again_after_a_cancel_is_listed_once(
    client: httpx.Client, owner: dict[str, str], staff: dict[str, str], clinic_id: UUID
) -> None:
    # A request, cancelled, and a new one for the same pet.
    booking = book_new_pet(client, owner, clinic_id)
    pet_id = booking["pet_id"]
    json_body(cancel(client, owner, pet_id, booking["request_id"]), 200)
    again = json_body(request_booking(client, owner, pet_id, clinic_id), 201)

    assert pending_ids(client, staff, clinic_id, again["position"]) == [again["request_id"]]


def test_a_position_beyond_the_logs_head_is_refused_at_once(
    client: httpx.Client, staff: dict[str, str], clinic_id: UUID
) -> None:
    # No event has that position yet: waiting for it could only time out.
    beyond = readiness(client)["head"] + 1000

    started = time.monotonic()
    response = pending_requests(client, staff, clinic_id, min_position=beyond)
    elapsed = time.monotonic() - started

    body = assert_problem(response, 422, "validation_error")
    assert body["errors"][0]["loc"] == ["query", "min_position"]
    assert elapsed < NO_WAIT_SECONDS
