"""Reliability scenarios: real `booking` processes, real faults, on PostgreSQL.

Commands and projections run in separate processes on the shared cluster (a
fresh schema per test), except where the database itself must go down: that
happens to a private PostgreSQL instance started for these tests alone.
Measured figures are printed at the end of the run.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterator

import pytest

from tests.reliability.cluster import PrivateCluster, private_cluster
from tests.stores import postgres_schema_url

Figures = Callable[[str, str], None]

_figures: list[tuple[str, str, str]] = []


@pytest.fixture(scope="module")
def private_postgres() -> Iterator[PrivateCluster]:
    """A PostgreSQL instance of our own, which tests may stop and start."""
    with private_cluster() as cluster:
        yield cluster


@pytest.fixture
def shared_db_url() -> Iterator[str]:
    """A fresh schema on the shared cluster (never restarted by these tests)."""
    with postgres_schema_url() as url:
        yield url


@pytest.fixture
def secret() -> str:
    return secrets.token_urlsafe(48)


@pytest.fixture
def figures(request: pytest.FixtureRequest, record_property: Figures) -> Figures:
    """Record a measured figure: in the JUnit XML, and in the run's closing summary."""

    def record(name: str, value: str) -> None:
        record_property(name, value)
        _figures.append((request.node.name, name, value))

    return record


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if not _figures:
        return
    terminalreporter.section("reliability figures")
    for test, name, value in _figures:
        terminalreporter.write_line(f"{test}: {name}: {value}")
