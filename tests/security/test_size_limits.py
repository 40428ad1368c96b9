"""Hardening: oversized headers and tokens are refused before anything parses them."""

from __future__ import annotations

import time
from uuid import uuid4

import httpx
import jwt
import pytest

from tests.e2e.api import assert_problem, new_sub
from tests.e2e.server import Server

KIB = 1024


@pytest.mark.parametrize("size", [20 * KIB, 1024 * KIB], ids=["20KiB", "1MiB"])
def test_headers_over_the_limit_are_a_431_problem(client: httpx.Client, size: int) -> None:
    response = client.get("/healthz", headers={"X-Padding": "a" * size})

    assert_problem(response, 431, "headers_too_large")


def test_the_431_problem_speaks_the_language_asked_for(client: httpx.Client) -> None:
    headers = {"X-Padding": "a" * 20 * KIB, "Accept-Language": "en"}

    body = assert_problem(client.get("/healthz", headers=headers), 431, "headers_too_large")

    assert body["detail"] == "The request headers are too large"


def test_a_token_over_the_limit_is_refused_however_well_signed(
    server: Server, client: httpx.Client
) -> None:
    now = int(time.time())
    claims = {"sub": new_sub(), "role": "owner", "iat": now, "exp": now + 600, "pad": "x" * 7000}
    token = jwt.encode(claims, server.secret, algorithm="HS256")
    assert 8 * KIB < len(token) < 12 * KIB  # over the token limit, under the headers limit

    response = client.get(f"/pets/{uuid4()}", headers={"Authorization": f"Bearer {token}"})

    assert_problem(response, 401, "unauthorized")
    assert response.headers["www-authenticate"] == "Bearer"
