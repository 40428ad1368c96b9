"""An auditor reads the log, a pet's history and its state at a version, and runs verify."""

from __future__ import annotations

import re

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
    context.close()


def test_an_auditor_runs_verify_and_sees_its_progress_and_result(
    browser: Browser, console: Console
) -> None:
    context, page = signed_in(browser, console, Role.AUDITOR, new_sub("auditor"))
    page.get_by_role("link", name="Verificar la base de datos").click()

    page.get_by_role("button", name="Verificar ahora").click()

    status = page.locator("#verify-status")
    expect(status).to_have_attribute("data-outcome", "ok", timeout=30000)
    expect(status).to_contain_text("Sin problemas")
    expect(page.locator("#verify-findings li")).to_have_count(0)
    screenshot(page, "auditor-verify")
    context.close()
