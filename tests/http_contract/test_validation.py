"""Invalid input is 422 `validation_error` and records nothing."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

import httpx
import pytest

from tests.dates import STARTS_AT, STARTS_AT_UTC
from tests.e2e.api import assert_problem, cancel, get_pet, json_body, register_pet, request_booking

CLINIC = "6f1c1c2e-4a4e-4a53-9f57-2f1f5f1f0001"
PETS = "/pets"
REQUESTS = "/pets/{pet_id}/booking-requests"
CANCEL = "/pets/{pet_id}/booking-requests/{request_id}/cancel"
SCHEDULE = "/pets/{pet_id}/booking-requests/{request_id}/schedule"


@dataclass(frozen=True)
class Case:
    path: str
    body: Any = None
    raw: bytes | None = None  # sent as-is with `Content-Type: application/json`
    method: str = "POST"


def _request(**fields: Any) -> dict[str, Any]:
    return {"clinic_id": CLINIC, "service": "vaccination", **fields}


CASES: dict[str, Case] = {
    "malformed-json-pets": Case(PETS, raw=b'{"name": "Rex",'),
    "malformed-json-request": Case(REQUESTS, raw=b'{"clinic_id": '),
    "malformed-json-cancel": Case(CANCEL, raw=b"{reason: 1}"),
    "malformed-json-schedule": Case(SCHEDULE, raw=b"{"),
    "name-not-a-string": Case(PETS, {"name": 123, "species": "dog"}),
    "pet-id-not-a-uuid": Case(PETS, {"name": "Rex", "species": "dog", "pet_id": "nope"}),
    "clinic-id-not-a-uuid": Case(REQUESTS, _request(clinic_id="nope")),
    "service-not-a-string": Case(REQUESTS, _request(service=5)),
    "preferred-date-not-a-date": Case(REQUESTS, _request(preferred_date="tomorrow")),
    "reason-not-a-string": Case(CANCEL, {"reason": ["x"]}),
    "starts-at-not-a-datetime": Case(SCHEDULE, {"starts_at": "soon"}),
    "body-not-an-object": Case(PETS, ["Rex", "dog"]),
    "name-101": Case(PETS, {"name": "n" * 101, "species": "dog"}),
    "species-51": Case(PETS, {"name": "Rex", "species": "s" * 51}),
    "service-101": Case(REQUESTS, _request(service="s" * 101)),
    "notes-1001": Case(REQUESTS, _request(notes="n" * 1001)),
    "reason-501": Case(CANCEL, {"reason": "r" * 501}),
    "name-blank": Case(PETS, {"name": "   ", "species": "dog"}),
    "service-empty": Case(REQUESTS, _request(service="")),
    "pets-status": Case(PETS, {"name": "Rex", "species": "dog", "status": "active"}),
    "pets-version": Case(PETS, {"name": "Rex", "species": "dog", "version": 7}),
    "pets-owner-id": Case(PETS, {"name": "Rex", "species": "dog", "owner_id": "someone"}),
    "request-request-id": Case(REQUESTS, _request(request_id=CLINIC)),
    "request-status": Case(REQUESTS, _request(status="cancelled")),
    "request-version": Case(REQUESTS, _request(version=1)),
    "cancel-status": Case(CANCEL, {"status": "active"}),
    "schedule-extra": Case(SCHEDULE, {"starts_at": STARTS_AT_UTC, "scheduled_by": "x"}),
    "pets-missing-all": Case(PETS, {}),
    "pets-missing-species": Case(PETS, {"name": "Rex"}),
    "pets-no-body": Case(PETS),
    "request-missing-clinic": Case(REQUESTS, {"service": "vaccination"}),
    "request-missing-service": Case(REQUESTS, {"clinic_id": CLINIC}),
    "schedule-missing-starts-at": Case(SCHEDULE, {}),
    "schedule-naive-datetime": Case(SCHEDULE, {"starts_at": STARTS_AT[:19]}),
    "path-pet-id-get": Case("/pets/not-a-uuid", method="GET"),
    "path-pet-id-request": Case("/pets/not-a-uuid/booking-requests", _request()),
    "path-request-id-cancel": Case("/pets/{pet_id}/booking-requests/42/cancel", {}),
}


@pytest.mark.parametrize("case", list(CASES))
def test_invalid_input_is_a_validation_error(
    client: httpx.Client,
    owner: dict[str, str],
    staff: dict[str, str],
    pet_id: str,
    request_id: str,
    case: str,
) -> None:
    spec = CASES[case]
    url = spec.path.format(pet_id=pet_id, request_id=request_id)
    auth = staff if spec.path == SCHEDULE else owner
    headers = {**auth, "Content-Type": "application/json"} if spec.raw is not None else auth

    response = client.request(spec.method, url, headers=headers, json=spec.body, content=spec.raw)

    assert_problem(response, 422, "validation_error")
    assert get_pet(client, owner, pet_id)["version"] == 2


def test_the_length_limits_are_inclusive(
    client: httpx.Client, owner: dict[str, str], clinic_id: UUID
) -> None:
    # The longest name and species
    pet = register_pet(client, owner, name="n" * 100, species="s" * 50)

    # The longest service and notes, then the longest reason
    fields: dict[str, Any] = {"service": "s" * 100, "notes": "n" * 1000}
    request = json_body(request_booking(client, owner, pet["pet_id"], clinic_id, **fields), 201)
    cancelled = cancel(client, owner, pet["pet_id"], request["request_id"], {"reason": "r" * 500})

    assert json_body(cancelled, 200)["status"] == "cancelled"
    assert get_pet(client, owner, pet["pet_id"])["requests"][0]["notes"] == "n" * 1000
