"""NAME.json (every figure, the table and the notes) and NAME.png (the chart)."""

from __future__ import annotations

import json
import os
import platform
import shutil
import subprocess
from dataclasses import asdict
from pathlib import Path
from typing import Any

from bench import chart, report
from bench.model import RunResults
from bench.servers import REPO


def write(results: RunResults, table: list[report.Row], directory: Path, name: str) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    document = {
        "meta": _meta(),
        "table": [asdict(row) for row in table],
        "notes": report.notes(results),
        "results": asdict(results),
    }
    data = directory / f"{name}.json"
    data.write_text(json.dumps(document, indent=2, default=str) + "\n")
    written = [data]
    picture = directory / f"{name}.png"
    if chart.draw(results, picture):
        written.append(picture)
    return written


def _meta() -> dict[str, Any]:
    describe = subprocess.run(
        ["git", "describe", "--always", "--dirty"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    return {
        "command": "python -m bench",
        "source": describe.stdout.strip() or "unknown",
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
    }


def keep_logs(workdir: Path, directory: Path, name: str) -> Path | None:
    """Copy the services' non-empty logs (warnings and errors only) beside the results."""
    logs = [log for log in sorted(workdir.glob("*.log")) if log.stat().st_size]
    if not logs:
        return None
    target = directory / f"{name}-logs"
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    for log in logs:
        shutil.copy2(log, target / log.name)
    return target
