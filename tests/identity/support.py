"""The test provider as a process, its keys on disk, and tokens minted here with those keys.

A test writes keys into a folder (`KeyFolder`), starts the provider on it
(`running_provider`), starts `booking serve` trusting it (`booking_with_provider`),
and signs whatever it likes (`sign`, `forge`): any claims, header, kid or alg.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import httpx
import jwt
import pytest

from tests.e2e.server import Server, running_server
from tests.identity.keys import Algorithm, SigningKey, generate, read_keys, write_key
from tests.identity.provider import DEFAULT_AUDIENCE
from tests.processes import POLL_SECONDS, HttpService, free_port

REPOSITORY = Path(__file__).resolve().parents[2]
TOKEN_SECONDS = 300


def new_kid(algorithm: str = "key") -> str:
    return f"{algorithm.lower()}-{uuid4().hex[:12]}"


@dataclass(frozen=True)
class KeyFolder:
    """The provider's `--keys` folder: `<kid>.pem` files and `users.json`."""

    path: Path

    def add(self, algorithm: Algorithm = "RS256", kid: str | None = None) -> SigningKey:
        """A new key the provider publishes (and, being the newest, signs with)."""
        signing_key = SigningKey(kid=kid or new_kid(algorithm), key=generate(algorithm))
        write_key(self.path, signing_key)
        return signing_key

    def newest(self, algorithm: Algorithm) -> SigningKey:
        """The newest published key of this algorithm."""
        return [key for key in read_keys(self.path) if key.algorithm == algorithm][-1]

    def remove(self, signing_key: SigningKey) -> None:
        (self.path / f"{signing_key.kid}.pem").unlink()

    def write_users(self, users: dict[str, dict[str, Any]]) -> None:
        """Who can sign in at /authorize, and the claims each one's tokens carry."""
        (self.path / "users.json").write_text(json.dumps(users))


def key_folder(path: Path) -> KeyFolder:
    path.mkdir(parents=True, exist_ok=True)
    return KeyFolder(path)


def sign(
    signing_key: SigningKey,
    claims: dict[str, Any],
    *,
    algorithm: str | None = None,
    kid: str | None = None,
    headers: dict[str, Any] | None = None,
) -> str:
    """A JWT signed with `signing_key`; by default with its own algorithm and kid."""
    header = {"kid": kid or signing_key.kid, **(headers or {})}
    return jwt.encode(
        claims, signing_key.key, algorithm=algorithm or signing_key.algorithm, headers=header
    )


def forge(header: dict[str, Any], claims: dict[str, Any], hmac_secret: bytes | None) -> str:
    """A token PyJWT refuses to make: unsigned (`hmac_secret=None`) or HMAC with any secret.

    PyJWT will not use a PEM public key as an HMAC secret, which is the attack.
    """
    signing_input = f"{_b64(json.dumps(header))}.{_b64(json.dumps(claims))}"
    signature = b""
    if hmac_secret is not None:
        signature = hmac.new(hmac_secret, signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{_b64(signature)}"


def _b64(data: str | bytes) -> str:
    raw = data.encode() if isinstance(data, str) else data
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def supabase_claims(role: str | None, *clinic_ids: UUID) -> dict[str, Any]:
    """`app_metadata` as Supabase carries it: a role and a clinic (a list when several)."""
    metadata: dict[str, Any] = {} if role is None else {"role": role}
    if len(clinic_ids) == 1:
        metadata["clinic_id"] = str(clinic_ids[0])
    elif clinic_ids:
        metadata["clinic_id"] = [str(clinic_id) for clinic_id in clinic_ids]
    return {"app_metadata": metadata}


def provider_claims(
    issuer: str, audience: str = DEFAULT_AUDIENCE, sub: str | None = None, **claims: Any
) -> dict[str, Any]:
    """What a provider's token carries: iss, sub, aud, iat, exp, and `claims`.

    A claim given as None is left out.
    """
    now = int(time.time())
    merged = {
        "iss": issuer,
        "sub": sub or f"user-{uuid4().hex}",
        "aud": audience,
        "iat": now,
        "exp": now + TOKEN_SECONDS,
        **claims,
    }
    return {name: value for name, value in merged.items() if value is not None}


def eventually(condition: Callable[[], bool], what: str, *, timeout: float = 15.0) -> None:
    """Poll, bounded, until another process's progress makes `condition` true."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"not within {timeout} s: {what}")
        time.sleep(POLL_SECONDS)  # Pacing the polls; nothing is synchronised by it.


@dataclass(frozen=True)
class Provider:
    """A running test provider: its issuer, its key folder, and what it was asked for."""

    issuer: str
    keys: KeyFolder
    audience: str
    service: HttpService

    def claims(self, sub: str | None = None, **claims: Any) -> dict[str, Any]:
        return provider_claims(self.issuer, self.audience, sub, **claims)

    def token(self, signing_key: SigningKey, sub: str | None = None, **claims: Any) -> str:
        return sign(signing_key, self.claims(sub, **claims))

    def stats(self) -> dict[str, int]:
        counts: dict[str, int] = httpx.get(f"{self.issuer}/stats", timeout=5.0).json()
        return counts

    def stop(self) -> None:
        self.service.stop()


def provider_service(
    keys: KeyFolder,
    log_path: Path,
    *,
    audience: str = DEFAULT_AUDIENCE,
    client_secret: str | None = None,
) -> HttpService:
    """The provider on a free port, not started yet; its issuer is its base URL."""
    port = free_port()
    command = [sys.executable, "-m", "tests.identity.provider", "--port", str(port)]
    command += ["--keys", str(keys.path), "--audience", audience]
    command += ["--client-secret", client_secret] if client_secret is not None else []
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    return HttpService(command, env, log_path, port, cwd=REPOSITORY)


@contextmanager
def running_provider(
    keys: KeyFolder,
    workdir: Path,
    *,
    audience: str = DEFAULT_AUDIENCE,
    client_secret: str | None = None,
) -> Iterator[Provider]:
    """Start the provider on `keys`, yield once it answers, then stop it."""
    log_path = workdir / "provider.log"
    service = provider_service(keys, log_path, audience=audience, client_secret=client_secret)
    try:
        service.start()
        yield Provider(service.base_url, keys, audience, service)
    finally:
        service.stop()


def provider_settings(issuer: str, **settings: str) -> dict[str, str]:
    """The environment that makes `booking serve` trust `issuer` (plus BOOKING_<NAME> settings)."""
    env = {"BOOKING_OIDC_ISSUER": issuer}
    env.update({f"BOOKING_{name.upper()}": value for name, value in settings.items()})
    return env


@contextmanager
def booking_with_provider(
    database_url: str, workdir: Path, issuer: str, **settings: str
) -> Iterator[Server]:
    """`booking serve` trusting the provider at `issuer`, with extra BOOKING_<NAME> settings."""
    with running_server(database_url, workdir, provider_settings(issuer, **settings)) as server:
        yield server
