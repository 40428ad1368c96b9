"""`booking serve` and `booking project` as real OS processes the tests can kill."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from uuid import UUID

import httpx
import pytest

from application.access import Role
from tests.e2e.api import new_sub
from tests.e2e.server import Server, free_port

START_DEADLINE_SECONDS = 20.0
STOP_TIMEOUT_SECONDS = 15.0
POLL_SECONDS = 0.05


class Service:
    """One `booking` subprocess; restartable with the same port, secret and settings."""

    def __init__(
        self, args: list[str], env: dict[str, str], log_path: Path, port: int | None = None
    ) -> None:
        self.args = args
        self.env = env
        self.log_path = log_path
        self.port = port
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def running(self) -> subprocess.Popen[bytes]:
        assert self.process is not None, "not started"
        return self.process

    def start(self) -> None:
        with self.log_path.open("ab") as log:
            # A file, not a pipe: nobody reads a pipe while tests run, and a full one blocks.
            self.process = subprocess.Popen(
                [sys.executable, "-m", "interface.cli", *self.args],
                cwd=self.log_path.parent,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )

    def signal(self, signum: signal.Signals) -> None:
        self.running.send_signal(signum)

    def wait(self, timeout: float = STOP_TIMEOUT_SECONDS) -> int:
        return self.running.wait(timeout)

    def stop(self) -> None:
        """SIGTERM, then SIGKILL if it does not go: teardown must not hang."""
        process = self.process
        if process is None or process.poll() is not None:
            return
        process.terminate()
        try:
            process.wait(STOP_TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def fail_unless_alive(self, waiting_for: str) -> None:
        code = self.running.poll()
        if code is not None:
            pytest.fail(
                f"`booking {self.args[0]}` exited ({code}) while waiting for {waiting_for}:\n"
                + self.log(),
                pytrace=False,
            )


class ApiProcess(Service):
    """`booking serve` on a fixed port: its URL survives a restart."""

    def __init__(self, env: dict[str, str], log_path: Path, secret: str) -> None:
        port = free_port()
        super().__init__(["serve", "--port", str(port)], env, log_path, port)
        self.api = Server(base_url=f"http://127.0.0.1:{port}", secret=secret)

    @property
    def base_url(self) -> str:
        return self.api.base_url

    def new_owner(self) -> dict[str, str]:
        """Authorization headers of an owner nobody else is."""
        return self.api.auth(Role.OWNER, sub=new_sub())

    def staff(self, clinic_id: UUID) -> dict[str, str]:
        return self.api.auth(Role.STAFF, sub=new_sub("staff"), clinic_id=clinic_id)

    def start(self) -> None:
        super().start()
        self.wait_until_ready()

    def wait_until_ready(self) -> None:
        deadline = time.monotonic() + START_DEADLINE_SECONDS
        while time.monotonic() < deadline:
            self.fail_unless_alive("/healthz")
            try:
                if httpx.get(f"{self.base_url}/healthz", timeout=1.0).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(POLL_SECONDS)
        pytest.fail(f"`booking serve` never answered /healthz:\n{self.log()}", pytrace=False)

    def accepts_connections(self) -> bool:
        """Whether the port still listens: uvicorn closes it first when shutting down."""
        assert self.port is not None
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1.0):
                return True
        except OSError:
            return False


def service_env(database_url: str, secret: str, **settings: str) -> dict[str, str]:
    """The environment of a `booking` process: BOOKING_<NAME> for each setting."""
    env = {
        **os.environ,
        "BOOKING_DATABASE_URL": database_url,
        "BOOKING_JWT_SECRET": secret,
        "PYTHONUNBUFFERED": "1",
    }
    env.update({f"BOOKING_{name.upper()}": value for name, value in settings.items()})
    return env


@contextmanager
def api_process(
    database_url: str, secret: str, workdir: Path, name: str = "api", **settings: str
) -> Iterator[ApiProcess]:
    """A running `booking serve`; stopped (or killed) at the end, whatever the test did."""
    env = service_env(database_url, secret, **settings)
    api = ApiProcess(env, workdir / f"{name}.log", secret)
    try:
        api.start()
        yield api
    finally:
        api.stop()


@contextmanager
def projector_process(database_url: str, secret: str, workdir: Path) -> Iterator[Service]:
    """A running `booking project`, once it has reported where it starts from."""
    env = service_env(database_url, secret)
    projector = Service(["project"], env, workdir / "projector.log")
    try:
        projector.start()
        deadline = time.monotonic() + START_DEADLINE_SECONDS
        while "projecting from position" not in projector.log():
            projector.fail_unless_alive("its start")
            if time.monotonic() > deadline:
                pytest.fail(f"`booking project` never started:\n{projector.log()}")
            time.sleep(POLL_SECONDS)
        yield projector
    finally:
        projector.stop()
