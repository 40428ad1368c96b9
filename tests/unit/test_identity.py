"""The provider's keys (refresh, outages), claim mapping and staff of several clinics, in process.

Real keys and real signatures (cryptography, PyJWT); only the provider's HTTP
is replaced by a function returning its key set. tests/identity/ runs a real
provider process.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
import time
from typing import Any
from uuid import uuid4

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa

from application.access import Actor, Role
from application.errors import ForbiddenError
from interface.auth import TokenRules, UnauthorizedError
from interface.identity.claims import ClaimMapping, NoRoleError
from interface.identity.keys import IdentityProviderUnavailableError, ProviderKeys, signing_keys
from interface.identity.verifier import Provider, TokenVerifier

ISSUER = "https://idp.example"
KEYS: dict[str, Any] = {
    "rsa-1": rsa.generate_private_key(public_exponent=65537, key_size=2048),
    "ec-1": ec.generate_private_key(ec.SECP256R1()),
    "ed-1": ed25519.Ed25519PrivateKey.generate(),
}
ALGORITHMS = {"rsa-1": "RS256", "ec-1": "ES256", "ed-1": "EdDSA"}


def jwks(*kids: str) -> dict[str, Any]:
    keys = []
    for kid in kids:
        algorithm = jwt.get_algorithm_by_name(ALGORITHMS[kid])
        key = algorithm.to_jwk(KEYS[kid].public_key(), as_dict=True)
        keys.append({**key, "kid": kid, "use": "sig"})
    return {"keys": keys}


class FakeProvider:
    """The provider's key-set endpoint: what it serves, how often it was asked, whether it is up."""

    def __init__(self, *kids: str) -> None:
        self.kids = list(kids)
        self.fetches = 0
        self.up = True
        self.nonsense = False  # answers 200 with no key set
        self.hold: threading.Event | None = None  # answers only once this is set
        self.answering = threading.Event()

    def __call__(self, url: str) -> dict[str, Any]:
        self.fetches += 1
        self.answering.set()
        if self.hold is not None:
            self.hold.wait()
        if not self.up:
            raise httpx.ConnectError("down")
        return {"error": "temporarily unavailable"} if self.nonsense else jwks(*self.kids)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def token(kid: str, algorithm: str | None = None, **claims: Any) -> str:
    now = int(time.time())
    body = {
        "sub": "alice",
        "iss": ISSUER,
        "aud": "authenticated",
        "iat": now,
        "exp": now + 600,
        "app_metadata": {"role": "owner"},
        **claims,
    }
    return jwt.encode(body, KEYS[kid], algorithm=algorithm or ALGORITHMS[kid], headers={"kid": kid})


def verifier(
    provider: FakeProvider, clock: Clock, mapping: ClaimMapping | None = None
) -> TokenVerifier:
    keys = ProviderKeys(lambda: f"{ISSUER}/jwks", refresh_seconds=30, fetch=provider, clock=clock)
    return TokenVerifier(
        "s" * 40,
        TokenRules(),
        Provider(keys, ISSUER, "authenticated", mapping or ClaimMapping(), 24 * 3600),
    )


@pytest.mark.parametrize("kid", sorted(KEYS))
def test_tokens_of_each_key_type_are_accepted(kid: str) -> None:
    provider = FakeProvider(*KEYS)

    actor = verifier(provider, Clock()).actor(token(kid))

    assert actor == Actor("alice", Role.OWNER)


def test_a_flood_of_unknown_kids_fetches_the_key_set_once_per_interval() -> None:
    provider, clock = FakeProvider("rsa-1"), Clock()
    verify = verifier(provider, clock)
    verify.actor(token("rsa-1"))

    for _ in range(50):
        with pytest.raises(UnauthorizedError):
            verify.actor(token("ec-1"))  # Its kid is not published.
    clock.now += 31
    for _ in range(50):
        with pytest.raises(UnauthorizedError):
            verify.actor(token("ec-1"))

    assert provider.fetches == 2  # The first use, then one refresh per interval.


def test_a_rotated_key_is_found_by_refreshing_once_the_interval_has_passed() -> None:
    provider, clock = FakeProvider("rsa-1"), Clock()
    verify = verifier(provider, clock)
    verify.actor(token("rsa-1"))
    provider.kids = ["ec-1"]  # The provider rotated.

    clock.now += 31

    assert verify.actor(token("ec-1")).sub == "alice"


def test_the_last_good_keys_serve_while_the_provider_is_down() -> None:
    provider, clock = FakeProvider("rsa-1"), Clock()
    verify = verifier(provider, clock)
    verify.actor(token("rsa-1", sub="first"))
    provider.up = False
    clock.now += 31

    with pytest.raises(UnauthorizedError):
        verify.actor(token("ec-1"))  # Unknown, and the refresh failed: still just unknown.
    assert verify.actor(token("rsa-1", sub="second")).sub == "second"


def test_with_no_key_ever_fetched_a_provider_down_is_unavailability() -> None:
    provider = FakeProvider("rsa-1")
    provider.up = False

    with pytest.raises(IdentityProviderUnavailableError):
        verifier(provider, Clock()).actor(token("rsa-1"))


def test_a_public_key_used_as_an_hmac_secret_is_refused() -> None:
    provider = FakeProvider("rsa-1")
    pem = (
        KEYS["rsa-1"]
        .public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    )
    now = int(time.time())
    # Signed by hand: PyJWT itself refuses to use a public key as an HMAC secret.
    header = {"alg": "HS256", "typ": "JWT", "kid": "rsa-1"}
    claims = {"sub": "mallory", "iat": now, "exp": now + 60, "role": "auditor", "iss": ISSUER}
    signing_input = b".".join(
        base64.urlsafe_b64encode(json.dumps(part).encode()).rstrip(b"=")
        for part in (header, claims)
    )
    signature = hmac.new(pem, signing_input, hashlib.sha256).digest()
    forged = (signing_input + b"." + base64.urlsafe_b64encode(signature).rstrip(b"=")).decode()

    with pytest.raises(UnauthorizedError):
        verifier(provider, Clock()).actor(forged)


def test_a_token_with_another_algorithm_than_its_keys_is_refused() -> None:
    # An RSA key: RS256 only, not a weaker or different RSA scheme.
    with pytest.raises(UnauthorizedError):
        verifier(FakeProvider("rsa-1"), Clock()).actor(token("rsa-1", algorithm="PS256"))


@pytest.mark.parametrize(
    ("claims", "why"),
    [
        ({"iss": "https://other.example"}, "issuer"),
        ({"aud": "someone-else"}, "audience"),
        ({"exp": int(time.time()) - 120}, "expired"),
        ({"nbf": int(time.time()) + 600}, "not yet valid"),
    ],
)
def test_wrong_issuer_audience_or_time_is_refused(claims: dict[str, Any], why: str) -> None:
    with pytest.raises(UnauthorizedError):
        verifier(FakeProvider("rsa-1"), Clock()).actor(token("rsa-1", **claims))


def test_a_symmetric_key_in_the_key_set_is_never_used() -> None:
    published = {"keys": [{"kty": "oct", "kid": "hs", "k": "c2VjcmV0", "alg": "HS256"}]}

    assert signing_keys(published) == {}


def test_shared_secret_tokens_can_be_turned_off() -> None:
    from interface.auth import mint_token

    ours = mint_token("s" * 40, role=Role.OWNER, sub="alice")
    off = TokenVerifier(None, TokenRules(), None)

    with pytest.raises(UnauthorizedError):
        off.actor(ours)
    assert TokenVerifier("s" * 40, TokenRules(), None).actor(ours).sub == "alice"


def test_claims_map_to_roles_by_name_by_map_or_from_a_list() -> None:
    keycloak = ClaimMapping(
        role="realm_access.roles", role_map={"vet": Role.STAFF}, clinic="clinics"
    )
    clinic = uuid4()

    actor = keycloak.actor(
        {
            "sub": "vet-1",
            "realm_access": {"roles": ["offline_access", "vet"]},
            "clinics": [str(clinic)],
        }
    )

    assert actor == Actor("vet-1", Role.STAFF, clinic_ids=frozenset({clinic}))
    assert (
        ClaimMapping().actor({"sub": "a", "app_metadata": {"role": "auditor"}}).role is Role.AUDITOR
    )


@pytest.mark.parametrize(
    "claims",
    [
        {"sub": "a", "app_metadata": {"role": "admin"}},
        {"sub": "a"},
        {"sub": "a", "app_metadata": {"role": "staff"}},  # Staff of no clinic.
    ],
)
def test_claims_that_grant_nothing_here_are_no_role(claims: dict[str, Any]) -> None:
    with pytest.raises(NoRoleError):
        ClaimMapping().actor(claims)


def test_staff_of_several_clinics_work_at_each_and_no_other() -> None:
    first, second = uuid4(), uuid4()
    staff = Actor("vet", Role.STAFF, clinic_ids=frozenset({first, second}))

    staff.require_clinic(first)
    staff.require_clinic(second)
    with pytest.raises(ForbiddenError):
        staff.require_clinic(uuid4())
    assert staff.clinic_id in {first, second}


def test_a_key_set_with_no_usable_key_leaves_the_last_good_keys_in_use() -> None:
    provider, clock = FakeProvider("rsa-1"), Clock()
    keys = ProviderKeys(lambda: "u", refresh_seconds=30, fetch=provider, clock=clock)
    keys.key("rsa-1")
    provider.nonsense = True
    clock.now += 31

    with pytest.raises(UnauthorizedError):
        keys.key("ec-1")  # Unknown, refreshed, nothing usable came back...
    assert keys.key("rsa-1").algorithm == "RS256"  # ...and the old keys still serve.


def test_a_kid_listed_twice_is_ambiguous_and_neither_key_is_taken() -> None:
    published = jwks("rsa-1", "ec-1")
    published["keys"][1]["kid"] = "rsa-1"

    assert signing_keys(published) == {}


def test_a_withdrawn_key_stops_being_trusted_once_the_set_is_too_old() -> None:
    provider, clock = FakeProvider("rsa-1", "ec-1"), Clock()
    keys = ProviderKeys(
        lambda: "u", refresh_seconds=30, fetch=provider, clock=clock, max_age_seconds=3600
    )
    keys.key("rsa-1")
    provider.kids = ["ec-1"]  # The provider withdrew the RSA key; nobody names an unknown kid.

    clock.now += 3601

    with pytest.raises(UnauthorizedError):
        keys.key("rsa-1")


def test_no_request_waits_behind_a_refresh_once_keys_are_known() -> None:
    provider, clock = FakeProvider("rsa-1"), Clock()
    keys = ProviderKeys(lambda: "u", refresh_seconds=30, fetch=provider, clock=clock)
    keys.key("rsa-1")
    clock.now += 31
    provider.answering.clear()
    provider.hold = threading.Event()
    outcomes: list[str] = []

    def unknown_kid() -> None:
        try:
            keys.key("x")
        except UnauthorizedError:
            outcomes.append("refused")

    refreshing = threading.Thread(target=unknown_kid, daemon=True)
    refreshing.start()
    provider.answering.wait()

    # While that refresh hangs, another unknown kid is refused at once, a known one served.
    other = threading.Thread(target=unknown_kid, daemon=True)
    other.start()
    other.join(timeout=10)  # A deadline for a broken build, which would wait forever.
    assert not other.is_alive()
    assert outcomes == ["refused"]
    assert keys.key("rsa-1").algorithm == "RS256"
    provider.hold.set()
    refreshing.join()
    assert outcomes == ["refused", "refused"]


@pytest.mark.parametrize(
    "claims",
    [
        {"sub": "a", "roles": ["owner", "auditor"]},
        {"sub": "a", "roles": ["staff"], "clinics": [str(uuid4()) for _ in range(51)]},
    ],
    ids=["two roles of ours", "51 clinics"],
)
def test_ambiguous_or_oversized_claims_are_refused(claims: dict[str, Any]) -> None:
    mapping = ClaimMapping(role="roles", clinic="clinics")

    with pytest.raises(NoRoleError):
        mapping.actor(claims)
