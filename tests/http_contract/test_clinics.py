"""GET /clinics: the directory for anyone signed in, by name; clinic events on /events.

A database of its own per store (not the session's shared one), so the list
holds exactly the clinics this module adds.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from uuid import UUID, uuid4

import httpx
import pytest
from fastapi import FastAPI

from application.access import Role
from interface.bootstrap import System
from interface.http.app import create_app
from interface.settings import Settings
from tests.conftest import STORES
from tests.e2e.api import assert_problem, json_body, new_sub
from tests.e2e.server import Server
from tests.http_contract.asgi import in_process
from tests.integration.projection_support import wait_for_position
from tests.stores import database_url

PROJECTED_SECONDS = 10.0
NAMES = ["Zeta Vet", "Ávila Vet", "avenida Vet"]


@dataclass(frozen=True)
class Directory:
    server: Server
    client: httpx.Client
    app: FastAPI
    clinic_ids: dict[str, UUID]

    @property
    def system(self) -> System:
        system: System = self.app.state.system
        return system

    def projected(self) -> None:
        """Until the app's own projection has applied every event in the log."""
        read_side = self.system.read_side
        head = self.system.bookings.head_position()
        wait_for_position(read_side.view, head, PROJECTED_SECONDS, read_side.worker)


@pytest.fixture(scope="module", params=STORES)
def directory(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Directory]:
    kind: str = request.param
    secret = secrets.token_urlsafe(48)
    with database_url(kind, Path(tmp_path_factory.mktemp(f"clinics-{kind}"))) as url:
        app = create_app(Settings(database_url=url, jwt_secret=secret))
        with in_process(app) as client:
            system: System = app.state.system
            added = {name: system.clinics.add_clinic(name, "Calle 1").clinic_id for name in NAMES}
            directory = Directory(Server(str(client.base_url), secret), client, app, added)
            directory.projected()
            yield directory


def auth(directory: Directory, role: Role) -> dict[str, str]:
    return directory.server.auth(role, sub=new_sub(role.value), clinic_id=uuid4())


def test_anonymous_callers_are_unauthorized(directory: Directory) -> None:
    response = directory.client.get("/clinics")

    assert_problem(response, 401, "unauthorized")
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize("role", list(Role))
def test_every_role_reads_the_clinics_by_name(directory: Directory, role: Role) -> None:
    body = json_body(directory.client.get("/clinics", headers=auth(directory, role)), 200)

    assert body == {
        "items": [
            {"clinic_id": str(directory.clinic_ids[name]), "name": name, "address": "Calle 1"}
            for name in ["avenida Vet", "Ávila Vet", "Zeta Vet"]
        ]
    }


def test_a_renamed_clinic_is_listed_under_its_new_name(directory: Directory) -> None:
    zeta = directory.clinic_ids["Zeta Vet"]
    directory.system.clinics.rename_clinic(zeta, "Alba Vet")
    directory.projected()
    try:
        body = json_body(directory.client.get("/clinics", headers=auth(directory, Role.OWNER)), 200)
    finally:
        # The other tests of this module expect the three names.
        directory.system.clinics.rename_clinic(zeta, "Zeta Vet")
        directory.projected()

    first = body["items"][0]
    assert (first["clinic_id"], first["name"]) == (str(zeta), "Alba Vet")


def test_the_log_shows_clinic_events_with_their_clinic_id(directory: Directory) -> None:
    auditor = auth(directory, Role.AUDITOR)

    body = json_body(directory.client.get("/events", headers=auditor, params={"limit": 3}), 200)

    assert [item["type"] for item in body["items"]] == ["ClinicAdded"] * 3
    first = body["items"][0]
    assert set(first) == {"position", "clinic_id", "version", "type", "timestamp", "actor", "data"}
    assert first["clinic_id"] == str(directory.clinic_ids[NAMES[0]])
    assert first["data"] == {"name": NAMES[0], "address": "Calle 1", "added_by": "operator"}
    assert first["actor"] == "operator"


def test_a_clinics_id_is_no_pet(directory: Directory) -> None:
    clinic_id = directory.clinic_ids[NAMES[0]]

    for role in (Role.OWNER, Role.AUDITOR):
        response = directory.client.get(f"/pets/{clinic_id}", headers=auth(directory, role))
        assert_problem(response, 404, "pet_not_found")
    history = directory.client.get(
        f"/pets/{clinic_id}/history", headers=auth(directory, Role.AUDITOR)
    )
    assert_problem(history, 404, "pet_not_found")
