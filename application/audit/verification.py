"""`booking verify`: one pass over the whole log, feeding every check; findings stream out.

A check sees each stored row in position order (decoded, or with the reason it
does not decode) and yields human-readable findings, as soon as it sees them or
once the log is read. The hash-chain check is one; a check that folds the log
into the expected read tables and compares them with the projected ones plugs
in the same way.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Protocol
from uuid import UUID

from eventsourcing.persistence import Mapper, Notification

from application.audit.decoding import DECODE_ERRORS, decode, describe, subject_of_row
from application.events import LoggedEvent, subject_of


@dataclass(frozen=True)
class LogEntry:
    """One stored row of the global log, as verification reads it."""

    notification: Notification
    event: LoggedEvent | None  # decoded and upcast; None when the row does not decode
    problem: str | None = None  # why it does not decode

    @classmethod
    def read(cls, mapper: Mapper[UUID], notification: Notification) -> LogEntry:
        """Decode the row; a row that does not decode is an entry too, never a crash."""
        try:
            return cls(notification, decode(mapper, notification))
        except DECODE_ERRORS as error:
            return cls(notification, None, describe(error))

    @property
    def position(self) -> int:
        return self.notification.id

    @property
    def pet_id(self) -> UUID:
        """The id of the row's stream: a pet's, or a clinic's (see `subject`)."""
        return UUID(str(self.notification.originator_id))

    @property
    def subject(self) -> str:
        """`pet` or `clinic`: whose stream the row belongs to."""
        if self.event is not None:
            return subject_of(self.event)
        return subject_of_row(self.notification)

    @property
    def version(self) -> int:
        return self.notification.originator_version


@dataclass(frozen=True)
class Finding:
    """Something a check found wrong; `pet_id` and `version` say where, when they can.

    `pet_id` is the id of the stream, a clinic's when `subject` is `clinic`.
    """

    check: str
    message: str
    pet_id: UUID | None = None
    version: int | None = None
    subject: str = "pet"

    def __str__(self) -> str:
        where = [f"{self.subject} {self.pet_id}"] if self.pet_id is not None else []
        where += [f"version {self.version}"] if self.version is not None else []
        return ": ".join([self.check, *([" ".join(where)] if where else []), self.message])


class Check(Protocol):
    """One verification of the log."""

    name: str

    def observe(self, entry: LogEntry) -> Iterable[Finding]:
        """Findings about this row, given every row before it."""
        ...

    def finish(self) -> Iterable[Finding]:
        """Findings that show only once the whole log is read."""
        ...


class Verification:
    """Runs the checks over one pass of the log, counting what it read."""

    def __init__(self, checks: Sequence[Check]) -> None:
        self.checks = tuple(checks)
        self.events = 0
        self.pets: set[UUID] = set()
        self.clinics: set[UUID] = set()

    def run(self, entries: Iterable[LogEntry]) -> Iterator[Finding]:
        """Every finding of every check, in log order, then the end-of-log ones."""
        for entry in entries:
            self.events += 1
            streams = self.clinics if entry.subject == "clinic" else self.pets
            streams.add(entry.pet_id)
            for check in self.checks:
                yield from check.observe(entry)
        for check in self.checks:
            yield from check.finish()
