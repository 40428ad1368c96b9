"""The load generators: wrk from the system's package manager, pgbench from PostgreSQL."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path


class ToolMissingError(RuntimeError):
    pass


def ensure_wrk() -> Path:
    """wrk on PATH, installed with apt-get when missing and we are root."""
    if found := shutil.which("wrk"):
        return Path(found)
    apt = shutil.which("apt-get")
    if apt is None or os.geteuid() != 0:
        msg = "wrk is not installed; install it with your package manager (apt-get install wrk)"
        raise ToolMissingError(msg)
    print("bench: wrk is missing; installing it: apt-get install -y wrk", file=sys.stderr)
    if _apt(apt, "install", "-y", "wrk") != 0:
        print("bench: apt-get install failed; running apt-get update once", file=sys.stderr)
        _apt(apt, "update")
        if _apt(apt, "install", "-y", "wrk") != 0:
            raise ToolMissingError("apt-get install -y wrk failed (see its output above)")
    if found := shutil.which("wrk"):
        return Path(found)
    raise ToolMissingError("apt-get installed wrk but it is not on PATH")


def _apt(apt: str, *args: str) -> int:
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    return subprocess.run([apt, *args], env=env, check=False).returncode


def find_pgbench() -> Path:
    """pgbench on PATH, or in the newest /usr/lib/postgresql/*/bin."""
    if found := shutil.which("pgbench"):
        return Path(found)
    candidates = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/pgbench"),
        key=lambda path: int(path.parts[-3]) if path.parts[-3].isdigit() else 0,
    )
    if candidates:
        return candidates[-1]
    msg = "pgbench not found: it ships with PostgreSQL (Debian: postgresql-contrib / postgresql-N)"
    raise ToolMissingError(msg)
