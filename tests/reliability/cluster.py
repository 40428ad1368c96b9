"""A throwaway PostgreSQL instance of the test's own, which it may stop and start at will.

The shared cluster serves other people's tests and benchmarks: it is never
restarted. initdb refuses to run as root, so as root the instance belongs to
the `postgres` user and lives in a temporary directory that user can reach.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from glob import glob
from pathlib import Path

import psycopg
import pytest

from tests.processes import free_port
from tests.stores import POSTGRES_REQUIRED

START_TIMEOUT_SECONDS = 30
OS_USER = "postgres"


def postgres_bindir() -> Path | None:
    """Where initdb and pg_ctl are: BOOKING_TEST_PG_BIN, the PATH, or Debian's layout."""
    configured = os.environ.get("BOOKING_TEST_PG_BIN")
    candidates = [configured] if configured else []
    on_path = shutil.which("pg_ctl")
    if on_path:
        candidates.append(str(Path(on_path).parent))
    candidates += sorted(glob("/usr/lib/postgresql/*/bin"), reverse=True)
    for candidate in candidates:
        if (Path(candidate) / "initdb").exists() and (Path(candidate) / "pg_ctl").exists():
            return Path(candidate)
    return None


@dataclass
class PrivateCluster:
    """One `postgres` server in a temporary directory, on a free port."""

    bindir: Path
    root: Path
    port: int

    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def initdb(self) -> None:
        self._run("initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres", "-E", "UTF8")

    def start(self) -> None:
        options = f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.root}"
        self._pg_ctl("start", "-o", options, "-l", str(self.root / "postgres.log"))

    def stop(self, mode: str = "fast") -> None:
        self._pg_ctl("stop", "-m", mode)

    def is_running(self) -> bool:
        return (self.data / "postmaster.pid").exists()

    def connect(self) -> psycopg.Connection[tuple[object, ...]]:
        return psycopg.connect(self.url, autocommit=True, connect_timeout=3)

    def _pg_ctl(self, action: str, *args: str) -> None:
        timeout = str(START_TIMEOUT_SECONDS)
        self._run("pg_ctl", action, "-D", str(self.data), "-w", "-t", timeout, *args)

    def _run(self, program: str, *args: str) -> None:
        command = [str(self.bindir / program), *args]
        if os.geteuid() == 0:
            command = ["runuser", "-u", OS_USER, "--", *command]
        subprocess.run(command, check=True, capture_output=True, timeout=60)


@contextmanager
def private_cluster() -> Iterator[PrivateCluster]:
    """A fresh, running instance; stopped and deleted afterwards, whatever happened."""
    bindir = postgres_bindir()
    if bindir is None:
        message = "no PostgreSQL server binaries (initdb, pg_ctl); set BOOKING_TEST_PG_BIN"
        if POSTGRES_REQUIRED:
            pytest.fail(message + " (BOOKING_REQUIRE_POSTGRES=1)")
        pytest.skip(message)
    # Not under pytest's tmp_path: that is private to the user running pytest.
    root = Path(tempfile.mkdtemp(prefix="booking-pg-"))
    if os.geteuid() == 0:
        shutil.chown(root, user=OS_USER, group=OS_USER)
    cluster = PrivateCluster(bindir=bindir, root=root, port=free_port())
    try:
        cluster.initdb()
        cluster.start()
        yield cluster
    finally:
        try:
            if cluster.is_running():
                cluster.stop("immediate")
        finally:
            shutil.rmtree(root, ignore_errors=True)
