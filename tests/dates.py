"""Dates inside the booking horizon, relative to today, so no test expires with the calendar."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone


def _starts_at(days: int, hours_offset: int) -> str:
    moment = datetime.now(UTC).replace(minute=15, second=0, microsecond=0) + timedelta(days=days)
    return moment.astimezone(timezone(timedelta(hours=hours_offset))).isoformat()


PREFERRED_DATE: date = datetime.now(UTC).date() + timedelta(days=30)
OTHER_PREFERRED_DATE: date = PREFERRED_DATE + timedelta(days=7)
# A scheduled time, written as clients send it: with a UTC offset.
STARTS_AT = _starts_at(days=60, hours_offset=2)
STARTS_AT_WEST = _starts_at(days=61, hours_offset=-3)
STARTS_AT_UTC = _starts_at(days=62, hours_offset=0).replace("+00:00", "Z")
