"""One app per store for the session, served in this process, driven through httpx.

Every test uses fresh random ids (owners, pets, clinics), so sharing one
database per store is safe and saves building the app per test.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator

import httpx
import pytest

from interface.http.app import create_app
from interface.settings import Settings
from tests.conftest import STORES
from tests.e2e.conftest import (  # noqa: F401 (fixtures, re-exported for this folder)
    clinic_id,
    owner,
    owner_sub,
    pet_id,
    request_id,
    staff,
)
from tests.e2e.server import Server
from tests.http_contract.asgi import in_process
from tests.stores import database_url

Service = tuple[Server, httpx.Client]


@pytest.fixture(scope="session", params=STORES)
def contract_db_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """A fresh database per store: a SQLite file, or a PostgreSQL schema."""
    kind: str = request.param
    with database_url(kind, tmp_path_factory.mktemp(f"contract-db-{kind}")) as url:
        yield url


@pytest.fixture(scope="session")
def service(contract_db_url: str) -> Iterator[Service]:
    """The app as `booking serve` builds it, minus the process; booking is not rate limited."""
    secret = secrets.token_urlsafe(48)
    settings = Settings(database_url=contract_db_url, jwt_secret=secret, rate_limit_per_minute=0)
    with in_process(create_app(settings)) as client:
        yield Server(base_url=str(client.base_url), secret=secret), client


@pytest.fixture(scope="session")
def server(service: Service) -> Server:
    return service[0]


@pytest.fixture
def client(service: Service) -> httpx.Client:
    return service[1]
