"""Readiness reports the projection's progress; OpenAPI documents the staff list.

A halted projection answers 503 with the same body (tests/security/test_projection_halts.py).
"""

from __future__ import annotations

from uuid import UUID

import httpx
import pytest

from tests.e2e.api import book_new_pet, json_body, pending_ids, readiness

PROJECTION_KEYS = {"position", "head", "lag", "state"}
DOCUMENTED: dict[tuple[str, str], set[int]] = {
    ("get", "/clinics/{clinic_id}/pending-requests"): {200, 401, 403, 422, 503},
    ("get", "/readyz"): {200, 503},
}


def test_readyz_reports_the_store_and_the_projection(client: httpx.Client) -> None:
    body = json_body(client.get("/readyz"), 200)

    assert body["store"] == "ok"
    projection = body["projection"]
    assert projection.keys() >= PROJECTION_KEYS
    assert all(type(projection[key]) is int for key in ("position", "head", "lag"))
    assert 0 <= projection["position"] <= projection["head"]
    assert projection["lag"] == projection["head"] - projection["position"]
    assert projection["state"] == "running"


def test_readyz_position_includes_a_write_read_back_from_the_list(
    client: httpx.Client, owner: dict[str, str], staff: dict[str, str], clinic_id: UUID
) -> None:
    # A command, and the list read at its position.
    booking = book_new_pet(client, owner, clinic_id)
    assert booking["request_id"] in pending_ids(client, staff, clinic_id, booking["position"])

    projection = readiness(client)

    assert projection["position"] >= booking["position"]
    assert projection["head"] >= booking["position"]
    # The lag is what separates the two, not a number clamped to look healthy.
    assert projection["lag"] == projection["head"] - projection["position"]


@pytest.mark.parametrize(("method", "path"), list(DOCUMENTED))
def test_openapi_documents_the_staff_statuses(client: httpx.Client, method: str, path: str) -> None:
    paths = json_body(client.get("/openapi.json"), 200)["paths"]

    documented = {int(status) for status in paths[path][method]["responses"]}

    assert DOCUMENTED[(method, path)] <= documented


def test_openapi_documents_the_halted_readiness_as_a_problem_at_503(client: httpx.Client) -> None:
    document = json_body(client.get("/openapi.json"), 200)
    readyz = document["paths"]["/readyz"]["get"]

    content = readyz["responses"]["503"]["content"]

    # One body per status, so generated clients can parse it: a problem, halted or not.
    assert list(content) == ["application/problem+json"]
    name = content["application/problem+json"]["schema"]["$ref"].rsplit("/", 1)[1]
    narrowed = document["components"]["schemas"][name]["allOf"][1]["properties"]
    assert narrowed["code"]["enum"] == ["store_unavailable", "projection_halted"]
    assert narrowed["projection"]["$ref"] == "#/components/schemas/ProjectionStatus"
