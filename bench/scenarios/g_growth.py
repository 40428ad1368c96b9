"""(g) Flat as the log grows: commands/s over a long log and on long-lived pets, catch-up.

Every log is loaded in bulk (bench/bulk.py). Commands run in the application
layer, GROWTH_THREADS threads released together, as in (c):
- a log of `growth_events` events vs a log of nothing but the pets booked:
  fresh pets (one Registered event each), so each command reads its stream;
- warm pets of LONG_EVENTS events vs warm pets of 3: each thread owns its
  pets and alternately cancels and requests, the cache already holding them;
  then the long pets again with the cache off, which is what the cache saves.
"""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from application.access import Actor, Role
from application.bookings import PetBookings
from application.pet_cache import PetCache
from bench.app_driver import drive
from bench.bulk import LoggedPet, copy_pets, split_by
from bench.config import GROWTH_THREADS, LONG_EVENTS
from bench.context import RunContext
from bench.model import AppPoint, GrowthResult
from bench.scenarios import g_memory
from bench.scenarios.c_app_layer import CLINIC, book_fresh
from bench.scenarios.d_projection import time_catch_up
from bench.seed import our_application, owner_of

BIG, EMPTY, LONG = "g_big", "g_empty", "g_long"
SHORT_EVENTS = 3
SHORT_PETS_PER_LONG = 10


def run(ctx: RunContext) -> GrowthResult:
    profile = ctx.profile
    fresh = int(profile.app_max_rate * profile.growth_seconds) + 100
    ctx.log("g", f"loading {profile.growth_events:,} events and {fresh:,} fresh pets in bulk")
    copy_pets(ctx.database.url(BIG), ctx.secret, BIG, profile.growth_events // 2, 2)
    big = copy_pets(ctx.database.url(BIG), ctx.secret, BIG, fresh, 1)
    catch_up = time_catch_up(ctx.database.url(BIG), ctx.secret)
    ctx.log("g", f"catch-up: {catch_up.events:,} events at {catch_up.rate:,.0f} events/s")
    big_log = _fresh(ctx, BIG, big, f"{profile.growth_events:,} events in the log")
    empty = copy_pets(ctx.database.url(EMPTY), ctx.secret, EMPTY, fresh, 1)
    empty_log = _fresh(ctx, EMPTY, empty, "an empty log")
    long, short, uncached = _long_lived(ctx)
    return GrowthResult(
        log_events=profile.growth_events,
        big_log=big_log,
        empty_log=empty_log,
        long_events=LONG_EVENTS,
        long=long,
        short=short,
        long_uncached=uncached,
        cache_size=profile.cache_size,
        memory=g_memory.touch_pets(ctx),
        catch_up=catch_up,
    )


def _fresh(ctx: RunContext, schema: str, pets: Sequence[LoggedPet], label: str) -> AppPoint:
    with our_application(ctx.database.url(schema), ctx.secret) as bookings:
        ids = [pet.pet_id for pet in pets]
        point = book_fresh(bookings, ids, GROWTH_THREADS, ctx.profile.growth_seconds)
    ctx.log("g", f"fresh pets, {label}: {point.rate:,.0f} commands/s")
    return point


def _long_lived(ctx: RunContext) -> tuple[AppPoint, AppPoint, AppPoint]:
    profile, url = ctx.profile, ctx.database.url(LONG)
    ctx.log("g", f"loading {profile.long_pets} pets of {LONG_EVENTS:,} events in bulk")
    long = copy_pets(url, ctx.secret, LONG, profile.long_pets, LONG_EVENTS)
    short = copy_pets(url, ctx.secret, LONG, profile.long_pets * SHORT_PETS_PER_LONG, SHORT_EVENTS)
    seconds = profile.growth_seconds
    with our_application(url, ctx.secret) as bookings:
        points = []
        turns = {"long": Turns(bookings, long), "short": Turns(bookings, short)}
        for name, label in (("long", f"{LONG_EVENTS:,} events"), ("short", "3 events")):
            drive(1, 600.0, turns[name].warm_up)  # One command per pet: now each is cached.
            points.append(drive(GROWTH_THREADS, seconds, turns[name].step))
            ctx.log("g", f"warm pets of {label}: {points[-1].rate:,.0f} commands/s")
        bookings.pets = PetCache(0)
        points.append(drive(GROWTH_THREADS, seconds, turns["long"].step))
        ctx.log("g", f"pets of {LONG_EVENTS:,} events, no cache: {points[-1].rate:,.0f} commands/s")
    return points[0], points[1], points[2]


class Turns:
    """Each thread's own pets in turn: cancel the pending request, or request one."""

    def __init__(self, bookings: PetBookings, pets: Sequence[LoggedPet]) -> None:
        self.bookings = bookings
        self.shares = list(split_by(pets, GROWTH_THREADS))
        self.pending = {pet.pet_id: pet.pending for pet in pets}
        self.turn = [0] * GROWTH_THREADS
        self.unwarmed = iter([pet.pet_id for pet in pets])

    def step(self, thread: int) -> bool:
        share = self.shares[thread]
        self._command(share[self.turn[thread] % len(share)].pet_id)
        self.turn[thread] += 1
        return True

    def warm_up(self, _: int) -> bool:
        pet_id = next(self.unwarmed, None)
        if pet_id is not None:
            self._command(pet_id)
        return pet_id is not None

    def _command(self, pet_id: UUID) -> None:
        owner = Actor(owner_of(pet_id), Role.OWNER)
        pending = self.pending[pet_id]
        if pending is not None:
            self.bookings.cancel_booking(owner, pet_id, pending)
            self.pending[pet_id] = None
        else:
            receipt = self.bookings.request_booking(
                owner, pet_id, clinic_id=CLINIC, service="vaccination"
            )
            self.pending[pet_id] = receipt.request.request_id
