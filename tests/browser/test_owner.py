"""An owner signs in with a link, registers a pet, books, cancels: all in Chromium."""

from __future__ import annotations

import re

from playwright.sync_api import Browser, Dialog, expect

from application.access import Role
from tests.browser.conftest import Console, follow_link, screenshot, signed_in
from tests.dates import PREFERRED_DATE
from tests.e2e.api import new_sub


def test_an_owner_registers_a_pet_books_and_cancels(browser: Browser, console: Console) -> None:
    context, page = signed_in(browser, console, Role.OWNER, new_sub("owner"))

    # The link lands on the owner's pets, in Spanish by default.
    expect(page).to_have_url(re.compile(r"/console/pets$"))
    expect(page.get_by_role("heading", name="Mis mascotas")).to_be_visible()
    screenshot(page, "owner-pets-empty")
    page.get_by_label("Nombre").fill("Luna")
    page.get_by_label("Especie").fill("gato")
    page.get_by_role("button", name="Registrar").click()

    # The pet's page: ask the clinic, by its name, for an appointment.
    expect(page.get_by_role("heading", name=re.compile("Luna"))).to_be_visible()
    page.get_by_label("Clínica").select_option(str(console.clinic_id))
    expect(page.get_by_label("Clínica")).to_contain_text(console.clinic_name)
    page.get_by_label("Servicio").fill("vacunación")
    page.get_by_label("Fecha preferida").fill(PREFERRED_DATE.isoformat())
    page.get_by_label("Notas").fill("Le dan miedo los perros")
    page.get_by_role("button", name="Enviar solicitud").click()

    expect(page.get_by_role("status")).to_have_text("Solicitud enviada.")
    row = page.locator("tr[data-state=pending]")
    expect(row).to_have_count(1)
    expect(row).to_contain_text(console.clinic_name)
    expect(row).to_contain_text("vacunación")
    screenshot(page, "owner-pet")

    page.get_by_role("button", name="Cancelar solicitud").click()
    expect(page.get_by_role("status")).to_have_text("Solicitud cancelada.")
    expect(page.locator("tr[data-state=cancelled]")).to_have_count(1)
    expect(page.locator("tr[data-state=pending]")).to_have_count(0)
    context.close()


def test_a_pet_named_like_markup_shows_as_text(browser: Browser, console: Console) -> None:
    context, page = signed_in(browser, console, Role.OWNER, new_sub("owner"))
    alerts: list[str] = []

    def on_dialog(dialog: Dialog) -> None:
        alerts.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)

    name = "<script>alert(1)</script><b>Rex</b>"
    page.get_by_label("Nombre").fill(name)
    page.get_by_label("Especie").fill("<img src=x onerror=alert(2)>")
    page.get_by_role("button", name="Registrar").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text(name)
    expect(page.locator("main b")).to_have_count(0)
    expect(page.locator("main img")).to_have_count(0)
    page.goto(f"{console.server.base_url}/console/pets")
    expect(page.locator("ul.pets a")).to_contain_text(name)
    assert alerts == []
    context.close()


def test_the_console_speaks_english_to_a_browser_that_prefers_it(
    browser: Browser, console: Console
) -> None:
    context, page = signed_in(browser, console, Role.OWNER, new_sub("owner"), locale="en-GB")

    expect(page.get_by_role("heading", name="My pets")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    context.close()


def test_an_owners_pages_fit_a_phone(browser: Browser, console: Console) -> None:
    context = browser.new_context(locale="es-ES", viewport={"width": 390, "height": 844})
    page = context.new_page()
    follow_link(page, console.login_link(Role.OWNER, new_sub("owner")))
    page.get_by_label("Nombre").fill("Kira")
    page.get_by_label("Especie").fill("perro")
    page.get_by_role("button", name="Registrar").click()
    page.get_by_label("Servicio").fill("revisión anual")
    page.get_by_role("button", name="Enviar solicitud").click()

    expect(page.get_by_role("status")).to_have_text("Solicitud enviada.")
    # Nothing wider than the screen: no sideways scrolling on a phone.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    screenshot(page, "owner-phone")
    context.close()


def test_a_refused_form_keeps_what_the_owner_typed(browser: Browser, console: Console) -> None:
    context, page = signed_in(browser, console, Role.OWNER, new_sub("owner"))
    # A right-to-left override could disguise text for staff: the domain refuses it.
    disguised = "Luna\u202e"
    page.get_by_label("Nombre").fill(disguised)
    page.get_by_label("Especie").fill("gato")
    page.get_by_role("button", name="Registrar").click()

    expect(page.get_by_role("alert")).to_contain_text("Nombre")
    expect(page.get_by_label("Nombre")).to_have_value(disguised)
    expect(page.get_by_label("Especie")).to_have_value("gato")
    page.get_by_label("Nombre").fill("Luna")
    page.get_by_role("button", name="Registrar").click()

    page.get_by_label("Clínica").select_option(str(console.clinic_id))
    page.get_by_label("Servicio").fill("vacunación")
    page.get_by_label("Fecha preferida").fill(PREFERRED_DATE.isoformat())
    page.get_by_label("Notas").fill(f"\nLe dan miedo {disguised}\nlos perros")
    page.get_by_role("button", name="Enviar solicitud").click()

    # Said in the page's language, naming the character and where it is.
    expect(page.get_by_role("alert")).to_contain_text(
        "Notas: control bidireccional U+202E en la posición 18"
    )
    # Chosen, not merely the first: the option the owner picked comes back selected.
    chosen = page.locator(f'select[name=clinic_id] option[value="{console.clinic_id}"]')
    expect(chosen).to_have_attribute("selected", "")
    expect(page.get_by_label("Servicio")).to_have_value("vacunación")
    expect(page.get_by_label("Fecha preferida")).to_have_value(PREFERRED_DATE.isoformat())
    expect(page.get_by_label("Notas")).to_have_value(f"\nLe dan miedo {disguised}\nlos perros")
    expect(page.locator("tr[data-state=pending]")).to_have_count(0)
    context.close()
