"""Errors map to problems along their class hierarchy: a subclass answers as its parent."""

from __future__ import annotations

from collections.abc import Iterator
from uuid import uuid4

import httpx
import pytest

from application.errors import ForbiddenError, PetNotFoundError
from domain.pet import PendingRequestExistsError
from interface.http.app import create_app
from interface.settings import Settings
from tests.e2e.api import assert_problem
from tests.http_contract.asgi import in_process


class VanishedPetError(PetNotFoundError):
    """A refinement a later change might raise where PetNotFoundError was."""


class SecondTabError(PendingRequestExistsError):
    pass


class ClinicClosedError(ForbiddenError):
    pass


PENDING_ID = uuid4()
RAISED: dict[str, Exception] = {
    "vanished": VanishedPetError(uuid4()),
    "second-tab": SecondTabError(PENDING_ID),
    "clinic-closed": ClinicClosedError("the clinic is closed"),
}


@pytest.fixture(scope="module")
def client() -> Iterator[httpx.Client]:
    """The app, with a route that raises each error above."""
    app = create_app(Settings(database_url="sqlite:///:memory:", jwt_secret="s" * 40))

    @app.get("/raise/{name}")
    def raise_it(name: str) -> None:
        raise RAISED[name]

    with in_process(app) as http:
        yield http


def test_a_subclass_of_a_missing_pet_is_pet_not_found(client: httpx.Client) -> None:
    assert_problem(client.get("/raise/vanished"), 404, "pet_not_found")


def test_a_subclass_keeps_its_parents_extra_fields(client: httpx.Client) -> None:
    body = assert_problem(client.get("/raise/second-tab"), 409, "pending_request_exists")

    assert body["pending_request_id"] == str(PENDING_ID)


def test_a_subclass_of_forbidden_is_forbidden(client: httpx.Client) -> None:
    assert_problem(client.get("/raise/clinic-closed"), 403, "forbidden")
