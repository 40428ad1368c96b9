"""Hardening: the database and the secret beside it are private, and never committed."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from uuid import uuid4

import httpx
import pytest

from application.access import Role
from tests.e2e.api import book_new_pet, new_sub, pending_ids
from tests.e2e.server import running_server
from tests.processes import free_port
from tests.stores import sqlite_file_url

REPOSITORY = Path(__file__).resolve().parents[2]
DATABASE = "booking.sqlite3"
SECRET = f"{DATABASE}.jwt-secret"
CLI_TIMEOUT_SECONDS = 30
GENERATED = [
    DATABASE,
    f"{DATABASE}-wal",
    f"{DATABASE}-shm",
    f"{DATABASE}-journal",
    SECRET,
    f"{SECRET}.0123456789abcdef.tmp",
    f"{DATABASE}.projection.lock",
    "data/events.db",
    "data/events.db-wal",
]
SOURCES = ["interface/http/app.py", "docs/security.md", "pyproject.toml"]


@pytest.fixture
def umask_022() -> Iterator[None]:
    """The usual umask, under which new files are readable by everyone unless created private."""
    previous = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(previous)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def booking(workdir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`booking ARGS` on the SQLite file in `workdir`, its secret the one generated beside it."""
    env = {name: value for name, value in os.environ.items() if name != "BOOKING_JWT_SECRET"}
    env["BOOKING_DATABASE_URL"] = sqlite_file_url(workdir)
    return subprocess.run(
        [sys.executable, "-m", "interface.cli", *args],
        cwd=workdir,
        env=env,
        capture_output=True,
        text=True,
        timeout=CLI_TIMEOUT_SECONDS,
        check=False,
    )


def test_git_ignores_the_database_and_every_file_beside_it(tmp_path: Path) -> None:
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    shutil.copy(REPOSITORY / ".gitignore", tmp_path / ".gitignore")

    result = subprocess.run(
        ["git", "check-ignore", "--no-index", *GENERATED, *SOURCES],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.stdout.splitlines() == GENERATED


def test_the_database_its_wal_and_the_projection_lock_are_owner_only(
    tmp_path: Path, umask_022: None
) -> None:
    clinic_id = uuid4()
    with running_server(sqlite_file_url(tmp_path), tmp_path) as server:
        owner = server.auth(Role.OWNER, sub=new_sub())
        staff = server.auth(Role.STAFF, sub=new_sub("staff"), clinic_id=clinic_id)
        with httpx.Client(base_url=server.base_url, timeout=15.0) as client:
            # Once the projection shows a booking, every file of a running service exists.
            booked = book_new_pet(client, owner, clinic_id)
            pending_ids(client, staff, clinic_id, booked["position"])
        modes = {path.name: mode(path) for path in tmp_path.glob(f"{DATABASE}*")}

    assert modes == {
        DATABASE: 0o600,
        f"{DATABASE}-wal": 0o600,
        f"{DATABASE}-shm": 0o600,
        f"{DATABASE}.projection.lock": 0o600,
    }


def test_the_generated_secret_is_owner_only(tmp_path: Path, umask_022: None) -> None:
    result = booking(tmp_path, "token", "--role", "owner")

    assert result.returncode == 0, result.stderr
    assert mode(tmp_path / SECRET) == 0o600


@pytest.mark.parametrize("shared_mode", [0o640, 0o606], ids=["group-readable", "others-rw"])
@pytest.mark.parametrize(
    "command",
    [["token", "--role", "owner"], ["serve", "--port", str(free_port())]],
    ids=["token", "serve"],
)
def test_a_secret_file_others_can_use_is_refused(
    tmp_path: Path, command: list[str], shared_mode: int
) -> None:
    secret = tmp_path / SECRET
    secret.write_text("s" * 64 + "\n", encoding="ascii")
    secret.chmod(shared_mode)

    result = booking(tmp_path, *command)

    assert result.returncode == 2
    assert str(secret) in result.stderr
    assert f"chmod 600 {secret}" in result.stderr
    assert result.stdout == ""
