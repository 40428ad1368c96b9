"""The test provider itself: what the service and the browser tests rely on it to do."""

from __future__ import annotations

import secrets
from typing import Any

import httpx
import jwt
import pytest

from tests.identity.code_flow import s256
from tests.identity.support import Provider

CLIENT_ID = "pet-booking-console"
REDIRECT_URI = "http://127.0.0.1:9/console/oidc/callback"


def _authorization(verifier: str, **overrides: str) -> dict[str, str]:
    return {
        "response_type": "code",
        "client_id": CLIENT_ID,
        "redirect_uri": REDIRECT_URI,
        "state": secrets.token_urlsafe(16),
        "nonce": secrets.token_urlsafe(16),
        "code_challenge": s256(verifier),
        "code_challenge_method": "S256",
        "scope": "openid",
        **overrides,
    }


def _sign_in(idp: Provider, username: str, parameters: dict[str, str]) -> httpx.Response:
    return httpx.post(f"{idp.issuer}/authorize", data={**parameters, "username": username})


def _code(answer: httpx.Response) -> str:
    assert answer.status_code == 303, answer.text
    code: str = httpx.URL(answer.headers["location"]).params["code"]
    return code


def _exchange(idp: Provider, code: str, verifier: str, **overrides: str) -> httpx.Response:
    form = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": REDIRECT_URI,
        "client_id": CLIENT_ID,
        "code_verifier": verifier,
        **overrides,
    }
    return httpx.post(f"{idp.issuer}/token", data=form)


def _verified(idp: Provider, token: str, audience: str) -> dict[str, Any]:
    keys = jwt.PyJWKSet.from_dict(httpx.get(f"{idp.issuer}/jwks").json())
    header = jwt.get_unverified_header(token)
    claims: dict[str, Any] = jwt.decode(
        token, keys[header["kid"]], algorithms=[header["alg"]], audience=audience, issuer=idp.issuer
    )
    return claims


@pytest.fixture
def user(idp: Provider) -> str:
    username = f"alice-{secrets.token_hex(6)}"
    idp.keys.write_users({username: {"app_metadata": {"role": "owner"}}})
    return username


def test_discovery_names_the_endpoints_at_the_issuer(idp: Provider) -> None:
    document = httpx.get(f"{idp.issuer}/.well-known/openid-configuration").json()

    assert document["issuer"] == idp.issuer
    for endpoint in (
        "jwks_uri",
        "authorization_endpoint",
        "token_endpoint",
        "end_session_endpoint",
    ):
        assert document[endpoint].startswith(f"{idp.issuer}/")
    assert document["code_challenge_methods_supported"] == ["S256"]


def test_the_key_set_publishes_each_key_with_the_algorithm_of_its_type(idp: Provider) -> None:
    published = httpx.get(f"{idp.issuer}/jwks").json()["keys"]

    kinds = {(key["kty"], key.get("crv"), key["alg"]) for key in published}
    assert kinds == {("RSA", None, "RS256"), ("EC", "P-256", "ES256"), ("OKP", "Ed25519", "EdDSA")}
    assert all(key["use"] == "sig" and key["kid"] for key in published)
    assert not any("d" in key for key in published)  # public halves only


def test_a_sign_in_gives_tokens_with_the_users_claims(idp: Provider, user: str) -> None:
    verifier = secrets.token_urlsafe(48)
    parameters = _authorization(verifier)

    # The user signs in; the browser is sent back with a code and the state.
    answer = _sign_in(idp, user, parameters)
    assert httpx.URL(answer.headers["location"]).params["state"] == parameters["state"]
    tokens = _exchange(idp, _code(answer), verifier).json()

    access = _verified(idp, tokens["access_token"], "authenticated")
    assert (access["sub"], access["app_metadata"]) == (user, {"role": "owner"})
    identity = _verified(idp, tokens["id_token"], CLIENT_ID)
    assert (identity["sub"], identity["nonce"]) == (user, parameters["nonce"])


def test_a_code_works_once(idp: Provider, user: str) -> None:
    verifier = secrets.token_urlsafe(48)
    code = _code(_sign_in(idp, user, _authorization(verifier)))

    assert _exchange(idp, code, verifier).status_code == 200
    assert _exchange(idp, code, verifier).json()["error"] == "invalid_grant"


@pytest.mark.parametrize(
    "change",
    [
        {"code_verifier": secrets.token_urlsafe(48)},
        {"client_id": "another-client"},
        {"redirect_uri": "http://127.0.0.1:9/elsewhere"},
    ],
    ids=["wrong-verifier", "other-client", "other-redirect"],
)
def test_an_exchange_unlike_its_authorization_is_refused(
    idp: Provider, user: str, change: dict[str, str]
) -> None:
    verifier = secrets.token_urlsafe(48)
    code = _code(_sign_in(idp, user, _authorization(verifier)))

    answer = _exchange(idp, code, verifier, **change)

    assert (answer.status_code, answer.json()["error"]) == (400, "invalid_grant")


def test_an_unknown_user_is_told_so_on_the_page(idp: Provider) -> None:
    answer = _sign_in(idp, "mallory", _authorization(secrets.token_urlsafe(48)))

    assert answer.status_code == 401
    assert 'role="alert"' in answer.text


def test_only_loopback_redirects_are_accepted(idp: Provider) -> None:
    parameters = _authorization(secrets.token_urlsafe(48), redirect_uri="https://evil.example/cb")

    assert httpx.get(f"{idp.issuer}/authorize", params=parameters).status_code == 400


def test_sign_out_returns_to_the_client_and_is_counted(idp: Provider) -> None:
    before = idp.stats()["logout"]
    target = "http://127.0.0.1:9/console/sign-in?signed_out=true"

    answer = httpx.get(f"{idp.issuer}/logout", params={"post_logout_redirect_uri": target})

    assert (answer.status_code, answer.headers["location"]) == (303, target)
    assert idp.stats()["logout"] == before + 1
