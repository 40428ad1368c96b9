"""The read tables' check: fold the log into the expected rows, compare with the projected ones.

The projection may lag, or move on while the log is read: the check compares
the pets as of the position the tables had when it started, and leaves out
the pets that events after that position touched (`not_compared` counts them).
Tables that stay behind the log (a halted or stopped projection) are a finding.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from uuid import UUID

from eventsourcing.persistence import DataError

from application.audit.verification import Finding, LogEntry
from application.bookings import PetBookings
from application.fold import ReadModelFold
from application.projection import AppointmentsView, ReadModel

FOLD_ERRORS = (KeyError, AttributeError)
# A running projection is milliseconds behind: give it this long to reach the log read.
CATCH_UP_SECONDS = 3.0
RECHECK_SECONDS = 0.05


class ReadTablesCheck:
    name = "read tables"

    def __init__(
        self,
        bookings: PetBookings,
        view: AppointmentsView,
        *,
        catch_up_seconds: float = CATCH_UP_SECONDS,
    ) -> None:
        self._bookings = bookings
        self._view = view
        self._catch_up_seconds = catch_up_seconds
        self._projected_to = view.position()
        self._fold = ReadModelFold()
        # Pets (and clinics) with an unreadable event: the chain reports them.
        self._unfoldable: set[UUID] = set()
        self._moved_on: set[UUID] = (
            set()
        )  # Pets and clinics with events the tables had not reached.
        self._head = self._projected_to
        self.not_compared = 0

    def observe(self, entry: LogEntry) -> Iterator[Finding]:
        self._head = max(self._head, entry.position)
        if entry.position > self._projected_to:
            self._moved_on.add(entry.pet_id)
        elif entry.event is None or entry.pet_id in self._unfoldable:
            self._unfoldable.add(entry.pet_id)
        else:
            try:
                self._fold.add(entry.event, entry.position)
            except FOLD_ERRORS:
                self._unfoldable.add(entry.pet_id)
        yield from ()

    def finish(self) -> Iterator[Finding]:
        self._await_tables(self._head)
        try:
            position, projected = self._view.read_model_at()
        except DataError as error:  # Never a crash: the operator learns what to rebuild.
            yield Finding(self.name, f"the tables cannot be read back: {error}")
            return
        if position < self._projected_to:
            yield Finding(
                self.name, f"the tables went back from {self._projected_to} to {position}"
            )
            return
        if position < self._head:
            yield Finding(
                self.name,
                f"at position {position}, behind the log at {self._head}: the projection "
                "is halted or not running (see /readyz and the projection's log)",
            )
        for request_id, pet_id in sorted(projected.unreadable.items(), key=lambda row: str(row[0])):
            yield Finding(
                self.name,
                f"appointment {request_id} cannot be read back (a time out of range): "
                "run `booking rebuild`",
                pet_id,
            )
        skipped = self._unfoldable | self._moved_on | self._touched_after(self._head, position)
        self.not_compared = len(skipped)
        # The fold keeps the events' values; the tables hold them in their storable form.
        expected = self._fold.model.as_stored()
        yield from _differences(expected, projected, skipped, self.name)

    def _await_tables(self, head: int) -> None:
        deadline = time.monotonic() + self._catch_up_seconds
        while self._view.position() < head and time.monotonic() < deadline:
            time.sleep(RECHECK_SECONDS)

    def _touched_after(self, head: int, position: int) -> set[UUID]:
        if position <= head:
            return set()
        notifications = self._bookings.recorder.select_notifications(
            start=head, stop=position, limit=position - head, inclusive_of_start=False
        )
        return {UUID(str(n.originator_id)) for n in notifications}


def _differences(
    expected: ReadModel, projected: ReadModel, skipped: set[UUID], check: str
) -> Iterator[Finding]:
    for pet_id in sorted(expected.pets.keys() | projected.pets.keys(), key=str):
        want, have = expected.pets.get(pet_id), projected.pets.get(pet_id)
        if pet_id not in skipped and want != have:
            yield Finding(check, f"pet row is {have}, the log says {want}", pet_id)
    # An unreadable row is reported as such, not as missing.
    requests = (
        expected.appointments.keys() | projected.appointments.keys()
    ) - projected.unreadable.keys()
    for request_id in sorted(requests, key=str):
        wanted, found = (
            expected.appointments.get(request_id),
            projected.appointments.get(request_id),
        )
        row = wanted or found
        if row is not None and row.pet_id not in skipped and wanted != found:
            yield Finding(
                check, f"appointment {request_id} is {found}, the log says {wanted}", row.pet_id
            )
    for clinic_id in sorted(expected.clinics.keys() | projected.clinics.keys(), key=str):
        want_clinic, have_clinic = expected.clinics.get(clinic_id), projected.clinics.get(clinic_id)
        if clinic_id not in skipped and want_clinic != have_clinic:
            yield Finding(
                check,
                f"clinic row is {have_clinic}, the log says {want_clinic}",
                clinic_id,
                subject="clinic",
            )
