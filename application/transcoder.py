"""The library's JSON transcoder, decoding stored events with orjson.

Decoding was a third of a catch-up's CPU and a large part of loading a long
stream: json.loads calls a Python hook for every object it builds. orjson
builds them in C; the library's hook then runs only on the objects that need
it, so the values are exactly what the library's own decoder gives.

Encoding stays the library's: orjson writes UUIDs and datetimes its own way,
not as the library's tagged objects that every stored event already uses.
"""

from __future__ import annotations

from typing import Any

import orjson
from eventsourcing.persistence import JSONTranscoder

# What the walk must look into, or hand to the library (see _restore).
SPECIAL = frozenset({dict, list, float})


class _ReadDifferentlyError(Exception):
    """A document orjson would read differently from json: the library's decoder reads it."""


class OrjsonTranscoder(JSONTranscoder):
    def decode(self, data: bytes) -> Any:
        try:
            return self._restore(orjson.loads(data))
        except (orjson.JSONDecodeError, _ReadDifferentlyError):
            # What orjson refuses (NaN, half a UTF-16 surrogate pair) or may read otherwise:
            # decoded as the library always did, or refused alike.
            return super().decode(data)

    def _restore(self, value: Any) -> Any:
        """Apply the library's object hook bottom-up, as json's decoder does."""
        kind = type(value)
        if kind is dict:
            for key, item in value.items():
                if type(item) in SPECIAL:
                    value[key] = self._restore(item)
            # The hook looks only at objects of two keys (_type_ and _data_).
            return self._decode_obj(value) if len(value) == 2 else value
        if kind is list:
            return [self._restore(item) if type(item) in SPECIAL else item for item in value]
        if kind is float:
            # orjson reads an integer past 64 bits as a float, json as an int. No event of
            # ours holds a float, so any float sends the document to the library's decoder.
            raise _ReadDifferentlyError
        return value
