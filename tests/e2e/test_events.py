"""GET /events over real HTTP, and `booking export` printing exactly its items."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from uuid import UUID

import httpx
import pytest

from application.access import Role
from tests.e2e.api import assert_problem, cancel, json_body, new_sub, request_booking
from tests.e2e.cli import booking
from tests.e2e.server import Server


@pytest.fixture
def auditor(server: Server) -> dict[str, str]:
    return server.auth(Role.AUDITOR, sub=new_sub("auditor"))


@pytest.fixture
def three_positions(
    client: httpx.Client, owner: dict[str, str], pet_id: str, clinic_id: UUID
) -> list[int]:
    """Positions of a request (v2), its cancellation (v3) and a new request (v4) of `pet_id`."""
    first = json_body(request_booking(client, owner, pet_id, clinic_id), 201)
    cancelled = json_body(cancel(client, owner, pet_id, first["request_id"]), 200)
    again = json_body(request_booking(client, owner, pet_id, clinic_id), 201)
    return [first["position"], cancelled["position"], again["position"]]


def events(client: httpx.Client, auth: dict[str, str], **query: Any) -> httpx.Response:
    return client.get("/events", headers=auth, params=query)


def test_pages_follow_the_log_in_position_order(
    client: httpx.Client,
    auditor: dict[str, str],
    owner_sub: str,
    pet_id: str,
    three_positions: list[int],
) -> None:
    start = three_positions[0] - 1

    first = json_body(events(client, auditor, after=start, limit=2), 200)
    second = json_body(events(client, auditor, after=first["next_after"], limit=2), 200)

    items = first["items"] + second["items"]
    assert [i["position"] for i in items] == three_positions
    assert first["next_after"] == three_positions[1]
    assert [(i["type"], i["version"]) for i in items] == [
        ("BookingRequested", 2),
        ("Cancelled", 3),
        ("BookingRequested", 4),
    ]
    assert {(i["pet_id"], i["actor"]) for i in items} == {(pet_id, owner_sub)}
    assert set(items[0]) == {"position", "pet_id", "version", "type", "timestamp", "actor", "data"}
    assert items[0]["data"]["service"] == "vaccination"


def test_at_the_head_the_page_is_empty_and_the_cursor_stays(
    client: httpx.Client, auditor: dict[str, str], three_positions: list[int]
) -> None:
    head = three_positions[-1]

    body = json_body(events(client, auditor, after=head), 200)

    assert body == {"items": [], "next_after": head}


@pytest.mark.parametrize("role", [Role.OWNER, Role.STAFF])
def test_only_auditors_read_the_log(client: httpx.Client, server: Server, role: Role) -> None:
    auth = server.auth(role, sub=new_sub(role.value), clinic_id=UUID(int=1))

    assert_problem(events(client, auth), 403, "forbidden")


def test_without_a_token_it_is_401(client: httpx.Client) -> None:
    assert_problem(client.get("/events"), 401, "unauthorized")


@pytest.mark.parametrize(
    "query",
    [{"limit": 0}, {"limit": 1001}, {"after": -1}, {"after": "first"}],
    ids=["limit-0", "limit-1001", "after-negative", "after-not-a-number"],
)
def test_out_of_range_paging_is_422(
    client: httpx.Client, auditor: dict[str, str], query: dict[str, Any]
) -> None:
    assert_problem(events(client, auditor, **query), 422, "validation_error")


def test_export_prints_exactly_the_items_of_the_log_as_json_lines(
    client: httpx.Client,
    auditor: dict[str, str],
    e2e_db_url: str,
    three_positions: list[int],
    tmp_path: Path,
) -> None:
    start = three_positions[0] - 1

    exported = booking(e2e_db_url, tmp_path, "export", "--after", str(start))

    assert exported.returncode == 0, exported.stderr
    lines = [json.loads(line) for line in exported.stdout.splitlines()]
    assert lines == json_body(events(client, auditor, after=start), 200)["items"]
    assert [line["position"] for line in lines] == three_positions
