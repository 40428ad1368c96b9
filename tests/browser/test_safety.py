"""Another page, even on this same host, cannot make a signed-in browser change anything."""

from __future__ import annotations

from urllib.parse import urlsplit

from playwright.sync_api import Browser, Route, expect

from application.access import Role
from tests.browser.conftest import Console, follow_link, screenshot, signed_in
from tests.e2e.api import new_sub


def test_a_form_posted_from_another_origin_of_this_site_is_refused(
    browser: Browser, console: Console
) -> None:
    context, page = signed_in(browser, console, Role.OWNER, new_sub("owner"))
    expect(page.get_by_role("heading", name="Mis mascotas")).to_be_visible()
    # Same host, another port: the same site, so the browser sends the Lax session
    # cookie along; only the CSRF token and the Origin check stand in the way.
    host = urlsplit(console.server.base_url).hostname
    evil = f"http://{host}:9/evil"
    attack = f"""<form method="post" action="{console.server.base_url}/console/pets">
      <input name="name" value="Pwned"><input name="species" value="x">
      <input name="csrf_token" value="guessed"><button>go</button></form>"""

    def serve_evil(route: Route) -> None:  # The test serves it: nothing is fetched.
        route.fulfill(status=200, content_type="text/html", body=attack)

    context.route(evil, serve_evil)
    attacker = context.new_page()
    attacker.goto(evil)
    with attacker.expect_response(f"{console.server.base_url}/console/pets") as posted:
        attacker.get_by_role("button", name="go").click()

    assert posted.value.status == 403
    page.reload()
    expect(page.get_by_role("heading", name="Mis mascotas")).to_be_visible()
    expect(page.get_by_text("Pwned")).to_have_count(0)
    context.close()


def test_a_used_sign_in_link_does_not_sign_in_again(browser: Browser, console: Console) -> None:
    printed = console.booking(
        "login-link",
        "--role",
        "owner",
        "--sub",
        new_sub("owner"),
        "--base-url",
        console.server.base_url,
    )
    link = printed.stdout.strip()
    first = browser.new_context()
    follow_link(first.new_page(), link)
    second = browser.new_context(locale="en-GB")
    page = second.new_page()

    page.goto(link)
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("alert")).to_contain_text("already used")
    screenshot(page, "sign-in")
    first.close()
    second.close()
