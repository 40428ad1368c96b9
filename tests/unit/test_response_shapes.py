"""Response models are read from the application's views: each names its view's fields.

A field added to a view fails here until it is put on the wire (a field of the
model, read by `model_validate`) or named below as deliberately kept off it.
"""

from __future__ import annotations

import dataclasses
import inspect
from uuid import uuid4

import pytest
from pydantic import BaseModel

from application.access import Actor, Role
from application.audit.records import ClinicEventRecord, EventPage, EventRecord, PetHistory
from application.bookings import PetBookings
from application.clinics import ClinicView
from application.read_model import PendingItem
from application.views import PetView, RequestReceipt, RequestView
from domain.chain import ChainedEvent
from domain.clinic import Clinic
from domain.pet import Pet
from interface.http.schemas import ClinicPublic, PendingItemPublic, RequestReceiptPublic
from interface.http.schemas_audit import EventPagePublic
from interface.public import (
    CLINIC_EVENT_MODELS,
    PET_EVENT_MODELS,
    PetDetail,
    PetHistoryPublic,
    PetPublic,
    RequestPublic,
)


def readable(*views: type) -> set[str]:
    """What `model_validate` can read off instances of these views: fields and properties."""
    names: set[str] = set()
    for view in views:
        names |= {field.name for field in dataclasses.fields(view)}
        names |= {name for name, member in inspect.getmembers(view) if isinstance(member, property)}
    return names


# (model, the views it is read from, their attributes kept off the wire, and why)
SHAPES = [
    (PetPublic, (PetView,), {"requests"}),  # A registration answers the pet alone.
    (PetDetail, (PetView,), set()),
    (RequestPublic, (RequestView,), {"pet_id"}),  # Nested in its pet, which carries it.
    # One flat object: the request's fields beside the receipt's version and position.
    (RequestReceiptPublic, (RequestReceipt, RequestView), {"request"}),
    (PendingItemPublic, (PendingItem,), {"requested_position"}),  # The `next` cursor holds it.
    *((event, (EventRecord,), set()) for event in PET_EVENT_MODELS),
    *((event, (ClinicEventRecord,), set()) for event in CLINIC_EVENT_MODELS),
    (ClinicPublic, (ClinicView,), set()),
    (EventPagePublic, (EventPage,), set()),
    (PetHistoryPublic, (PetHistory,), set()),
]


@pytest.mark.parametrize(
    ("model", "views", "off_the_wire"), SHAPES, ids=[model.__name__ for model, _, _ in SHAPES]
)
def test_a_response_model_names_exactly_its_views_fields(
    model: type[BaseModel], views: tuple[type, ...], off_the_wire: set[str]
) -> None:
    assert set(model.model_fields) == readable(*views) - off_the_wire


def test_a_receipt_reads_as_one_object_the_request_beside_version_and_position(
    memory_bookings: PetBookings,
) -> None:
    owner = Actor("owner-1", Role.OWNER)
    pet = memory_bookings.register_pet(owner, name="Rex", species="dog").pet
    receipt = memory_bookings.request_booking(
        owner, pet.pet_id, clinic_id=uuid4(), service="vaccination"
    )

    body = RequestReceiptPublic.model_validate(receipt).model_dump()

    request = RequestPublic.model_validate(receipt.request).model_dump()
    assert body == {**request, "pet_id": pet.pet_id, "version": 2, "position": receipt.position}


def tag(model: type[BaseModel]) -> str:
    """The union's tag of an event model: the Literal of its `type`."""
    name: str = model.model_fields["type"].annotation.__args__[0]  # type: ignore[union-attr]
    return name


# (the event's model on the wire, its domain class)
EVENT_CLASSES: list[tuple[type[BaseModel], type[ChainedEvent] | type[Pet.Event]]] = [
    *((model, getattr(Pet, tag(model))) for model in PET_EVENT_MODELS),
    # A clinic event's tag is its class name prefixed: `ClinicAdded` is `Clinic.Added`.
    *((model, getattr(Clinic, tag(model).removeprefix("Clinic"))) for model in CLINIC_EVENT_MODELS),
]


@pytest.mark.parametrize(
    ("model", "event_class"), EVENT_CLASSES, ids=[model.__name__ for model, _ in EVENT_CLASSES]
)
def test_an_events_data_names_exactly_what_its_domain_event_says(
    model: type[BaseModel], event_class: type[ChainedEvent] | type[Pet.Event]
) -> None:
    # Its `data` is what the domain event's `data()` holds: its fields but the chain's.
    said = {field.name for field in dataclasses.fields(event_class)} - event_class.CHAIN_FIELDS
    data_model = model.model_fields["data"].annotation
    assert isinstance(data_model, type)
    assert issubclass(data_model, BaseModel)

    assert set(data_model.model_fields) == said
