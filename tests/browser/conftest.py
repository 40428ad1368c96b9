"""The console in Debian's Chromium, driven by Playwright, against a real `booking serve`.

Chromium comes from the system (`apt-get install -y chromium`); Playwright
never downloads a browser. It is told to resolve no name but this machine's,
so it sends nothing anywhere else. Without Chromium these tests skip, saying
why, except in CI (BOOKING_REQUIRE_BROWSER=1), where that is a failure.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from uuid import UUID

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

from application.access import Role
from interface.auth import mint_token
from tests.conftest import STORES
from tests.e2e.server import Server, running_server
from tests.processes import booking_command, booking_env
from tests.stores import database_url

CHROMIUM = Path(os.environ.get("BOOKING_CHROMIUM", "/usr/lib/chromium/chromium"))
BROWSER_REQUIRED = os.environ.get("BOOKING_REQUIRE_BROWSER") == "1"
# Only this machine: Chromium otherwise reaches out (autofill, updates, ...).
LAUNCH_ARGS = ["--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost"]
SCREENSHOTS = Path(__file__).parents[2] / "docs" / "screenshots"


def launch_options() -> dict[str, object]:
    return {"executable_path": str(CHROMIUM), "args": LAUNCH_ARGS, "headless": True}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.path)).parents:
            item.add_marker(pytest.mark.browser)


# Package-scoped: the sync API keeps an event loop running in this thread while it is
# open, so it must close before the rest of the suite (asyncio.run) runs.
@pytest.fixture(scope="package")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        reason = f"Chromium not found at {CHROMIUM} (apt-get install -y chromium)"
        if BROWSER_REQUIRED:
            pytest.fail(reason + "; browser tests are mandatory here (BOOKING_REQUIRE_BROWSER=1)")
        pytest.skip(reason)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(**launch_options())  # type: ignore[arg-type]
        yield chromium
        chromium.close()


@dataclass(frozen=True)
class Console:
    """A running service with clinics in its directory, and a way to sign people in."""

    server: Server
    database_url: str
    clinic_id: UUID
    clinic_name: str

    def login_link(self, role: Role, sub: str, clinic_id: UUID | None = None) -> str:
        token = mint_token(
            self.server.secret, role=role, sub=sub, clinic_id=clinic_id, purpose="login"
        )
        return f"{self.server.base_url}/console/login?token={token}"

    def booking(self, *args: str) -> subprocess.CompletedProcess[str]:
        """Run `booking ARGS` on this service's database, as an operator would."""
        return subprocess.run(
            booking_command(*args),
            env=booking_env(self.database_url, self.server.secret),
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )


@pytest.fixture(scope="package", params=STORES)
def console(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Console]:
    kind: str = request.param
    with (
        database_url(kind, tmp_path_factory.mktemp(f"browser-db-{kind}")) as url,
        running_server(url, tmp_path_factory.mktemp("browser-server")) as server,
    ):
        name = "Clínica Veterinaria Los Olivos"
        added = subprocess.run(
            booking_command("clinic", "add", "--name", name, "--address", "Calle Mayor 1, Madrid"),
            env=booking_env(url, server.secret),
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
        yield Console(server, url, UUID(added.stdout.split()[0]), name)


def signed_in(
    browser: Browser,
    console: Console,
    role: Role,
    sub: str,
    clinic_id: UUID | None = None,
    locale: str = "es-ES",
) -> tuple[BrowserContext, Page]:
    """A new browser context (a person) signed in through a one-time link."""
    context = browser.new_context(locale=locale, viewport={"width": 1100, "height": 800})
    page = context.new_page()
    follow_link(page, console.login_link(role, sub, clinic_id))
    return context, page


def follow_link(page: Page, link: str) -> None:
    """Open a sign-in link and continue, as a person would."""
    page.goto(link)
    page.locator("form[action='/console/login'] button").click()
    page.wait_for_url(lambda url: "/console/login" not in url)


def screenshot(page: Page, name: str) -> None:
    """Keep a picture of the page for the README (only when asked: BOOKING_SCREENSHOTS=1)."""
    if os.environ.get("BOOKING_SCREENSHOTS") == "1":
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=SCREENSHOTS / f"{name}.png")
