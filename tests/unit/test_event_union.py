"""Every event class the domain records has a typed shape on the wire.

Without one, `GET /events`, histories and `booking export` would fail on the
first such event in the log.
"""

from __future__ import annotations

from typing import get_args

from domain.pet import Pet
from interface.public import EVENT_MODELS

# The library gives every aggregate a default `Created` event; a pet is created by
# `Registered` instead (`Pet.register`), so no `Created` is ever recorded.
NEVER_RECORDED = {"Created"}


def recorded_event_classes(base: type) -> set[str]:
    found: set[str] = set()
    subclasses: list[type] = base.__subclasses__()
    for cls in subclasses:
        found |= {cls.__name__} | recorded_event_classes(cls)
    return found - NEVER_RECORDED


def test_every_pet_event_class_is_a_member_of_the_event_union() -> None:
    tags = {get_args(model.model_fields["type"].annotation)[0] for model in EVENT_MODELS}

    assert recorded_event_classes(Pet.Event) <= tags
