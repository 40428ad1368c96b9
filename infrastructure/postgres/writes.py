"""What decides each write's outcome in a group, before and after the database: no I/O here.

A write is one command's events; its outcome is its positions or the error
the library's own recorder would have raised for it alone.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from dataclasses import replace
from uuid import UUID

from eventsourcing.persistence import DataError, IntegrityError, StoredEvent
from psycopg.rows import DictRow

from infrastructure.group_commit import Submission
from infrastructure.postgres.append import Key

Write = Sequence[StoredEvent]
Pending = Submission[Write, list[int]]


def admitted(events: Write) -> Write:
    """The write with every pet id a UUID; refused if the database would refuse it alone.

    Checked before the write joins a group, so that a write the primary key or
    the uuid column refuses never reaches a batch it could fail. An id given
    as text is the same pet as its UUID, as in the library's recorder.
    """
    normalised = [
        e if isinstance(e.originator_id, UUID) else replace(e, originator_id=_uuid(e.originator_id))
        for e in events
    ]
    if len({key(e) for e in normalised}) < len(normalised):
        msg = "one write holds the same version of a pet twice"
        raise IntegrityError(msg)
    return normalised


def _uuid(originator_id: object) -> UUID:
    if isinstance(originator_id, str):
        with contextlib.suppress(ValueError):
            return UUID(originator_id)
    msg = f"pet id {originator_id!r} is not a UUID"
    raise DataError(msg)


def key(event: StoredEvent) -> Key:
    assert isinstance(event.originator_id, UUID), "admitted() made every id a UUID"
    return event.originator_id, event.originator_version


def version_taken() -> IntegrityError:
    return IntegrityError("version already taken: a concurrent command won")


def first_claims(group: Sequence[Pending]) -> list[Pending]:
    """Two writes of one group on the same pet version: the first wins."""
    claimed: set[Key] = set()
    accepted = []
    for submission in group:
        wanted = {key(e) for e in submission.item}
        if wanted & claimed:
            submission.error = version_taken()
            continue
        claimed |= wanted
        accepted.append(submission)
    return accepted


def not_taken(accepted: Sequence[Pending], taken: set[Key]) -> list[Pending]:
    """The writes none of whose versions is stored already; the others are refused."""
    free = []
    for submission in accepted:
        if any(key(e) in taken for e in submission.item):
            submission.error = version_taken()
        else:
            free.append(submission)
    return free


def settle(accepted: Sequence[Pending], returned: Sequence[DictRow]) -> None:
    """Each write gets its positions, or a version conflict if its event was left out."""
    stored = {
        (row["originator_id"], row["originator_version"]): row["notification_id"]
        for row in returned
    }
    for submission in accepted:
        ids = [stored.get(key(e)) for e in submission.item]
        if None in ids:
            submission.error = version_taken()
        else:
            submission.result = [i for i in ids if i is not None]
