"""AuditTrail: the auditor's queries over PetBookings' event log."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime
from itertools import takewhile
from uuid import UUID

from eventsourcing.persistence import Notification

from application.access import Actor, Role
from application.audit.decoding import decode
from application.audit.ports import PetStreams
from application.audit.records import EventPage, EventRecord, LogRecord, PetHistory, record_of
from application.audit.verification import LogEntry
from application.bookings import PetBookings
from application.errors import PetNotFoundError
from application.events import LoggedEvent
from application.views import PetView
from domain.pet import Pet

MAX_PAGE = 1000


class AuditTrail:
    """Who did what and when, and what the system believed at that moment."""

    def __init__(self, bookings: PetBookings, streams: PetStreams) -> None:
        self._bookings = bookings
        self._streams = streams

    def history(
        self,
        actor: Actor,
        pet_id: UUID,
        *,
        as_of_version: int | None = None,
        as_of: datetime | None = None,
    ) -> PetHistory:
        """The pet's events up to a version or an instant, and its state from exactly those.

        Auditors see every pet, owners their own; another owner's pet, and a pet
        that did not exist yet at `as_of`, are not found. Without a point, the
        whole history; a version past the pet's last is its whole history too.
        """
        actor.require(Role.AUDITOR, Role.OWNER)
        if as_of_version is not None and as_of is not None:
            raise ValueError("give as_of_version or as_of, not both")
        if as_of is not None and as_of.utcoffset() is None:
            raise ValueError("as_of must be timezone-aware")
        stream = self._streams.select_stream(pet_id)
        events = self._pet_events(actor, pet_id, [decode(self._bookings.mapper, n) for n in stream])
        records = [EventRecord.of(n.id, e) for n, e in zip(stream, events, strict=True)]
        kept = list(takewhile(lambda r: _within(r, as_of_version, as_of), records))
        if not kept:
            raise PetNotFoundError(pet_id)
        pet: Pet = self._bookings.repository.get(pet_id, version=kept[-1].version)
        return PetHistory(pet_id=pet_id, events=tuple(kept), state=PetView.of(pet))

    def events(self, actor: Actor, *, after: int = 0, limit: int = 100) -> EventPage:
        """The global log after position `after`, oldest first, at most `limit` events (auditors).

        Writers commit in position order (PostgreSQL: the library's table lock;
        SQLite: one writer at a time), so a reader paging with `next_after`
        never passes over an event that is committed later.
        """
        actor.require(Role.AUDITOR)
        if not 1 <= limit <= MAX_PAGE:
            raise ValueError(f"limit must be 1..{MAX_PAGE}")
        mapper = self._bookings.mapper
        items = tuple(record_of(n.id, decode(mapper, n)) for n in self._page(after, limit))
        return EventPage(items=items, next_after=items[-1].position if items else after)

    def all_events(self, actor: Actor, *, after: int = 0) -> Iterator[LogRecord]:
        """The log after `after`, read lazily one page at a time: constant memory."""
        page = self.events(actor, after=after, limit=MAX_PAGE)
        while page.items:
            yield from page.items
            page = self.events(actor, after=page.next_after, limit=MAX_PAGE)

    def log_entries(self, actor: Actor, *, after: int = 0) -> Iterator[LogEntry]:
        """Every stored row after `after`, one page at a time; rows that do not decode too."""
        actor.require(Role.AUDITOR)
        for page in self._bookings.log_pages(after, MAX_PAGE):
            yield from (LogEntry.read(self._bookings.mapper, n) for n in page)

    def head_position(self) -> int:
        """Position of the newest event in the log (0 while it is empty)."""
        return self._bookings.head_position()

    def _page(self, after: int, limit: int) -> Sequence[Notification]:
        recorder = self._bookings.recorder
        return recorder.select_notifications(start=after, limit=limit, inclusive_of_start=False)

    @staticmethod
    def _pet_events(actor: Actor, pet_id: UUID, events: Sequence[LoggedEvent]) -> list[Pet.Event]:
        """The stream's events, if it is a pet's the actor may see (a clinic's is not found)."""
        registered = events[0] if events else None
        if not isinstance(registered, Pet.Registered):
            raise PetNotFoundError(pet_id)
        if actor.role is Role.OWNER and registered.owner_id != actor.sub:
            # Another owner's pet must look exactly like a missing one.
            raise PetNotFoundError(pet_id)
        return [event for event in events if isinstance(event, Pet.Event)]


def _within(record: EventRecord, as_of_version: int | None, as_of: datetime | None) -> bool:
    if as_of_version is not None:
        return record.version <= as_of_version
    return as_of is None or record.timestamp <= as_of
