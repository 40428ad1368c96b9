"""`booking serve --demo-clinic` (what `make run` runs): one demo clinic, however many start.

Real `booking serve` processes on a database of their own, so the directory
starts empty.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest

from application.access import Role
from application.clinics import DEMO_CLINIC_ADDRESS, DEMO_CLINIC_ID, DEMO_CLINIC_NAME
from interface.auth import mint_token
from tests.e2e.api import json_body
from tests.processes import (
    POLL_SECONDS,
    READY_SECONDS,
    HttpService,
    Service,
    booking_command,
    booking_env,
    free_port,
)
from tests.stores import postgres_schema_url

ADDED = "demo clinic added"


def demo_server(url: str, secret: str, log_path: Path) -> HttpService:
    """`booking serve --demo-clinic` on a free port, not started yet."""
    port = free_port()
    command = booking_command("serve", "--port", str(port), "--demo-clinic")
    return HttpService(command, booking_env(url, secret), log_path, port)


@contextmanager
def serving_at_once(services: list[HttpService]) -> Iterator[None]:
    """Start every service before waiting for any: they start together."""
    with ExitStack() as stops:
        for service in services:
            stops.callback(service.stop)
            Service.start(service)  # the process only; readiness below
        for service in services:
            service.wait_until_ready()
        yield


def get(service: HttpService, secret: str, path: str, role: Role) -> Any:
    token = mint_token(secret, role=role, sub=f"{role.value}-demo", clinic_id=DEMO_CLINIC_ID)
    headers = {"Authorization": f"Bearer {token}"}
    return json_body(httpx.get(service.base_url + path, headers=headers, timeout=15.0), 200)


def projected(service: HttpService) -> None:
    """Until the service's read tables have reached the log's head, as /readyz reports them."""
    deadline = time.monotonic() + READY_SECONDS
    while (state := httpx.get(service.base_url + "/readyz", timeout=5.0).json())["projection"][
        "lag"
    ]:
        assert time.monotonic() < deadline, state
        time.sleep(POLL_SECONDS)  # pacing: the loop waits on the projection


def added_lines(services: list[HttpService]) -> list[str]:
    return [line for s in services for line in s.log().splitlines() if ADDED in line]


@pytest.mark.postgres
def test_two_servers_starting_at_once_add_the_demo_clinic_once(tmp_path: Path) -> None:
    secret = secrets.token_urlsafe(48)
    with postgres_schema_url() as url:
        services = [demo_server(url, secret, tmp_path / f"server-{i}.log") for i in range(2)]

        with serving_at_once(services):
            events = get(services[0], secret, "/events?limit=100", Role.AUDITOR)["items"]
            projected(services[1])
            clinics = get(services[1], secret, "/clinics", Role.OWNER)["items"]

    assert [(e["type"], e["clinic_id"]) for e in events] == [("ClinicAdded", str(DEMO_CLINIC_ID))]
    assert clinics == [
        {"clinic_id": str(DEMO_CLINIC_ID), "name": DEMO_CLINIC_NAME, "address": DEMO_CLINIC_ADDRESS}
    ]
    [line] = added_lines(services)
    assert str(DEMO_CLINIC_ID) in line


def test_a_restarted_server_does_not_add_it_again(db_url: str, tmp_path: Path) -> None:
    secret = secrets.token_urlsafe(48)
    first = demo_server(db_url, secret, tmp_path / "first.log")
    with serving_at_once([first]):
        pass
    again = demo_server(db_url, secret, tmp_path / "again.log")

    with serving_at_once([again]):
        events = get(again, secret, "/events?limit=100", Role.AUDITOR)["items"]

    assert [e["type"] for e in events] == ["ClinicAdded"]
    assert len(added_lines([first])) == 1
    assert added_lines([again]) == []
