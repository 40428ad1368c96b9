"""`booking serve` as a real subprocess on a free port, for tests over real HTTP."""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from uuid import UUID

import httpx
import pytest

from application.access import Role
from interface.auth import mint_token

READY_DEADLINE_SECONDS = 20.0
POLL_INTERVAL_SECONDS = 0.1
STOP_TIMEOUT_SECONDS = 10.0


@dataclass(frozen=True)
class Server:
    """A running service: where it answers and the secret its tokens are signed with."""

    base_url: str
    secret: str

    def token(
        self,
        role: Role = Role.OWNER,
        *,
        sub: str = "user",
        clinic_id: UUID | None = None,
        ttl_seconds: int = 3600,
    ) -> str:
        return mint_token(
            self.secret, role=role, sub=sub, clinic_id=clinic_id, ttl_seconds=ttl_seconds
        )

    def auth(
        self, role: Role = Role.OWNER, *, sub: str = "user", clinic_id: UUID | None = None
    ) -> dict[str, str]:
        """Authorization headers for a user with this role."""
        return {"Authorization": f"Bearer {self.token(role, sub=sub, clinic_id=clinic_id)}"}


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def running_server(
    database_url: str, workdir: Path, extra_env: dict[str, str] | None = None
) -> Iterator[Server]:
    """Start `booking serve` on `database_url`, yield once /healthz answers, then stop it.

    Booking commands are not rate limited unless `extra_env` sets a limit: the
    suite books far faster than any owner would.
    """
    port, secret = free_port(), secrets.token_urlsafe(48)
    env = {
        **os.environ,
        "BOOKING_DATABASE_URL": database_url,
        "BOOKING_JWT_SECRET": secret,
        "PYTHONUNBUFFERED": "1",
        "BOOKING_RATE_LIMIT_PER_MINUTE": "0",
        **(extra_env or {}),
    }
    log_path = workdir / "server.log"
    # A file, not a pipe: nobody reads a pipe while tests run, and a full one blocks the server.
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "interface.cli", "serve", "--port", str(port)],
            cwd=workdir,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            server = Server(base_url=f"http://127.0.0.1:{port}", secret=secret)
            _wait_until_ready(process, server.base_url, log_path)
            yield server
        finally:
            _stop(process)


def _wait_until_ready(process: subprocess.Popen[bytes], base_url: str, log_path: Path) -> None:
    deadline = time.monotonic() + READY_DEADLINE_SECONDS
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base_url}/healthz", timeout=1.0).status_code == 200:
                return
        except httpx.TransportError:
            pass
        try:
            # Doubles as the pause between polls and as the check that it did not die.
            process.wait(timeout=POLL_INTERVAL_SECONDS)
        except subprocess.TimeoutExpired:
            continue
        break
    output = log_path.read_text(errors="replace")
    pytest.fail(
        f"the server never answered /healthz (exit code {process.poll()}):\n{output}",
        pytrace=False,
    )


def _stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=STOP_TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
