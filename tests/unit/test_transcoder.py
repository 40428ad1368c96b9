"""Stored events decode with orjson exactly as with the library's own JSON transcoder."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any
from uuid import uuid4

import pytest
from eventsourcing.persistence import JSONTranscoder

from application.bookings import PetBookings
from application.transcoder import OrjsonTranscoder
from application.transcodings import DateAsISO


def transcoders() -> tuple[JSONTranscoder, OrjsonTranscoder]:
    """The library's and ours, with the application's transcodings registered on both."""
    app = PetBookings(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
    library = JSONTranscoder()
    app.register_transcodings(library)
    ours = app.mapper.transcoder
    app.close()
    assert isinstance(ours, OrjsonTranscoder)
    return library, ours


VALUES: list[Any] = [
    {
        "timestamp": datetime(2026, 12, 2, 10, 0, tzinfo=UTC),
        "request_id": uuid4(),
        "preferred_date": date(2027, 1, 5),
        "notes": "línea\nnueva \x00 y \u2028",
        "idempotency_key": None,
    },
    {"nested": [{"when": date(2027, 1, 1)}, [uuid4(), 1, 2.5, True]], "plain": {"a": 1, "b": 2}},
    [],
    "text",
    12,
]


@pytest.mark.parametrize("value", VALUES)
def test_what_the_library_encodes_ours_decodes_to_the_same_values(value: Any) -> None:
    library, ours = transcoders()
    encoded = library.encode(value)

    assert ours.decode(encoded) == library.decode(encoded)
    assert ours.decode(encoded) == value


@pytest.mark.parametrize(
    "stored",
    [
        b'{"notes": "half \\ud83d of a pair"}',  # Half a surrogate pair: orjson refuses it.
        b'{"count": 123456789012345678901234567890}',  # Past 64 bits: a float to orjson.
        b'{"ratios": [0.1, 1e400], "count": -123456789012345678901234567890}',
        b'{"ratio": NaN}',
    ],
)
def test_what_orjson_refuses_is_decoded_as_the_library_decodes_it(stored: bytes) -> None:
    library, ours = transcoders()

    assert repr(ours.decode(stored)) == repr(library.decode(stored))


def test_text_that_is_not_utf8_is_refused_as_before() -> None:
    library, ours = transcoders()

    with pytest.raises(UnicodeDecodeError):
        library.decode(b'{"name": "\xff"}')
    with pytest.raises(UnicodeDecodeError):
        ours.decode(b'{"name": "\xff"}')


def test_an_object_that_only_looks_tagged_is_left_alone() -> None:
    library, ours = transcoders()
    stored = b'{"_type_": "date_iso", "_data_": "2027-01-05", "extra": 1}'

    assert ours.decode(stored) == library.decode(stored)
    assert ours.decode(b'{"x": {"_type_": "date_iso", "_data_": "2027-01-05"}}') == {
        "x": DateAsISO().decode("2027-01-05")
    }
