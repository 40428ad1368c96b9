"""Finding 1 and 4: text that breaks readers or screens is refused, in the domain and over HTTP.

A NUL in a pet's name used to be stored (201) and then freeze the projection on
PostgreSQL; control, bidi and zero-width characters were accepted everywhere.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID, uuid4

import httpx
import pytest

from application.access import Actor, Role
from application.bookings import PetBookings
from domain.pet import Pet
from domain.values import InvalidValueError
from tests.e2e.api import assert_problem, cancel, get_pet, json_body, register_pet

HOSTILE = {
    "nul": "Lu\x00na",
    "escape": "Lu\x1b[31mna",
    "delete": "Lu\x7fna",
    "c1 control": "Lu\x85na",
    "bidi override": "\u202eanuL",
    "bidi isolate": "Lu\u2066na",
    "zero-width space": "Lu\u200bna",
    "byte order mark": "\ufeffLuna",
    "line separator": "Lu\u2028na",
}
OWNER = Actor("owner-1", Role.OWNER)


@pytest.mark.parametrize("text", HOSTILE.values(), ids=HOSTILE.keys())
def test_the_domain_refuses_hostile_text_in_every_field(text: str) -> None:
    with pytest.raises(InvalidValueError) as refused:
        Pet.register(uuid4(), "owner-1", text, "cat")
    assert refused.value.field == "name"

    pet = Pet.register(uuid4(), "owner-1", "Luna", "cat")
    with pytest.raises(InvalidValueError):
        Pet.register(uuid4(), "owner-1", "Luna", text)
    with pytest.raises(InvalidValueError):
        pet.request_booking(**_request(service=text))
    with pytest.raises(InvalidValueError):
        pet.request_booking(**_request(notes=text))
    with pytest.raises(InvalidValueError):
        pet.request_booking(**_request(idempotency_key=text))
    request = pet.request_booking(**_request())
    with pytest.raises(InvalidValueError):
        pet.cancel(request.request_id, reason=text, cancelled_by="owner-1")
    # Nothing refused was recorded: the registration and the one good request only.
    assert [type(e).__name__ for e in pet.collect_events()] == ["Registered", "BookingRequested"]


@pytest.mark.parametrize(
    "key",
    ["", "tab 1", "tab-1\n", "ñandú", "x" * 201],
    ids=["empty", "space", "newline", "non-ascii", "201"],
)
def test_an_idempotency_key_is_visible_ascii_whatever_door_it_came_through(key: str) -> None:
    # The API's header allows only this; the console's form field once allowed anything,
    # and a key is stored with the request and shown to auditors exactly as sent.
    pet = Pet.register(uuid4(), "owner-1", "Luna", "cat")

    with pytest.raises(InvalidValueError) as refused:
        pet.request_booking(**_request(idempotency_key=key))

    assert refused.value.field == "idempotency_key"
    accepted = pet.request_booking(**_request(idempotency_key="tab-1~" + "x" * 194))
    assert accepted.idempotency_key == "tab-1~" + "x" * 194


def test_names_are_trimmed_and_nfc_and_notes_keep_their_lines() -> None:
    decomposed = "Zoe\u0301"  # e + combining acute: NFC makes it one character

    pet = Pet.register(uuid4(), "owner-1", f"  {decomposed}\u00a0", "cat")
    request = pet.request_booking(**_request(notes="shy\r\nbites\tsometimes"))

    assert pet.name == "Zo\u00e9"
    assert request.notes == "shy\nbites\tsometimes"


def test_no_door_bypasses_the_rule(memory_bookings: PetBookings) -> None:
    # The application, as the CLI or the console would call it, gets the same refusal.
    with pytest.raises(InvalidValueError):
        memory_bookings.register_pet(OWNER, name="Lu\x00na", species="cat")
    assert memory_bookings.head_position() == 0


@pytest.mark.parametrize("text", HOSTILE.values(), ids=HOSTILE.keys())
def test_http_refuses_a_hostile_pet_name_with_the_fields_location(
    client: httpx.Client, owner: dict[str, str], text: str
) -> None:
    response = client.post("/pets", headers=owner, json={"name": text, "species": "cat"})

    body = assert_problem(response, 422, "validation_error")
    assert ["body", "name"] in [issue["loc"] for issue in body["errors"]]


@pytest.mark.parametrize("field", ["service", "notes"])
def test_http_refuses_hostile_booking_text(
    client: httpx.Client, owner: dict[str, str], pet_id: str, clinic_id: UUID, field: str
) -> None:
    body = {"clinic_id": str(clinic_id), "service": "vaccination", field: "a\x00b"}

    response = client.post(f"/pets/{pet_id}/booking-requests", headers=owner, json=body)

    problem = assert_problem(response, 422, "validation_error")
    assert ["body", field] in [issue["loc"] for issue in problem["errors"]]
    assert get_pet(client, owner, pet_id)["requests"] == []


def test_http_refuses_a_hostile_cancel_reason(
    client: httpx.Client, owner: dict[str, str], pet_id: str, request_id: str
) -> None:
    response = cancel(client, owner, pet_id, request_id, {"reason": "moved\u202e"})

    problem = assert_problem(response, 422, "validation_error")
    assert ["body", "reason"] in [issue["loc"] for issue in problem["errors"]]
    assert get_pet(client, owner, pet_id)["requests"][0]["status"] == "active"


def test_http_stores_names_trimmed_and_nfc(client: httpx.Client, owner: dict[str, str]) -> None:
    body = register_pet(client, owner, name="  Zoe\u0301 ")

    assert body["name"] == "Zo\u00e9"
    assert (
        json_body(client.get(f"/pets/{body['pet_id']}", headers=owner), 200)["name"] == "Zo\u00e9"
    )


def _request(**fields: Any) -> dict[str, Any]:
    return {
        "request_id": uuid4(),
        "clinic_id": uuid4(),
        "service": "vaccination",
        "preferred_date": None,
        "notes": None,
        "requested_by": "owner-1",
        "idempotency_key": None,
        **fields,
    }
