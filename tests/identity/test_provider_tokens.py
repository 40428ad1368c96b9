"""Tokens of the clinic's provider on the API: each key type accepted, each attack refused.

Every refusal is 401 `unauthorized` with `WWW-Authenticate: Bearer`, whatever
was wrong: a forged token learns nothing about why.
"""

from __future__ import annotations

import time
from typing import Any
from uuid import uuid4

import httpx
import pytest

from tests.e2e.api import assert_problem
from tests.e2e.server import Server
from tests.identity.keys import ALGORITHMS, Algorithm, SigningKey, generate
from tests.identity.support import Provider, bearer, forge, new_kid, sign, supabase_claims

OWNER = supabase_claims("owner")
PET = {"name": "Rex", "species": "dog"}


def _register_pet(api: httpx.Client, token: str) -> httpx.Response:
    return api.post("/pets", headers=bearer(token), json=PET)


def _assert_unauthorized(response: httpx.Response) -> None:
    assert_problem(response, 401, "unauthorized")
    assert response.headers["www-authenticate"].startswith("Bearer")


@pytest.mark.parametrize("algorithm", ALGORITHMS)
def test_a_token_signed_with_a_published_key_is_accepted(
    idp: Provider, api: httpx.Client, algorithm: Algorithm
) -> None:
    token = idp.token(idp.keys.newest(algorithm), **OWNER)

    assert _register_pet(api, token).status_code == 201
    assert api.get("/clinics", headers=bearer(token)).status_code == 200


def test_a_booking_token_is_still_accepted_by_default(booking: Server, api: httpx.Client) -> None:
    assert api.post("/pets", headers=booking.auth(sub=f"owner-{uuid4().hex}"), json=PET).is_success


def test_an_unknown_kid_is_refused(idp: Provider, api: httpx.Client) -> None:
    token = sign(idp.keys.newest("RS256"), idp.claims(**OWNER), kid=new_kid("made-up"))

    _assert_unauthorized(_register_pet(api, token))


def _in(seconds: int) -> int:
    return int(time.time()) + seconds


@pytest.mark.parametrize(
    "claims",
    [
        {"iss": "https://evil.example/auth/v1"},
        {"iss": None},
        {"aud": "another-api"},
        {"aud": None},
        {"exp": _in(-600), "iat": _in(-900)},
        {"exp": None},
        {"nbf": _in(600)},
    ],
    ids=["wrong-iss", "no-iss", "wrong-aud", "no-aud", "expired", "no-exp", "not-yet-valid"],
)
def test_a_well_signed_token_with_wrong_claims_is_refused(
    idp: Provider, api: httpx.Client, claims: dict[str, Any]
) -> None:
    token = idp.token(idp.keys.newest("ES256"), **OWNER, **claims)

    _assert_unauthorized(_register_pet(api, token))


@pytest.mark.parametrize("algorithm", ALGORITHMS)
def test_a_public_key_used_as_an_hmac_secret_is_refused(
    idp: Provider, api: httpx.Client, algorithm: Algorithm
) -> None:
    # The attacker knows the published key, and signs HS256 with its PEM, naming its kid.
    published = idp.keys.newest(algorithm)
    header = {"alg": "HS256", "typ": "JWT", "kid": published.kid}

    token = forge(header, idp.claims(**OWNER), hmac_secret=published.public_pem())

    _assert_unauthorized(_register_pet(api, token))


@pytest.mark.parametrize("alg", ["none", "None", "NONE"])
def test_an_unsigned_token_is_refused(idp: Provider, api: httpx.Client, alg: str) -> None:
    header = {"alg": alg, "typ": "JWT", "kid": idp.keys.newest("RS256").kid}

    _assert_unauthorized(_register_pet(api, forge(header, idp.claims(**OWNER), hmac_secret=None)))


@pytest.mark.parametrize("alg", ["PS256", "RS512"])
def test_an_rsa_key_signs_only_rs256(idp: Provider, api: httpx.Client, alg: str) -> None:
    # A valid RSA signature, but not with the one algorithm pinned to RSA keys.
    token = sign(idp.keys.newest("RS256"), idp.claims(**OWNER), algorithm=alg)

    _assert_unauthorized(_register_pet(api, token))


@pytest.mark.parametrize("algorithm", ALGORITHMS)
def test_a_key_the_provider_does_not_publish_is_refused(
    idp: Provider, api: httpx.Client, algorithm: Algorithm
) -> None:
    # Same kid and type as a published key, but the attacker's own private key.
    impostor = SigningKey(kid=idp.keys.newest(algorithm).kid, key=generate(algorithm))

    _assert_unauthorized(_register_pet(api, sign(impostor, idp.claims(**OWNER))))


def test_a_tampered_token_is_refused(idp: Provider, api: httpx.Client) -> None:
    token = idp.token(idp.keys.newest("EdDSA"), **supabase_claims("client"))
    header, _, signature = token.split(".")
    # The signature of a client's claims, now claiming to be an auditor.
    claims = forge({}, idp.claims(**supabase_claims("auditor")), None).split(".")[1]

    _assert_unauthorized(_register_pet(api, f"{header}.{claims}.{signature}"))
