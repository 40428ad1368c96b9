"""Small helpers the e2e tests share: calls to the API and the problem+json check."""

from __future__ import annotations

from typing import Any
from uuid import UUID, uuid4

import httpx

from tests.dates import STARTS_AT

PROBLEM_MEDIA_TYPE = "application/problem+json"
PROBLEM_KEYS = {"type", "title", "status", "detail", "code"}
PENDING_DETAIL_ES = "Ya existe una solicitud pendiente para esta mascota"
PENDING_DETAIL_EN = "A pending request already exists for this pet"


def new_sub(role: str = "owner") -> str:
    """A user id nobody else in the shared database has."""
    return f"{role}-{uuid4().hex}"


def media_type(response: httpx.Response) -> str:
    content_type: str = response.headers.get("content-type", "")
    return content_type.split(";")[0].strip()


def assert_problem(response: httpx.Response, status: int, code: str) -> dict[str, Any]:
    """The response is an RFC 9457 problem with this status and code; returns its body."""
    assert response.status_code == status, response.text
    assert media_type(response) == PROBLEM_MEDIA_TYPE
    body: dict[str, Any] = response.json()
    assert body.keys() >= PROBLEM_KEYS
    assert body["status"] == status
    assert body["code"] == code
    assert isinstance(body["detail"], str)
    assert body["detail"]
    return body


def json_body(response: httpx.Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    return body


def register_pet(client: httpx.Client, auth: dict[str, str], **fields: Any) -> dict[str, Any]:
    """Register a pet (201) and return its body."""
    body = {"name": "Rex", "species": "dog", **fields}
    return json_body(client.post("/pets", headers=auth, json=body), 201)


def get_pet(client: httpx.Client, auth: dict[str, str], pet_id: str) -> dict[str, Any]:
    return json_body(client.get(f"/pets/{pet_id}", headers=auth), 200)


def request_booking(
    client: httpx.Client,
    auth: dict[str, str],
    pet_id: str,
    clinic_id: UUID,
    *,
    headers: dict[str, str] | None = None,
    **fields: Any,
) -> httpx.Response:
    body = {"clinic_id": str(clinic_id), "service": "vaccination", **fields}
    return client.post(
        f"/pets/{pet_id}/booking-requests", headers={**auth, **(headers or {})}, json=body
    )


def cancel(
    client: httpx.Client,
    auth: dict[str, str],
    pet_id: str,
    request_id: str,
    body: dict[str, Any] | None = None,
) -> httpx.Response:
    path = f"/pets/{pet_id}/booking-requests/{request_id}/cancel"
    return client.post(path, headers=auth, json=body or {})


def schedule(
    client: httpx.Client,
    auth: dict[str, str],
    pet_id: str,
    request_id: str,
    starts_at: str = STARTS_AT,
) -> httpx.Response:
    path = f"/pets/{pet_id}/booking-requests/{request_id}/schedule"
    return client.post(path, headers=auth, json={"starts_at": starts_at})


def book_new_pet(
    client: httpx.Client, auth: dict[str, str], clinic_id: UUID, *, name: str = "Rex", **fields: Any
) -> dict[str, Any]:
    """Register a pet and request a booking for it (201); return the request's body."""
    pet_id = register_pet(client, auth, name=name)["pet_id"]
    return json_body(request_booking(client, auth, pet_id, clinic_id, **fields), 201)


def pending_requests(
    client: httpx.Client, auth: dict[str, str], clinic_id: UUID, **params: str | int
) -> httpx.Response:
    """GET a clinic's pending list with query `params` (limit, after, min_position)."""
    return client.get(f"/clinics/{clinic_id}/pending-requests", headers=auth, params=params)


def pending_ids(
    client: httpx.Client, auth: dict[str, str], clinic_id: UUID, min_position: int
) -> list[str]:
    """The request ids of one full page (500) of the list, once it includes `min_position`."""
    response = pending_requests(client, auth, clinic_id, limit=500, min_position=min_position)
    body = json_body(response, 200)
    assert body["position"] >= min_position
    return [item["request_id"] for item in body["items"]]


def readiness(client: httpx.Client) -> dict[str, Any]:
    """The `projection` part of GET /readyz (200)."""
    projection: dict[str, Any] = json_body(client.get("/readyz"), 200)["projection"]
    return projection
