"""Fixtures shared by every test layer."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from application.bookings import PetBookings
from application.projection import AppointmentsView
from interface.bootstrap import open_bookings
from interface.read_side import open_view
from interface.settings import Settings
from interface.store import store_from_settings
from tests.stores import POSTGRES_REQUIRED, database_url

STORES = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param("postgres", id="postgres", marks=pytest.mark.postgres),
]


@pytest.fixture(params=STORES)
def store_kind(request: pytest.FixtureRequest) -> str:
    kind: str = request.param
    return kind


@pytest.fixture
def db_url(store_kind: str, tmp_path: Path) -> Iterator[str]:
    """A fresh database for this test: a SQLite file, or a PostgreSQL schema."""
    with database_url(store_kind, tmp_path) as url:
        yield url


@pytest.fixture
def settings(db_url: str) -> Settings:
    return Settings(database_url=db_url, jwt_secret="test-secret-" + "x" * 32, pool_size=20)


@pytest.fixture
def bookings(settings: Settings) -> Iterator[PetBookings]:
    """The application on a real store (SQLite file or PostgreSQL schema)."""
    app = open_bookings(store_from_settings(settings))
    try:
        yield app
    finally:
        app.close()


@pytest.fixture
def memory_bookings() -> Iterator[PetBookings]:
    """The application on the library's in-memory store: the fake for unit tests."""
    app = PetBookings(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
    try:
        yield app
    finally:
        app.close()


_postgres_passed: list[str] = []
_browser_passed: list[str] = []
BROWSER_REQUIRED = os.environ.get("BOOKING_REQUIRE_BROWSER") == "1"


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.when == "call" and report.passed and "postgres" in report.keywords:
        _postgres_passed.append(report.nodeid)
    if report.when == "call" and report.passed and "browser" in report.keywords:
        _browser_passed.append(report.nodeid)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    terminalreporter.write_line(f"PostgreSQL tests passed: {len(_postgres_passed)}")
    terminalreporter.write_line(f"Browser tests passed: {len(_browser_passed)}")


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    # In CI a run where no PostgreSQL (or browser) test passed is a failed run, whatever else did.
    missing = (POSTGRES_REQUIRED and not _postgres_passed) or (
        BROWSER_REQUIRED and not _browser_passed and _ran_browser_tests(session)
    )
    if exitstatus == 0 and missing:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def _ran_browser_tests(session: pytest.Session) -> bool:
    # A run of one folder (tests/unit) is not expected to include the browser's.
    return any("browser" in item.keywords for item in session.items)


@pytest.fixture
def view(settings: Settings, bookings: PetBookings) -> AppointmentsView:
    """The appointments read tables on the test's store."""
    return open_view(store_from_settings(settings), bookings)
