"""(e) Auditors: GET /pets/{id}/history of a long-lived pet, and `booking export` events/s.

These features come with the auditor issue; without them the scenario
reports "n/a" and why, and runs as soon as they exist.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import time
from pathlib import Path
from uuid import UUID, uuid4

import httpx
from psycopg import sql

from application.access import Role
from bench.context import RunContext
from bench.model import AuditResult
from bench.scenarios.common import wait_projected
from bench.seed import OWNER_SUB, our_application, write_event_log
from bench.servers import REPO, System, running
from bench.wrk import run_wrk, script
from domain.pet import Pet

SCHEMA = "e_audit"
NEEDED_MODULES = ("application.audit.trail", "interface.http.routes.history", "interface.cli.audit")


def run(ctx: RunContext) -> AuditResult:
    missing = [name for name in NEEDED_MODULES if not _importable(name)]
    if missing:
        return AuditResult(available=False, reason=f"not built yet: {', '.join(missing)}")
    schema, logged = _event_log(ctx)
    url = ctx.database.url(schema)
    events = ctx.profile.history_events
    pet_id, head = _long_lived_pet(url, ctx.secret, events)
    with running(System.OURS, url, workers=1, workdir=ctx.workdir, secret=ctx.secret) as server:
        wait_projected(server)
        path = f"/pets/{pet_id}/history"
        token = server.token(Role.AUDITOR, sub="bench-auditor")
        check = httpx.get(server.base_url + path, headers={"Authorization": f"Bearer {token}"})
        if check.status_code != 200 or len(check.json()["events"]) != events:
            return AuditResult(available=False, reason=f"GET {path}: {check.status_code}")
        lua = script(ctx.workdir, "get")
        history = run_wrk(
            ctx.wrk,
            server.base_url,
            lua,
            [path, token],
            seconds=ctx.profile.history_seconds,
            connections=1,
        )
    ctx.log("e", f"history of {events:,} events, 1 connection: {history.summary()}")
    after = max(0, head - min(ctx.profile.export_events, logged) - events)
    exported = _count_after(ctx, schema, after)
    startup = _export(url, ctx.workdir, after=head, expect=0)
    seconds = _export(url, ctx.workdir, after=after, expect=exported)
    # Start-up (imports, connecting) is measured with an empty export and left out,
    # unless the run is too short for the difference to mean anything.
    net = seconds - startup if seconds > 2 * startup else seconds
    rate = exported / net
    ctx.log(
        "e",
        f"export: {exported:,} events in {seconds:.1f} s ({startup:.1f} s start-up):"
        f" {rate:,.0f} events/s",
    )
    return AuditResult(
        available=True,
        history_events=events,
        history=history,
        export_events=exported,
        export_seconds=seconds,
        export_startup_seconds=startup,
        export_rate=rate,
    )


def _importable(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except ModuleNotFoundError:
        return False


def _event_log(ctx: RunContext) -> tuple[str, int]:
    """(d)'s bulk log if this run wrote one, else one of our own."""
    for schema, events in ctx.event_logs.items():
        if events >= ctx.profile.export_events:
            return schema, events
    events = write_event_log(ctx.database.url(SCHEMA), ctx.secret, ctx.profile.export_events)
    ctx.event_logs[SCHEMA] = events
    return SCHEMA, events


def _long_lived_pet(url: str, secret: str, events: int) -> tuple[UUID, int]:
    """A pet whose requests were made and cancelled over and over; and the log's head."""
    pet = Pet.register(uuid4(), OWNER_SUB, "Methuselah", "tortoise")
    while len(pet.pending_events) < events:
        pending = pet.pending_request
        if pending is None:
            pet.request_booking(
                request_id=uuid4(),
                clinic_id=uuid4(),
                service="check-up",
                preferred_date=None,
                notes=None,
                requested_by=OWNER_SUB,
                idempotency_key=None,
            )
        else:
            pet.cancel(pending.request_id, reason="rescheduling", cancelled_by=OWNER_SUB)
    with our_application(url, secret) as bookings:
        bookings.save(pet)
        return pet.id, bookings.head_position()


def _count_after(ctx: RunContext, schema: str, after: int) -> int:
    table = sql.Identifier(schema, "petbookings_events")
    query = sql.SQL("SELECT count(*) FROM {} WHERE notification_id > %s").format(table)
    with ctx.database.connect() as connection:
        row = connection.execute(query, (after,)).fetchone()
    return int(row[0]) if row else 0


def _export(url: str, workdir: Path, *, after: int, expect: int) -> float:
    """Wall time of `booking export --after N` into a file; checks the line count."""
    output = workdir / "export.jsonl"
    env = {**os.environ, "BOOKING_DATABASE_URL": url}
    command = [sys.executable, "-m", "interface.cli", "export", "--after", str(after)]
    with output.open("wb") as sink:
        started = time.perf_counter()
        done = subprocess.run(
            command, cwd=REPO, env=env, stdout=sink, stderr=subprocess.DEVNULL, check=False
        )
        seconds = time.perf_counter() - started
    with output.open("rb") as lines:
        count = sum(1 for _ in lines)
    output.unlink()
    if done.returncode != 0 or count != expect:
        msg = f"booking export --after {after}: exit {done.returncode}, {count}/{expect} lines"
        raise RuntimeError(msg)
    return seconds
