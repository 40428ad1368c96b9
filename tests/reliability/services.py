"""`booking serve` and `booking project` as real OS processes the tests can kill."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from uuid import UUID

from application.access import Role
from tests.e2e.api import new_sub
from tests.e2e.server import Server
from tests.processes import (
    HttpService,
    Service,
    booking_command,
    booking_env,
    free_port,
    serve_command,
)


class ApiProcess(HttpService):
    """`booking serve` on a fixed port, so its URL survives a restart; and its users' tokens."""

    def __init__(self, env: dict[str, str], log_path: Path, secret: str) -> None:
        port = free_port()
        super().__init__(serve_command(port), env, log_path, port)
        self.api = Server(base_url=self.base_url, secret=secret)

    def new_owner(self) -> dict[str, str]:
        """Authorization headers of an owner nobody else is."""
        return self.api.auth(Role.OWNER, sub=new_sub())

    def staff(self, clinic_id: UUID) -> dict[str, str]:
        return self.api.auth(Role.STAFF, sub=new_sub("staff"), clinic_id=clinic_id)


@contextmanager
def api_process(
    database_url: str, secret: str, workdir: Path, name: str = "api", **settings: str
) -> Iterator[ApiProcess]:
    """A running `booking serve`; stopped (or killed) at the end, whatever the test did."""
    api = ApiProcess(booking_env(database_url, secret, **settings), workdir / f"{name}.log", secret)
    try:
        api.start()
        yield api
    finally:
        api.stop()


@contextmanager
def projector_process(database_url: str, secret: str, workdir: Path) -> Iterator[Service]:
    """A running `booking project`, once it has reported where it starts from."""
    projector = Service(
        booking_command("project"), booking_env(database_url, secret), workdir / "projector.log"
    )
    try:
        projector.start()
        projector.wait_for_log("projecting from position")
        yield projector
    finally:
        projector.stop()
