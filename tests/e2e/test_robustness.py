"""Odd input never makes the service answer 5xx."""

from __future__ import annotations

import json

import httpx
import pytest

from tests.e2e.api import PROBLEM_KEYS, media_type
from tests.e2e.server import Server

JSON = "application/json"
PATHS = {
    "pets": "/pets",
    "request": "/pets/{pet_id}/booking-requests",
    "cancel": "/pets/{pet_id}/booking-requests/{request_id}/cancel",
    "schedule": "/pets/{pet_id}/booking-requests/{request_id}/schedule",
}
ODD_BODIES: dict[str, tuple[str, bytes]] = {
    "deep-nesting": (JSON, b"[" * 100_000 + b"]" * 100_000),
    "deep-object-nesting": (JSON, b'{"a":' * 50_000 + b"1" + b"}" * 50_000),
    "100kb-strings": (
        JSON,
        json.dumps(dict.fromkeys(("name", "species", "service", "reason"), "x" * 100000)).encode(),
    ),
    "null-bytes": (
        JSON,
        json.dumps(
            {"name": "R\x00x", "species": "d\x00g", "service": "v\x00", "notes": "\x00"}
        ).encode(),
    ),
    "empty-body": (JSON, b""),
    "invalid-utf8": (JSON, b'{"name": "\xff\xfe", "species": "dog"}'),
    "wrong-content-type": ("text/plain", b'{"name": "Rex", "species": "dog"}'),
    "form-encoded": ("application/x-www-form-urlencoded", b"name=Rex&species=dog"),
    "json-null": (JSON, b"null"),
    "huge-number": (JSON, b'{"name": 1' + b"0" * 5000 + b', "species": "dog"}'),
}


@pytest.mark.parametrize("odd", list(ODD_BODIES))
def test_odd_input_is_never_a_server_error(
    server: Server,
    owner: dict[str, str],
    staff: dict[str, str],
    pet_id: str,
    request_id: str,
    odd: str,
) -> None:
    content_type, content = ODD_BODIES[odd]
    statuses: dict[str, int] = {}

    # The same odd body at every endpoint that reads one
    for name, path in PATHS.items():
        auth = staff if name == "schedule" else owner
        headers = {**auth, "Content-Type": content_type}
        # A client per call: a server error closes the connection under its client
        with httpx.Client(base_url=server.base_url, timeout=15.0) as client:
            response = client.post(
                path.format(pet_id=pet_id, request_id=request_id), headers=headers, content=content
            )
        statuses[name] = response.status_code
        if response.status_code >= 400:
            assert media_type(response) == "application/problem+json"
            assert response.json().keys() >= PROBLEM_KEYS

    server_errors = {name: status for name, status in statuses.items() if status >= 500}
    assert not server_errors, f"5xx for a {odd} body at: {server_errors}"
