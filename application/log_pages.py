"""The one loop that pages through the event log."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from eventsourcing.persistence import ApplicationRecorder, Notification

PAGE_SIZE = 1000


def log_pages(
    recorder: ApplicationRecorder, after: int = 0, page_size: int = PAGE_SIZE
) -> Iterator[Sequence[Notification]]:
    """The stored log after position `after`, one page at a time, oldest first."""
    while page := recorder.select_notifications(
        start=after, limit=page_size, inclusive_of_start=False
    ):
        yield page
        after = page[-1].id
