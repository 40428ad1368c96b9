"""A page on another site cannot make a signed-in owner's browser change anything."""

from __future__ import annotations

from playwright.sync_api import Browser, Route, expect

from application.access import Role
from tests.browser.conftest import Console, screenshot, signed_in
from tests.e2e.api import new_sub

EVIL = "http://localhost:9/evil"  # Served by the test itself (page.route): never fetched.


def test_a_cross_site_form_post_is_refused(browser: Browser, console: Console) -> None:
    context, page = signed_in(browser, console, Role.OWNER, new_sub("owner"))
    expect(page.get_by_role("heading", name="Mis mascotas")).to_be_visible()
    # The attacker's page posts a pet into the console, the way a hostile site would.
    attack = f"""<form method="post" action="{console.server.base_url}/console/pets">
      <input name="name" value="Pwned"><input name="species" value="x">
      <input name="csrf_token" value="guessed"><button>go</button></form>"""

    def serve_evil(route: Route) -> None:
        route.fulfill(status=200, content_type="text/html", body=attack)

    context.route(EVIL, serve_evil)
    evil = context.new_page()
    evil.goto(EVIL)
    evil.get_by_role("button", name="go").click()
    evil.wait_for_load_state()

    page.reload()
    expect(page.get_by_role("heading", name="Mis mascotas")).to_be_visible()
    expect(page.get_by_text("Pwned")).to_have_count(0)
    context.close()


def test_a_used_sign_in_link_does_not_sign_in_again(browser: Browser, console: Console) -> None:
    link = console.login_link(Role.OWNER, new_sub("owner"))
    first = browser.new_context()
    first.new_page().goto(link)
    second = browser.new_context(locale="en-GB")
    page = second.new_page()

    page.goto(link)

    expect(page.get_by_role("alert")).to_contain_text("already used")
    screenshot(page, "sign-in")
    first.close()
    second.close()
