"""Real data for the fuzzer to hit: an owner's pets in every state, at one staff clinic.

Random ids only reach the 404 branch; these let generated requests reach the
handlers' real code paths (reads of pets with requests, cancels, schedules,
the conflicts, a non-empty pending list and its cursors).
"""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID, uuid4

import httpx

from application.access import Role
from tests.dates import STARTS_AT
from tests.e2e.api import cancel, json_body, new_sub, register_pet, request_booking, schedule
from tests.e2e.server import Server


@dataclass(frozen=True)
class Seed:
    """Ids the fuzzer may put into path parameters, bodies and queries."""

    owner_sub: str
    clinic_id: UUID
    pet_ids: tuple[str, ...]
    # (pet_id, request_id) of requests at `clinic_id` (pending, cancelled, scheduled) and elsewhere.
    requests: tuple[tuple[str, str], ...]
    cursors: tuple[str, ...]
    # The log's head once seeded: a `min_position` the pending list has already reached.
    head: int


@dataclass
class Seeds:
    """The seed the steering draws from now; owner journeys replace it before each journey."""

    current: Seed


def seed(server: Server, owner_sub: str | None = None) -> Seed:
    """A fresh clinic with pets in every state, of a fresh owner unless one is named."""
    owner_sub, clinic_id = owner_sub or new_sub("fuzz-owner"), uuid4()
    owner = server.auth(Role.OWNER, sub=owner_sub)
    staff = server.auth(Role.STAFF, sub=new_sub("fuzz-staff"), clinic_id=clinic_id)
    with httpx.Client(base_url=server.base_url, timeout=15.0) as client:
        # A pet with no request yet: the first booking request for it succeeds.
        free = register_pet(client, owner, name="Free")["pet_id"]
        # Two pending (so the list has a second page), one cancelled, one scheduled.
        requests = [_booked(client, owner, clinic_id, name) for name in "ABCD"]
        json_body(cancel(client, owner, *requests[2]), 200)
        json_body(schedule(client, staff, *requests[3], STARTS_AT), 200)
        # Another clinic's request: its staff-only actions answer 403 to our staff.
        elsewhere = _booked(client, owner, uuid4(), "Elsewhere")
        head = json_body(client.get("/readyz"), 200)["projection"]["head"]
        page = _first_page(client, staff, clinic_id, head)
    return Seed(
        owner_sub=owner_sub,
        clinic_id=clinic_id,
        pet_ids=(free, *(pet for pet, _ in requests), elsewhere[0]),
        requests=(*requests, elsewhere),
        cursors=(page,),
        head=head,
    )


def _booked(
    client: httpx.Client, owner: dict[str, str], clinic_id: UUID, name: str
) -> tuple[str, str]:
    pet_id: str = register_pet(client, owner, name=name)["pet_id"]
    booked = json_body(request_booking(client, owner, pet_id, clinic_id), 201)
    request_id: str = booked["request_id"]
    return pet_id, request_id


def _first_page(client: httpx.Client, staff: dict[str, str], clinic_id: UUID, head: int) -> str:
    """The `next` cursor of a one-item page, once the projection has reached `head`."""
    params: dict[str, str | int] = {"limit": 1, "min_position": head}
    response = client.get(f"/clinics/{clinic_id}/pending-requests", headers=staff, params=params)
    cursor = json_body(response, 200)["next"]
    assert isinstance(cursor, str), "two pending requests make a second page"
    return cursor
