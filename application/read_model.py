"""The read model (appointments, pets, clinics): its rows, and what a batch of events changes."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any, TypeVar
from uuid import UUID

from application.events import LoggedEvent, subject_of
from domain.booking_request import RequestStatus, SchedulingStatus
from domain.clinic import Clinic
from domain.pet import Pet

PENDING = SchedulingStatus.PENDING_SCHEDULING.value
SCHEDULED = SchedulingStatus.SCHEDULED.value
ACTIVE = RequestStatus.ACTIVE.value
CANCELLED = RequestStatus.CANCELLED.value

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

REPLACEMENT_CHARACTER = "\ufffd"
# NUL and lone surrogates: PostgreSQL text refuses both (a surrogate has no UTF-8
# form, so SQLite's driver refuses it too), and SQLite's text functions stop at a NUL.
UNSTORABLE_TEXT = re.compile("[\x00\ud800-\udfff]")
# psycopg reads back no time past 9999-12-31 or before 0001-01-01 in the session's
# zone (9999-12-31T23:00-05:00 is year 10000 in UTC): a day inside, for any zone.
EARLIEST_STORED = datetime(1, 1, 2, tzinfo=UTC)
LATEST_STORED = datetime(9999, 12, 30, tzinfo=UTC)
Row = TypeVar("Row", bound="DataclassInstance")


@dataclass(frozen=True)
class PetRow:
    pet_id: UUID
    owner_id: str
    name: str
    species: str
    version: int


@dataclass(frozen=True)
class ClinicRow:
    """One clinic of the directory, as `GET /clinics` lists it."""

    clinic_id: UUID
    name: str
    address: str
    version: int


@dataclass(frozen=True)
class ClinicRename:
    """A clinic the batch did not add, renamed: its newest name and version."""

    clinic_id: UUID
    name: str
    version: int


@dataclass(frozen=True)
class NewAppointment:
    """A row a batch inserts; the view copies `owner_id` from the pet's row."""

    request_id: UUID
    pet_id: UUID
    clinic_id: UUID
    service: str
    preferred_date: date | None
    notes: str | None
    scheduling_status: str
    status: str
    requested_at: datetime
    scheduled_for: datetime | None
    cancelled_at: datetime | None
    updated_at: datetime
    pet_version: int
    # Position of the BookingRequested event: the pending list's order and cursor.
    requested_position: int


@dataclass(frozen=True)
class AppointmentRow(NewAppointment):
    """One booking request, shaped like the original system's `appointments` row."""

    owner_id: str


@dataclass(frozen=True)
class PendingItem:
    """One line of a clinic's pending list."""

    request_id: UUID
    pet_id: UUID
    pet_name: str
    owner_id: str
    service: str
    preferred_date: date | None
    notes: str | None
    requested_at: datetime
    requested_position: int


@dataclass(frozen=True)
class AppointmentUpdate:
    """What later events change in a row the batch did not create."""

    request_id: UUID
    updated_at: datetime
    pet_version: int
    status: str | None = None
    cancelled_at: datetime | None = None
    scheduling_status: str | None = None
    scheduled_for: datetime | None = None

    def merged(self, later: AppointmentUpdate) -> AppointmentUpdate:
        return AppointmentUpdate(
            request_id=self.request_id,
            updated_at=later.updated_at,
            pet_version=later.pet_version,
            status=later.status or self.status,
            cancelled_at=later.cancelled_at or self.cancelled_at,
            scheduling_status=later.scheduling_status or self.scheduling_status,
            scheduled_for=later.scheduled_for or self.scheduled_for,
        )

    def applied_to(self, row: NewAppointment) -> NewAppointment:
        return replace(
            row,
            updated_at=self.updated_at,
            pet_version=self.pet_version,
            status=self.status or row.status,
            cancelled_at=self.cancelled_at or row.cancelled_at,
            scheduling_status=self.scheduling_status or row.scheduling_status,
            scheduled_for=self.scheduled_for or row.scheduled_for,
        )


@dataclass(frozen=True)
class Repair:
    """An event whose values the read tables hold in their storable form (`storable`)."""

    pet_id: UUID  # the event's stream: a pet's, or a clinic's when `subject` says so
    version: int
    fields: tuple[str, ...]
    subject: str = "pet"


def storable(row: Row) -> tuple[Row, tuple[str, ...]]:
    """The row as the read tables hold it, and the fields that had to change.

    The domain bounds new text and times, but the log keeps events recorded
    before it did: the read side stores them in a safe form rather than stop.
    """
    changed = {
        name: safe
        for name, value in vars(row).items()
        if _maybe_unstorable(value) and (safe := _storable(value)) is not value
    }
    return (replace(row, **changed), tuple(changed)) if changed else (row, ())


def _maybe_unstorable(value: object) -> bool:
    """Text with a NUL or a lone surrogate, or a time at or past the ends: look closer."""
    # Every value projected passes here: the common case must cost next to nothing.
    if isinstance(value, str):
        return "\x00" in value or not (value.isascii() or UNSTORABLE_TEXT.search(value) is None)
    if isinstance(value, datetime):
        return not (1 < value.year < 9999 and value.utcoffset() is not None)
    return False


def _storable(value: Any) -> Any:
    if isinstance(value, str):
        return UNSTORABLE_TEXT.sub(REPLACEMENT_CHARACTER, value)
    # A time without offset (the service never records one) is read as UTC.
    aware = value if value.utcoffset() is not None else value.replace(tzinfo=UTC)
    return min(max(aware, EARLIEST_STORED), LATEST_STORED)


@dataclass
class BatchChanges:
    """A batch of events folded into as few row writes as possible.

    Views apply `updates` before `inserts`: updates only ever take a row out of
    the pending state, so the one-pending-per-pet index never sees a false clash.
    """

    new_pets: dict[UUID, PetRow] = field(default_factory=dict)
    pet_versions: dict[UUID, int] = field(default_factory=dict)
    inserts: dict[UUID, NewAppointment] = field(default_factory=dict)
    updates: dict[UUID, AppointmentUpdate] = field(default_factory=dict)
    new_clinics: dict[UUID, ClinicRow] = field(default_factory=dict)
    clinic_renames: dict[UUID, ClinicRename] = field(default_factory=dict)
    repairs: list[Repair] = field(default_factory=list)
    last_position: int = 0
    size: int = 0

    def add(self, event: LoggedEvent, position: int) -> None:
        if isinstance(event, Clinic.Event):
            self._add_clinic_event(event, position)
            return
        pet_id, version = event.originator_id, event.originator_version
        self.last_position = position
        self.size += 1
        if isinstance(event, Pet.Registered):
            owner, name, species = event.owner_id, event.name, event.species
            row = PetRow(pet_id, owner, name, species, version)
            self.new_pets[pet_id] = self._stored(event, row, owner, name, species)
            return
        self._pet_moved_to(pet_id, version)
        if isinstance(event, Pet.BookingRequested):
            inserted = _new_appointment(event, position)
            self.inserts[event.request_id] = self._stored(
                event, inserted, event.service, event.notes, event.timestamp
            )
        elif isinstance(event, Pet.Cancelled | Pet.Scheduled):
            starts_at = event.starts_at if isinstance(event, Pet.Scheduled) else None
            self._update(self._stored(event, _update_for(event), event.timestamp, starts_at))

    def _pet_moved_to(self, pet_id: UUID, version: int) -> None:
        # A pet registered in this batch is inserted at its last version: no update after.
        registered = self.new_pets.get(pet_id)
        if registered is not None:
            r = registered  # Built anew: dataclasses.replace costs more than the whole row.
            self.new_pets[pet_id] = PetRow(pet_id, r.owner_id, r.name, r.species, version)
        else:
            self.pet_versions[pet_id] = version

    def _add_clinic_event(self, event: Clinic.Event, position: int) -> None:
        clinic_id, version = event.originator_id, event.originator_version
        self.last_position = position
        self.size += 1
        if isinstance(event, Clinic.Added):
            row = ClinicRow(clinic_id, event.name, event.address, version)
            self.new_clinics[clinic_id] = self._stored(event, row, event.name, event.address)
        elif isinstance(event, Clinic.Renamed):
            rename = self._stored(event, ClinicRename(clinic_id, event.name, version), event.name)
            added = self.new_clinics.get(clinic_id)
            if added is not None:
                self.new_clinics[clinic_id] = replace(added, name=rename.name, version=version)
            else:
                self.clinic_renames[clinic_id] = rename

    def _stored(self, event: LoggedEvent, row: Row, *made_of: object) -> Row:
        """The row as stored; `made_of`, the event's values in it, says whether to look."""
        if not any(map(_maybe_unstorable, made_of)):
            return row
        safe, repaired = storable(row)
        if repaired:
            self.repairs.append(
                Repair(event.originator_id, event.originator_version, repaired, subject_of(event))
            )
        return safe

    def _update(self, update: AppointmentUpdate) -> None:
        inserted = self.inserts.get(update.request_id)
        if inserted is not None:
            self.inserts[update.request_id] = update.applied_to(inserted)
            return
        earlier = self.updates.get(update.request_id)
        self.updates[update.request_id] = earlier.merged(update) if earlier else update


def _new_appointment(event: Pet.BookingRequested, position: int) -> NewAppointment:
    return NewAppointment(
        request_id=event.request_id,
        pet_id=event.originator_id,
        clinic_id=event.clinic_id,
        service=event.service,
        preferred_date=event.preferred_date,
        notes=event.notes,
        scheduling_status=PENDING,
        status=ACTIVE,
        requested_at=event.timestamp,
        scheduled_for=None,
        cancelled_at=None,
        updated_at=event.timestamp,
        pet_version=event.originator_version,
        requested_position=position,
    )


def _update_for(event: Pet.Cancelled | Pet.Scheduled) -> AppointmentUpdate:
    update = AppointmentUpdate(
        request_id=event.request_id,
        updated_at=event.timestamp,
        pet_version=event.originator_version,
    )
    if isinstance(event, Pet.Cancelled):
        return replace(update, status=CANCELLED, cancelled_at=event.timestamp)
    return replace(update, scheduling_status=SCHEDULED, scheduled_for=event.starts_at)
