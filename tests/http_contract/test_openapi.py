"""Liveness, and an OpenAPI document that lists every status the suite observes."""

from __future__ import annotations

import httpx
import pytest

from tests.e2e.api import json_body

# What the contract tests see each operation answer (the contract's part built so far).
OBSERVED: dict[tuple[str, str], set[int]] = {
    ("post", "/pets"): {201, 401, 403, 422, 429},
    ("get", "/pets/{pet_id}"): {200, 401, 404, 422},
    ("post", "/pets/{pet_id}/booking-requests"): {201, 401, 403, 404, 409, 422},
    ("post", "/pets/{pet_id}/booking-requests/{request_id}/cancel"): {200, 401, 403, 404, 409, 422},
    ("post", "/pets/{pet_id}/booking-requests/{request_id}/schedule"): {
        200,
        401,
        403,
        404,
        409,
        422,
    },
    ("get", "/pets/{pet_id}/history"): {200, 401, 403, 404, 422},
    ("get", "/events"): {200, 401, 403, 422},
}


def test_healthz_answers_200(client: httpx.Client) -> None:
    assert client.get("/healthz").status_code == 200


@pytest.fixture
def operations(client: httpx.Client) -> dict[str, dict[str, dict[str, object]]]:
    paths: dict[str, dict[str, dict[str, object]]] = json_body(client.get("/openapi.json"), 200)[
        "paths"
    ]
    return paths


@pytest.mark.parametrize(("method", "path"), list(OBSERVED))
def test_openapi_documents_every_status_the_operation_answers(
    operations: dict[str, dict[str, dict[str, object]]], method: str, path: str
) -> None:
    responses = operations[path][method]["responses"]
    assert isinstance(responses, dict)

    documented = {int(status) for status in responses}

    assert OBSERVED[(method, path)] <= documented
