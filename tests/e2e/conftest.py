"""One real `booking serve` per store for the whole session, driven over HTTP.

Every test uses fresh random ids (owners, pets, clinics), so sharing one
database per store is safe and saves a server start per test.
"""

from __future__ import annotations

from collections.abc import Iterator
from uuid import UUID, uuid4

import httpx
import pytest

from application.access import Role
from tests.conftest import STORES
from tests.e2e.api import json_body, new_sub, register_pet, request_booking
from tests.e2e.server import Server, running_server
from tests.stores import database_url


@pytest.fixture(scope="session", params=STORES)
def e2e_db_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """A fresh database per store: a SQLite file, or a PostgreSQL schema."""
    kind: str = request.param
    with database_url(kind, tmp_path_factory.mktemp(f"e2e-db-{kind}")) as url:
        yield url


@pytest.fixture(scope="session")
def server(e2e_db_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with running_server(e2e_db_url, tmp_path_factory.mktemp("e2e-server")) as running:
        yield running


@pytest.fixture
def client(server: Server) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.base_url, timeout=15.0) as http:
        yield http


@pytest.fixture
def owner_sub() -> str:
    return new_sub("owner")


@pytest.fixture
def owner(server: Server, owner_sub: str) -> dict[str, str]:
    """Authorization headers of a fresh owner."""
    return server.auth(Role.OWNER, sub=owner_sub)


@pytest.fixture
def clinic_id() -> UUID:
    return uuid4()


@pytest.fixture
def staff(server: Server, clinic_id: UUID) -> dict[str, str]:
    """Authorization headers of staff of `clinic_id`."""
    return server.auth(Role.STAFF, sub=new_sub("staff"), clinic_id=clinic_id)


@pytest.fixture
def pet_id(client: httpx.Client, owner: dict[str, str]) -> str:
    """A pet `owner` registered."""
    pet_id: str = register_pet(client, owner)["pet_id"]
    return pet_id


@pytest.fixture
def request_id(client: httpx.Client, owner: dict[str, str], pet_id: str, clinic_id: UUID) -> str:
    """A pending booking request for `pet_id` at `clinic_id`."""
    response = request_booking(client, owner, pet_id, clinic_id)
    request_id: str = json_body(response, 201)["request_id"]
    return request_id
