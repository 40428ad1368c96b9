"""One provider with an RSA, an EC P-256 and an Ed25519 key, and one service trusting it.

Tests that change keys, stop the provider or need other settings start their own.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import httpx
import pytest

from tests.e2e.server import Server
from tests.identity.keys import ALGORITHMS
from tests.identity.support import Provider, booking_with_provider, key_folder, running_provider
from tests.stores import sqlite_file_url

# Provider role names the shared service maps to ours (BOOKING_ROLE_MAP).
ROLE_MAP = {"vet": "staff", "client": "owner"}


@pytest.fixture(scope="module")
def idp(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Provider]:
    """A running provider publishing one key of each type."""
    workdir = tmp_path_factory.mktemp("idp")
    keys = key_folder(workdir / "keys")
    for algorithm in ALGORITHMS:
        keys.add(algorithm)
    with running_provider(keys, workdir) as provider:
        yield provider


@pytest.fixture(scope="module")
def booking(idp: Provider, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """`booking serve` trusting `idp` with the Supabase defaults, and ROLE_MAP."""
    workdir = tmp_path_factory.mktemp("idp-booking")
    url = sqlite_file_url(workdir)
    with booking_with_provider(url, workdir, idp.issuer, role_map=json.dumps(ROLE_MAP)) as server:
        yield server


@pytest.fixture
def api(booking: Server) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=booking.base_url, timeout=15.0) as client:
        yield client
