"""Who may read a clinic's pending list, and schedule or cancel its requests."""

from __future__ import annotations

import time
from datetime import datetime
from typing import Any
from uuid import UUID, uuid4

import httpx
import pytest

from application.access import Role
from tests.dates import STARTS_AT_WEST as STARTS_AT
from tests.e2e.api import (
    assert_problem,
    cancel,
    json_body,
    new_sub,
    pending_ids,
    pending_requests,
    request_booking,
    schedule,
)
from tests.e2e.server import Server

OUTSIDERS = ["staff of another clinic", "owner", "auditor"]
# Well below the 5 s a reader may wait for the projection.
NO_WAIT_SECONDS = 2.5


def _auth(server: Server, who: str, owner: dict[str, str]) -> dict[str, str]:
    """Headers of someone who is not staff of the request's clinic."""
    if who == "owner":
        return owner
    if who == "auditor":
        return server.auth(Role.AUDITOR, sub=new_sub("auditor"))
    return server.auth(Role.STAFF, sub=new_sub("staff"), clinic_id=uuid4())


@pytest.fixture
def booking(
    client: httpx.Client, owner: dict[str, str], pet_id: str, clinic_id: UUID
) -> dict[str, Any]:
    """A pending request for `pet_id` at `clinic_id`: the 201 body, with its position."""
    return json_body(request_booking(client, owner, pet_id, clinic_id), 201)


def test_staff_list_their_own_clinic(
    client: httpx.Client, staff: dict[str, str], clinic_id: UUID, booking: dict[str, Any]
) -> None:
    assert pending_ids(client, staff, clinic_id, booking["position"]) == [booking["request_id"]]


def test_staff_may_not_list_another_clinic(
    client: httpx.Client, staff: dict[str, str], booking: dict[str, Any]
) -> None:
    assert_problem(pending_requests(client, staff, uuid4()), 403, "forbidden")


@pytest.mark.parametrize("who", ["owner", "auditor"])
def test_owners_and_auditors_may_not_list(
    client: httpx.Client,
    server: Server,
    owner: dict[str, str],
    clinic_id: UUID,
    booking: dict[str, Any],
    who: str,
) -> None:
    response = pending_requests(client, _auth(server, who, owner), clinic_id)

    assert_problem(response, 403, "forbidden")


@pytest.mark.parametrize("who", OUTSIDERS)
def test_outsiders_are_refused_before_any_wait_for_the_projection(
    client: httpx.Client,
    server: Server,
    owner: dict[str, str],
    clinic_id: UUID,
    booking: dict[str, Any],
    who: str,
) -> None:
    # A position the projection will not reach: only an authorized reader may wait for it.
    beyond = booking["position"] + 1000

    started = time.monotonic()
    response = pending_requests(client, _auth(server, who, owner), clinic_id, min_position=beyond)

    assert_problem(response, 403, "forbidden")
    assert time.monotonic() - started < NO_WAIT_SECONDS


def test_listing_without_a_token_is_unauthorized(client: httpx.Client, clinic_id: UUID) -> None:
    response = client.get(f"/clinics/{clinic_id}/pending-requests")

    assert_problem(response, 401, "unauthorized")
    assert response.headers.get("WWW-Authenticate", "").startswith("Bearer")


def test_staff_of_the_clinic_schedule_and_the_request_leaves_the_list(
    client: httpx.Client,
    staff: dict[str, str],
    clinic_id: UUID,
    pet_id: str,
    booking: dict[str, Any],
) -> None:
    request_id = booking["request_id"]

    # Staff of the clinic schedule it.
    done = json_body(schedule(client, staff, pet_id, request_id, STARTS_AT), 200)

    assert (done["request_id"], done["scheduling_status"]) == (request_id, "scheduled")
    assert datetime.fromisoformat(done["scheduled_for"]) == datetime.fromisoformat(STARTS_AT)
    assert request_id not in pending_ids(client, staff, clinic_id, done["position"])
    # Scheduling it again is refused.
    again = schedule(client, staff, pet_id, request_id, STARTS_AT)
    assert_problem(again, 409, "not_pending")


@pytest.mark.parametrize("who", OUTSIDERS)
def test_only_staff_of_the_clinic_schedule(
    client: httpx.Client,
    server: Server,
    owner: dict[str, str],
    staff: dict[str, str],
    clinic_id: UUID,
    pet_id: str,
    booking: dict[str, Any],
    who: str,
) -> None:
    response = schedule(client, _auth(server, who, owner), pet_id, booking["request_id"])

    # To staff of another clinic the pet does not exist; other roles may not schedule at all.
    if who == "staff of another clinic":
        assert_problem(response, 404, "pet_not_found")
    else:
        assert_problem(response, 403, "forbidden")
    # Still pending: it stays on the clinic's list.
    assert pending_ids(client, staff, clinic_id, booking["position"]) == [booking["request_id"]]


def test_staff_of_the_clinic_cancel_and_the_request_leaves_the_list(
    client: httpx.Client,
    staff: dict[str, str],
    clinic_id: UUID,
    pet_id: str,
    booking: dict[str, Any],
) -> None:
    response = cancel(client, staff, pet_id, booking["request_id"], {"reason": "vet on leave"})

    done = json_body(response, 200)
    assert (done["request_id"], done["status"]) == (booking["request_id"], "cancelled")
    assert pending_ids(client, staff, clinic_id, done["position"]) == []


def test_staff_of_another_clinic_may_not_cancel(
    client: httpx.Client,
    server: Server,
    owner: dict[str, str],
    staff: dict[str, str],
    clinic_id: UUID,
    pet_id: str,
    booking: dict[str, Any],
) -> None:
    outsider = _auth(server, "staff of another clinic", owner)

    # The pet has no request to their clinic: to them it does not exist.
    assert_problem(cancel(client, outsider, pet_id, booking["request_id"]), 404, "pet_not_found")
    assert pending_ids(client, staff, clinic_id, booking["position"]) == [booking["request_id"]]
