"""Cancelling a booking request frees the pet for a new one."""

from __future__ import annotations

from uuid import UUID, uuid4

import httpx

from tests.e2e.api import assert_problem, cancel, get_pet, json_body, request_booking


def test_the_owner_cancels_a_request(
    client: httpx.Client, owner: dict[str, str], pet_id: str, request_id: str
) -> None:
    response = cancel(client, owner, pet_id, request_id, {"reason": "feeling better"})

    body = json_body(response, 200)
    assert (body["request_id"], body["status"]) == (request_id, "cancelled")
    assert body["cancelled_at"] is not None
    assert (type(body["version"]), body["version"]) == (int, 3)
    assert type(body["position"]) is int
    assert get_pet(client, owner, pet_id)["requests"][0]["status"] == "cancelled"


def test_cancelling_without_a_body_is_allowed(
    client: httpx.Client, owner: dict[str, str], pet_id: str, request_id: str
) -> None:
    path = f"/pets/{pet_id}/booking-requests/{request_id}/cancel"

    assert json_body(client.post(path, headers=owner), 200)["status"] == "cancelled"


def test_cancelling_twice_is_not_cancellable(
    client: httpx.Client, owner: dict[str, str], pet_id: str, request_id: str
) -> None:
    json_body(cancel(client, owner, pet_id, request_id), 200)

    again = cancel(client, owner, pet_id, request_id)

    assert_problem(again, 409, "not_cancellable")
    assert get_pet(client, owner, pet_id)["version"] == 3


def test_cancelling_an_unknown_request_is_request_not_found(
    client: httpx.Client, owner: dict[str, str], pet_id: str
) -> None:
    assert_problem(cancel(client, owner, pet_id, str(uuid4())), 404, "request_not_found")


def test_after_a_cancel_a_new_request_is_accepted(
    client: httpx.Client, owner: dict[str, str], pet_id: str, clinic_id: UUID, request_id: str
) -> None:
    json_body(cancel(client, owner, pet_id, request_id), 200)

    again = request_booking(client, owner, pet_id, clinic_id)

    assert json_body(again, 201)["request_id"] != request_id
    assert len(get_pet(client, owner, pet_id)["requests"]) == 2
