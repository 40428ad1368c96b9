"""The console as a browser app: sign-in links, session cookies, CSRF, headers.

In process, on both stores; what a real browser does with them is in tests/browser/.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from uuid import UUID, uuid4

import httpx
import jwt
import pytest

from application.access import Role
from interface.auth import mint_token
from tests.e2e.api import get_pet, json_body, new_sub, register_pet
from tests.e2e.server import Server


@pytest.fixture(autouse=True)
def no_cookies(client: httpx.Client) -> Iterator[None]:
    """The shared client starts and ends each test signed out, like a fresh browser."""
    client.cookies.clear()
    yield
    client.cookies.clear()


def login_link(server: Server, role: Role = Role.OWNER, sub: str | None = None) -> str:
    return mint_token(server.secret, role=role, sub=sub or new_sub("owner"), purpose="login")


SAME_SITE = {"Origin": "http://service"}


def use_link(client: httpx.Client, token: str, origin: str = "http://service") -> httpx.Response:
    """What the page behind the link does: post it back, from this site."""
    return client.post("/console/login", data={"token": token}, headers={"Origin": origin})


def signed_in(client: httpx.Client, server: Server, role: Role = Role.OWNER) -> httpx.Cookies:
    """Sign in: the client now holds the session cookie (also returned)."""
    answer = use_link(client, login_link(server, role))
    assert answer.status_code == 303, answer.text
    return httpx.Cookies(client.cookies)


def csrf_token(client: httpx.Client, path: str) -> str:
    page = client.get(path)
    found = re.search(r'name="csrf_token" value="([0-9a-f]+)"', page.text)
    assert found is not None, page.text
    return found.group(1)


def test_a_sign_in_link_works_once(client: httpx.Client, server: Server) -> None:
    token = login_link(server)

    first = use_link(client, token)
    client.cookies.clear()
    second = use_link(client, token)

    assert first.status_code == 303
    assert first.headers["location"] == "/console/pets"
    assert second.status_code == 401
    assert "booking_session" not in second.cookies


def test_a_link_just_past_its_expiry_signs_nobody_in(client: httpx.Client, server: Server) -> None:
    # Expired 5 s ago: inside the leeway API tokens get for other clocks, but a used
    # link is remembered only until its expiry, so honouring the leeway would let
    # whoever holds a used link sign in with it again.
    now = int(time.time())
    claims = {"sub": new_sub("owner"), "role": "owner", "iat": now - 65, "exp": now - 5}
    token = jwt.encode(claims | {"purpose": "login", "jti": uuid4().hex}, server.secret, "HS256")

    opened = client.get(f"/console/login?token={token}")
    used = use_link(client, token)

    assert opened.status_code == 401
    assert used.status_code == 401
    assert "booking_session" not in used.cookies


def test_opening_a_link_spends_nothing_until_the_person_continues(
    client: httpx.Client, server: Server
) -> None:
    token = login_link(server)

    # A mail scanner fetching the link twice leaves it usable.
    opened = [client.get(f"/console/login?token={token}") for _ in range(2)]

    assert [page.status_code for page in opened] == [200, 200]
    assert "booking_session" not in client.cookies
    assert use_link(client, token).status_code == 303


def test_a_link_posted_from_another_site_signs_nobody_in(
    client: httpx.Client, server: Server
) -> None:
    token = login_link(server)

    forged = use_link(client, token, origin="http://evil.example")
    no_origin = client.post("/console/login", data={"token": token})

    assert forged.status_code == 403
    assert no_origin.status_code == 403
    assert "booking_session" not in client.cookies
    assert use_link(client, token).status_code == 303


def test_signing_in_again_retires_the_earlier_session(client: httpx.Client, server: Server) -> None:
    earlier = signed_in(client, server)

    signed_in(client, server)
    client.cookies = earlier
    replayed = client.get("/console/pets")

    assert replayed.status_code == 303
    assert replayed.headers["location"] == "/console/sign-in"


def test_the_session_cookie_is_httponly_lax_scoped_and_limited(
    client: httpx.Client, server: Server
) -> None:
    answer = use_link(client, login_link(server))

    cookie = answer.headers["set-cookie"].lower()
    assert "httponly" in cookie
    assert "samesite=lax" in cookie
    assert "path=/console" in cookie
    assert "max-age=28800" in cookie
    assert "secure" not in cookie  # Plain HTTP here; over HTTPS it is Secure.


def test_over_https_the_session_cookie_is_secure(client: httpx.Client, server: Server) -> None:
    answer = client.post(
        "https://service/console/login",
        data={"token": login_link(server)},
        headers={"Origin": "https://service"},
    )

    assert "secure" in answer.headers["set-cookie"].lower()


@pytest.mark.parametrize("purpose", ["login", "session"])
def test_a_console_token_is_no_bearer_token(
    client: httpx.Client, server: Server, purpose: str
) -> None:
    token = mint_token(server.secret, role=Role.AUDITOR, sub="auditor", purpose=purpose)

    answer = client.get("/events", headers={"Authorization": f"Bearer {token}"})

    assert answer.status_code == 401


def test_a_bearer_token_is_no_sign_in_link(client: httpx.Client, server: Server) -> None:
    token = server.token(Role.OWNER, sub=new_sub("owner"))

    opened = client.get(f"/console/login?token={token}")
    used = use_link(client, token)

    assert opened.status_code == 401
    assert used.status_code == 401


def test_a_form_without_the_sessions_csrf_token_is_refused(
    client: httpx.Client, server: Server
) -> None:
    signed_in(client, server)

    missing = client.post("/console/pets", data={"name": "Rex", "species": "dog"})
    wrong = client.post(
        "/console/pets",
        data={"name": "Rex", "species": "dog", "csrf_token": "0" * 64},
    )

    assert missing.status_code == 403
    assert wrong.status_code == 403
    assert "Rex" not in client.get("/console/pets").text


def test_a_form_from_another_origin_is_refused_even_with_the_token(
    client: httpx.Client, server: Server
) -> None:
    signed_in(client, server)
    token = csrf_token(client, "/console/pets")
    form = {"name": "Rex", "species": "dog", "csrf_token": token}

    forged = client.post("/console/pets", data=form, headers={"Origin": "http://evil.example"})
    honest = client.post("/console/pets", data=form, headers={"Origin": "http://service"})

    assert forged.status_code == 403
    assert honest.status_code == 303


def test_another_sessions_csrf_token_is_refused(client: httpx.Client, server: Server) -> None:
    signed_in(client, server)
    their_token = csrf_token(client, "/console/pets")
    client.cookies.clear()
    signed_in(client, server)

    answer = client.post(
        "/console/pets",
        data={"name": "Rex", "species": "dog", "csrf_token": their_token},
    )

    assert answer.status_code == 403


def test_console_pages_forbid_inline_scripts_and_framing(
    client: httpx.Client, server: Server
) -> None:
    signed_in(client, server)

    answer = client.get("/console/pets")

    policy = answer.headers["content-security-policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
    assert answer.headers["cache-control"] == "no-store"


def test_without_a_session_a_page_sends_you_to_sign_in(client: httpx.Client) -> None:
    answer = client.get("/console/pets")

    assert answer.status_code == 303
    assert answer.headers["location"] == "/console/sign-in"


def test_a_page_of_another_role_is_forbidden(client: httpx.Client, server: Server) -> None:
    signed_in(client, server, Role.OWNER)

    answer = client.get("/console/audit")

    assert answer.status_code == 403


def test_signing_out_ends_the_session_even_if_its_cookie_is_replayed(
    client: httpx.Client, server: Server
) -> None:
    cookies = signed_in(client, server)
    token = csrf_token(client, "/console/pets")

    answer = client.post("/console/sign-out", data={"csrf_token": token})
    client.cookies = cookies  # The old cookie, replayed after the browser dropped it.
    replayed = client.get("/console/pets")

    assert answer.status_code == 303
    assert 'booking_session=""' in answer.headers["set-cookie"]
    assert replayed.status_code == 303
    assert replayed.headers["location"] == "/console/sign-in"


def test_the_booking_form_refuses_an_idempotency_key_the_api_refuses(
    client: httpx.Client, server: Server, clinic_id: UUID
) -> None:
    owner = new_sub("owner")
    pet = register_pet(client, server.auth(Role.OWNER, sub=owner))
    assert use_link(client, login_link(server, Role.OWNER, owner)).status_code == 303
    pet_page = f"/console/pets/{pet['pet_id']}"
    form = {"csrf_token": csrf_token(client, pet_page), "clinic_id": str(clinic_id)}

    answers = [
        client.post(
            f"{pet_page}/requests",
            data=form | {"service": "vacunación", "idempotency_key": key},
            headers=SAME_SITE,
        )
        for key in ["a\x00b", "tab\u202e1", "tab 1"]
    ]

    assert [answer.status_code for answer in answers] == [422, 422, 422]
    assert get_pet(client, server.auth(Role.OWNER, sub=owner), pet["pet_id"])["requests"] == []


def test_the_api_still_answers_beside_the_console(client: httpx.Client, server: Server) -> None:
    owner = server.auth(Role.OWNER, sub=new_sub("owner"))

    assert json_body(client.get(f"/pets/{uuid4()}", headers=owner), 404)["code"] == "pet_not_found"


def test_the_size_limits_answer_the_console_with_a_page(client: httpx.Client) -> None:
    too_long = client.get("/console/pets", headers={"X-Padding": "x" * (20 * 1024)})
    too_large = client.post(
        "/console/pets",
        content=b"name=" + b"x" * (100 * 1024),
        headers={"Content-Type": "application/x-www-form-urlencoded", "Accept-Language": "en"},
    )

    assert too_long.status_code == 431
    assert too_long.headers["content-type"].startswith("text/html")
    assert too_large.status_code == 413
    assert "The request body is too large" in too_large.text
