"""`python -m bench [--only a,c] [--quick]`: every scenario of issues 5 and 14, one table."""

from __future__ import annotations

import argparse
import secrets
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench import output, report
from bench.config import FULL, QUICK, SCENARIOS
from bench.context import RunContext
from bench.machine import busy_share, wait_until_quiet
from bench.model import RunResults
from bench.pg import DEFAULT_ADMIN_URL, bench_database
from bench.scenarios import (
    a_http,
    b_burst,
    c_app_layer,
    d_projection,
    e_audit,
    f_sqlite,
    g_growth,
)
from bench.tools import ToolMissingError, ensure_wrk, find_pgbench

RESULTS_DIR = Path(__file__).resolve().parent / "results"
RUNNERS: dict[str, Callable[[RunContext], Any]] = {
    "a": a_http.run,
    "b": b_burst.run,
    "c": c_app_layer.run,
    "d": d_projection.run,
    "e": e_audit.run,
    "f": f_sqlite.run,
    "g": g_growth.run,
}


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    profile = QUICK if args.quick else FULL
    sizes = {"growth_events": args.growth_events, "touched_pets": args.touched_pets}
    profile = replace(profile, **{name: n for name, n in sizes.items() if n is not None})
    try:
        wrk, pgbench = ensure_wrk(), find_pgbench()
    except ToolMissingError as error:
        print(f"bench: {error}", file=sys.stderr)
        return 2
    if args.wait_quiet > 0:
        wait_until_quiet(args.wait_quiet, lambda text: print(f"bench: {text}", file=sys.stderr))
    started = time.monotonic()
    with (
        tempfile.TemporaryDirectory(prefix="pet-booking-bench-") as scratch,
        bench_database(args.postgres_url, keep=args.keep_db) as database,
    ):
        results = RunResults(
            profile=profile.name,
            started_at=datetime.now(UTC).isoformat(timespec="seconds"),
            postgres_version=database.server_version(),
            database=database.name,
        )
        ctx = RunContext(
            profile=profile,
            database=database,
            workdir=Path(scratch),
            wrk=wrk,
            pgbench=pgbench,
            secret=secrets.token_urlsafe(48),
            results=results,
        )
        ctx.log("-", f"{profile.name} run of {', '.join(args.only)} in database {database.name}")
        for scenario in args.only:
            _run_one(ctx, scenario)
        results.seconds = time.monotonic() - started
        name = args.name or ("quick" if args.quick else "latest")
        logs = output.keep_logs(ctx.workdir, args.output_dir, name)
    table = report.rows(results)
    print(report.render(results, table))
    for path in [*output.write(results, table, args.output_dir, name), logs]:
        if path is not None:
            print(f"wrote {path}", file=sys.stderr)
    return 1 if results.failures else 0


def _run_one(ctx: RunContext, scenario: str) -> None:
    busy = ctx.results.background_cpu[scenario] = busy_share()
    ctx.log(scenario, f"starting (others keep {busy:.0%} of the CPUs busy)")
    try:
        setattr(ctx.results, scenario, RUNNERS[scenario](ctx))
    except Exception as error:
        traceback.print_exc()
        ctx.results.failures[scenario] = f"{type(error).__name__}: {error}"


def _scenarios(text: str) -> list[str]:
    chosen = [part.strip().lower() for part in text.split(",") if part.strip()]
    unknown = [s for s in chosen if s not in SCENARIOS]
    if unknown or not chosen:
        msg = f"choose among {','.join(SCENARIOS)} (got {text!r})"
        raise argparse.ArgumentTypeError(msg)
    return [s for s in SCENARIOS if s in chosen]  # Always in order: (d) reads (a)'s maximum.


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument(
        "--only",
        type=_scenarios,
        default=list(SCENARIOS),
        metavar="a,b,...",
        help="run only these scenarios (default: all of a,b,c,d,e,f,g)",
    )
    parser.add_argument(
        "--growth-events",
        type=int,
        metavar="N",
        help="(g): events in the long log (default 1,000,000; 20,000 with --quick)",
    )
    parser.add_argument(
        "--touched-pets",
        type=int,
        metavar="N",
        help="(g): distinct pets the server books (default 30,000, three times its cache)",
    )
    parser.add_argument("--quick", action="store_true", help="tiny durations: a smoke run")
    parser.add_argument(
        "--postgres-url",
        default=DEFAULT_ADMIN_URL,
        help="a database to connect to for CREATE/DROP DATABASE (default: %(default)s)",
    )
    parser.add_argument(
        "--wait-quiet",
        type=float,
        default=60.0,
        metavar="SECONDS",
        help="first wait up to this long until other processes leave the CPUs mostly idle",
    )
    parser.add_argument("--keep-db", action="store_true", help="do not drop bench_* at the end")
    parser.add_argument("--output-dir", type=Path, default=RESULTS_DIR)
    parser.add_argument("--name", help="file name stem (default: latest, or quick with --quick)")
    return parser


if __name__ == "__main__":
    sys.exit(main())
