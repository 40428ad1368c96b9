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


def test_what_staff_are_typing_survives_a_new_request_arriving(
    browser: Browser, console: Console
) -> None:
    clinic_id = console.clinic_id
    owner = console.server.auth(Role.OWNER, sub=new_sub("owner"))
    with httpx.Client(base_url=console.server.base_url, timeout=15) as api:
        first = book_new_pet(api, owner, clinic_id, name="Lola")
    context, page = signed_in(browser, console, Role.STAFF, new_sub("vet"), clinic_id)
    field = page.locator(f"#request-{first['request_id']}").get_by_label("Fecha y hora")
    field.fill(f"{PREFERRED_DATE.isoformat()}T09:15")
    field.focus()

    with httpx.Client(base_url=console.server.base_url, timeout=15) as api:
        second = book_new_pet(api, owner, clinic_id, name="Simba")
    expect(page.locator(f"#request-{second['request_id']}")).to_be_visible(timeout=LIVE_MS)

    expect(field).to_have_value(f"{PREFERRED_DATE.isoformat()}T09:15")
    expect(field).to_be_focused()
    context.close()


def test_staff_cancel_a_request_from_the_list(browser: Browser, console: Console) -> None:
    owner = console.server.auth(Role.OWNER, sub=new_sub("owner"))
    with httpx.Client(base_url=console.server.base_url, timeout=15) as api:
        booked = book_new_pet(api, owner, console.clinic_id, name="Bimba")
    context, page = signed_in(browser, console, Role.STAFF, new_sub("vet"), console.clinic_id)

    row = page.locator(f"#request-{booked['request_id']}")
    row.get_by_role("button", name="Cancelar solicitud").click()

    expect(page.get_by_role("status")).to_have_text("Solicitud cancelada.")
    expect(page.locator(f"#request-{booked['request_id']}")).to_have_count(0)
    context.close()


def test_the_list_is_oldest_first_and_paged(browser: Browser, console: Console) -> None:
    clinic_id = uuid4()  # A clinic of its own: exactly these requests.
    owner = console.server.auth(Role.OWNER, sub=new_sub("owner"))
    with httpx.Client(base_url=console.server.base_url, timeout=15) as api:
        booked = [book_new_pet(api, owner, clinic_id, name=f"Pet {n:02}") for n in range(22)]
    context, page = signed_in(browser, console, Role.STAFF, new_sub("vet"), clinic_id)

    rows = page.locator("tbody tr")
    expect(rows).to_have_count(20)
    expect(rows.first).to_contain_text("Pet 00")
    expect(rows.last).to_contain_text("Pet 19")
    page.get_by_role("link", name="Siguientes").click()
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text("Pet 20")
    assert (
        page.locator("tbody tr").last.get_attribute("id") == f"request-{booked[-1]['request_id']}"
    )
    context.close()


def test_staff_of_another_clinic_neither_see_nor_touch_its_requests(
    browser: Browser, console: Console
) -> None:
    owner = console.server.auth(Role.OWNER, sub=new_sub("owner"))
    with httpx.Client(base_url=console.server.base_url, timeout=15) as api:
        booked = book_new_pet(api, owner, console.clinic_id, name="Toby")
    context, page = signed_in(browser, console, Role.STAFF, new_sub("vet"), uuid4())

    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.locator(f"#request-{booked['request_id']}")).to_have_count(0)
    # Posting their clinic's schedule form at the other clinic's request: not found.
    token = page.locator("input[name=csrf_token]").first.get_attribute("value")
    path = f"/console/clinic/requests/{booked['pet_id']}/{booked['request_id']}/schedule"
    answer = page.request.post(
        console.server.base_url + path,
        form={"csrf_token": token or "", "starts_at": f"{PREFERRED_DATE.isoformat()}T10:00"},
        headers={"Origin": console.server.base_url},
    )
    assert answer.status == 404
    context.close()
