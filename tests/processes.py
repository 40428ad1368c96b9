"""Services as real OS processes, for the tests and the benchmark (`bench/servers.py`).

One way to start `booking serve`, `booking project` or any other server: its
output in a log file (a pipe nobody reads fills up and blocks it), ready once
it answers, stopped with SIGTERM and, if it lingers, SIGKILL.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from signal import SIGKILL, SIGTERM, Signals

import httpx

READY_SECONDS = 20.0
STOP_SECONDS = 15.0
POLL_SECONDS = 0.05
LOG_TAIL_LINES = 60


class ServiceDiedError(RuntimeError):
    """A service exited, or never got ready, while it was expected to serve."""


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def booking_command(*args: str) -> list[str]:
    """`booking ARGS...` as this interpreter runs it (the way `pgrep -f interface.cli` finds it)."""
    return [sys.executable, "-m", "interface.cli", *args]


def booking_env(database_url: str, secret: str, **settings: str) -> dict[str, str]:
    """The environment of a `booking` process: BOOKING_<NAME> for each setting."""
    env = {
        **os.environ,
        "BOOKING_DATABASE_URL": database_url,
        "BOOKING_JWT_SECRET": secret,
        "PYTHONUNBUFFERED": "1",
    }
    env.update({f"BOOKING_{name.upper()}": value for name, value in settings.items()})
    return env


def log_tail(log_path: Path) -> str:
    """The end of what the service logged, to show with its death."""
    lines = log_path.read_text(errors="replace").splitlines()[-LOG_TAIL_LINES:]
    return "\n".join(["log:", *lines])


class Service:
    """One command as a subprocess, its output appended to `log_path`; restartable.

    `own_group` starts it in a process group of its own, and stops the whole
    group: a uvicorn supervisor with its workers. `explain` turns the log into
    the message of a ServiceDiedError. It runs in `cwd`, by default the log's folder.
    """

    def __init__(
        self,
        command: list[str],
        env: dict[str, str],
        log_path: Path,
        *,
        cwd: Path | None = None,
        own_group: bool = False,
        explain: Callable[[Path], str] = log_tail,
    ) -> None:
        self.command = command
        self.env = env
        self.log_path = log_path
        self.cwd = cwd or log_path.parent
        self.own_group = own_group
        self.explain = explain
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def running(self) -> subprocess.Popen[bytes]:
        assert self.process is not None, "not started"
        return self.process

    def start(self) -> None:
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                self.command,
                cwd=self.cwd,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=self.own_group,
            )

    def signal(self, signum: Signals) -> None:
        self.running.send_signal(signum)

    def wait(self, timeout: float = STOP_SECONDS) -> int:
        return self.running.wait(timeout)

    def stop(self) -> None:
        """SIGTERM, then SIGKILL if it does not go: teardown must not hang."""
        process = self.process
        if process is None or process.poll() is not None:
            return
        for signum in (SIGTERM, SIGKILL):
            self._send(process, signum)
            try:
                process.wait(STOP_SECONDS)
                return
            except subprocess.TimeoutExpired:
                continue

    def _send(self, process: subprocess.Popen[bytes], signum: Signals) -> None:
        try:
            if self.own_group:
                # The group holds the supervisor and its workers: all of them were started here.
                os.killpg(process.pid, signum)
            else:
                process.send_signal(signum)
        except ProcessLookupError:
            pass

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def check_alive(self, waiting_for: str = "nothing") -> None:
        """Raise ServiceDiedError, explained by its log, if the process has exited."""
        code = self.running.poll()
        if code is not None:
            msg = f"`{self._name()}` exited ({code}) while waiting for {waiting_for}"
            raise ServiceDiedError(f"{msg}: {self.explain(self.log_path)}")

    def wait_for_log(self, text: str, deadline_seconds: float = READY_SECONDS) -> None:
        """Until the service has logged `text`."""
        deadline = time.monotonic() + deadline_seconds
        while text not in self.log():
            self.check_alive(repr(text))
            if time.monotonic() > deadline:
                msg = f"`{self._name()}` never logged {text!r}: {self.explain(self.log_path)}"
                raise ServiceDiedError(msg)
            time.sleep(POLL_SECONDS)  # pacing: the loop waits on the log file

    def _name(self) -> str:
        return " ".join(self.command[1:4])


class HttpService(Service):
    """A service answering HTTP on `port`; `start()` returns once /healthz answers 200."""

    def __init__(
        self,
        command: list[str],
        env: dict[str, str],
        log_path: Path,
        port: int,
        *,
        ready_seconds: float = READY_SECONDS,
        cwd: Path | None = None,
        own_group: bool = False,
        explain: Callable[[Path], str] = log_tail,
    ) -> None:
        super().__init__(command, env, log_path, cwd=cwd, own_group=own_group, explain=explain)
        self.port = port
        self.ready_seconds = ready_seconds

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        super().start()
        self.wait_until_ready()

    def wait_until_ready(self) -> None:
        deadline = time.monotonic() + self.ready_seconds
        while time.monotonic() < deadline:
            self.check_alive("/healthz")
            try:
                if httpx.get(f"{self.base_url}/healthz", timeout=1.0).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            try:
                # The pause between polls, and a wake-up as soon as it dies.
                self.running.wait(POLL_SECONDS)
            except subprocess.TimeoutExpired:
                continue
        self.check_alive("/healthz")
        msg = f"no answer on /healthz within {self.ready_seconds:.0f} s"
        raise ServiceDiedError(f"{msg}: {self.explain(self.log_path)}")

    def accepts_connections(self) -> bool:
        """Whether the port still listens: uvicorn closes it first when shutting down."""
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1.0):
                return True
        except OSError:
            return False


def serve_command(port: int, workers: int = 1) -> list[str]:
    return booking_command("serve", "--port", str(port), "--workers", str(workers))


def booking_server(
    env: dict[str, str],
    log_path: Path,
    *,
    workers: int = 1,
    ready_seconds: float = READY_SECONDS,
    cwd: Path | None = None,
    own_group: bool = False,
    explain: Callable[[Path], str] = log_tail,
) -> HttpService:
    """`booking serve` on a free port, not started yet."""
    port = free_port()
    return HttpService(
        serve_command(port, workers),
        # Where it is reached, for what it must name itself (sign-in links, the provider).
        {"BOOKING_PUBLIC_URL": f"http://127.0.0.1:{port}", **env},
        log_path,
        port,
        ready_seconds=ready_seconds,
        cwd=cwd,
        own_group=own_group,
        explain=explain,
    )
