"""The Clinic aggregate's rules, each asserted on the events it records."""

from __future__ import annotations

import itertools
from typing import cast
from uuid import uuid4

import pytest

from domain.chain import GENESIS_HASH, ChainedEvent, chain_hash
from domain.clinic import Clinic
from domain.values import ADDRESS, CLINIC_NAME, InvalidValueError
from tests.security.test_text_input import HOSTILE


def added_clinic() -> Clinic:
    clinic = Clinic.add(uuid4(), name="Clínica Norte", address="Calle Mayor 1", added_by="op")
    clinic.collect_events()
    return clinic


def test_adding_records_added_with_the_operator_as_actor() -> None:
    clinic_id = uuid4()

    clinic = Clinic.add(clinic_id, name="Clínica Norte", address="Calle Mayor 1", added_by="op")

    [event] = clinic.collect_events()
    assert isinstance(event, Clinic.Added)
    assert (event.name, event.address, event.added_by) == ("Clínica Norte", "Calle Mayor 1", "op")
    assert (event.actor, event.originator_id, event.originator_version) == ("op", clinic_id, 1)
    assert (clinic.id, clinic.name, clinic.address) == (clinic_id, "Clínica Norte", "Calle Mayor 1")


def test_renaming_records_renamed_and_keeps_the_address() -> None:
    clinic = added_clinic()

    clinic.rename("Clínica Sur", renamed_by="op-2")

    [event] = clinic.collect_events()
    assert isinstance(event, Clinic.Renamed)
    assert (event.name, event.actor, event.originator_version) == ("Clínica Sur", "op-2", 2)
    assert (clinic.name, clinic.address, clinic.version) == ("Clínica Sur", "Calle Mayor 1", 2)


def test_renaming_to_the_current_name_records_nothing() -> None:
    clinic = added_clinic()

    clinic.rename("  Clínica Norte ", renamed_by="op")

    assert clinic.collect_events() == []
    assert clinic.version == 1


@pytest.mark.parametrize("text", HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_text_is_refused_in_every_field_and_records_nothing(text: str) -> None:
    for field, kwargs in (
        ("name", {"name": text, "address": "Calle 1", "added_by": "op"}),
        ("address", {"name": "Norte", "address": text, "added_by": "op"}),
        ("added_by", {"name": "Norte", "address": "Calle 1", "added_by": text}),
    ):
        with pytest.raises(InvalidValueError) as refused:
            Clinic.add(uuid4(), **kwargs)
        assert refused.value.field == field
    clinic = added_clinic()
    with pytest.raises(InvalidValueError):
        clinic.rename(text, renamed_by="op")

    assert clinic.collect_events() == []


def test_names_and_addresses_are_trimmed_nfc_and_bounded() -> None:
    clinic = Clinic.add(
        uuid4(), name="  Clínica Zoe\u0301 ", address="\u00a0Calle 1 ", added_by="op"
    )

    assert (clinic.name, clinic.address) == ("Clínica Zo\u00e9", "Calle 1")
    with pytest.raises(InvalidValueError, match="blank"):
        Clinic.add(uuid4(), name="   ", address="Calle 1", added_by="op")
    with pytest.raises(InvalidValueError, match=f"at most {CLINIC_NAME.max_length}"):
        Clinic.add(uuid4(), name="N" * (CLINIC_NAME.max_length + 1), address="C", added_by="op")
    with pytest.raises(InvalidValueError, match=f"at most {ADDRESS.max_length}"):
        Clinic.add(uuid4(), name="N", address="C" * (ADDRESS.max_length + 1), added_by="op")
    with pytest.raises(InvalidValueError, match=r"control character U\+000A"):
        Clinic.add(uuid4(), name="N", address="Calle 1\nPiso 2", added_by="op")


def test_events_form_a_hash_chain_from_the_genesis_hash() -> None:
    clinic = Clinic.add(uuid4(), name="Norte", address="Calle 1", added_by="op")
    clinic.rename("Sur", renamed_by="op")
    clinic.rename("Este", renamed_by="op")

    events = [cast("ChainedEvent", e) for e in clinic.collect_events()]

    assert events[0].previous_hash == GENESIS_HASH
    for earlier, later in itertools.pairwise(events):
        assert later.previous_hash == earlier.event_hash
    assert all(e.event_hash == e.expected_hash() for e in events)
    assert clinic.last_hash == events[-1].event_hash


def test_the_hash_covers_what_the_event_says() -> None:
    clinic = Clinic.add(uuid4(), name="Norte", address="Calle 1", added_by="op")
    [event] = cast("list[ChainedEvent]", clinic.collect_events())

    # The same event with another address: the hash it carries no longer matches.
    altered = chain_hash(
        previous_hash=GENESIS_HASH,
        originator_id=event.originator_id,
        originator_version=1,
        event_type="Added",
        timestamp=event.timestamp,
        data={**event.data(), "address": "Calle 2"},
    )

    assert event.data() == {"name": "Norte", "address": "Calle 1", "added_by": "op"}
    assert altered != event.event_hash
