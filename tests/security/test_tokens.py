"""Finding 4: tokens could live forever, and issuer and audience were never checked."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import jwt
import pytest

from application.access import Role
from tests.e2e.api import assert_problem, json_body, new_sub
from tests.e2e.server import Server, running_server
from tests.stores import sqlite_file_url

DAY = 24 * 3600
ISSUER, AUDIENCE = "https://clinic.example/auth", "pet-booking"


def _token(server: Server, **claims: Any) -> dict[str, str]:
    now = int(time.time())
    body = {"sub": new_sub(), "role": "owner", "iat": now, "exp": now + 600, **claims}
    body = {name: value for name, value in body.items() if value is not None}
    return {"Authorization": "Bearer " + jwt.encode(body, server.secret, algorithm="HS256")}


def _status(server: Server, headers: dict[str, str]) -> int:
    with httpx.Client(base_url=server.base_url, timeout=15) as client:
        response = client.post("/pets", headers=headers, json={"name": "Rex", "species": "dog"})
    if response.status_code == 401:
        assert_problem(response, 401, "unauthorized")
    return response.status_code


@pytest.fixture(scope="module")
def checked_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A server that requires an issuer and an audience, and keeps the default lifetime."""
    workdir = tmp_path_factory.mktemp("tokens")
    settings = {"BOOKING_JWT_ISSUER": ISSUER, "BOOKING_JWT_AUDIENCE": AUDIENCE}
    with running_server(sqlite_file_url(workdir), workdir, settings) as server:
        yield server


def test_a_token_must_expire(server: Server) -> None:
    assert _status(server, _token(server, exp=None)) == 401


def test_a_token_may_not_live_longer_than_a_day(server: Server) -> None:
    now = int(time.time())

    assert _status(server, _token(server, exp=now + 2 * DAY)) == 401
    assert _status(server, _token(server, iat=None, exp=now + 2 * DAY)) == 401
    assert _status(server, _token(server, iat=now - 2 * DAY, exp=now + 600)) == 401
    assert _status(server, _token(server, exp=now + DAY - 60)) == 201


def test_a_sub_with_control_characters_is_refused(server: Server) -> None:
    assert _status(server, _token(server, sub="alice\nadmin")) == 401


@pytest.mark.parametrize(
    "claims",
    [
        {"iss": None, "aud": AUDIENCE},
        {"iss": "https://evil.example", "aud": AUDIENCE},
        {"iss": ISSUER, "aud": None},
        {"iss": ISSUER, "aud": "another-service"},
    ],
    ids=["no-iss", "wrong-iss", "no-aud", "wrong-aud"],
)
def test_issuer_and_audience_are_checked_when_configured(
    checked_server: Server, claims: dict[str, Any]
) -> None:
    assert _status(checked_server, _token(checked_server, **claims)) == 401
    assert _status(checked_server, _token(checked_server, iss=ISSUER, aud=AUDIENCE)) == 201


def test_booking_token_issues_tokens_that_pass(checked_server: Server, tmp_path: Path) -> None:
    env = {
        "BOOKING_JWT_SECRET": checked_server.secret,
        "BOOKING_JWT_ISSUER": ISSUER,
        "BOOKING_JWT_AUDIENCE": AUDIENCE,
        "BOOKING_DATABASE_URL": sqlite_file_url(tmp_path),
    }
    minted = _booking(env, "token", "--role", "owner", "--sub", new_sub())
    too_long = _booking(env, "token", "--role", "owner", "--ttl", str(2 * DAY))

    assert minted.returncode == 0, minted.stderr
    token = minted.stdout.strip()
    claims = jwt.decode(token, options={"verify_signature": False})
    assert (claims["iss"], claims["aud"]) == (ISSUER, AUDIENCE)
    assert claims["exp"] - claims["iat"] <= DAY
    with httpx.Client(base_url=checked_server.base_url, timeout=15) as client:
        response = client.post(
            "/pets",
            headers={"Authorization": f"Bearer {token}"},
            json={"name": "Rex", "species": "dog"},
        )
    json_body(response, 201)
    assert too_long.returncode == 2
    assert "BOOKING_JWT_MAX_TTL_SECONDS" in too_long.stderr


def _booking(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "interface.cli", *args],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_the_role_claim_still_decides(server: Server) -> None:
    headers = _token(server, role=Role.AUDITOR.value)

    assert _status(server, headers) == 403
