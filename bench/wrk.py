"""Running wrk with our Lua scripts and reading the JSON line they print at the end."""

from __future__ import annotations

import json
import subprocess
from dataclasses import dataclass
from pathlib import Path

from bench.config import CONNECTIONS

LUA = Path(__file__).resolve().parent / "lua"
MARKER = "BENCH_JSON "


@dataclass(frozen=True)
class WrkResult:
    requests: int
    seconds: float
    rps: float
    p50_ms: float
    p90_ms: float
    p99_ms: float
    max_ms: float
    mean_ms: float
    ok: int  # 2xx
    conflicts: int  # 409
    rate_limited: int  # 429
    client_errors: int  # other 4xx
    server_errors: int  # 5xx
    socket_errors: int  # connect, read, write errors and timeouts
    exhausted: int  # requests sent after the pre-registered pets ran out

    @property
    def healthy(self) -> bool:
        """Every request a fresh 2xx: what the throughput figures assume."""
        return self.ok == self.requests and self.socket_errors == 0 and self.exhausted == 0

    def summary(self) -> str:
        text = f"{self.rps:,.0f} req/s, p50 {self.p50_ms:.1f} ms, p99 {self.p99_ms:.1f} ms"
        if not self.healthy:
            text += (
                f" [2xx {self.ok}/{self.requests}, 409 {self.conflicts}, 429"
                f" {self.rate_limited}, other 4xx"
                f" {self.client_errors}, 5xx {self.server_errors}, socket {self.socket_errors},"
                f" exhausted {self.exhausted}]"
            )
        return text


def script(workdir: Path, name: str, *, delay_ms: float | None = None) -> Path:
    """stats.lua + NAME.lua (+ a fixed delay before each request) as one file."""
    text = (LUA / "stats.lua").read_text() + (LUA / f"{name}.lua").read_text()
    if delay_ms is not None:
        text += f"\nfunction delay() return {max(delay_ms, 0.0):.0f} end\n"
    path = workdir / f"{name}{'' if delay_ms is None else '-paced'}.lua"
    path.write_text(text)
    return path


def run_wrk(
    wrk: Path,
    url: str,
    lua: Path,
    args: list[str],
    *,
    seconds: float,
    connections: int = CONNECTIONS,
    threads: int = 1,
) -> WrkResult:
    command = [
        str(wrk),
        f"-t{threads}",
        f"-c{connections}",
        f"-d{max(1, round(seconds))}s",
        "--timeout",
        "10s",
        "-s",
        str(lua),
        url,
        "--",
        *args,
    ]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    line = next((ln for ln in done.stdout.splitlines() if ln.startswith(MARKER)), None)
    if done.returncode != 0 or line is None:
        msg = f"wrk failed ({done.returncode}): {done.stdout[-2000:]}{done.stderr[-2000:]}"
        raise RuntimeError(msg)
    raw = json.loads(line.removeprefix(MARKER))
    seconds_run = raw["duration_us"] / 1e6
    return WrkResult(
        requests=raw["requests"],
        seconds=seconds_run,
        rps=raw["requests"] / seconds_run if seconds_run else 0.0,
        p50_ms=raw["p50_us"] / 1000,
        p90_ms=raw["p90_us"] / 1000,
        p99_ms=raw["p99_us"] / 1000,
        max_ms=raw["max_us"] / 1000,
        mean_ms=raw["mean_us"] / 1000,
        ok=raw["s2xx"],
        conflicts=raw["s409"],
        rate_limited=raw["s429"],
        client_errors=raw["s4xx"],
        server_errors=raw["s5xx"],
        socket_errors=sum(
            raw[k] for k in ("connect_errors", "read_errors", "write_errors", "timeouts")
        ),
        exhausted=raw["exhausted"],
    )


def book_args(pets_file: Path, threads: int = 1) -> list[str]:
    return [str(pets_file), str(threads)]
