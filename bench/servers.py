"""Ours (`booking serve`) and the baseline (uvicorn) as subprocesses on free ports."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from uuid import UUID

import httpx

from application.access import Role
from bench.config import BURST_SIZE
from bench.seed import OWNER_SUB, TOKEN_TTL_SECONDS, owner_token
from interface.auth import mint_token

REPO = Path(__file__).resolve().parent.parent
READY_SECONDS = 60.0
STOP_SECONDS = 15.0


class ServerDiedError(RuntimeError):
    """The service exited while being measured, or never came up."""


class System(StrEnum):
    OURS = "ours"
    BASELINE = "baseline"


@dataclass(frozen=True)
class Server:
    base_url: str
    secret: str
    log: Path
    process: subprocess.Popen[bytes] = field(repr=False, compare=False)

    def check_alive(self) -> None:
        """Raise ServerDiedError, with the last error it logged, if the service has exited."""
        if self.process.poll() is not None:
            msg = f"exit code {self.process.returncode}: {last_error(self.log)}"
            raise ServerDiedError(msg)

    def token(
        self, role: Role = Role.OWNER, *, sub: str = OWNER_SUB, clinic: UUID | None = None
    ) -> str:
        return mint_token(
            self.secret, role=role, sub=sub, clinic_id=clinic, ttl_seconds=TOKEN_TTL_SECONDS
        )

    def owner_token(self, pet_id: UUID) -> str:
        """A token of the pet's owner (see seed.owner_of)."""
        return owner_token(self.secret, pet_id)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _command(system: System, port: int, workers: int) -> list[str]:
    if system is System.OURS:
        serve = ["-m", "interface.cli", "serve", "--port", str(port)]
        return [sys.executable, *serve, "--workers", str(workers)]
    app = ["bench.baseline.app:create_app", "--factory", "--host", "127.0.0.1"]
    options = ["--port", str(port), "--workers", str(workers), "--log-level", "warning"]
    return [sys.executable, "-m", "uvicorn", *app, *options]


@contextmanager
def running(
    system: System, database_url: str, *, workers: int, workdir: Path, secret: str
) -> Iterator[Server]:
    """Start the service, yield once /healthz answers, stop the whole process group after."""
    port = free_port()
    env = {
        **os.environ,
        "BOOKING_DATABASE_URL": database_url,
        "BOOKING_JWT_SECRET": secret,
        # Both services log warnings only: no access log on either side.
        "BOOKING_LOG_LEVEL": "warning",
        # Ours limits booking commands per owner (burst 20 by default): every pet has its own
        # owner, who sends BURST_SIZE at once in the same-pet bursts, and those must all be
        # answered by the domain (one 201, the rest 409), as the issue asks.
        "BOOKING_RATE_LIMIT_BURST": str(BURST_SIZE),
        "PYTHONUNBUFFERED": "1",
    }
    log = workdir / f"{system.value}-{workers}w-{port}.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            _command(system, port, workers),
            cwd=REPO,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            server = Server(f"http://127.0.0.1:{port}", secret, log, process)
            _wait_until_ready(server)
            yield server
        finally:
            _stop(process)


def _wait_until_ready(server: Server) -> None:
    deadline = time.monotonic() + READY_SECONDS
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{server.base_url}/healthz", timeout=1.0).status_code == 200:
                return
        except httpx.TransportError:
            pass
        try:
            server.process.wait(timeout=0.1)  # The pause between polls, and a liveness check.
        except subprocess.TimeoutExpired:
            continue
        server.check_alive()
    msg = f"no answer on /healthz within {READY_SECONDS:.0f} s: {last_error(server.log)}"
    raise ServerDiedError(msg)


def last_error(log: Path) -> str:
    """The last line of the last traceback or error the service logged (JSON or text)."""
    for line in reversed(log.read_text(errors="replace").splitlines()):
        try:
            record = json.loads(line)
        except ValueError:
            record = None
        message = str(record.get("message", "")) if isinstance(record, dict) else line
        if "Traceback" in message or "Error" in message:
            return message.strip().splitlines()[-1][:200]
    return "nothing logged"


def _stop(process: subprocess.Popen[bytes]) -> None:
    # The group holds uvicorn's supervisor and its workers: all of them were started here.
    for sig, wait in ((signal.SIGTERM, STOP_SECONDS), (signal.SIGKILL, STOP_SECONDS)):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            return
        try:
            process.wait(timeout=wait)
            return
        except subprocess.TimeoutExpired:
            continue
