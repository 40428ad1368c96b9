"""Staff of the request's clinic schedule it; scheduling frees the pet."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID, uuid4

import httpx
import pytest

from application.access import Role
from tests.dates import STARTS_AT
from tests.e2e.api import assert_problem, get_pet, json_body, new_sub, request_booking, schedule
from tests.e2e.server import Server


def test_staff_of_the_clinic_schedule_a_pending_request(
    client: httpx.Client, owner: dict[str, str], staff: dict[str, str], pet_id: str, request_id: str
) -> None:
    starts_at = STARTS_AT

    body = json_body(schedule(client, staff, pet_id, request_id, starts_at), 200)

    assert (body["request_id"], body["scheduling_status"]) == (request_id, "scheduled")
    assert body["status"] == "active"
    assert datetime.fromisoformat(body["scheduled_for"]) == datetime.fromisoformat(starts_at)
    assert (type(body["version"]), type(body["position"])) == (int, int)
    stored = get_pet(client, owner, pet_id)["requests"][0]
    assert datetime.fromisoformat(stored["scheduled_for"]) == datetime.fromisoformat(starts_at)


def test_scheduling_twice_is_not_pending(
    client: httpx.Client, staff: dict[str, str], pet_id: str, request_id: str
) -> None:
    json_body(schedule(client, staff, pet_id, request_id), 200)

    assert_problem(schedule(client, staff, pet_id, request_id), 409, "not_pending")


def test_scheduling_an_unknown_request_is_request_not_found(
    client: httpx.Client, staff: dict[str, str], pet_id: str, request_id: str
) -> None:
    assert_problem(schedule(client, staff, pet_id, str(uuid4())), 404, "request_not_found")


def test_a_scheduled_request_frees_the_pet_for_a_new_one(
    client: httpx.Client,
    owner: dict[str, str],
    staff: dict[str, str],
    pet_id: str,
    clinic_id: UUID,
    request_id: str,
) -> None:
    json_body(schedule(client, staff, pet_id, request_id), 200)

    again = request_booking(client, owner, pet_id, clinic_id, service="check-up")

    assert json_body(again, 201)["request_id"] != request_id


@pytest.mark.parametrize("who", ["owner", "other-clinic-staff", "auditor"])
def test_only_staff_of_the_clinic_schedule(
    client: httpx.Client,
    server: Server,
    owner: dict[str, str],
    pet_id: str,
    request_id: str,
    who: str,
) -> None:
    auth = {
        "owner": owner,
        "other-clinic-staff": server.auth(Role.STAFF, sub=new_sub("staff"), clinic_id=uuid4()),
        "auditor": server.auth(Role.AUDITOR, sub=new_sub("auditor")),
    }[who]

    # To staff of another clinic the pet does not exist; other roles may not schedule.
    status, code = (404, "pet_not_found") if who == "other-clinic-staff" else (403, "forbidden")
    assert_problem(schedule(client, auth, pet_id, request_id), status, code)
    assert get_pet(client, owner, pet_id)["requests"][0]["scheduling_status"] == (
        "pending_scheduling"
    )
