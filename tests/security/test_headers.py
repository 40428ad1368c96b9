"""Hardening: security headers on every answer, and no Server banner."""

from __future__ import annotations

import asyncio
from uuid import uuid4

import httpx

from interface.http.app import create_app
from interface.settings import Settings
from tests.e2e.api import assert_problem

API_POLICY = "default-src 'none'; frame-ancestors 'none'"


def assert_security_headers(response: httpx.Response) -> None:
    assert response.headers.get("x-content-type-options") == "nosniff"
    assert response.headers.get("referrer-policy") == "no-referrer"
    assert response.headers.get("content-security-policy") == API_POLICY


def test_an_anonymous_json_answer_carries_the_security_headers(client: httpx.Client) -> None:
    response = client.get("/healthz")

    assert response.status_code == 200
    assert_security_headers(response)


def test_an_answer_to_an_authenticated_request_is_never_stored(
    client: httpx.Client, owner: dict[str, str]
) -> None:
    created = client.post("/pets", headers=owner, json={"name": "Rex", "species": "dog"})
    missing = client.get(f"/pets/{uuid4()}", headers=owner)

    assert created.status_code == 201
    assert_problem(missing, 404, "pet_not_found")
    for response in (created, missing):
        assert_security_headers(response)
        assert response.headers.get("cache-control") == "no-store"


def test_a_refused_token_is_a_problem_with_the_security_headers(client: httpx.Client) -> None:
    response = client.get(f"/pets/{uuid4()}", headers={"Authorization": "Bearer not-a-jwt"})

    assert_problem(response, 401, "unauthorized")
    assert_security_headers(response)
    assert response.headers.get("cache-control") == "no-store"


def test_the_server_does_not_announce_itself(client: httpx.Client) -> None:
    response = client.get("/healthz")

    assert "server" not in response.headers


def test_the_500_of_an_unhandled_error_carries_the_security_headers() -> None:
    # Starlette answers a 500 outside every middleware added with add_middleware.
    app = create_app(Settings(database_url="sqlite:///:memory:", jwt_secret="s" * 40))

    @app.get("/boom")
    def boom() -> None:
        raise RuntimeError("a bug")

    async def call() -> httpx.Response:
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
            return await http.get("/boom", headers={"Authorization": "Bearer x"})

    response = asyncio.run(call())

    assert_problem(response, 500, "internal_error")
    assert_security_headers(response)
    assert response.headers.get("cache-control") == "no-store"
