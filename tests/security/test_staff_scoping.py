"""Finding 2: staff read a pet only through their own clinic's requests.

Staff of clinic X could GET any pet and read requests (with their notes) made
to other clinics.
"""

from __future__ import annotations

from uuid import UUID, uuid4

import httpx

from application.access import Role
from tests.dates import STARTS_AT
from tests.e2e.api import assert_problem, get_pet, json_body, new_sub, request_booking
from tests.e2e.server import Server


def _book_and_cancel(
    client: httpx.Client, owner: dict[str, str], pet_id: str, clinic: UUID, notes: str
) -> str:
    """A request to `clinic` (cancelled, so the pet can book again); its id."""
    body = json_body(request_booking(client, owner, pet_id, clinic, notes=notes), 201)
    path = f"/pets/{pet_id}/booking-requests/{body['request_id']}/cancel"
    json_body(client.post(path, headers=owner, json={}), 200)
    request_id: str = body["request_id"]
    return request_id


def test_staff_cannot_see_a_pet_with_no_request_to_their_clinic(
    client: httpx.Client, server: Server, owner: dict[str, str], pet_id: str, staff: dict[str, str]
) -> None:
    _book_and_cancel(client, owner, pet_id, uuid4(), notes="private: anxious around dogs")

    response = client.get(f"/pets/{pet_id}", headers=staff)

    # Exactly what a pet that does not exist answers.
    missing = client.get(f"/pets/{uuid4()}", headers=staff)
    assert_problem(response, 404, "pet_not_found")
    assert response.json() == missing.json()


def test_staff_see_only_their_clinics_requests(
    client: httpx.Client,
    owner: dict[str, str],
    pet_id: str,
    clinic_id: UUID,
    staff: dict[str, str],
) -> None:
    elsewhere = _book_and_cancel(client, owner, pet_id, uuid4(), notes="other clinic's notes")
    mine = json_body(request_booking(client, owner, pet_id, clinic_id, notes="ours"), 201)

    seen = get_pet(client, staff, pet_id)

    assert [r["request_id"] for r in seen["requests"]] == [mine["request_id"]]
    assert "other clinic's notes" not in str(seen)
    # The owner still sees both.
    assert {r["request_id"] for r in get_pet(client, owner, pet_id)["requests"]} == {
        elsewhere,
        mine["request_id"],
    }


def test_staff_of_another_clinic_cannot_touch_a_request(
    client: httpx.Client, server: Server, owner: dict[str, str], pet_id: str, clinic_id: UUID
) -> None:
    # The pet booked once at the staff's clinic, so they see it; this request is elsewhere.
    their_clinic = uuid4()
    _book_and_cancel(client, owner, pet_id, their_clinic, notes="old visit")
    request_id = json_body(request_booking(client, owner, pet_id, clinic_id), 201)["request_id"]
    outsider = server.auth(Role.STAFF, sub=new_sub("staff"), clinic_id=their_clinic)
    path = f"/pets/{pet_id}/booking-requests/{request_id}"

    read = client.get(path, headers=outsider)
    cancelled = client.post(f"{path}/cancel", headers=outsider, json={})
    scheduled = client.post(f"{path}/schedule", headers=outsider, json={"starts_at": STARTS_AT})

    # To them that request does not exist, exactly like a missing one.
    assert_problem(read, 404, "request_not_found")
    assert_problem(cancelled, 404, "request_not_found")
    assert_problem(scheduled, 404, "request_not_found")
    request = next(
        r for r in get_pet(client, owner, pet_id)["requests"] if r["request_id"] == request_id
    )
    assert (request["status"], request["scheduling_status"]) == ("active", "pending_scheduling")


def test_staff_may_not_read_history(
    client: httpx.Client, owner: dict[str, str], pet_id: str, clinic_id: UUID, staff: dict[str, str]
) -> None:
    json_body(request_booking(client, owner, pet_id, clinic_id), 201)

    assert_problem(client.get(f"/pets/{pet_id}/history", headers=staff), 403, "forbidden")
