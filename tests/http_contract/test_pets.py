"""Registering pets and reading them; another owner's pet looks like a missing one."""

from __future__ import annotations

from typing import Any
from uuid import UUID, uuid4

import httpx

from application.access import Role
from tests.dates import PREFERRED_DATE
from tests.e2e.api import (
    assert_problem,
    cancel,
    get_pet,
    json_body,
    new_sub,
    request_booking,
)
from tests.e2e.server import Server


def test_registering_a_pet_answers_201_with_the_pet(
    client: httpx.Client, owner: dict[str, str], owner_sub: str
) -> None:
    response = client.post("/pets", headers=owner, json={"name": "Rex", "species": "dog"})

    body = json_body(response, 201)
    assert set(body) == {"pet_id", "owner_id", "name", "species", "version"}
    assert UUID(body["pet_id"])
    assert (body["owner_id"], body["name"], body["species"]) == (owner_sub, "Rex", "dog")
    assert body["version"] == 1


def test_reading_a_pet_shows_its_requests(
    client: httpx.Client, owner: dict[str, str], pet_id: str, clinic_id: UUID
) -> None:
    # Given a request with every optional field
    fields: dict[str, Any] = {
        "service": "dental",
        "preferred_date": PREFERRED_DATE.isoformat(),
        "notes": "shy",
    }
    request = json_body(request_booking(client, owner, pet_id, clinic_id, **fields), 201)

    # When the owner reads the pet, it comes back from the store
    pet = get_pet(client, owner, pet_id)

    assert pet["version"] == 2
    [stored] = pet["requests"]
    assert stored["request_id"] == request["request_id"]
    assert stored["clinic_id"] == str(clinic_id)
    assert (stored["service"], stored["preferred_date"], stored["notes"]) == (
        "dental",
        PREFERRED_DATE.isoformat(),
        "shy",
    )
    assert (stored["scheduling_status"], stored["status"]) == ("pending_scheduling", "active")
    assert stored["requested_at"] == request["requested_at"]
    assert (stored["scheduled_for"], stored["cancelled_at"]) == (None, None)


def test_an_unknown_pet_is_pet_not_found(client: httpx.Client, owner: dict[str, str]) -> None:
    assert_problem(client.get(f"/pets/{uuid4()}", headers=owner), 404, "pet_not_found")


def test_another_owners_pet_answers_exactly_like_a_missing_one(
    client: httpx.Client, server: Server, pet_id: str
) -> None:
    stranger = server.auth(Role.OWNER, sub=new_sub("owner"))

    foreign = client.get(f"/pets/{pet_id}", headers=stranger)
    missing = client.get(f"/pets/{uuid4()}", headers=stranger)

    assert_problem(foreign, 404, "pet_not_found")
    assert foreign.json() == missing.json()


def test_another_owner_changes_nothing_on_a_pet(
    client: httpx.Client, server: Server, owner: dict[str, str], pet_id: str, request_id: str
) -> None:
    stranger = server.auth(Role.OWNER, sub=new_sub("owner"))
    before = get_pet(client, owner, pet_id)

    # The stranger can neither request nor cancel on it
    booked = request_booking(client, stranger, pet_id, uuid4())
    cancelled = cancel(client, stranger, pet_id, request_id)

    assert_problem(booked, 404, "pet_not_found")
    assert_problem(cancelled, 404, "pet_not_found")
    assert get_pet(client, owner, pet_id) == before
