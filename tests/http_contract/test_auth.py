"""Bearer tokens: every unusable token is 401 with `WWW-Authenticate: Bearer`."""

from __future__ import annotations

import base64
import json
import time
from collections.abc import Callable
from typing import Any
from uuid import uuid4

import httpx
import jwt
import pytest

from application.access import Role
from interface.auth import mint_token
from tests.dates import STARTS_AT
from tests.e2e.api import assert_problem, get_pet, new_sub
from tests.e2e.server import Server


def _claims(**overrides: Any) -> dict[str, Any]:
    return {"sub": new_sub("owner"), "role": "owner", "exp": int(time.time()) + 600, **overrides}


def _segment(part: dict[str, Any]) -> str:
    raw = json.dumps(part, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _unsigned() -> str:
    # `alg: none` with claims that would be accepted if the signature were not checked.
    return f"{_segment({'alg': 'none', 'typ': 'JWT'})}.{_segment(_claims())}."


def _signed(**overrides: Any) -> Callable[[Server], str]:
    return lambda server: jwt.encode(_claims(**overrides), server.secret, algorithm="HS256")


BAD_AUTHORIZATIONS: dict[str, Callable[[Server], str | None]] = {
    "no-token": lambda _: None,
    "garbage": lambda _: "Bearer not-a-jwt",
    "empty-bearer": lambda _: "Bearer",
    "basic-scheme": lambda _: "Basic dXNlcjpwYXNz",
    "other-secret": lambda _: (
        "Bearer " + mint_token("another-secret-" + "y" * 40, role=Role.OWNER, sub="owner-x")
    ),
    "alg-none": lambda _: "Bearer " + _unsigned(),
    "expired": lambda server: "Bearer " + server.token(sub="owner-x", ttl_seconds=-60),
    "staff-without-clinic": lambda server: "Bearer " + _signed(role="staff")(server),
    "unknown-role": lambda server: "Bearer " + _signed(role="admin")(server),
    "no-exp": lambda server: (
        "Bearer "
        + jwt.encode({"sub": "owner-x", "role": "owner"}, server.secret, algorithm="HS256")
    ),
    "bad-clinic-id": lambda server: "Bearer " + _signed(role="staff", clinic_id="nope")(server),
}


@pytest.mark.parametrize("case", list(BAD_AUTHORIZATIONS))
def test_an_unusable_token_is_unauthorized_and_writes_nothing(
    client: httpx.Client, server: Server, owner: dict[str, str], case: str
) -> None:
    authorization = BAD_AUTHORIZATIONS[case](server)
    headers = {"Authorization": authorization} if authorization is not None else {}
    chosen = str(uuid4())

    response = client.post(
        "/pets", headers=headers, json={"name": "R", "species": "d", "pet_id": chosen}
    )

    assert_problem(response, 401, "unauthorized")
    assert response.headers["WWW-Authenticate"] == "Bearer"
    assert_problem(client.get(f"/pets/{chosen}", headers=owner), 404, "pet_not_found")


# Each with a valid body, so only the missing token is wrong.
ENDPOINTS: list[tuple[str, str, dict[str, Any] | None]] = [
    ("GET", "/pets/{pet_id}", None),
    ("POST", "/pets", {"name": "R", "species": "d"}),
    ("POST", "/pets/{pet_id}/booking-requests", {"clinic_id": str(uuid4()), "service": "x"}),
    ("POST", "/pets/{pet_id}/booking-requests/{request_id}/cancel", {}),
    (
        "POST",
        "/pets/{pet_id}/booking-requests/{request_id}/schedule",
        {"starts_at": STARTS_AT},
    ),
]


@pytest.mark.parametrize(("method", "path", "body"), ENDPOINTS)
def test_every_endpoint_demands_a_token(
    client: httpx.Client,
    owner: dict[str, str],
    pet_id: str,
    request_id: str,
    method: str,
    path: str,
    body: dict[str, Any] | None,
) -> None:
    url = path.format(pet_id=pet_id, request_id=request_id)

    response = client.request(method, url, json=body)

    assert_problem(response, 401, "unauthorized")
    assert response.headers["WWW-Authenticate"] == "Bearer"
    assert get_pet(client, owner, pet_id)["version"] == 2
