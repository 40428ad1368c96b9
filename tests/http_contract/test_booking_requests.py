"""Requesting a booking: at most one pending request per pet, and the friendly 409."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID, uuid4

import httpx
import pytest

from application.access import Role
from tests.dates import PREFERRED_DATE
from tests.e2e.api import (
    PENDING_DETAIL_EN,
    PENDING_DETAIL_ES,
    assert_problem,
    get_pet,
    json_body,
    new_sub,
    request_booking,
)
from tests.e2e.server import Server

RECEIPT_FIELDS = {
    "request_id",
    "pet_id",
    "clinic_id",
    "service",
    "preferred_date",
    "notes",
    "scheduling_status",
    "status",
    "requested_at",
    "scheduled_for",
    "cancelled_at",
    "version",
    "position",
}


def test_requesting_a_booking_answers_201_with_every_contract_field(
    client: httpx.Client, owner: dict[str, str], pet_id: str, clinic_id: UUID
) -> None:
    response = request_booking(
        client, owner, pet_id, clinic_id, preferred_date=PREFERRED_DATE.isoformat()
    )

    body = json_body(response, 201)
    assert body.keys() >= RECEIPT_FIELDS
    assert UUID(body["request_id"])
    assert (body["pet_id"], body["clinic_id"]) == (pet_id, str(clinic_id))
    assert (body["service"], body["preferred_date"], body["notes"]) == (
        "vaccination",
        PREFERRED_DATE.isoformat(),
        None,
    )
    assert (body["scheduling_status"], body["status"]) == ("pending_scheduling", "active")
    assert datetime.fromisoformat(body["requested_at"]).tzinfo is not None
    assert type(body["version"]) is int
    assert body["version"] == 2
    assert type(body["position"]) is int
    assert body["position"] >= 1


def test_a_new_request_is_located_at_its_own_path_readable_by_its_owner_only(
    client: httpx.Client, server: Server, owner: dict[str, str], pet_id: str, clinic_id: UUID
) -> None:
    response = request_booking(client, owner, pet_id, clinic_id)
    receipt = json_body(response, 201)

    location = response.headers["Location"]
    assert location == f"/pets/{pet_id}/booking-requests/{receipt['request_id']}"
    request = json_body(client.get(location, headers=owner), 200)
    assert request == {
        k: v for k, v in receipt.items() if k not in ("pet_id", "version", "position")
    }
    another_owner = server.auth(Role.OWNER, sub=new_sub("owner"))
    assert_problem(client.get(location, headers=another_owner), 404, "pet_not_found")
    missing = client.get(f"/pets/{pet_id}/booking-requests/{uuid4()}", headers=owner)
    assert_problem(missing, 404, "request_not_found")


def test_a_second_request_is_pending_request_exists_naming_the_first(
    client: httpx.Client, owner: dict[str, str], pet_id: str, clinic_id: UUID, request_id: str
) -> None:
    second = request_booking(client, owner, pet_id, uuid4(), service="dental")

    problem = assert_problem(second, 409, "pending_request_exists")
    assert problem["pending_request_id"] == request_id
    assert problem["detail"] == PENDING_DETAIL_ES
    assert [r["request_id"] for r in get_pet(client, owner, pet_id)["requests"]] == [request_id]


@pytest.mark.parametrize(
    ("accept_language", "detail"),
    [
        (None, PENDING_DETAIL_ES),
        ("es", PENDING_DETAIL_ES),
        ("en", PENDING_DETAIL_EN),
        ("en-US,en;q=0.9,es;q=0.8", PENDING_DETAIL_EN),
        ("es;q=0.9,en;q=0.5", PENDING_DETAIL_ES),
        ("fr-FR,fr;q=0.9", PENDING_DETAIL_ES),
    ],
)
def test_the_problem_detail_follows_accept_language(
    client: httpx.Client,
    owner: dict[str, str],
    pet_id: str,
    clinic_id: UUID,
    request_id: str,
    accept_language: str | None,
    detail: str,
) -> None:
    language = {"Accept-Language": accept_language} if accept_language else {}

    second = request_booking(client, owner, pet_id, clinic_id, headers=language)

    assert assert_problem(second, 409, "pending_request_exists")["detail"] == detail
