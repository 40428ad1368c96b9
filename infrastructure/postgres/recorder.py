"""The application recorder: each write checked alone, then committed with concurrent writes."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from eventsourcing.persistence import Notification, StoredEvent
from eventsourcing.postgres import PostgresApplicationRecorder, PostgresDatastore

from infrastructure.group_commit import GroupCommit
from infrastructure.postgres.append import AppendStatements
from infrastructure.postgres.reads import Reads
from infrastructure.postgres.retries import about_the_database, second_chance
from infrastructure.postgres.writes import (
    Pending,
    Write,
    admitted,
    first_claims,
    key,
    not_taken,
    settle,
)


class FailFastPostgresApplicationRecorder(PostgresApplicationRecorder):
    """The library's recorder, writing through group commit and retrying our way.

    Writes: checked alone (writes.admitted), queued with concurrent writes
    (group_commit.py), appended by one statement (append.py). Reads: our
    statements (reads.py). Everything else (tables, subscriptions) is the
    library's.
    """

    def __init__(
        self, datastore: PostgresDatastore, *, events_table_name: str = "stored_events"
    ) -> None:
        super().__init__(datastore, events_table_name=events_table_name)
        self.append = AppendStatements(self)
        self.sql_create_statements.append(self.append.create_function)
        self.reads = Reads(datastore, events_table_name)
        self.group_commit: GroupCommit[Write, list[int]] = GroupCommit(
            self._write_group, shared=about_the_database
        )

    @second_chance
    def insert_events(
        self, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> list[int] | None:
        """One command's events, committed with concurrent commands'; their positions back.

        A write the database would refuse on its own (a version taken, twice in
        one write, an id that is no UUID) fails alone; nothing else in its group
        does. An empty write writes nothing and returns None, as the library's.
        """
        if not stored_events:
            return None
        return self.group_commit.submit(admitted(stored_events))

    def _write_group(self, group: Sequence[Pending]) -> None:
        accepted = first_claims(group)
        if any(len(submission.item) > 1 for submission in accepted):
            self._write_atomically(accepted)
        elif accepted:
            # One event per write (all of ours): the insert itself finds the conflicts.
            events = [submission.item[0] for submission in accepted]
            settle(accepted, self.append.append_single_events(self._rows(events)))

    def _write_atomically(self, accepted: Sequence[Pending]) -> None:
        """Writes of several events: all of a write's events are stored, or none."""
        keys = [key(e) for submission in accepted for e in submission.item]
        with self.datastore.transaction(commit=True) as cursor:
            self.append.lock(cursor)
            free = not_taken(accepted, self.append.taken(cursor, keys))
            events = [e for submission in free for e in submission.item]
            returned = self.append.insert(cursor, self._rows(events)) if events else []
        settle(free, returned)

    def _rows(self, events: Sequence[StoredEvent]) -> list[Any]:
        return [
            self.construct_pg_stored_event(e.originator_id, e.originator_version, e.topic, e.state)
            for e in events
        ]

    @second_chance
    def select_events(
        self,
        originator_id: UUID | str,
        *,
        gt: int | None = None,
        lte: int | None = None,
        desc: bool = False,
        limit: int | None = None,
    ) -> Sequence[StoredEvent]:
        return self.reads.select_events(originator_id, gt=gt, lte=lte, desc=desc, limit=limit)

    @second_chance
    def select_notifications(
        self,
        start: int | None,
        limit: int,
        stop: int | None = None,
        topics: Sequence[str] = (),
        *,
        inclusive_of_start: bool = True,
    ) -> Sequence[Notification]:
        return self.reads.select_notifications(
            start, limit, stop, topics, inclusive_of_start=inclusive_of_start
        )

    @second_chance
    def max_notification_id(self) -> int | None:
        return self.reads.max_notification_id()
