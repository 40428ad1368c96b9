"""`booking history` as a real process: the table for people, JSON equal to the API's."""

from __future__ import annotations

import json
from pathlib import Path
from uuid import uuid4

import httpx
import pytest

from application.access import Role
from tests.e2e.api import cancel, json_body, new_sub
from tests.e2e.cli import booking
from tests.e2e.server import Server


@pytest.fixture
def cancelled_pet(client: httpx.Client, owner: dict[str, str], pet_id: str, request_id: str) -> str:
    json_body(cancel(client, owner, pet_id, request_id, {"reason": "moving"}), 200)
    return pet_id


def test_json_output_equals_the_api_history(
    client: httpx.Client, server: Server, e2e_db_url: str, cancelled_pet: str, tmp_path: Path
) -> None:
    auditor = server.auth(Role.AUDITOR, sub=new_sub("auditor"))
    path = f"/pets/{cancelled_pet}/history"

    full = booking(e2e_db_url, tmp_path, "history", cancelled_pet, "--json")
    at_v2 = booking(
        e2e_db_url, tmp_path, "history", cancelled_pet, "--as-of-version", "2", "--json"
    )

    assert full.returncode == 0, full.stderr
    assert json.loads(full.stdout) == json_body(client.get(path, headers=auditor), 200)
    expected_v2 = client.get(path, headers=auditor, params={"as_of_version": 2})
    assert json.loads(at_v2.stdout) == json_body(expected_v2, 200)


def test_the_table_shows_one_event_per_line(
    e2e_db_url: str, cancelled_pet: str, owner_sub: str, tmp_path: Path
) -> None:
    shown = booking(e2e_db_url, tmp_path, "history", cancelled_pet)

    assert shown.returncode == 0, shown.stderr
    lines = shown.stdout.splitlines()
    assert lines[0].startswith(f"pet {cancelled_pet}: Rex (dog), owner {owner_sub}, version 3")
    rows = [line.split() for line in lines[3:6]]
    assert [(row[0], row[4], row[5]) for row in rows] == [
        ("1", "Registered", owner_sub),
        ("2", "BookingRequested", owner_sub),
        ("3", "Cancelled", owner_sub),
    ]
    assert "reason=moving" in lines[5]


def test_as_of_before_the_pet_existed_exits_1(
    e2e_db_url: str, cancelled_pet: str, tmp_path: Path
) -> None:
    shown = booking(e2e_db_url, tmp_path, "history", cancelled_pet, "--as-of", "2000-01-01T00:00Z")

    assert shown.returncode == 1
    assert "not found" in shown.stderr


def test_an_unknown_pet_exits_1(e2e_db_url: str, tmp_path: Path) -> None:
    assert booking(e2e_db_url, tmp_path, "history", str(uuid4())).returncode == 1


@pytest.mark.parametrize(
    "args",
    [
        [
            "--as-of",
            "2030-01-01T00:00:00",
        ],
        ["--as-of", "2030-01-01T00:00Z", "--as-of-version", "2"],
    ],
    ids=["naive-timestamp", "both-points"],
)
def test_a_malformed_point_in_time_is_a_usage_error(
    e2e_db_url: str, pet_id: str, tmp_path: Path, args: list[str]
) -> None:
    shown = booking(e2e_db_url, tmp_path, "history", pet_id, *args)

    assert shown.returncode == 2
    assert "usage:" in shown.stderr
