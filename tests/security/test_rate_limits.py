"""Finding 4: POST /pets was not rate limited, unlike booking commands."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from application.access import Role
from tests.conftest import STORES
from tests.e2e.api import assert_problem, json_body, new_sub
from tests.e2e.server import Server, running_server
from tests.stores import database_url

BURST = 3


@pytest.fixture(params=STORES)
def limited_server(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Server]:
    limits = {"BOOKING_RATE_LIMIT_PER_MINUTE": "1", "BOOKING_RATE_LIMIT_BURST": str(BURST)}
    with (
        database_url(request.param, tmp_path) as url,
        running_server(url, tmp_path, limits) as server,
    ):
        yield server


def test_registering_pets_is_rate_limited_per_owner(limited_server: Server) -> None:
    owner = limited_server.auth(Role.OWNER, sub=new_sub())
    another = limited_server.auth(Role.OWNER, sub=new_sub())
    pet = {"name": "Rex", "species": "dog"}

    with httpx.Client(base_url=limited_server.base_url, timeout=15) as client:
        for _ in range(BURST):
            json_body(client.post("/pets", headers=owner, json=pet), 201)
        refused = client.post("/pets", headers=owner, json=pet)
        # Another owner has a bucket of their own.
        json_body(client.post("/pets", headers=another, json=pet), 201)

    assert_problem(refused, 429, "rate_limited")
    assert int(refused.headers["Retry-After"]) >= 1
