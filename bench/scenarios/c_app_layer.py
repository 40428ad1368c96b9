"""(c) Commands/s in the application layer (no HTTP) vs pgbench with and without the lock."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from uuid import UUID

from application.access import Actor, Role
from application.bookings import PetBookings
from bench import lock_hold, pgbench
from bench.app_driver import drive
from bench.config import APP_THREADS
from bench.context import RunContext
from bench.model import AppLayerResult, AppPoint, PgbenchPoint
from bench.seed import our_application, owner_of, save_pets

CLINIC = UUID("6f1c2a44-5b7e-4c2d-9a51-0d6f3e8b9c10")
WARM_UP_COMMANDS = 200


def run(ctx: RunContext) -> AppLayerResult:
    ours, pgbench_points = _ours(ctx), _pgbench(ctx)
    holds = lock_hold.measure(ctx.database.url(lock_hold.SCHEMA), ctx.secret)
    for hold in holds:
        ctx.log("c", f"lock held {hold.held_ms:.2f} ms per append of {hold.events} events")
    return AppLayerResult(ours=ours, pgbench=pgbench_points, lock=holds)


def _ours(ctx: RunContext) -> list[AppPoint]:
    profile = ctx.profile
    per_point = int(profile.app_max_rate * profile.app_seconds)
    points = []
    with our_application(ctx.database.url("c_ours"), ctx.secret) as bookings:
        ctx.log("c", f"registering {per_point * len(APP_THREADS) + WARM_UP_COMMANDS:,} pets")
        ids = save_pets(
            bookings, per_point * len(APP_THREADS) + WARM_UP_COMMANDS, with_request=False
        )
        book_fresh(bookings, ids[:WARM_UP_COMMANDS], 1, seconds=60.0)
        for index, threads in enumerate(APP_THREADS):
            start = WARM_UP_COMMANDS + index * per_point
            point = book_fresh(
                bookings, ids[start : start + per_point], threads, profile.app_seconds
            )
            ctx.log("c", f"ours, {threads} thread(s): {point.rate:,.0f} commands/s")
            points.append(point)
    return points


def book_fresh(
    bookings: PetBookings, pets: Sequence[UUID], threads: int, seconds: float
) -> AppPoint:
    """`threads` threads released together book fresh pets until `seconds` have passed."""
    supply: Iterator[UUID] = iter(pets)  # next() on a list iterator is atomic under the GIL.

    def book(_: int) -> bool:
        pet_id = next(supply, None)
        if pet_id is None:
            return False
        owner = Actor(owner_of(pet_id), Role.OWNER)
        bookings.request_booking(owner, pet_id, clinic_id=CLINIC, service="vaccination")
        return True

    return drive(threads, seconds, book)


def _pgbench(ctx: RunContext) -> list[PgbenchPoint]:
    profile = ctx.profile
    pgbench.prepare(ctx.database, profile.pgbench_streams)
    points = []
    for lock in (False, True):
        sql = pgbench.write_script(ctx.workdir, profile.pgbench_streams, lock=lock)
        for clients in APP_THREADS:
            point = pgbench.run(
                ctx.pgbench,
                ctx.database,
                sql,
                clients=clients,
                seconds=profile.pgbench_seconds,
                lock=lock,
            )
            label = "with" if lock else "without"
            ctx.log("c", f"pgbench {label} the lock, {clients} client(s): {point.tps:,.0f} tx/s")
            points.append(point)
    return points
