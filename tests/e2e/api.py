"""Small helpers the e2e tests share: calls to the API and the problem+json check."""

from __future__ import annotations

from typing import Any
from uuid import UUID, uuid4

import httpx

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
    starts_at: str = "2030-05-01T10:30:00+02:00",
) -> httpx.Response:
    path = f"/pets/{pet_id}/booking-requests/{request_id}/schedule"
    return client.post(path, headers=auth, json={"starts_at": starts_at})
