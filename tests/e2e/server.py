"""`booking serve` as a real subprocess on a free port, for tests over real HTTP."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from uuid import UUID

from application.access import Role
from interface.auth import mint_token
from tests.processes import booking_env, booking_server


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


@contextmanager
def running_server(
    database_url: str, workdir: Path, extra_env: dict[str, str] | None = None
) -> Iterator[Server]:
    """Start `booking serve` on `database_url`, yield once /healthz answers, then stop it.

    Booking commands are not rate limited unless `extra_env` sets a limit: the
    suite books far faster than any owner would.
    """
    secret = secrets.token_urlsafe(48)
    env = {
        **booking_env(database_url, secret, rate_limit_per_minute="0"),
        **(extra_env or {}),
    }
    service = booking_server(env, workdir / "server.log")
    try:
        service.start()
        yield Server(base_url=service.base_url, secret=secret)
    finally:
        service.stop()
