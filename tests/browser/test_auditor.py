"""An auditor reads the log, a pet's history and its state at a version, and runs verify."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import httpx
from playwright.sync_api import Browser, expect

from application.access import Role
from tests.browser.conftest import Console, screenshot, signed_in
from tests.e2e.api import book_new_pet, cancel, new_sub


def test_an_auditor_reads_a_pets_history_and_its_state_at_a_version(
    browser: Browser, console: Console
) -> None:
    owner = console.server.auth(Role.OWNER, sub=new_sub("owner"))
    with httpx.Client(base_url=console.server.base_url, timeout=15) as api:
        booked = book_new_pet(api, owner, console.clinic_id, name="Coco")
        cancel(api, owner, booked["pet_id"], booked["request_id"])
    context, page = signed_in(browser, console, Role.AUDITOR, new_sub("auditor"))
    expect(page).to_have_url(re.compile(r"/console/audit$"))
    expect(page.get_by_role("heading", name="Registro de eventos")).to_be_visible()
    screenshot(page, "auditor-log")

    page.get_by_label("Id de la mascota").first.fill(booked["pet_id"])
    page.get_by_role("button", name="Mostrar").first.click()

    events = page.locator("table.events tbody tr")
    expect(events).to_have_count(3)
    expect(events.nth(0)).to_contain_text("Registered")
    expect(events.nth(1)).to_contain_text("BookingRequested")
    expect(events.nth(2)).to_contain_text("Cancelled")
    expect(page.locator("section")).to_contain_text("Cancelada")
    screenshot(page, "auditor-history")

    # The state as of version 2: the request still pending.
    page.get_by_label("Hasta la versión").fill("2")
    page.get_by_role("button", name="Mostrar").nth(1).click()
    expect(events).to_have_count(2)
    expect(page.locator("section")).to_contain_text("Pendiente")

    # As of an instant: the registration's own, in the clinic's time zone.
    registered = datetime.fromisoformat(first_event_time(console, booked["pet_id"]))
    # To the millisecond the field takes, rounded up: at or after it, before the booking.
    after_it = registered + timedelta(microseconds=1000 - registered.microsecond % 1000)
    local = after_it.astimezone(ZoneInfo("Europe/Madrid")).isoformat(timespec="milliseconds")[:23]
    page.get_by_label("Hasta el instante").fill(local)
    page.get_by_role("button", name="Mostrar").nth(2).click()
    expect(events).to_have_count(1)
    expect(page.locator("section")).to_contain_text("Sin solicitudes")
    context.close()


def first_event_time(console: Console, pet_id: str) -> str:
    auditor = console.server.auth(Role.AUDITOR, sub="auditor")
    with httpx.Client(base_url=console.server.base_url, timeout=15) as api:
        history = api.get(f"/pets/{pet_id}/history", headers=auditor).json()
    timestamp: str = history["events"][0]["timestamp"]
    return timestamp


def test_an_auditor_runs_verify_and_sees_its_progress_and_result(
    browser: Browser, console: Console
) -> None:
    context, page = signed_in(browser, console, Role.AUDITOR, new_sub("auditor"))
    page.get_by_role("link", name="Verificar la base de datos").click()

    page.get_by_role("button", name="Verificar ahora").click()

    status = page.locator("#verify-status")
    expect(status).to_have_attribute("data-outcome", "ok", timeout=30000)
    # The bar went from the start of the log to its head.
    bar = page.locator("#verify-progress")
    assert bar.evaluate("bar => bar.value === bar.max")
    expect(status).to_contain_text("Sin problemas")
    expect(page.locator("#verify-findings li")).to_have_count(0)
    screenshot(page, "auditor-verify")
    context.close()
