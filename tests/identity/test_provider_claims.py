"""Who a provider's token says you are: role, clinics and subject from configurable claims."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import httpx
import pytest

from tests.e2e.api import assert_problem, book_new_pet, json_body, pending_requests
from tests.identity.keys import ALGORITHMS
from tests.identity.support import (
    Provider,
    bearer,
    booking_with_provider,
    key_folder,
    running_provider,
    supabase_claims,
)
from tests.stores import sqlite_file_url

PET = {"name": "Rex", "species": "dog"}
KEYCLOAK_AUDIENCE = "pet-booking"
KEYCLOAK_SETTINGS = {
    "claim_role": "realm_access.roles",
    "claim_clinic": "clinic_id",
    "oidc_audience": KEYCLOAK_AUDIENCE,
    "role_map": json.dumps({"clinic-staff": "staff"}),
}


def _pending(api: httpx.Client, token: str, clinic_id: UUID) -> httpx.Response:
    return pending_requests(api, bearer(token), clinic_id)


@pytest.mark.parametrize(
    "claims",
    [{}, supabase_claims(None), supabase_claims("receptionist"), supabase_claims("staff")],
    ids=["no-app-metadata", "no-role", "unknown-role", "staff-without-clinic"],
)
def test_a_token_that_maps_to_no_role_of_ours_is_forbidden(
    idp: Provider, api: httpx.Client, claims: dict[str, Any]
) -> None:
    token = idp.token(idp.keys.newest("RS256"), **claims)

    assert_problem(api.post("/pets", headers=bearer(token), json=PET), 403, "no_role")


def test_a_provider_role_maps_to_ours(idp: Provider, api: httpx.Client) -> None:
    # The shared service maps the provider's `vet` to our staff.
    clinic_id = uuid4()
    token = idp.token(idp.keys.newest("ES256"), **supabase_claims("vet", clinic_id))

    assert _pending(api, token, clinic_id).status_code == 200
    assert api.post("/pets", headers=bearer(token), json=PET).status_code == 403


def test_staff_of_two_clinics_read_both_pending_lists_and_no_third(
    idp: Provider, api: httpx.Client
) -> None:
    first, second, third = uuid4(), uuid4(), uuid4()
    owner = idp.token(idp.keys.newest("RS256"), **supabase_claims("owner"))
    staff = idp.token(idp.keys.newest("RS256"), **supabase_claims("staff", first, second))

    # An owner books at each of the two clinics...
    bookings = [book_new_pet(api, bearer(owner), clinic_id) for clinic_id in (first, second)]

    # ...and staff of both see each request in its clinic's list, but may not read a third.
    for clinic_id, booking in zip((first, second), bookings, strict=True):
        page = pending_requests(
            api, bearer(staff), clinic_id, min_position=booking["position"], limit=500
        )
        assert [item["request_id"] for item in json_body(page, 200)["items"]] == [
            booking["request_id"]
        ]
    assert_problem(_pending(api, staff, third), 403, "forbidden")


@pytest.fixture(scope="module")
def keycloak(
    idp: Provider, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Provider, httpx.Client]]:
    """A service configured the Keycloak way, and a provider issuing for its audience."""
    workdir = tmp_path_factory.mktemp("keycloak")
    with (
        running_provider(idp.keys, workdir, audience=KEYCLOAK_AUDIENCE) as provider,
        booking_with_provider(
            sqlite_file_url(workdir), workdir, provider.issuer, **KEYCLOAK_SETTINGS
        ) as server,
        httpx.Client(base_url=server.base_url, timeout=15.0) as api,
    ):
        yield provider, api


def test_keycloak_realm_roles_grant_the_one_role_of_ours_among_others(
    keycloak: tuple[Provider, httpx.Client],
) -> None:
    provider, api = keycloak
    clinic_id = uuid4()
    roles = ["offline_access", "uma_authorization", "clinic-staff"]
    claims: dict[str, Any] = {"realm_access": {"roles": roles}, "clinic_id": str(clinic_id)}
    staff = provider.token(provider.keys.newest("RS256"), **claims)

    assert _pending(api, staff, clinic_id).status_code == 200


def test_realm_roles_holding_two_of_ours_are_refused_whatever_their_order(
    keycloak: tuple[Provider, httpx.Client],
) -> None:
    provider, api = keycloak
    clinic_id = uuid4()
    answers = []
    for roles in (["clinic-staff", "owner"], ["owner", "clinic-staff"]):
        claims: dict[str, Any] = {"realm_access": {"roles": roles}, "clinic_id": str(clinic_id)}
        token = provider.token(provider.keys.newest("RS256"), **claims)
        answers.append(_pending(api, token, clinic_id))

    assert [answer.status_code for answer in answers] == [403, 403]
    assert {answer.json()["code"] for answer in answers} == {"no_role"}


def test_keycloak_config_reads_roles_from_realm_access_only(
    keycloak: tuple[Provider, httpx.Client],
) -> None:
    provider, api = keycloak
    realm_owner: dict[str, Any] = {"realm_access": {"roles": ["default-roles-clinic", "owner"]}}
    supabase_owner = supabase_claims("owner")

    for claims, status in ((realm_owner, 201), (supabase_owner, 403)):
        token = provider.token(provider.keys.newest("EdDSA"), **claims)
        assert api.post("/pets", headers=bearer(token), json=PET).status_code == status


def test_with_hs256_off_booking_tokens_are_refused_and_provider_tokens_work(
    idp: Provider, tmp_path: Path
) -> None:
    url = sqlite_file_url(tmp_path)
    with (
        booking_with_provider(url, tmp_path, idp.issuer, jwt_hs256="false") as server,
        httpx.Client(base_url=server.base_url, timeout=15.0) as api,
    ):
        shared_secret = server.auth(sub=f"owner-{uuid4().hex}")
        provider = bearer(idp.token(idp.keys.newest("ES256"), **supabase_claims("owner")))

        assert_problem(api.post("/pets", headers=shared_secret, json=PET), 401, "unauthorized")
        assert api.post("/pets", headers=provider, json=PET).status_code == 201


def test_an_owner_books_and_staff_list_it_on_each_store(db_url: str, tmp_path: Path) -> None:
    keys = key_folder(tmp_path / "keys")
    for algorithm in ALGORITHMS:
        keys.add(algorithm)
    clinic_id = uuid4()
    with (
        running_provider(keys, tmp_path) as provider,
        booking_with_provider(db_url, tmp_path, provider.issuer) as server,
        httpx.Client(base_url=server.base_url, timeout=15.0) as api,
    ):
        owner_sub = f"owner-{uuid4().hex}"
        owner = provider.token(keys.newest("EdDSA"), owner_sub, **supabase_claims("owner"))
        staff = provider.token(keys.newest("RS256"), **supabase_claims("staff", clinic_id))

        # An owner signed in at the provider books; staff signed in there list it.
        booking = book_new_pet(api, bearer(owner), clinic_id)
        page = pending_requests(api, bearer(staff), clinic_id, min_position=booking["position"])
        items = json_body(page, 200)["items"]
        assert [item["request_id"] for item in items] == [booking["request_id"]]
        assert items[0]["owner_id"] == owner_sub
