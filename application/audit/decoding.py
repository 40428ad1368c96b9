"""Stored rows -> events, strictly: a row that is not a whole pet or clinic event is an error."""

from __future__ import annotations

import dataclasses
from typing import Any
from uuid import UUID

from eventsourcing.persistence import Mapper, MapperDeserialisationError, StoredEvent
from eventsourcing.utils import TopicError, resolve_topic

from application.events import LOGGED_EVENTS, LoggedEvent
from domain.clinic import Clinic

# What decoding a tampered row can raise: bad bytes or JSON, an unknown topic,
# fields of the wrong type or missing (ValueError, KeyError, AttributeError...).
DECODE_ERRORS = (ValueError, TypeError, KeyError, AttributeError, TopicError)


def decode(mapper: Mapper[UUID], stored: StoredEvent) -> LoggedEvent:
    """The stored event as the application sees it: decoded and upcast to its class version."""
    event = mapper.to_domain_event(stored)
    if not isinstance(event, LOGGED_EVENTS):
        raise TypeError(f"topic {stored.topic!r} is not a pet or clinic event")
    missing = {field.name for field in dataclasses.fields(event)} - vars(event).keys()
    if missing:
        raise KeyError(f"fields missing: {', '.join(sorted(missing))}")
    return event


def as_recorded(mapper: Mapper[UUID], stored: StoredEvent) -> LoggedEvent:
    """The stored event in the shape it was recorded in: decoded like the Mapper does, never upcast.

    An event's hash covers what was recorded; an upcast adds fields, so
    hashing the upcast event would flag every evolved event as altered.
    """
    event_class = resolve_topic(stored.topic)
    if not (isinstance(event_class, type) and issubclass(event_class, LOGGED_EVENTS)):
        raise TypeError(f"topic {stored.topic!r} is not a pet or clinic event")
    fields = _state(mapper, stored.state)
    fields.pop("class_version", None)
    fields["originator_id"] = UUID(str(stored.originator_id))
    fields["originator_version"] = stored.originator_version
    event = object.__new__(event_class)
    object.__setattr__(event, "__dict__", fields)
    return event


def subject_of_row(stored: StoredEvent) -> str:
    """Whose stream a row belongs to, `pet` or `clinic`, even when it does not decode."""
    try:
        event_class = resolve_topic(stored.topic)
    except TopicError:
        return "pet"
    is_clinic = isinstance(event_class, type) and issubclass(event_class, Clinic.Event)
    return "clinic" if is_clinic else "pet"


def describe(error: Exception) -> str:
    """A short reason; the library's deserialisation error wraps the informative one."""
    cause = error.__cause__ if isinstance(error, MapperDeserialisationError) else None
    shown = cause if cause is not None else error
    return f"{type(shown).__name__}: {shown}"


def _state(mapper: Mapper[UUID], state: bytes) -> dict[str, Any]:
    if mapper.cipher:
        state = mapper.cipher.decrypt(state)
    if mapper.compressor:
        state = mapper.compressor.decompress(state)
    fields = mapper.transcoder.decode(state)
    if not isinstance(fields, dict):
        raise TypeError(f"stored state is a {type(fields).__name__}, not an object")
    return fields
