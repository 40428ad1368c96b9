"""The Idempotency-Key header: a retried request answers the original one."""

from __future__ import annotations

from uuid import UUID, uuid4

import httpx
import pytest

from tests.e2e.api import assert_problem, get_pet, json_body, request_booking

PATH = "/pets/{pet_id}/booking-requests"


def test_the_same_key_and_body_answer_the_original_request(
    client: httpx.Client, owner: dict[str, str], pet_id: str, clinic_id: UUID
) -> None:
    key = {"Idempotency-Key": f"retry-{uuid4()}"}
    first = json_body(request_booking(client, owner, pet_id, clinic_id, headers=key), 201)

    # The client did not hear the answer and sends the same thing again
    retry = json_body(request_booking(client, owner, pet_id, clinic_id, headers=key), 201)

    assert retry["request_id"] == first["request_id"]
    assert retry["version"] == first["version"]
    assert len(get_pet(client, owner, pet_id)["requests"]) == 1


def test_the_same_key_with_another_body_is_idempotency_key_reused(
    client: httpx.Client, owner: dict[str, str], pet_id: str, clinic_id: UUID
) -> None:
    key = {"Idempotency-Key": f"retry-{uuid4()}"}
    json_body(request_booking(client, owner, pet_id, clinic_id, headers=key), 201)

    other = request_booking(client, owner, pet_id, clinic_id, headers=key, service="dental")

    assert_problem(other, 422, "idempotency_key_reused")
    assert len(get_pet(client, owner, pet_id)["requests"]) == 1


def test_a_key_of_200_visible_ascii_characters_is_accepted(
    client: httpx.Client, owner: dict[str, str], pet_id: str, clinic_id: UUID
) -> None:
    key = {"Idempotency-Key": "!~" + uuid4().hex + "k" * 166}

    assert json_body(request_booking(client, owner, pet_id, clinic_id, headers=key), 201)


@pytest.mark.parametrize(
    "key",
    [
        pytest.param(b"", id="empty"),
        pytest.param(b"k" * 201, id="201-chars"),
        pytest.param(b"with space", id="space"),
        pytest.param("clé".encode(), id="non-ascii"),
        pytest.param(b"tab\there", id="tab"),
    ],
)
def test_an_invalid_key_is_a_validation_error(
    client: httpx.Client, owner: dict[str, str], pet_id: str, clinic_id: UUID, key: bytes
) -> None:
    body = {"clinic_id": str(clinic_id), "service": "vaccination"}
    headers = {name.encode(): value.encode() for name, value in owner.items()}
    headers[b"Idempotency-Key"] = key

    response = client.post(PATH.format(pet_id=pet_id), headers=headers, json=body)

    assert_problem(response, 422, "validation_error")
    assert get_pet(client, owner, pet_id)["requests"] == []
