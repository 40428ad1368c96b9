"""The seed's bug in a browser: two tabs of one pet submit at the same instant.

Two people at once are two browser contexts (two tabs of one context would be
clicked one after the other); both clicks are dispatched together and the
server decides: exactly one pending request, and the other page says why.
"""

from __future__ import annotations

import asyncio
import os
import re
import threading

from playwright.async_api import Browser, Page, async_playwright, expect

from application.access import Role
from tests.browser.conftest import SCREENSHOTS, Console, launch_options
from tests.e2e.api import new_sub

PENDING = {
    "es-ES": "Ya existe una solicitud pendiente para esta mascota",
    "en-GB": "A pending request already exists for this pet",
}
SENT = {"es-ES": "Solicitud enviada.", "en-GB": "Request sent."}
SUBMIT = "form[action$='/requests'] button[type=submit]"


async def _open_form(
    browser: Browser, console: Console, owner: str, pet_url: str, locale: str
) -> Page:
    """A browser context of its own, signed in, on the pet's page with the form filled in."""
    context = await browser.new_context(locale=locale)
    page = await context.new_page()
    await _follow_link(page, console.login_link(Role.OWNER, owner))
    await page.goto(pet_url)
    await page.get_by_role("combobox").select_option(str(console.clinic_id))
    await page.locator("input[name=service]").fill("vacunación")
    return page


async def _follow_link(page: Page, link: str) -> None:
    await page.goto(link)
    await page.locator("form[action='/console/login'] button").click()
    await page.wait_for_url(lambda url: "/console/login" not in url)


async def _register_pet(browser: Browser, console: Console, owner: str) -> str:
    page = await (await browser.new_context()).new_page()
    await _follow_link(page, console.login_link(Role.OWNER, owner))
    await page.locator("input[name=name]").fill("Toby")
    await page.locator("input[name=species]").fill("perro")
    await page.locator("form[action='/console/pets'] button[type=submit]").click()
    await expect(page).to_have_url(re.compile(r"/console/pets/[0-9a-f-]{36}"))
    return page.url.split("?")[0]


async def _outcome(page: Page, locale: str) -> str:
    """`sent`, or `refused` once the page says why and links to the request in the way."""
    await page.wait_for_load_state()
    pending = page.locator("tr[data-state=pending]")
    # Both pages end up showing the one pending request.
    await expect(pending).to_have_count(1)
    alert = page.get_by_role("alert")
    if await alert.count() == 0:
        await expect(page.get_by_role("status")).to_have_text(SENT[locale])
        return "sent"
    await expect(alert).to_contain_text(PENDING[locale])
    link = await alert.get_by_role("link").get_attribute("href")
    assert link == "#" + (await pending.get_attribute("id") or "")
    if os.environ.get("BOOKING_SCREENSHOTS") == "1":
        await page.screenshot(path=SCREENSHOTS / "owner-race-refused.png")
    return "refused"


async def _race(console: Console, locales: tuple[str, str]) -> list[str]:
    owner = new_sub("owner")
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(**launch_options())  # type: ignore[arg-type]
        pet_url = await _register_pet(browser, console, owner)
        tabs = [await _open_form(browser, console, owner, pet_url, locale) for locale in locales]
        # Both submits start together: the server, not the test, orders them.
        await asyncio.gather(*(tab.locator(SUBMIT).click() for tab in tabs))
        outcomes = [await _outcome(tab, locale) for tab, locale in zip(tabs, locales, strict=True)]
        await browser.close()
    return outcomes


def race(console: Console, locales: tuple[str, str]) -> list[str]:
    """The race in a thread of its own, so the async API has an event loop to itself."""
    finished: list[list[str] | BaseException] = []

    def run() -> None:
        try:
            finished.append(asyncio.run(_race(console, locales)))
        except BaseException as error:  # Handed to the test's thread, which raises it.
            finished.append(error)

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(timeout=180)
    assert finished, "the race did not finish in 180 s"
    if isinstance(finished[0], BaseException):
        raise finished[0]
    return finished[0]


def test_two_tabs_submitting_at_once_leave_exactly_one_pending_request(console: Console) -> None:
    outcomes = race(console, ("es-ES", "en-GB"))

    assert sorted(outcomes) == ["refused", "sent"]
