"""GET /pets/{pet_id}/history: events, point-in-time state, who may read."""

from __future__ import annotations

from typing import Any
from uuid import uuid4

import httpx
import pytest

from application.access import Role
from tests.e2e.api import assert_problem, cancel, get_pet, json_body, new_sub
from tests.e2e.server import Server


@pytest.fixture
def auditor(server: Server) -> dict[str, str]:
    return server.auth(Role.AUDITOR, sub=new_sub("auditor"))


@pytest.fixture
def cancelled_pet(client: httpx.Client, owner: dict[str, str], pet_id: str, request_id: str) -> str:
    """A pet registered (v1), booked (v2), and its request cancelled (v3)."""
    json_body(cancel(client, owner, pet_id, request_id, {"reason": "moving"}), 200)
    return pet_id


def history(
    client: httpx.Client, auth: dict[str, str], pet_id: str, **query: Any
) -> httpx.Response:
    return client.get(f"/pets/{pet_id}/history", headers=auth, params=query)


def test_the_owner_reads_every_event_and_the_current_state(
    client: httpx.Client, owner: dict[str, str], owner_sub: str, cancelled_pet: str
) -> None:
    body = json_body(history(client, owner, cancelled_pet), 200)

    assert body["pet_id"] == cancelled_pet
    events = body["events"]
    assert [(e["version"], e["type"]) for e in events] == [
        (1, "Registered"),
        (2, "BookingRequested"),
        (3, "Cancelled"),
    ]
    assert {e["actor"] for e in events} == {owner_sub}
    assert set(events[0]) >= {"version", "type", "timestamp", "actor", "data", "position"}
    assert events[1]["data"]["service"] == "vaccination"
    assert events[2]["data"]["reason"] == "moving"
    assert body["state"] == get_pet(client, owner, cancelled_pet)


def test_as_of_version_gives_the_state_built_from_those_events_only(
    client: httpx.Client, auditor: dict[str, str], cancelled_pet: str
) -> None:
    body = json_body(history(client, auditor, cancelled_pet, as_of_version=2), 200)

    assert [e["version"] for e in body["events"]] == [1, 2]
    assert body["state"]["version"] == 2
    [request] = body["state"]["requests"]
    assert (request["status"], request["cancelled_at"]) == ("active", None)


def test_as_of_an_instant_gives_the_state_at_that_instant(
    client: httpx.Client, auditor: dict[str, str], cancelled_pet: str
) -> None:
    full = json_body(history(client, auditor, cancelled_pet), 200)
    requested_at = full["events"][1]["timestamp"]

    body = json_body(history(client, auditor, cancelled_pet, as_of=requested_at), 200)

    assert [e["version"] for e in body["events"]] == [1, 2]
    assert (
        body["state"]
        == json_body(history(client, auditor, cancelled_pet, as_of_version=2), 200)["state"]
    )


def test_before_the_pet_existed_it_is_not_found(
    client: httpx.Client, auditor: dict[str, str], pet_id: str
) -> None:
    response = history(client, auditor, pet_id, as_of="2000-01-01T00:00:00+00:00")

    assert_problem(response, 404, "pet_not_found")


def test_another_owner_gets_404_exactly_like_a_missing_pet(
    client: httpx.Client, server: Server, pet_id: str
) -> None:
    stranger = server.auth(Role.OWNER, sub=new_sub("owner"))

    theirs = assert_problem(history(client, stranger, pet_id), 404, "pet_not_found")
    missing = assert_problem(history(client, stranger, str(uuid4())), 404, "pet_not_found")

    assert theirs == missing


def test_staff_may_not_read_histories(
    client: httpx.Client, staff: dict[str, str], pet_id: str
) -> None:
    assert_problem(history(client, staff, pet_id), 403, "forbidden")


def test_without_a_token_it_is_401(client: httpx.Client, pet_id: str) -> None:
    assert_problem(client.get(f"/pets/{pet_id}/history"), 401, "unauthorized")


@pytest.mark.parametrize(
    "query",
    [
        {"as_of_version": 2, "as_of": "2030-01-01T00:00:00+00:00"},
        {"as_of": "2030-01-01T00:00:00"},
        {"as_of_version": 0},
        {"as_of_version": "two"},
    ],
    ids=["both", "naive-as-of", "version-0", "version-not-a-number"],
)
def test_a_malformed_point_in_time_is_422(
    client: httpx.Client, auditor: dict[str, str], pet_id: str, query: dict[str, Any]
) -> None:
    assert_problem(history(client, auditor, pet_id, **query), 422, "validation_error")


def test_a_pet_id_that_is_not_a_uuid_is_422(client: httpx.Client, auditor: dict[str, str]) -> None:
    assert_problem(history(client, auditor, "rex"), 422, "validation_error")


def test_an_unknown_pet_is_404_for_auditors_too(
    client: httpx.Client, auditor: dict[str, str]
) -> None:
    assert_problem(history(client, auditor, str(uuid4())), 404, "pet_not_found")
