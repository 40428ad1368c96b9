"""Ours (`booking serve`) and the baseline (uvicorn) as subprocesses on free ports.

Started, awaited and stopped by the tests' own helper (tests/processes.py).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from uuid import UUID

from application.access import Role
from bench.config import BURST_SIZE
from bench.seed import OWNER_SUB, TOKEN_TTL_SECONDS, owner_token
from interface.auth import mint_token
from tests.processes import HttpService, booking_env, free_port, serve_command

REPO = Path(__file__).resolve().parent.parent
READY_SECONDS = 60.0


class System(StrEnum):
    OURS = "ours"
    BASELINE = "baseline"


@dataclass(frozen=True)
class Server:
    base_url: str
    secret: str
    log: Path
    service: HttpService = field(repr=False, compare=False)

    def check_alive(self) -> None:
        """Raise ServiceDiedError, with the last error it logged, if the service has exited."""
        self.service.check_alive("its answers")

    def token(
        self, role: Role = Role.OWNER, *, sub: str = OWNER_SUB, clinic: UUID | None = None
    ) -> str:
        return mint_token(
            self.secret, role=role, sub=sub, clinic_id=clinic, ttl_seconds=TOKEN_TTL_SECONDS
        )

    def owner_token(self, pet_id: UUID) -> str:
        """A token of the pet's owner (see seed.owner_of)."""
        return owner_token(self.secret, pet_id)


def _command(system: System, port: int, workers: int) -> list[str]:
    if system is System.OURS:
        return serve_command(port, workers)
    app = ["bench.baseline.app:create_app", "--factory", "--host", "127.0.0.1"]
    options = ["--port", str(port), "--workers", str(workers), "--log-level", "warning"]
    return [sys.executable, "-m", "uvicorn", *app, *options]


@contextmanager
def running(
    system: System,
    database_url: str,
    *,
    workers: int,
    workdir: Path,
    secret: str,
    settings: dict[str, str] | None = None,
) -> Iterator[Server]:
    """Start the service, yield once /healthz answers, stop the whole process group after.

    `settings`: more BOOKING_<NAME> variables for ours, e.g. {"pet_cache_size": "500"}.
    """
    env = booking_env(
        database_url,
        secret,
        # Both services log warnings only: no access log on either side.
        log_level="warning",
        # Ours limits booking commands per owner (burst 20 by default): every pet has its own
        # owner, who sends BURST_SIZE at once in the same-pet bursts, and those must all be
        # answered by the domain (one 201, the rest 409), as the issue asks.
        rate_limit_burst=str(BURST_SIZE),
        **(settings or {}),
    )
    port = free_port()
    log = workdir / f"{system.value}-{workers}w-{port}.log"
    service = HttpService(
        _command(system, port, workers),
        env,
        log,
        port,
        ready_seconds=READY_SECONDS,
        cwd=REPO,
        own_group=True,
        explain=last_error,
    )
    try:
        service.start()
        yield Server(service.base_url, secret, log, service)
    finally:
        service.stop()


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
