"""Every event the log holds: a pet's or a clinic's, each a link of its own hash chain."""

from __future__ import annotations

from typing import TypeAlias

from domain.clinic import Clinic
from domain.pet import Pet

LoggedEvent: TypeAlias = Pet.Event | Clinic.Event
LOGGED_EVENTS = (Pet.Event, Clinic.Event)


def subject_of(event: LoggedEvent) -> str:
    """What the event's stream is, in words: `pet` or `clinic`."""
    return "clinic" if isinstance(event, Clinic.Event) else "pet"
