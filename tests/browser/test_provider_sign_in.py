"""Signing into the console through the clinic's identity provider, in Chromium.

A real OpenID provider process (tests/identity/provider.py) on 127.0.0.1: the
code flow with PKCE, the console's session, booking, then signing out of both.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from uuid import UUID, uuid4

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.e2e.server import Server
from tests.identity.support import Provider, booking_with_provider, key_folder, running_provider
from tests.processes import booking_command, booking_env
from tests.stores import database_url

CLIENT_ID = "pet-booking-console"


@dataclass(frozen=True)
class ProviderConsole:
    server: Server
    provider: Provider
    clinic_id: UUID


@pytest.fixture(scope="module")
def provider_console(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ProviderConsole]:
    workdir = tmp_path_factory.mktemp("provider-console")
    keys = key_folder(workdir / "keys")
    keys.add("RS256")
    keys.write_users(
        {
            "alice": {"app_metadata": {"role": "owner"}},
            "rex-staff": {"app_metadata": {"role": "vet"}},  # No role of ours: refused.
        }
    )
    with (
        database_url("sqlite", workdir) as url,
        running_provider(keys, workdir) as provider,
        booking_with_provider(url, workdir, provider.issuer, oidc_client_id=CLIENT_ID) as server,
    ):
        added = subprocess.run(
            booking_command("clinic", "add", "--name", "Clínica Norte", "--address", "Calle 2"),
            env=booking_env(url, server.secret),
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
        yield ProviderConsole(server, provider, UUID(added.stdout.split()[0]))


def sign_in_with_provider(
    browser: Browser, console: ProviderConsole, username: str
) -> tuple[BrowserContext, Page]:
    context = browser.new_context(locale="es-ES")
    page = context.new_page()
    page.goto(f"{console.server.base_url}/console/sign-in")
    page.get_by_role("link", name="Entrar con la cuenta de la clínica").click()
    # The provider's own page: a different origin, its own form.
    expect(page).to_have_url(re.compile(re.escape(console.provider.issuer) + "/authorize"))
    page.get_by_label("Username").fill(username)
    page.get_by_role("button", name="Sign in").click()
    return context, page


def test_an_owner_signs_in_through_the_provider_books_and_signs_out_of_both(
    browser: Browser, provider_console: ProviderConsole
) -> None:
    context, page = sign_in_with_provider(browser, provider_console, "alice")

    expect(page).to_have_url(re.compile(r"/console/pets$"))
    expect(page.locator("header")).to_contain_text("alice")
    page.get_by_label("Nombre").fill("Nube")
    page.get_by_label("Especie").fill("gato")
    page.get_by_role("button", name="Registrar").click()
    page.get_by_label("Clínica").select_option(str(provider_console.clinic_id))
    page.get_by_label("Servicio").fill("revisión")
    page.get_by_role("button", name="Enviar solicitud").click()
    expect(page.get_by_role("status")).to_have_text("Solicitud enviada.")
    logouts = provider_console.provider.stats()["logout"]

    page.get_by_role("button", name="Cerrar sesión").click()

    expect(page).to_have_url(re.compile(r"/console/sign-in\?signed_out=true$"))
    assert provider_console.provider.stats()["logout"] == logouts + 1
    page.goto(f"{provider_console.server.base_url}/console/pets")
    expect(page).to_have_url(re.compile(r"/console/sign-in$"))
    context.close()


def test_a_provider_user_with_no_role_here_is_told_so(
    browser: Browser, provider_console: ProviderConsole
) -> None:
    context, page = sign_in_with_provider(browser, provider_console, "rex-staff")

    expect(page.get_by_role("alert")).to_contain_text("no concede ningún rol")
    context.close()


def test_a_forged_callback_signs_nobody_in(
    browser: Browser, provider_console: ProviderConsole
) -> None:
    context = browser.new_context(locale="en-GB")
    page = context.new_page()

    # No flow was started in this browser: the state matches nothing.
    page.goto(f"{provider_console.server.base_url}/console/oidc/callback?code=x&state={uuid4()}")

    expect(page.get_by_role("alert")).to_contain_text("failed")
    page.goto(f"{provider_console.server.base_url}/console/pets")
    expect(page).to_have_url(re.compile(r"/console/sign-in$"))
    context.close()
