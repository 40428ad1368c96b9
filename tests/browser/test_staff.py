"""Staff watch their clinic's pending list change live, and schedule from it."""

from __future__ import annotations

import re
from uuid import uuid4

import httpx
from playwright.sync_api import Browser, expect

from application.access import Role
from tests.browser.conftest import Console, screenshot, signed_in
from tests.dates import PREFERRED_DATE
from tests.e2e.api import book_new_pet, json_body, new_sub

# The list is pushed from the projection within a second; the margin is for a busy CI machine.
LIVE_MS = 5000


def test_a_new_request_appears_live_and_staff_schedule_it(
    browser: Browser, console: Console
) -> None:
    context, page = signed_in(browser, console, Role.STAFF, new_sub("vet"), console.clinic_id)
    expect(page).to_have_url(re.compile(r"/console/clinic$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(console.clinic_name)
    expect(page.locator("#live")).to_have_attribute("data-state", "open")
    page.evaluate("window.notReloaded = true")

    # An owner books through the API while the page is open.
    owner = console.server.auth(Role.OWNER, sub=new_sub("owner"))
    with httpx.Client(base_url=console.server.base_url, timeout=15) as api:
        booked = book_new_pet(api, owner, console.clinic_id, name="Nala")

    row = page.locator(f"#request-{booked['request_id']}")
    expect(row).to_be_visible(timeout=LIVE_MS)
    expect(row).to_contain_text("Nala")
    assert page.evaluate("window.notReloaded") is True
    screenshot(page, "staff-pending")

    row.get_by_label("Fecha y hora").fill(f"{PREFERRED_DATE.isoformat()}T10:30")
    row.get_by_role("button", name="Programar").click()
    expect(page.get_by_role("status")).to_have_text("Solicitud programada.")
    expect(page.locator(f"#request-{booked['request_id']}")).to_have_count(0)
    with httpx.Client(base_url=console.server.base_url, timeout=15) as api:
        scheduled = json_body(api.get(f"/pets/{booked['pet_id']}", headers=owner), 200)
    [request] = scheduled["requests"]
    assert request["scheduling_status"] == "scheduled"
    assert request["scheduled_for"].startswith(PREFERRED_DATE.isoformat())
    context.close()


def test_the_live_list_catches_up_after_the_connection_drops(
    browser: Browser, console: Console
) -> None:
    clinic_id = console.clinic_id
    context, page = signed_in(browser, console, Role.STAFF, new_sub("vet"), clinic_id)
    expect(page.locator("#live")).to_have_attribute("data-state", "open")

    # Offline: the stream breaks; a request arrives meanwhile.
    context.set_offline(True)
    expect(page.locator("#live")).to_have_attribute("data-state", "closed", timeout=LIVE_MS)
    owner = console.server.auth(Role.OWNER, sub=new_sub("owner"))
    with httpx.Client(base_url=console.server.base_url, timeout=15) as api:
        booked = book_new_pet(api, owner, clinic_id, name="Kira")
    context.set_offline(False)

    # The browser reconnects with the last position it showed and is sent what it missed.
    expect(page.locator(f"#request-{booked['request_id']}")).to_be_visible(timeout=15000)
    expect(page.locator("#live")).to_have_attribute("data-state", "open")
    context.close()


def test_staff_of_another_clinic_see_none_of_it(browser: Browser, console: Console) -> None:
    context, page = signed_in(browser, console, Role.STAFF, new_sub("vet"), uuid4())

    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.locator("tbody tr")).to_have_count(0)
    context.close()
