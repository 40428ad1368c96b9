"""The provider's key set over time: rotation, floods of made-up kids, outages, bad URLs.

Each test runs its own provider and service: they change keys or stop processes.
"""

from __future__ import annotations

import secrets
import subprocess
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from tests.e2e.api import assert_problem
from tests.identity.keys import SigningKey
from tests.identity.support import (
    KeyFolder,
    Provider,
    bearer,
    booking_with_provider,
    eventually,
    key_folder,
    new_kid,
    provider_claims,
    running_provider,
    sign,
    supabase_claims,
)
from tests.processes import booking_env, free_port, serve_command
from tests.stores import sqlite_file_url

OWNER = supabase_claims("owner")
FLOOD = 50
FLOOD_THREADS = 8


@contextmanager
def _trusting(
    tmp_path: Path, keys: KeyFolder, **settings: str
) -> Iterator[tuple[Provider, httpx.Client]]:
    """A provider on `keys` and a fresh service trusting it, with BOOKING_<NAME> settings."""
    with (
        running_provider(keys, tmp_path) as provider,
        booking_with_provider(
            sqlite_file_url(tmp_path), tmp_path, provider.issuer, **settings
        ) as server,
        httpx.Client(base_url=server.base_url, timeout=15.0) as api,
    ):
        yield provider, api


def _clinics(api: httpx.Client, provider: Provider, key: SigningKey, kid: str | None = None) -> int:
    """GET /clinics with a token of `key` (named `kid`); 200, or 401 `unauthorized`."""
    response = api.get("/clinics", headers=bearer(sign(key, provider.claims(**OWNER), kid=kid)))
    if response.status_code != 200:
        assert_problem(response, 401, "unauthorized")
    return response.status_code


def test_a_new_key_is_accepted_once_the_service_refreshes(tmp_path: Path) -> None:
    keys = key_folder(tmp_path / "keys")
    first = keys.add("RS256")
    with _trusting(tmp_path, keys, jwks_refresh_seconds="1") as (provider, api):
        assert _clinics(api, provider, first) == 200

        # The provider rotates: a new key, which it now signs with...
        second = keys.add("ES256")

        # ...and the service accepts it as soon as it has refreshed (at most once a second).
        eventually(lambda: _clinics(api, provider, second) == 200, "the new key accepted")
        assert _clinics(api, provider, first) == 200


def test_a_removed_key_is_refused_once_the_service_refreshes(tmp_path: Path) -> None:
    keys = key_folder(tmp_path / "keys")
    kept, retired = keys.add("EdDSA"), keys.add("RS256")
    with _trusting(tmp_path, keys, jwks_refresh_seconds="1") as (provider, api):
        assert (_clinics(api, provider, kept), _clinics(api, provider, retired)) == (200, 200)

        # The provider retires a key...
        keys.remove(retired)
        fetched = provider.stats()["jwks"]

        # ...the service refreshes when a token names a kid it does not know...
        def refreshed() -> bool:
            _clinics(api, provider, kept, kid=new_kid("unknown"))
            return provider.stats()["jwks"] > fetched

        eventually(refreshed, "a key set refresh")

        # ...and from then on the retired key's tokens are refused.
        assert (_clinics(api, provider, kept), _clinics(api, provider, retired)) == (200, 401)


def test_a_flood_of_made_up_kids_fetches_the_key_set_at_most_twice(tmp_path: Path) -> None:
    keys = key_folder(tmp_path / "keys")
    key = keys.add("RS256")
    with _trusting(tmp_path, keys) as (provider, api):
        # Fifty tokens with kids nobody published, eight at a time, at a fresh service...
        with ThreadPoolExecutor(FLOOD_THREADS) as pool:
            kids = [new_kid("made-up") for _ in range(FLOOD)]
            statuses = list(pool.map(lambda kid: _clinics(api, provider, key, kid=kid), kids))

        # ...are all refused, and the provider was asked for its keys once or twice.
        assert set(statuses) == {401}
        stats = provider.stats()
        assert stats["jwks"] <= 2, stats
        assert stats["discovery"] <= 2, stats
        assert _clinics(api, provider, key) == 200


def test_the_last_good_keys_serve_while_the_provider_is_down(tmp_path: Path) -> None:
    keys = key_folder(tmp_path / "keys")
    key = keys.add("ES256")
    with _trusting(tmp_path, keys) as (provider, api):
        assert _clinics(api, provider, key) == 200

        provider.stop()

        # The cached key still verifies; an unknown kid is still just refused.
        assert _clinics(api, provider, key) == 200
        assert _clinics(api, provider, key, kid=new_kid("unknown")) == 401


def test_a_service_that_never_reached_its_provider_answers_503(tmp_path: Path) -> None:
    # A provider address where nothing listens: no key was ever fetched.
    key = key_folder(tmp_path / "keys").add("RS256")
    issuer = f"http://127.0.0.1:{free_port()}"
    url = sqlite_file_url(tmp_path)
    with (
        booking_with_provider(url, tmp_path, issuer) as server,
        httpx.Client(base_url=server.base_url, timeout=15.0) as api,
    ):
        token = sign(key, provider_claims(issuer, **OWNER))

        response = api.get("/clinics", headers=bearer(token))

        assert_problem(response, 503, "identity_provider_unavailable")
        assert int(response.headers["retry-after"]) > 0


@pytest.mark.parametrize(
    ("setting", "url"),
    [
        ("oidc_issuer", "http://idp.example.invalid/auth/v1"),
        ("jwks_url", "http://idp.example.invalid/.well-known/jwks.json"),
        ("oidc_issuer", "http://10.0.0.8:8080/realms/clinic"),
    ],
    ids=["issuer", "jwks-url", "private-address"],
)
def test_the_service_refuses_plain_http_off_loopback(
    tmp_path: Path, setting: str, url: str
) -> None:
    env = booking_env(sqlite_file_url(tmp_path), secrets.token_urlsafe(48), **{setting: url})

    result = subprocess.run(
        serve_command(free_port()), env=env, cwd=tmp_path, capture_output=True, timeout=60
    )

    assert result.returncode == 2, result.stderr
    lines = result.stderr.decode().strip().splitlines()
    assert len(lines) == 1, lines
    assert "https" in lines[0], lines
