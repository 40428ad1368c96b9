"""Roles and clinics: who may register, request, cancel and read."""

from __future__ import annotations

from uuid import uuid4

import httpx
import pytest

from application.access import Role
from tests.e2e.api import assert_problem, cancel, get_pet, json_body, new_sub
from tests.e2e.server import Server

NOT_OWNERS = [Role.STAFF, Role.AUDITOR]


def _auth(server: Server, role: Role) -> dict[str, str]:
    return server.auth(role, sub=new_sub(role.value), clinic_id=uuid4())


@pytest.mark.parametrize("role", NOT_OWNERS)
def test_only_owners_register_pets(client: httpx.Client, server: Server, role: Role) -> None:
    response = client.post("/pets", headers=_auth(server, role), json={"name": "R", "species": "d"})

    assert_problem(response, 403, "forbidden")


@pytest.mark.parametrize("role", NOT_OWNERS)
def test_only_owners_request_bookings(
    client: httpx.Client, server: Server, owner: dict[str, str], pet_id: str, role: Role
) -> None:
    path = f"/pets/{pet_id}/booking-requests"
    body = {"clinic_id": str(uuid4()), "service": "vaccination"}

    assert_problem(client.post(path, headers=_auth(server, role), json=body), 403, "forbidden")
    assert get_pet(client, owner, pet_id)["requests"] == []


def test_auditors_read_any_pet(client: httpx.Client, server: Server, pet_id: str) -> None:
    assert json_body(client.get(f"/pets/{pet_id}", headers=_auth(server, Role.AUDITOR)), 200)


def test_staff_of_the_requests_clinic_may_cancel(
    client: httpx.Client, staff: dict[str, str], pet_id: str, request_id: str
) -> None:
    response = cancel(client, staff, pet_id, request_id, {"reason": "clinic closed"})

    assert json_body(response, 200)["status"] == "cancelled"


def test_staff_of_another_clinic_may_not_cancel(
    client: httpx.Client, server: Server, owner: dict[str, str], pet_id: str, request_id: str
) -> None:
    response = cancel(client, _auth(server, Role.STAFF), pet_id, request_id)

    assert_problem(response, 404, "pet_not_found")
    assert get_pet(client, owner, pet_id)["requests"][0]["status"] == "active"


def test_auditors_may_not_cancel(
    client: httpx.Client, server: Server, pet_id: str, request_id: str
) -> None:
    response = cancel(client, _auth(server, Role.AUDITOR), pet_id, request_id)

    assert_problem(response, 403, "forbidden")
