"""The `booking` command as a real process, on the database of the e2e server."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

CLI_TIMEOUT_SECONDS = 60


def booking(database_url: str, workdir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run `booking ARGS...` (as `python -m interface.cli`) and capture its output."""
    env = {**os.environ, "BOOKING_DATABASE_URL": database_url, "BOOKING_JWT_SECRET": "x" * 40}
    return subprocess.run(
        [sys.executable, "-m", "interface.cli", *args],
        cwd=workdir,
        env=env,
        capture_output=True,
        text=True,
        timeout=CLI_TIMEOUT_SECONDS,
        check=False,
    )
